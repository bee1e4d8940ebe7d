"""OCR: scanned pages drawn with PIL + Noto Sans CJK (ruled and borderless), an
image-only PDF, a dense scanned 表三 page (rotated, blurred) — cell by cell."""

from __future__ import annotations

import io
import shutil

import pytest

from nianbao.model import Location, ReportError
from nianbao.read import ocr, read_bytes, read_path
from nianbao.read.document import Cell, Table
from tests.read.pdf_make import FIXTURES, FONT, SCAN_HEADER, SCAN_ROWS, T3_HEADER_NUMBERS, T3_ROWS, t3_values

slow = pytest.mark.slow


@pytest.fixture(scope="module")
def needs_ocr():
    pytest.importorskip("rapidocr")
    pytest.importorskip("onnxruntime")


def _grid(table: Table) -> list[list[str]]:
    return [[c.text for c in r] for r in table.rows]


@slow
def test_scanned_png_ruled_table(needs_ocr):
    doc = read_path(FIXTURES / "scan.png")
    assert doc.source.format == "image"
    assert any("OCR" in n for n in doc.notes)
    (table,) = doc.tables()
    assert table.exact  # the grid came from the drawn lines
    assert _grid(table) == [SCAN_HEADER, *SCAN_ROWS]
    for row in table.rows:
        for c in row:
            if c.text:
                assert 0.5 < c.confidence <= 1.0
            else:
                assert c.confidence is None  # a blank cell stays blank, nothing was read
    loc = table.rows[2][3].location
    assert (loc.page, loc.table, loc.row, loc.col) == (1, 1, 3, 4) and loc.bbox[0] > 800
    assert [p.text for p in doc.paragraphs()] == ["二、主动公开政府信息情况", "本年度行政事业性收费为零。"]


@slow
def test_scanned_png_without_lines(needs_ocr):
    doc = read_path(FIXTURES / "scan_noruling.png")
    (table,) = doc.tables()
    assert _grid(table) == [SCAN_HEADER, *[r + [""] * (4 - len(r)) for r in SCAN_ROWS]]
    assert table.rows[3][2].text == "" and table.rows[3][2].confidence is None


@slow
def test_image_only_pdf_goes_to_ocr(needs_ocr):
    doc = read_path(FIXTURES / "scan.pdf")
    assert doc.source.format == "pdf"
    assert doc.notes[0].startswith("第1页为扫描图像")
    (table,) = doc.tables()
    assert _grid(table) == [SCAN_HEADER, *SCAN_ROWS]
    x0, top, x1, bottom = table.rows[0][0].location.bbox
    assert 0 < x0 < x1 < 600 and 0 < top < bottom < 450  # PDF points, not pixels


@slow
def test_space_separated_numbers_split_from_ink_gaps(needs_ocr):
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(FONT, 26, index=2)
    img = Image.new("L", (1240, 120), 255)
    ImageDraw.Draw(img).text((40, 40), "本年新收政府信息公开申请数量 167 0 0 0 0 0 167", font=font, fill=0)
    buf = io.BytesIO()
    img.filter(ImageFilter.GaussianBlur(0.6)).save(buf, format="PNG")
    (p,) = read_bytes(buf.getvalue(), "line.png").paragraphs()
    assert p.text.endswith("167 0 0 0 0 0 167")  # OCR alone says 16700000167


@slow
def test_dense_scanned_table3_page(needs_ocr, tmp_path):
    """Page 2 of the 表三 PDF as a rotated, blurred 150 dpi scan: every number read."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    page = pdfium.PdfDocument(FIXTURES / "table3_repeat.pdf")[1]
    img = page.render(scale=150 / 72, grayscale=True).to_pil()
    img = img.rotate(0.4, fillcolor=255, resample=Image.BICUBIC).filter(ImageFilter.GaussianBlur(0.5))
    out = tmp_path / "scan3.pdf"
    img.convert("RGB").save(out, resolution=150)
    doc = read_path(out)
    (table,) = doc.tables()
    assert table.exact and len(table.rows[0]) == 10
    # the header cells wrapped in narrow columns (科研机\n构) come back whole
    assert [c.text for c in table.rows[2][3:]] == ["自然人", *T3_HEADER_NUMBERS[1:6], "总计"]
    data = [r for r in table.rows if r[3].text.isdigit()]
    values = t3_values()
    first = [label for label, _, _ in T3_ROWS].index("5.属于三类内部事务信息")
    assert len(data) == len(T3_ROWS) - first
    for row, vals in zip(data, values[first:], strict=True):
        assert [c.text for c in row[3:]] == vals
        assert all(c.confidence is not None for c in row[3:] if c.text)
    assert data[-1][0].text.startswith("四、结转下年度继续办")


def test_without_rapidocr_a_scan_says_how_to_install(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(ReportError) as e:
        read_path(FIXTURES / "scan.png")
    assert str(e.value) == "扫描件需要 OCR：请安装可选组件 ocr（在 nianbao 源码目录运行 pip install -e '.[ocr]'）"


def test_corrupt_image(needs_ocr):
    data = (FIXTURES / "scan.png").read_bytes()
    with pytest.raises(ReportError, match="图片"):
        read_bytes(data[: len(data) // 4], "cut.png")
    with pytest.raises(ReportError, match="图片"):
        read_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "bad.png")


def test_low_confidence_numbers_are_named():
    def cell(text, conf, col):
        return Cell(text, Location(page=3, table=1, row=4, col=col), confidence=conf)

    table = Table(((cell("（三）不予公开", 0.3, 0), cell("18", 0.62, 1), cell("7", 0.99, 2)),), Location(page=3))
    assert ocr.low_confidence([table]) == ["第3页表格2第5行第2列“18”OCR 置信度低（0.62）"]


@slow
def test_skewed_scan_is_read_straight(needs_ocr):
    """0.8° askew: numbers near a column's left edge would fall into the next column."""
    from tests.read.pdf_make import scan_image

    buf = io.BytesIO()
    scan_image(rotate=0.8, blur=0.6).save(buf, format="PNG")
    (table,) = read_bytes(buf.getvalue(), "skewed.png").tables()
    assert _grid(table) == [SCAN_HEADER, *SCAN_ROWS]


@slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_scanned_reports_every_cell(needs_ocr, tmp_path):
    """Both editions rendered to the official DOCX, printed to PDF, scanned at 150 dpi
    (askew, blurred, JPEG) into image-only PDFs: every cell of the report is read right."""
    import random

    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    from nianbao.model import Report, Source, Value
    from nianbao.pipeline import process
    from nianbao.render.docx import render_docx
    from nianbao.synth import synth_cells
    from tests.read.pdf_make import soffice_pdfs

    rng = random.Random(11)
    truth, srcs = [], []
    for k, edition in enumerate(("2021", "2019")):
        report = Report(Source("synth", "0", "txt"), agency="某某市某某区人民政府", year=2024, edition=edition)
        report.cells = {p: Value(v) for p, v in synth_cells(rng, edition, scale=(5, 300)[k]).items()}
        truth.append(report.cells)
        src = tmp_path / f"r{k}.docx"
        src.write_bytes(render_docx(report))
        srcs.append(src)
    for k, pdf in enumerate(soffice_pdfs(srcs, tmp_path)):
        doc = pdfium.PdfDocument(pdf)
        pages = [
            doc[p]
            .render(scale=150 / 72, grayscale=True)
            .to_pil()
            .rotate(0.3 * (-1) ** p, fillcolor=255, resample=Image.BICUBIC)
            .filter(ImageFilter.GaussianBlur(0.5))
            .convert("RGB")
            for p in range(len(doc))
        ]
        scan = tmp_path / f"scan{k}.pdf"
        pages[0].save(scan, save_all=True, append_images=pages[1:], resolution=150)
        got = process(scan).report.cells
        wrong = {p: (v.value, got[p].value if p in got else None) for p, v in truth[k].items()}
        assert {p: w for p, w in wrong.items() if w[0] != w[1]} == {}
