"""PDF reader: LibreOffice-made PDFs of 表三 (wrapped labels, one-character-per-line
group label, spaced header characters, split across pages with and without a
repeated header, a row cut by the page break, a page-number row inside the
table), a borderless table, encrypted and truncated files — cell by cell."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from nianbao.model import ReportError, Source
from nianbao.read import pdf, read_bytes, read_path
from nianbao.read.document import Paragraph, Table
from nianbao.read.layout import Box, Line
from nianbao.read.pdf import PdfSettings, read
from tests.read.pdf_make import BORDERLESS_ROWS, FIXTURES, T3_HEADER_NUMBERS, T3_ROWS, t3_values

VALUES = t3_values()
CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _doc(name: str):
    return read_path(FIXTURES / name)


def _data_rows(tables: list[Table]) -> list[tuple]:
    """Rows holding numbers, across the continuation tables, header rows skipped."""
    out = []
    for t in tables:
        for row in t.rows:
            if any(c.text.isdigit() for c in row[3:]):
                out.append(row)
    return out


@pytest.mark.parametrize("name", ["table3_repeat.pdf", "table3_norepeat.pdf"])
def test_table3_cells_one_by_one(name):
    doc = _doc(name)
    tables = doc.tables()
    assert len(tables) == 2  # split across two pages, emitted as two tables
    assert [t.location.page for t in tables] == [1, 2]
    assert all(t.exact and len(t.rows[0]) == 10 for t in tables)
    rows = _data_rows(tables)
    assert len(rows) == len(T3_ROWS) == 25
    for (label, group, sub), vals, row in zip(T3_ROWS, VALUES, rows, strict=True):
        # the item label, wrapped over several lines in a narrow cell, joined without spaces
        assert row[2].text == label or (row[1].text == label and row[2].merged)
        assert [c.text for c in row[3:]] == vals
        assert not any(c.merged for c in row[3:])
        if group is None:
            assert row[0].text == label and row[1].merged and row[2].merged
        elif sub is not None and row[1].text:  # continuation pages leave the group cells blank
            assert row[1].text == sub


@pytest.mark.parametrize("name", ["table3_repeat.pdf", "table3_norepeat.pdf"])
def test_table3_groups_and_header(name):
    first = _doc(name).tables()[0]
    head = [[c.text for c in r] for r in first.rows[:3]]
    assert head[0] == [CORNER] * 3 + ["申请人情况"] * 7
    assert head[1][3:] == ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    # "商 业 企 业" printed with spaces between the characters comes back as one word
    assert head[2][3:] == list(T3_HEADER_NUMBERS[:1]) + list(T3_HEADER_NUMBERS[1:6]) + ["总计"]
    assert [c.merged for c in first.rows[0]] == [False, True, True, False] + [True] * 6
    assert [c.merged for c in first.rows[2][3:]] == [True, False, False, False, False, False, True]
    # the group label printed one character per line, merged down its rows
    body = [r for r in first.rows if r[3].text.isdigit()]
    outcome = [r[0] for r in body[2:]]
    assert outcome[0].text == "三、本年度办理结果" and not outcome[0].merged
    assert all(c.text == "三、本年度办理结果" and c.merged for c in outcome[1:])
    denied = [r[1] for r in body[4:12]]  # the eight rows of （三）, all on page 1
    assert denied[0].text == "（三）不予公开" and all(c.merged and c.text == "（三）不予公开" for c in denied[1:])


def test_repeated_header_on_continuation_page():
    second = _doc("table3_repeat.pdf").tables()[1]
    assert [c.text for c in second.rows[0]] == [CORNER] * 3 + ["申请人情况"] * 7
    second = _doc("table3_norepeat.pdf").tables()[1]
    assert second.rows[0][3].text.isdigit()


def test_row_cut_by_page_break_is_joined():
    # table3_repeat: "4.保护第三方合法权" on page 1 with the numbers, "益" on page 2
    first, second = _doc("table3_repeat.pdf").tables()
    last = first.rows[-1]
    assert last[2].text == "4.保护第三方合法权益"
    assert [c.text for c in last[3:]] == VALUES[7]
    assert second.rows[3][2].text == "5.属于三类内部事务信息"  # after the repeated header
    # table3_norepeat: "2.没有现成信息需要" on page 1 alone, "另行制作" and the numbers on page 2
    first, second = _doc("table3_norepeat.pdf").tables()
    assert first.rows[-1][2].text == "1.本机关不掌握相关政府信息"
    cut = second.rows[0]
    assert cut[2].text == "2.没有现成信息需要另行制作"
    assert [c.text for c in cut[3:]] == VALUES[13]
    assert [c.location.row for c in cut] == [1] * 10


def test_page_number_row_inside_table_dropped():
    doc = _doc("table3_norepeat.pdf")
    texts = [c.text for t in doc.tables() for r in t.rows for c in r]
    assert "- 4 -" not in texts
    assert not any(p.text.strip("- ").isdigit() for p in doc.paragraphs())


def test_locations():
    doc = _doc("table3_repeat.pdf")
    t = doc.tables()[0]
    cell = t.rows[3][3]
    assert cell.text == "1024"
    loc = cell.location
    assert (loc.page, loc.table, loc.row, loc.col) == (1, 1, 4, 4)
    x0, top, x1, bottom = loc.bbox
    assert 0 < x0 < x1 < 595 and 0 < top < bottom < 842
    merged = t.rows[4][1]  # covered by the label cell of row 二 (colspan 3)
    assert merged.merged and merged.location.bbox == t.rows[4][0].location.bbox
    assert doc.tables()[1].location.table == 2
    para = doc.paragraphs()
    # LibreOffice spaces digits from CJK (autospace); the text layer keeps that space
    assert para[0].text == "某某区人民政府办公室 2024 年政府信息公开工作年度报告"
    assert para[0].location.page == 1 and para[0].location.line == 1 and para[0].location.bbox
    assert para[1].text == "一、总体情况"


def test_reading_order_text_and_tables():
    doc = _doc("table3_repeat.pdf")
    kinds = [(type(b).__name__, b.location.page) for b in doc.blocks]
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert texts.index("三、收到和处理政府信息公开申请情况") == len([k for k in kinds[:20] if k[0] == "Paragraph"]) - 1
    assert kinds[-3:] == [("Table", 2), ("Paragraph", 2), ("Paragraph", 2)]
    assert texts[-2:] == ["四、政府信息公开行政复议、行政诉讼情况", "本年度未发生行政复议、行政诉讼。"]
    assert all("- 1 -" not in t and t != "-1-" for t in texts)


def test_borderless_table_from_word_positions():
    doc = _doc("borderless.pdf")
    (table,) = doc.tables()
    assert [[c.text for c in r] for r in table.rows] == BORDERLESS_ROWS
    assert table.exact
    assert table.rows[2][3].location.bbox is not None
    assert [p.text for p in doc.paragraphs()] == ["二、主动公开政府信息情况", "以上为主动公开情况。"]


def test_kangxi_radicals_survive(tmp_path):
    """Characters stay as the PDF maps them; folding is extraction's job."""
    pdf_make = pytest.importorskip("tests.read.pdf_make")
    html = tmp_path / "kangxi.html"
    html.write_text('<html><meta charset="utf-8"><body><p>⼀、总体情况（⾃然⼈）</p></body></html>', encoding="utf-8")
    try:
        pdf = pdf_make.soffice_pdf(html, tmp_path)
    except RuntimeError as e:
        pytest.skip(str(e))
    (p,) = read_path(pdf).paragraphs()
    assert "⼀" in p.text and "⾃然⼈" in p.text


def test_encrypted_truncated_corrupt():
    with pytest.raises(ReportError, match="加密"):
        _doc("encrypted.pdf")
    with pytest.raises(ReportError, match="损坏或不完整"):
        _doc("truncated.pdf")
    with pytest.raises(ReportError, match="损坏"):
        read_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100, "x.pdf")


def test_empty_pdf_without_text_or_image(tmp_path):
    from PIL import Image

    Image.new("RGB", (100, 100), "white").save(tmp_path / "blank.png")
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument.new()
    doc.new_page(595, 842)
    out = tmp_path / "blank.pdf"
    doc.save(out)
    with pytest.raises(ReportError, match="没有可读的文字"):
        read_path(out)


def test_settings_validated_and_passed():
    with pytest.raises(ValueError):
        PdfSettings(vertical_strategy="text")
    with pytest.raises(ValueError):
        PdfSettings(snap_tolerance=-1)
    with pytest.raises(ValueError):
        PdfSettings(ocr_dpi=20)
    data = (FIXTURES / "borderless.pdf").read_bytes()
    source = Source("b.pdf", hashlib.sha256(data).hexdigest(), "pdf")
    # a gap wider than any column gap on the page: no table any more, only lines of text
    doc = read(data, source, PdfSettings(column_gap=20))
    assert doc.tables() == []
    assert "规章 3 0 12" in [p.text for p in doc.paragraphs()]


def test_scanned_pdf_without_ocr_says_how_to_install(monkeypatch):
    from nianbao.read import ocr

    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(ReportError, match=r"pip install -e '\.\[ocr\]'"):
        _doc("scan.pdf")


def test_committed_fixtures_exist():
    for name in ("table3_repeat", "table3_norepeat", "borderless", "encrypted", "truncated", "scan"):
        assert (FIXTURES / f"{name}.pdf").stat().st_size > 1000
    assert Path(FIXTURES / "scan.png").exists()


def _table(rows: list[list[str]], page: int, index: int) -> Table:
    from nianbao.model import Location
    from nianbao.read.document import Cell

    def box(r: int, c: int) -> tuple:
        """A slot marked ``*`` is part of the cell to its left (same text) or above."""
        if not rows[r][c].endswith("*"):
            return (c + 1, r + 1, c + 2, r + 2)
        return box(r, c - 1) if c and rows[r][c - 1].rstrip("*") == rows[r][c].rstrip("*") else box(r - 1, c)

    grid = tuple(
        tuple(
            Cell(t.rstrip("*"), Location(page=page, table=index, row=r + 1, col=c + 1, bbox=box(r, c)), t.endswith("*"))
            for c, t in enumerate(row)
        )
        for r, row in enumerate(rows)
    )
    return Table(grid, Location(page=page, table=index), exact=True)


def test_numbers_wrapped_across_the_page_break_are_joined():
    """A narrow number cell wraps and the break falls inside it: 137 | 4, 140 | 0."""
    from nianbao.read.page_breaks import stitch

    a = _table([["一、本年新收", "一、本年新收*", "137", "20", "140"]], 1, 0)
    b = _table([["", "*", "4", "", "0"], ["二、上年结转", "二、上年结转*", "42", "0", "42"]], 2, 1)
    first, second = stitch([(1, 700.0, a), (2, 50.0, b)])
    assert [c.text for c in first.rows[-1]] == ["一、本年新收", "一、本年新收", "1374", "20", "1400"]
    assert [c.text for c in second.rows[0]] == ["二、上年结转", "二、上年结转", "42", "0", "42"]
    assert second.rows[0][0].location.row == 1
    # a new row whose label sits in its own cell is never joined to the row above
    c = _table([["8.属于行政查询事项", "12", "2"]], 2, 1)
    d = _table([["7.属于行政执法案卷", "5", "8"]], 1, 0)
    assert [len(t.rows) for t in stitch([(1, 700.0, d), (2, 50.0, c)])] == [1, 1]


def test_caption_at_the_top_of_the_next_page_is_not_joined_to_the_row_above():
    """表二 cut after 行政规范性文件: the caption across the table that starts the next page
    is a row of its own, not the rest of that row's label."""
    from nianbao.read.page_breaks import stitch

    a = _table(
        [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["行政规范性文件", "39578", "0", "39578"]], 1, 0
    )
    caption = ["第二十条第（五）项", "第二十条第（五）项*", "第二十条第（五）项*", "第二十条第（五）项*"]
    b = _table([caption, ["行政许可", "11", "11*", "11*"]], 2, 1)
    first, second = stitch([(1, 700.0, a), (2, 50.0, b)])
    assert [c.text for c in first.rows[-1]] == ["行政规范性文件", "39578", "0", "39578"]
    assert [c.text for c in second.rows[0]] == caption[:1] * 4


def test_row_cut_in_its_label_and_a_wrapped_number_is_joined():
    """The break falls inside a row whose merged group label and a narrow number
    both wrap (``（五）不予处`` | ``理``, ``180`` | ``0``), below the repeated header."""
    from nianbao.read.page_breaks import stitch

    header = ["信息内容", "信息内容*", "自然人", "商业企业", "总计"]
    above = [
        ["（五）不予处", "1.信访举报投诉类申请", "0", "0", "0"],
        ["（五）不予处*", "2.重复申请", "180", "0", "191"],
    ]
    below = [["理", "", "0", "", "9"], ["理*", "3.要求提供公开出版物", "1802", "0", "1919"]]
    first, second = stitch([(1, 700.0, _table([header, *above], 1, 0)), (2, 50.0, _table([header, *below], 2, 1))])
    assert [[c.text for c in r] for r in first.rows[1:]] == [
        ["（五）不予处理", "1.信访举报投诉类申请", "0", "0", "0"],
        ["（五）不予处理", "2.重复申请", "1800", "0", "1919"],
    ]
    assert [[c.text for c in r] for r in second.rows] == [
        ["信息内容", "信息内容", "自然人", "商业企业", "总计"],
        ["（五）不予处理", "3.要求提供公开出版物", "1802", "0", "1919"],
    ]
    assert second.rows[1][0].merged and second.rows[1][0].location.row == 2
    # a full row below is never joined, even when its label does not start an item
    c = _table([["行政规范性文件", "5", "0", "12"]], 1, 0)
    d = _table([["行政许可", "11", "11*", "11*"]], 2, 1)
    assert [len(t.rows) for t in stitch([(1, 700.0, c), (2, 50.0, d)])] == [1, 1]


def test_pdfminer_fallback_for_complex_paths_gives_the_same_grid(monkeypatch):
    """A page whose lines are drawn inside complex paths is read by pdfplumber's own
    find_tables (pdfminer); on a simple page both ways give identical cells."""
    from nianbao.read import pdf

    fast = _doc("table3_norepeat.pdf")
    monkeypatch.setattr(pdf, "COMPLEX_PATH", -1)
    slow = _doc("table3_norepeat.pdf")
    assert [[(c.text, c.merged, c.location) for r in t.rows for c in r] for t in slow.tables()] == [
        [(c.text, c.merged, c.location) for r in t.rows for c in r] for t in fast.tables()
    ]
    assert [p.text for p in slow.paragraphs()] == [p.text for p in fast.paragraphs()]


def test_scanned_page_among_text_pages_without_ocr_is_noted(tmp_path, monkeypatch):
    import pypdfium2 as pdfium

    from nianbao.read import ocr

    doc = pdfium.PdfDocument.new()
    doc.import_pages(pdfium.PdfDocument(FIXTURES / "borderless.pdf"))
    doc.import_pages(pdfium.PdfDocument(FIXTURES / "scan.pdf"))
    doc.save(tmp_path / "mixed.pdf")
    monkeypatch.setattr(ocr, "available", lambda: False)
    got = read_path(tmp_path / "mixed.pdf")
    assert [[c.text for c in r] for r in got.tables()[0].rows] == BORDERLESS_ROWS
    assert got.notes == ["第2页是扫描图像，未安装 OCR，已跳过（可选组件 ocr：pip install -e '.[ocr]'）"]


def test_tables_numbered_in_reading_order_with_a_scanned_page_first(tmp_path):
    pytest.importorskip("rapidocr")
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    doc.import_pages(pdfium.PdfDocument(FIXTURES / "scan.pdf"))
    doc.import_pages(pdfium.PdfDocument(FIXTURES / "borderless.pdf"))
    doc.save(tmp_path / "scan_first.pdf")
    got = read_path(tmp_path / "scan_first.pdf")
    assert [(t.location.page, t.location.table) for t in got.tables()] == [(1, 1), (2, 2)]
    assert {c.location.table for c in got.tables()[1].rows[0]} == {2}


def test_words_are_asked_for_only_where_a_number_stands_beside_a_wide_gap():
    """Prose with numbers between single spaces sends no page to pdfminer; a row
    of numbers set apart by runs of spaces does."""
    s = PdfSettings()
    prose = [
        Line((Box(70, 100 + 20 * k, 520, 116 + 20 * k, "统计期限自 2023 年 1 月 1 日起至 2023 年 12 月 31 日止"),))
        for k in range(3)
    ]
    assert not pdf._maybe_borderless(prose, s)
    apart = [Line((Box(70, 100 + 20 * k, 400, 116 + 20 * k, "规章      3      0      12"),)) for k in range(2)]
    assert pdf._maybe_borderless(apart, s)


REAL = Path(__file__).resolve().parents[3] / "shared" / "real"


@pytest.mark.skipif(not list(REAL.glob("*.pdf")), reason="../shared/real is absent")
def test_real_wps_reports_are_read_without_pdfminer(monkeypatch):
    def refuse(self, number):
        raise AssertionError(f"pdfminer asked for page {number}")

    monkeypatch.setattr(pdf._Reader, "plumber_page", refuse)
    for path in REAL.glob("*.pdf"):
        assert read(path.read_bytes(), Source(path.name, "0", "pdf")).tables()
