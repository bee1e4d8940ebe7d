"""Reports for the web tests: hand-built ones (a broken balance, HTML in the text) and fixture files."""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import replace
from pathlib import Path

from nianbao.check import check_report
from nianbao.extract import read_report
from nianbao.model import Fact, Location, Report, Section, Source, Value
from nianbao.render.json import report_json
from nianbao.store.db import Store, connect
from nianbao.synth import synth_cells, synth_report_text
from nianbao.template import SECTIONS, cell_paths, edition

AGENCY = "北京市测试区人民政府"
OTHER = "北京市测试区教育委员会"
SCRIPT = "<script>alert('x')</script>"


def make_report(agency: str, year: int, ed: str = "2021", seed: int = 1, break_balance: bool = False) -> Report:
    """A report whose cells satisfy every template sum (unless ``break_balance``), with sections and a fact."""
    values = synth_cells(random.Random(seed), ed, scale=40)
    if break_balance:
        values["table3.carried_forward.natural_person"] = (values["table3.carried_forward.natural_person"] or 0) + 5
        values["table3.carried_forward.total"] = (values["table3.carried_forward.total"] or 0) + 5
    cells = {}
    for i, p in enumerate(cell_paths(edition(ed))):
        v = values.get(p)
        cells[p] = Value(v, "" if v is None else str(v), Location(line=60 + i))
    new = values["table3.new_received.total"]
    text = f"{agency}{year}年共收到政府信息公开申请{new}件。"
    content = f"{agency}|{year}|{ed}|{seed}|{break_balance}".encode()
    return Report(
        source=Source(f"{agency}-{year}.txt", hashlib.sha256(content).hexdigest(), "txt", "utf-8"),
        agency=agency,
        region="北京市测试区",
        year=year,
        edition=ed,
        published=f"{year + 1}-01-20",
        table_editions={"table2": ed, "table3": ed, "table4": ed},
        tables_found={"table2": "full", "table3": "full", "table4": "full"},
        cells=cells,
        sections={
            s.key: Section(
                s.key,
                f"{s.number}、{s.title}",
                text if s.key == "requests" else f"{s.title}的正文。",
                Location(line=5 * n),
            )
            for n, s in enumerate(SECTIONS, 1)
        },
        narrative=[Fact("table3.new_received.total", new, f"共收到政府信息公开申请{new}件", Location(line=16))],
    )


def with_script(report: Report, in_name: bool = True) -> Report:
    """The same report with HTML in its overview text and file name (and, if ``in_name``, its agency name)."""
    sections = dict(report.sections)
    sections["overview"] = replace(sections["overview"], text=f"总体情况{SCRIPT}<b>粗体</b>")
    content = (report.source.sha256 + "script").encode()
    return replace(
        report,
        agency=report.agency + (SCRIPT if in_name else ""),
        sections=sections,
        source=replace(report.source, sha256=hashlib.sha256(content).hexdigest(), file="x<script>.txt"),
    )


FIXTURES = Path(__file__).parent.parent / "fixtures" / "reports"
FIXTURE_FILES = (
    "songzhuang-zhen-2023-tab.txt",
    "songzhuang-zhen-2024-pipe.txt",
    "zhongcun-xiang-2020-2019ed-paragraph.txt",
    "xicheng-chengzhi-2021-2019ed-tab.txt",
    "xuhui-scjgj-2024.html",
)


def fill(url: str, script_in_name: bool = True) -> dict[str, int]:
    """Store the fixture reports (hand-built ones and a few files of tests/fixtures/reports); name → report id."""
    store = Store(connect(url))
    reports = {name: read_report(FIXTURES / name) for name in FIXTURE_FILES}
    reports |= {
        "a2022": make_report(AGENCY, 2022, seed=1),
        "a2023": make_report(AGENCY, 2023, seed=2, break_balance=True),
        "a2024": make_report(AGENCY, 2024, seed=3),
        "b2020": make_report(OTHER, 2020, ed="2019", seed=4),
        "script": with_script(make_report("测试街道办事处", 2024, seed=5), script_in_name),
    }
    return {name: store.save(r, check_report(r), report_json(r)).report_id for name, r in reports.items()}


_SIMPLE = re.compile(r"([\w-]+)?((?:[.#][\w-]+|\[[\w-]+(?:\^?=\"[^\"]*\")?\])*)")
_PART = re.compile(r"([.#])([\w-]+)|\[([\w-]+)(?:(\^?=)\"([^\"]*)\")?\]")


def css(el, selector: str) -> list:
    """The elements under ``el`` matching a simple CSS selector (tags, .class, #id, [a], [a="v"], [a^="v"], descendants)."""
    xpath = "."
    for step in selector.split():
        tag, rest = _SIMPLE.fullmatch(step).groups()
        conds = []
        for dot, name, attr, op, value in _PART.findall(rest):
            if dot == ".":
                conds.append(f'contains(concat(" ", normalize-space(@class), " "), " {name} ")')
            elif dot == "#":
                conds.append(f'@id="{name}"')
            elif not op:
                conds.append(f"@{attr}")
            else:
                conds.append(f'@{attr}="{value}"' if op == "=" else f'starts-with(@{attr}, "{value}")')
        xpath += "//" + (tag or "*") + "".join(f"[{c}]" for c in conds)
    return el.xpath(xpath)


def broken_report_text(year: int = 2023) -> bytes:
    """A complete report as text whose 表三 balance fails in the 自然人 column (T3-BALANCE)."""
    values = synth_cells(random.Random(7), "2021", scale=40)
    values["table3.carried_forward.natural_person"] = (values["table3.carried_forward.natural_person"] or 0) + 3
    values["table3.carried_forward.total"] = (values["table3.carried_forward.total"] or 0) + 3
    return synth_report_text(values, "2021", "tab", "北京市测试区司法局", year, random.Random(7)).encode()
