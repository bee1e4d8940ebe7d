"""Reports whose layout the first real samples did not show (issue 9): rows apart by TABs
or spaces, headings run into their first sentence, Markdown bold headings, HTML tables
inside Markdown. Each built from the synthetic generator; none may give a false error."""

from __future__ import annotations

import random
import re

import pytest

from nianbao.check import check_report
from nianbao.model import Report, ReportError
from nianbao.pipeline import process
from nianbao.synth import synth_cells, synth_fees, synth_report_html, synth_report_text
from nianbao.template import SECTIONS

AGENCY = "某市某区某局"


def _text(layout: str, seed: int = 1, edition: str = "2021") -> tuple[str, dict]:
    rng = random.Random(seed)
    cells = synth_cells(rng, edition)
    return synth_report_text(cells, edition, layout, AGENCY, 2023, rng, fees=synth_fees(rng)), cells


def _read(text: str, name: str = "r.txt") -> Report:
    return process(text.encode("utf-8"), name).report


def _errors(report: Report) -> list[str]:
    return [d.rule for d in check_report(report) if d.severity == "error"]


@pytest.mark.parametrize("layout", ["tabbed", "spaced", "layout"])
@pytest.mark.parametrize("edition", ["2021", "2019"])
def test_rows_apart_by_tabs_or_spaces(layout: str, edition: str) -> None:
    text, cells = _text(layout, 3, edition)
    report = _read(text)
    assert {p: report.value(p) for p in cells} == cells
    assert report.tables_found == {"table2": "full", "table3": "full", "table4": "full"}
    assert set(report.sections) == {s.key for s in SECTIONS}
    assert _errors(report) == []


def test_a_line_of_numbers_no_table_claims_makes_the_table_uncertain() -> None:
    """表四 printed as one line of numbers apart by single spaces, its header lost: not
    TABLE-MISSING (an accusation) but READ-UNCERTAIN, since the numbers may be it."""
    text, _ = _text("spaced")
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if "行政复议" in ln and "诉讼" in ln and ln.startswith("四"))
    row = next(i for i in range(start + 1, len(lines)) if len(lines[i].split()) == 15)
    lines[start + 1 : row + 1] = [" ".join(lines[row].split())]
    report = _read("\n".join(lines))
    assert "table4" not in report.tables_found
    assert "TABLE-MISSING" not in _errors(report)
    assert any(u.part == "table4" for u in report.uncertain)


def _report(seed: int, html: bool = False, **variant) -> tuple[Report, dict]:
    rng = random.Random(seed)
    cells = synth_cells(rng, "2021")
    fees = synth_fees(rng)
    if html:
        return _read(synth_report_html(cells, "2021", AGENCY, 2023, rng, fees=fees, **variant), "r.html"), fees
    return _read(synth_report_text(cells, "2021", "tab", AGENCY, 2023, rng, fees=fees, **variant)), fees


@pytest.mark.parametrize("html", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_heading_run_into_its_text(seed: int, html: bool) -> None:
    """``一、总体情况：2025年…`` / ``<p><strong>六、其他需要报告的事项</strong>本机关…</p>``:
    the heading is found and the rest of the paragraph stays the section's text."""
    report, fees = _report(seed, html, headings="run_in", numbering=("template", "arabic_all")[seed % 2])
    assert set(report.sections) == {s.key for s in SECTIONS}
    assert report.sections["overview"].text.startswith("2023年")
    assert report.fees.collected_yuan == fees["collected_yuan"]
    assert _errors(report) == []


def test_near_miss_heading_opening_a_paragraph_is_uncertain() -> None:
    rng = random.Random(2)
    cells = synth_cells(rng, "2021")
    text = synth_report_text(cells, "2021", "tab", AGENCY, 2023, rng, headings="run_in")
    text = re.sub(r"五、存在的主要问题及改进情况", "五、工作中的问题与不足", text)
    report = _read(text)
    assert "problems" not in report.sections
    assert "SECTION-MISSING" not in _errors(report)
    assert any(u.part == "sections.problems" for u in report.uncertain)


def test_markdown_bold_headings() -> None:
    report, _ = _report(5, headings="bold")
    assert set(report.sections) == {s.key for s in SECTIONS}
    assert _errors(report) == []


@pytest.mark.parametrize("name", ["r.md", "r.txt"])
def test_markdown_with_html_tables(name: str) -> None:
    """MinerU: Markdown headings and paragraphs, tables as HTML ``<table>`` blocks. The file
    stays text (its lines are not merged as a web page's would be); the tables are read as HTML."""
    text, cells = _text("html_md", 4)
    report = _read(text, name)
    assert report.source.format in ("md", "txt")
    assert {p: report.value(p) for p in cells} == cells
    assert set(report.sections) == {s.key for s in SECTIONS}
    assert _errors(report) == []


@pytest.mark.parametrize(
    "title", ["某县人民政府2024年政府信息公开工作年度报告", "某縣審計局2024年政府信息公開工作年度報告"]
)
def test_a_titled_excerpt_is_read_for_what_it_holds(title: str) -> None:
    """A report's opening without its tables is no other kind of document: it is read, and
    the checks say what is missing."""
    report = _read(f"{title}\n\n一、总体情况\n\n本年度，本机关扎实推进政务公开。\n")
    assert report.year == 2024 and "overview" in report.sections


def test_an_untitled_excerpt_opening_with_the_preface_is_read() -> None:
    preface = "本报告根据《中华人民共和国政府信息公开条例》要求编制。"
    report = _read(f"{preface}\n\n1、 总体情况\n\n2023年度，本街道认真做好政务公开。\n")
    assert "overview" in report.sections


def test_other_documents_are_still_refused() -> None:
    notice = "关于做好节日期间值班工作的通知\n\n各单位：\n\n一、高度重视\n\n请认真落实《条例》等规定。\n"
    with pytest.raises(ReportError, match="不是政府信息公开工作年度报告"):
        _read(notice)


def test_table_printed_as_header_rows_only_is_found_in_part() -> None:
    header = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\n"
    header += "自然人\t法人或其他组织\t总计\n商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\n"
    report = _read(f"某县人民政府2024年政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n\n{header}")
    assert report.tables_found.get("table3") == "partial"


def test_text_ending_on_a_cut_heading() -> None:
    text, _ = _text("tab", 2)
    cut = text[: text.index("三、收到和处理") + len("三、收到")] + "\n"
    report = _read(cut)
    assert any(u.part == "sections.requests" for u in report.uncertain)
    assert "SECTION-MISSING" not in [d.rule for d in check_report(report) if "第三部分" in d.message]


@pytest.mark.parametrize("edition", ["2021", "2019"])
def test_rows_apart_by_single_spaces(edition: str) -> None:
    """pdfplumber's ``extract_text``: ``规章 0 0 0`` and header rows ``结果维持 结果纠正 …``
    as plain lines; each number is its own cell (never ``0 0 0`` read as one 0)."""
    text, cells = _text("plumber", 5, edition)
    report = _read(text)
    assert {p: report.value(p) for p in cells} == cells
    assert _errors(report) == []


def _column_order(seed: int) -> tuple[str, dict]:
    """表四 as a PDF's text layer read in its own order (plain ``pdftotext``): header words and
    numbers alternate, and the 总计 column comes last."""
    rng = random.Random(seed)
    cells = synth_cells(rng, "2021", scale=40)
    text = synth_report_text(cells, "2021", "paragraph", AGENCY, 2023, rng)
    head, rest = text.split("四、政府信息公开行政复议、行政诉讼情况", 1)
    table, tail = rest.split("五、", 1)
    v = [t for t in table.split("\n") if t.strip().isdigit()]
    values = v[0:4] + v[5:9] + v[10:14] + [v[4], v[9], v[14]]  # the 总计 column read last
    words = [t for t in table.split("\n") if t.strip() and not t.strip().isdigit()]
    mixed = [x for pair in zip(words, values, strict=False) for x in pair] + words[len(values) :]
    return head + "四、政府信息公开行政复议、行政诉讼情况\n\n" + "\n\n".join(mixed) + "\n\n五、" + tail, cells


def test_numbers_scattered_among_header_words_are_doubted_when_sums_break() -> None:
    for seed in range(20):
        text, cells = _column_order(seed)
        report = _read(text)
        got = [report.value(p) for p in cells if p.startswith("table4.")]
        if got == [v for p, v in cells.items() if p.startswith("table4.")]:
            continue  # the order happened to survive
        assert any(u.part == "table4" for u in report.uncertain)
        assert "T4-SUM" not in _errors(report)
        return
    pytest.fail("no seed scrambled 表四")


def test_a_table_found_in_part_with_numbers_left_over_is_uncertain() -> None:
    """Labels the text layer lost (here: replaced by a stray word) leave rows unread while their
    numbers are there: TABLE-MISSING would accuse a report whose rows are printed."""
    text, _ = _text("paragraph", 6)
    for label in ("3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息"):
        text = text.replace(f"\n{label}\n", "\n结\n", 1)
    report = _read(text)
    assert report.tables_found.get("table3") == "partial"
    assert "TABLE-MISSING" not in _errors(report)
    assert any(u.part == "table3" for u in report.uncertain)
