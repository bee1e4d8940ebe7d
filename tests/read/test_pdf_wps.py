"""PDFs with the traits of WPS exports (synthetic, :mod:`nianbao.synth.pdf`):
glyphs placed one by one, prose in white, shaded and stroked frames glued to the
tables, a table cut by a page break without its border and with a group label
printed in two pieces, ``— N —`` footers. Every cell and every section is read
and the checker raises no error. The real WPS reports in ../shared/real are
read without a structural error when they are present."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from nianbao.check import check_report
from nianbao.extract import extract
from nianbao.model import Source
from nianbao.pipeline import process
from nianbao.read.document import Table
from nianbao.read.layout import Box, spaced, tight
from nianbao.read.pdf import read
from nianbao.synth import synth_cells, synth_fees, synth_report_pdf
from nianbao.template import SECTIONS

REAL = Path(__file__).resolve().parents[3] / "shared" / "real"
_CJK_GAP = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]\s+[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _made(seed: int, edition: str, **options):
    rng = random.Random(seed)
    cells = synth_cells(rng, edition)
    fees = synth_fees(rng)
    data = synth_report_pdf(cells, edition, "某市某区人民政府", 2023, rng, fees=fees, **options)
    return cells, fees, read(data, Source("wps.pdf", "0", "pdf"))


@pytest.mark.parametrize(
    ("seed", "edition", "options"),
    [
        (1, "2021", {}),
        (2, "2021", {"page_border": True, "running_header": "某市某区人民政府文件"}),
        (4, "2019", {}),
        (7, "2021", {"cut_group": False}),
        (9, "2021", {"bars": True}),
        (5, "2019", {"repeat_header": True}),
        (0, "2021", {"cut_row": True}),
        (3, "2019", {"cut_row": True, "repeat_header": True}),
    ],
)
def test_every_cell_and_section_without_false_error(seed, edition, options):
    cells, fees, doc = _made(seed, edition, **options)
    report = extract(doc)
    wrong = {p: (v, report.value(p)) for p, v in cells.items() if report.value(p) != v}
    assert not wrong, wrong
    assert set(report.sections) == {s.key for s in SECTIONS}
    assert (report.year, report.edition) == (2023, edition)
    assert (report.fees.notices, report.fees.notice_amount_yuan) == (fees["notices"], fees["notice_amount_yuan"])
    errors = [d for d in check_report(report) if d.severity == "error"]
    assert not errors, [(d.rule, d.message) for d in errors]


def test_no_space_between_cjk_glyphs_and_no_running_header_or_footer():
    _, _, doc = _made(1, "2021", running_header="某市某区人民政府文件")
    texts = [b.text for b in doc.paragraphs()] + [c.text for t in doc.tables() for r in t.rows for c in r]
    assert not [t for t in texts if _CJK_GAP.search(t)]
    assert not [t for t in texts if "—" in t and any(ch.isdigit() for ch in t)]
    assert "某市某区人民政府文件" not in texts
    assert "四、政府信息公开行政复议、行政诉讼情况" in texts


def test_paragraph_cut_by_the_page_break_is_joined():
    _, _, doc = _made(1, "2021")  # section 六's sentence runs from page 4 onto page 5
    fee = [p for p in doc.paragraphs() if "收费通知" in p.text]
    assert len(fee) == 1 and fee[0].location.page == 4 and fee[0].text.endswith("实际收取的总金额0.334万元。")


def test_framed_prose_and_headings_are_paragraphs_not_table_rows():
    _, _, doc = _made(1, "2021", page_border=True)
    heads = {"二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"}
    assert heads <= {p.text for p in doc.paragraphs()}
    for t in doc.tables():
        assert not any("。" in c.text for r in t.rows for c in r)  # no sentence in a cell
    first = doc.tables()[0].rows[0][0].text
    assert first.startswith("第二十条")  # the caption stays the table's first row


def test_row_cut_by_the_page_break_is_joined():
    _, _, doc = _made(0, "2021", cut_row=True)
    rows = [r for t in doc.tables() for r in t.rows if any(c.text.startswith("5.要求行政机关") for c in r)]
    assert len(rows) == 1 and rows[0][2].text == "5.要求行政机关确认或重新出具已获取信息"
    assert all(c.text.isdigit() for c in rows[0][3:])
    outcome = {r[0].text for t in doc.tables() for r in t.rows[3:] if len(r) == 10 and r[0].text}
    assert "、本年度办理结果" not in outcome and "三、本年度办理结果" in outcome


def test_document_information_title_is_kept_for_metadata():
    _, _, doc = _made(1, "2021")
    assert doc.meta["title"] == doc.paragraphs()[0].text


def test_group_label_cut_by_the_page_break_is_joined():
    _, _, doc = _made(1, "2021")
    t3 = [t for t in doc.tables() if any(c.text.startswith("1.本机关不掌握") for r in t.rows for c in r)][0]
    k = doc.blocks.index(t3)
    after = doc.blocks[k + 1]
    assert isinstance(after, Table) and after.location.page == t3.location.page + 1
    assert t3.rows[-1][1].text == "（四）无法提供" and not t3.rows[-1][1].merged
    assert after.rows[0][1].text == "（四）无法提供" and after.rows[0][1].merged
    assert after.rows[0][0].text == "三、本年度办理结果"  # the outcome column continues as well


def test_spaced_boxes():
    def box(x0: float, x1: float, text: str) -> Box:
        return Box(x0, 0, x1, 10, text)

    assert spaced([box(0, 10, "政府"), box(14, 24, "信息")]) == "政府信息"  # a justified gap
    assert spaced([box(0, 10, "政府"), box(22, 30, "信息")]) == "政府 信息"  # a gap wider than a glyph
    assert spaced([box(0, 10, "共计"), box(14, 24, "95")]) == "共计 95"  # beside digits the gap stays
    assert spaced([box(0, 10, "Open"), box(14, 24, "data")]) == "Open data"
    assert tight("、", "“") and tight("，", "2") and not tight("5", "年") and not tight("a", "b")


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is not here")
@pytest.mark.parametrize("path", sorted(REAL.glob("*.pdf")) if REAL.is_dir() else [], ids=lambda p: p.name)
def test_real_wps_pdfs_have_no_structural_error(path):
    report = process(path).report
    found = [
        d for d in check_report(report) if d.severity == "error" and d.rule in ("SECTION-MISSING", "TABLE-MISSING")
    ]
    assert not found, [d.message for d in found]
    paragraphs = read(path.read_bytes(), Source(path.name, "0", "pdf")).paragraphs()
    assert not [p.text for p in paragraphs if _CJK_GAP.search(p.text)]


@pytest.mark.parametrize("options", [{}, {"page_border": True, "bars": True}])
def test_pdfminer_rulings_give_the_same_reading(monkeypatch, options):
    """A page with complex paths has its rulings read by pdfminer, kept by the same rules."""
    from nianbao.read import pdf

    _, _, fast = _made(2, "2021", **options)
    monkeypatch.setattr(pdf, "COMPLEX_PATH", -1)
    _, _, slow = _made(2, "2021", **options)
    assert [[c.text for r in t.rows for c in r] for t in slow.tables()] == [
        [c.text for r in t.rows for c in r] for t in fast.tables()
    ]
    assert [p.text for p in slow.paragraphs()] == [p.text for p in fast.paragraphs()]


def test_paragraph_running_over_three_pages_is_kept_whole():
    """A page that holds nothing but the middle of a paragraph: the paragraph goes on from the page
    before and onto the page after, and no piece of it is lost."""
    from nianbao.read.layout import Line
    from nianbao.read.pdf import PdfSettings, _Reader

    def page(*texts: str, last_short: bool = False) -> list[Line]:
        return [
            Line((Box(50, 100 + 14 * i, 300 if last_short and i == len(texts) - 1 else 500, 112 + 14 * i, t),))
            for i, t in enumerate(texts)
        ]

    reader = _Reader(b"", Source("p.pdf", "0", "pdf"), PdfSettings())
    reader.text_pages = [
        (1, 800, page("第一页上这段话开始，", "第一页上这段话还没完，")),
        (2, 800, page("第二页上整页都是这段话，", "第二页上这段话仍然没完，")),
        (3, 800, page("第三页上这段话终于结束了。", "下一段。", last_short=True)),
    ]
    reader.texts()
    texts = [b.text for _, _, b in reader.blocks]
    assert len(texts) == 1 and texts[0].startswith("第一页上") and "第三页上这段话终于结束了。" in texts[0]
