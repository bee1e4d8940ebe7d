"""`nianbao parse` of one bundled report, pinned whole: the JSON of ../shared/spec/cli.md and the table
printed in the terminal (render/console.py).

The expected JSON was written by reading tests/fixtures/reports/xiji-zhen-2023-gb18030.txt (GB18030,
413 lines), not copied from the program. What is compared:
- every key of the object, every cell of the 2021 edition (the derived group sums 不予公开/无法提供/
  不予处理/其他处理 added up by hand), the 信息处理费 of section 六, the six section texts;
- narrative facts: cell, value and line; their ``text`` only as a fragment of that line;
- provenance: one entry per cell; a printed cell's ``text`` is the number as printed, a derived one
  is ``{"derived": true}``; line numbers only for the cells of ``LINES`` (counted by hand).
The console text is pinned in tests/fixtures/expected/xiji-zhen-2023-gb18030.txt.console (width 160,
no terminal), checked by eye against the document."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nianbao.cli import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPORT = FIXTURES / "reports" / "xiji-zhen-2023-gb18030.txt"
CONSOLE = FIXTURES / "expected" / "xiji-zhen-2023-gb18030.txt.console"

T3_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

# 表三 as printed, lines 86–350; the group sums (total) added up by hand
T3 = {
    "new_received": [140, 6, 26, 0, 0, 0, 172],
    "carried_over": [2, 0, 1, 0, 0, 0, 3],
    "granted": [63, 4, 12, 0, 0, 0, 79],
    "partially_granted": [0, 0, 0, 0, 0, 0, 0],
    "denied": {
        "state_secret": [0, 0, 0, 0, 0, 0, 0],
        "prohibited_by_law": [6, 0, 1, 0, 0, 0, 7],
        "three_safeties": [0, 0, 0, 0, 0, 0, 0],
        "third_party": [1, 0, 0, 0, 0, 0, 1],
        "internal_affairs": [2, 0, 1, 0, 0, 0, 3],
        "process_info": [0, 0, 0, 0, 0, 0, 0],
        "enforcement_files": [8, 0, 2, 0, 0, 0, 10],
        "query_matters": [0, 0, 0, 0, 0, 0, 0],
        "total": [17, 0, 4, 0, 0, 0, 21],
    },
    "unable": {
        "not_held": [17, 0, 4, 0, 0, 0, 21],
        "needs_creation": [7, 0, 0, 0, 0, 0, 7],
        "unclear": [0, 0, 0, 0, 0, 0, 0],
        "total": [24, 0, 4, 0, 0, 0, 28],
    },
    "not_processed": {
        "complaint": [8, 0, 2, 0, 0, 0, 10],
        "duplicate": [0, 0, 0, 0, 0, 0, 0],
        "publication": [0, 0, 0, 0, 0, 0, 0],
        "excessive": [6, 0, 0, 0, 0, 0, 6],
        "confirmation": [5, 1, 3, 0, 0, 0, 9],
        "total": [19, 1, 5, 0, 0, 0, 25],
    },
    "other": {
        "no_correction": [0, 0, 0, 0, 0, 0, 0],
        "fee_unpaid": [1, 0, 0, 0, 0, 0, 1],
        "other": [0, 0, 0, 0, 0, 0, 0],
        "total": [1, 0, 0, 0, 0, 0, 1],
    },
    "total_processed": [124, 5, 25, 0, 0, 0, 154],
    "carried_forward": [18, 1, 2, 0, 0, 0, 21],
}
DERIVED_GROUPS = ("denied", "unable", "not_processed", "other")

OVERVIEW = """2023年，本机关深入贯彻落实《政府信息公开条例》，扎实做好政府信息公开各项工作。
（一）加强组织领导
本机关坚持把政府信息公开工作摆在重要位置，明确主要负责同志负总责、分管领导具体抓、业务科室抓落实的工作机制，定期研究部署年度重点任务。
（二）深化主动公开
围绕群众关切，及时通过政府门户网站公开机构职能、政策文件、财政预决算、“三公”经费等信息，全年主动公开各类政府信息515条。
（三）规范依申请公开
严格落实依申请公开受理、登记、审核、答复各环节要求，2023年共收到政府信息公开申请172件，均在法定期限内答复。
（四）加强政府信息管理
严格执行政府信息发布保密审查制度，动态调整政务公开全清单，对已公开信息定期开展清理和更新。
（五）强化平台建设
持续优化政府网站政府信息公开专栏，做好政务新媒体信息同步发布，确保信息准确、及时、便于查阅。
（六）做好监督保障
将政府信息公开工作纳入年度考核，组织工作人员参加专题培训4次，本年度未发生需要责任追究的情形。"""
REQUESTS = "本年度，本机关共收到政府信息公开申请172件，上年结转3件，办结154件，结转下年度继续办理21件。"
PROBLEMS = (
    "2023年，本机关政府信息公开工作取得一定成效，但仍存在主动公开内容不够丰富、政策解读形式较为单一、"
    "依申请公开答复规范性有待提升等问题。下一步，一是聚焦群众关切，拓展主动公开的深度和广度；"
    "二是丰富政策解读形式，提升解读质量；三是加强业务培训，进一步规范依申请公开办理流程。"
)
OTHER = "2023年度发出收费通知的件数为3件，总金额为600元，实际收取的总金额为600元。"

# (cell, value, line): the first sentence that states each 表三 total
NARRATIVE = [
    ("table3.new_received.total", 172, 11),
    ("table3.carried_over.total", 3, 65),
    ("table3.total_processed.total", 154, 65),
    ("table3.carried_forward.total", 21, 65),
]
# where a few numbers stand (one value per line in this layout)
LINES = {
    "table2.regulations.in_force": 30,
    "table2.fees.amount_wan": 62,
    "table3.new_received.natural_person": 87,
    "table3.new_received.total": 93,
    "table3.carried_forward.natural_person": 344,
    "table3.carried_forward.total": 350,
}


def _rows(table: dict, columns: tuple[str, ...]) -> dict:
    return {
        k: _rows(v, columns) if isinstance(v, dict) else dict(zip(columns, v, strict=True)) for k, v in table.items()
    }


EXPECTED = {
    "file": str(REPORT),
    "sha256": "9e63df618c95c4f3f7977f1c17264eaa9068b9365b623a829f633b2a5e7f62be",  # sha256sum of the file
    "format": "txt",
    "agency": "北京市通州区西集镇人民政府",
    "region": "北京市通州区西集镇",
    "year": 2023,
    "edition": "2021",
    "published": "2024-01-08",
    "table2": {
        "regulations": {"issued": 0, "repealed": 0, "in_force": 1},
        "normative_documents": {"issued": 0, "repealed": 11, "in_force": 28419},
        "licensing": {"decisions": 5944},
        "punishment": {"decisions": 0},
        "coercion": {"decisions": 0},
        "fees": {"amount_wan": 1983.582},
    },
    "table3": _rows(T3, T3_COLUMNS),
    "table4": _rows({g: [0] * 5 for g in ("review", "litigation_direct", "litigation_after_review")}, T4_COLUMNS),
    "fees_info": {"notices": 3, "notice_amount_yuan": 600, "collected_yuan": 600},
    "sections": {
        "overview": OVERVIEW,
        "active": "",  # 二 holds only 表二
        "requests": REQUESTS,
        "review": "",  # 四 holds only 表四
        "problems": PROBLEMS,
        "other": OTHER,  # the 落款 (agency and date) is not part of the text
    },
    "notes": [],
    "table_editions": {"table2": "2021", "table3": "2021"},  # 表四 is the same in both editions
}


def _leaves(tree: dict, prefix: str) -> dict:
    out = {}
    for k, v in tree.items():
        out |= _leaves(v, f"{prefix}.{k}") if isinstance(v, dict) else {f"{prefix}.{k}": v}
    return out


def test_parse_json_is_the_report_as_read_by_hand() -> None:
    result = CliRunner().invoke(app, ["parse", str(REPORT), "--format", "json"])
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    narrative, provenance = got.pop("narrative"), got.pop("provenance")
    assert got == EXPECTED

    lines = REPORT.read_text(encoding="gb18030").splitlines()
    assert [(f["cell"], f["value"], f["location"]["line"]) for f in narrative] == NARRATIVE
    assert all(f["text"] in lines[f["location"]["line"] - 1] for f in narrative)

    cells = {p: v for t in ("table2", "table3", "table4") for p, v in _leaves(EXPECTED[t], t).items()}
    derived = {p for p in cells if p.split(".")[1] in DERIVED_GROUPS and p.split(".")[2] == "total"}
    assert set(provenance) == set(cells)
    assert {p: provenance[p] for p in derived} == {p: {"derived": True} for p in derived}
    assert {p: provenance[p]["text"] for p in cells if p not in derived} == {
        p: str(v) for p, v in cells.items() if p not in derived
    }
    assert {p: provenance[p]["line"] for p in LINES} == LINES
    assert all(lines[provenance[p]["line"] - 1].strip() == str(cells[p]) for p in cells if p not in derived)


def test_parse_text_prints_the_three_tables_as_pinned(monkeypatch) -> None:
    monkeypatch.chdir(FIXTURES.parent.parent)  # the file is named as given: tests/fixtures/reports/…
    result = CliRunner().invoke(app, ["parse", str(REPORT.relative_to(FIXTURES.parent.parent))])
    assert result.exit_code == 0, result.output
    assert result.stdout == CONSOLE.read_text(encoding="utf-8")
