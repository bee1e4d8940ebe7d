"""The synthetic report generator: values satisfy every template sum, every
layout renders a complete report, output is deterministic."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from nianbao.normalize import fold, simplified
from nianbao.synth import (
    LAYOUTS,
    split_other_services,
    synth_cells,
    synth_fees,
    synth_report_html,
    synth_report_text,
    to_traditional,
)
from nianbao.template import (
    SECTIONS,
    T3_COLUMNS,
    T3_PART_COLUMNS,
    T4_GROUPS,
    T4_PARTS,
    cell_paths,
    edition,
    t3_result_rows,
)

SEEDS = range(40)


def _identities(cells: dict, ed_name: str) -> None:
    ed = edition(ed_name)
    assert list(cells) == cell_paths(ed)
    for c in [c.key for c in T3_COLUMNS]:

        def v(row: str, c: str = c) -> int:
            return cells[f"table3.{row}.{c}"]

        assert v("new_received") + v("carried_over") == v("total_processed") + v("carried_forward")
        assert v("total_processed") == sum(v(r) for r in t3_result_rows(ed))
    for r in ed.table3:
        row = f"table3.{r.key}"
        assert cells[f"{row}.total"] == sum(cells[f"{row}.{c}"] for c in T3_PART_COLUMNS)
    for g, _ in T4_GROUPS:
        assert cells[f"table4.{g}.total"] == sum(cells[f"table4.{g}.{p}"] for p in T4_PARTS)
    for path, value in cells.items():
        assert value is not None and value >= 0 or path.endswith(".change")
        if not path.endswith("amount_wan"):
            assert isinstance(value, int), path


@pytest.mark.parametrize("ed", ["2021", "2019"])
@pytest.mark.parametrize("seed", SEEDS)
def test_cells_satisfy_every_template_sum(ed: str, seed: int) -> None:
    _identities(synth_cells(random.Random(seed), ed), ed)


def test_scale_zero_gives_an_empty_year() -> None:
    cells = synth_cells(random.Random(1), "2021", scale=0)
    assert cells["table3.new_received.natural_person"] == 0


def test_amounts_have_decimals_somewhere() -> None:
    amounts = [synth_cells(random.Random(s), "2021")["table2.fees.amount_wan"] for s in SEEDS]
    assert any(isinstance(a, float) for a in amounts)


def test_deterministic() -> None:
    a = synth_cells(random.Random(7), "2019")
    b = synth_cells(random.Random(7), "2019")
    assert a == b
    ta = synth_report_text(a, "2019", "tab", "某局", 2020, random.Random(3), noise=True)
    tb = synth_report_text(b, "2019", "tab", "某局", 2020, random.Random(3), noise=True)
    assert ta == tb


def test_split_rows_sum_to_the_row() -> None:
    cells = synth_cells(random.Random(5), "2019")
    items = split_other_services(random.Random(5), cells)
    for col in ("prev_items", "change", "decisions"):
        assert sum(i[col] for i in items) == cells[f"table2.other_services.{col}"]


def _complete(text: str, agency: str, year: int, fees: dict | None) -> None:
    flat = fold(text).replace(" ", "")
    assert fold(agency) in flat
    assert f"{year}年" in flat
    for s in SECTIONS:
        assert fold(s.title) in flat, s.title
    assert "申请人情况" in flat and "行政复议" in flat and "第二十条第(一)项" in flat
    if fees and fees["notices"]:
        assert "发出收费通知的件数" in flat


@pytest.mark.parametrize("ed", ["2021", "2019"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_renders_a_complete_report(layout: str, ed: str) -> None:
    rng = random.Random(11)
    cells = synth_cells(rng, ed, scale=200)
    fees = {"notices": 2, "notice_amount_yuan": 6400, "collected_yuan": 0}
    text = synth_report_text(cells, ed, layout, "北京市西城区城市管理指挥中心", 2024, rng, fees=fees)
    _complete(text, "北京市西城区城市管理指挥中心", 2024, fees)
    assert str(cells["table3.new_received.total"]) in text


def test_layout_shapes() -> None:
    cells = synth_cells(random.Random(2), "2021", scale=30)
    agency = "某区某局"
    tab = synth_report_text(cells, "2021", "tab", agency, 2023, random.Random(1))
    assert "\t第二十条第（一）项\n" in tab and "\n\t\n" in tab
    para = synth_report_text(cells, "2021", "paragraph", agency, 2023, random.Random(1))
    assert "\n\n第二十条第(一)项\n\n信息内容\n\n" in para
    pipe = synth_report_text(cells, "2021", "pipe", agency, 2023, random.Random(1))
    assert "| 第二十条第(一)项 | |||\n" in pipe
    nolead = synth_report_text(cells, "2021", "pipe_noleading", agency, 2023, random.Random(1))
    assert "\n规章 | " in nolead
    bar = synth_report_text(cells, "2021", "cell_bar", agency, 2023, random.Random(1))
    assert "\n信息内容 |\n本年制发件数 |\n" in bar
    md = synth_report_text(cells, "2021", "markdown", agency, 2023, random.Random(1))
    assert "|---" in md
    assert "\n| 5.要求行政机关确认或重新出具已获取信息 |" in md  # lost its leading empty cells
    assert md.count("|---") >= 4  # 表三 split in two


def test_options() -> None:
    cells = synth_cells(random.Random(3), "2021", scale=1400)
    cells["table4.review.upheld"] = None
    rng = random.Random(4)
    text = synth_report_text(cells, "2021", "tab", "某局", 2023, rng, fullwidth=True, slash=True)
    assert "\t/\n" in text and "０" in text
    big = synth_report_text(cells, "2021", "pipe", "某局", 2023, random.Random(4), thousands=True)
    n = cells["table3.new_received.total"]
    assert f"{n:,}" in big
    trad = synth_report_text(cells, "2021", "tab", "某区人民政府", 2023, random.Random(4), traditional=True)
    assert "開" in trad and simplified(trad) != trad


def test_decimal_comma() -> None:
    cells = synth_cells(random.Random(8), "2019")
    cells["table2.procurement.amount_wan"] = 491.5
    text = synth_report_text(cells, "2019", "tab", "某中心", 2021, random.Random(1), decimal_comma=True)
    assert "\t491,5000\n" in text and "采购总金额（万元，保留四位小数）" in text


def test_traditional_folds_back() -> None:
    s = "北京市西城区人民政府2024年政府信息公开工作年度报告：发出收费通知的件数为2件，干部后台里面只有这些复议"
    assert to_traditional(s) != s
    assert simplified(to_traditional(s)) == s


def test_html_page() -> None:
    rng = random.Random(9)
    cells = synth_cells(rng, "2021", scale=50)
    page = synth_report_html(cells, "2021", "北京市东城区城市管理指挥中心", 2024, rng, fees=synth_fees(rng))
    assert page.startswith("<!DOCTYPE html>") and "<nav" in page and "<footer" in page
    assert 'rowspan="22"' in page and 'colspan="7"' in page and 'colspan="10"' in page
    assert 'rowspan="3" colspan="3"' in page and 'rowspan="8"' in page
    page19 = synth_report_html(synth_cells(rng, "2019"), "2019", "某中心", 2020, rng)
    assert 'rowspan="20"' in page19 and "第二十条第（九）项" in page19


SEED_002 = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "002_376a0065d696f21b.txt"


def _skeleton(lines: list[str], start: str, end: str) -> list[str]:
    i = next(k for k, line in enumerate(lines) if start in line)
    j = next(k for k, line in enumerate(lines) if k > i and end in line)
    out = [re.sub(r"\d+", "N", line.replace("\u00a0", "").replace("\u3000", "")) for line in lines[i:j]]
    while out and not out[-1]:
        out.pop()
    return out


@pytest.mark.parametrize(
    "start,end",
    [("第二十条第（一）项", "收到和处理"), ("（本列数据", "行政复议、行政诉讼情况"), ("\t行政复议", "五、存在")],
)
def test_tab_layout_has_the_line_structure_of_seed_002(start: str, end: str) -> None:
    """The TAB layout reproduces a real report line for line (numbers aside)."""
    if not SEED_002.is_file():
        pytest.skip("../shared/seeds is absent")
    seed = SEED_002.read_text(encoding="utf-8").split("\n")
    cells = synth_cells(random.Random(1), "2021")
    ours = synth_report_text(cells, "2021", "tab", "某镇", 2024, random.Random(1)).split("\n")
    assert _skeleton(ours, start, end) == _skeleton(seed, start, end)


def test_page_break_repeats_the_header() -> None:
    cells = synth_cells(random.Random(2), "2021", scale=30)
    text = synth_report_text(cells, "2021", "tab", "某局", 2023, random.Random(1), page_break=True)
    assert text.count("申请人情况") == 2
    assert re.search(r"\n- \d -\n", text)


@pytest.mark.parametrize(
    "numbering,expected",
    [
        ("template", ["一、总体情况", "（四）加强政府信息管理", "二、主动公开政府信息情况"]),
        ("arabic", ["一、总体情况", "（4） 加强政府信息管理", "2、 主动公开政府信息情况", "3、 收到和处理"]),
        ("arabic_all", ["1、 总体情况", "1、 加强组织领导", "2、 主动公开政府信息情况", "6、 其他需要报告的事项"]),
        ("broken", ["一、总体情况", "一)加强组织领导", "二、主动公开政府信息情况"]),
    ],
)
def test_heading_numbering(numbering: str, expected: list[str]) -> None:
    cells = synth_cells(random.Random(2), "2021", scale=5)
    text = synth_report_text(cells, "2021", "tab", "某局", 2023, random.Random(1), numbering=numbering)
    lines = text.split("\n")
    for head in expected:
        assert any(line.startswith(head) for line in lines), head


def test_long_headings() -> None:
    cells = synth_cells(random.Random(2), "2021", scale=5)
    text = synth_report_text(cells, "2021", "tab", "某局", 2023, random.Random(1), long_headings=True)
    assert "\n四、因政府信息公开工作被申请行政复议、提起行政诉讼情况\n" in text
    assert "\n五、政府信息公开工作存在的主要问题及改进情况\n" in text
