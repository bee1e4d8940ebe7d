"""PDF reader.

pypdfium2 gives the text layer fast (running text, cell text, the character
count that tells a scanned page from a text page) and the ruling lines the
page draws; pdfplumber's table finder turns those lines into cells (fed with
pdfium's lines it needs no pdfminer pass, which is ten times slower; a page
whose paths are too complex to read from their boxes has its rulings read by
pdfminer, kept by the same rules). Filled areas that are not stroked (frames,
shading) are no rulings, and prose rows are split off a grid: see
docs/formats.md, "PDF from WPS". Tables without lines are rebuilt from
pdfplumber's word positions
(:mod:`nianbao.read.layout`). Pages without a text layer are rendered and read
by OCR (:mod:`nianbao.read.ocr`).

Merged cells are the ``None`` slots of pdfplumber's rows; they are placed on
the grid from the cell boxes and filled as ``merged=True`` copies. A table
continued on the next page is emitted as a separate table right after
(:mod:`nianbao.read.page_breaks`).
"""

from __future__ import annotations

import ctypes
import io
import logging
import re
from dataclasses import dataclass, replace

from nianbao import limits
from nianbao.model import Location, ReportError, Source
from nianbao.read import crossings, layout, page_breaks
from nianbao.read.document import Block, Cell, Document, Paragraph, Table
from nianbao.read.layout import Box, Line

_STRATEGIES = ("lines", "lines_strict")


@dataclass(frozen=True)
class PdfSettings:
    """How pages are read. Lengths are in PDF points (1/72 inch) unless said otherwise."""

    scanned_chars: int = 10  # a page with fewer text-layer characters than this (and an image) is a scan
    vertical_strategy: str = "lines"  # pdfplumber table edges: "lines" (lines and rect borders) or "lines_strict"
    horizontal_strategy: str = "lines"
    snap_tolerance: float = 3.0  # ruling lines closer than this are snapped into one
    join_tolerance: float = 3.0  # line segments with gaps up to this are joined
    intersection_tolerance: float = 3.0  # lines this close to crossing make a cell corner
    text_tolerance: float = 3.0  # borderless tables: pdfplumber x/y tolerance when it assembles words
    column_gap: float = 1.5  # borderless tables: a gap of this many line heights separates two columns
    min_table_rows: int = 2  # borderless tables need this many rows with a number
    paragraph_gap: float = 0.8  # a vertical gap above this many line heights ends a paragraph
    margin: float = 0.08  # top/bottom share of the page where a bare number is a page number
    ocr_dpi: int = 150  # resolution scanned pages are rendered at for OCR (text 10.5 pt ≈ 22 px)
    ocr_threads: int = 0  # ONNX Runtime threads for OCR; 0 = one per core

    def __post_init__(self) -> None:
        for name in ("vertical_strategy", "horizontal_strategy"):
            if getattr(self, name) not in _STRATEGIES:
                raise ValueError(f"{name} must be one of {_STRATEGIES}")
        for name in ("snap_tolerance", "join_tolerance", "intersection_tolerance", "text_tolerance"):
            if not 0 <= getattr(self, name) <= 50:
                raise ValueError(f"{name} must be between 0 and 50 points")
        if self.scanned_chars < 0 or self.min_table_rows < 1:
            raise ValueError("scanned_chars must be >= 0 and min_table_rows >= 1")
        if not (0 < self.column_gap <= 20 and 0 < self.paragraph_gap <= 10 and 0 <= self.margin < 0.5):
            raise ValueError("column_gap, paragraph_gap or margin out of range")
        if not 72 <= self.ocr_dpi <= 600 or self.ocr_threads < 0:
            raise ValueError("ocr_dpi must be between 72 and 600, ocr_threads >= 0")


DEFAULT = PdfSettings()
COMPLEX_PATH = 10  # segments; a line or a box has at most 5
BAR = 4.5  # points: a filled box this thin (and four times as long) is a thick ruling


def read(data: bytes, source: Source, settings: PdfSettings = DEFAULT) -> Document:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    import pypdfium2 as pdfium

    doc = _open(data)
    reader = _Reader(data, source, settings)
    title = (doc.get_metadata_dict().get("Title") or "").strip()
    if title:  # the document information's title (WPS copies the first line): a fallback for metadata
        reader.meta["title"] = title
    try:
        for i in range(len(doc)):
            page = doc[i]
            try:
                reader.page(page, i + 1, pdfium)
            finally:
                page.close()
        reader.texts()
        if reader.scanned:
            reader.ocr(doc)
    finally:
        reader.close()
        doc.close()
    if not reader.blocks:
        raise ReportError("PDF 中没有可读的文字（既无文字层，也没有可识别的扫描图像）")
    return Document(source, _numbered(page_breaks.stitch(reader.blocks)), reader.notes, reader.meta)


def _numbered(blocks: list[Block]) -> list[Block]:
    """Tables numbered in reading order (scanned pages are read last, borderless
    tables after ruled ones)."""
    out: list[Block] = []
    k = 1
    for b in blocks:
        if isinstance(b, Table):
            if b.location.table != k:
                rows = tuple(tuple(c._replace(location=replace(c.location, table=k)) for c in row) for row in b.rows)
                b = replace(b, rows=rows, location=replace(b.location, table=k))
            k += 1
        out.append(b)
    return out


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise ReportError("PDF 已加密，需要密码才能打开：请提供未加密的文件") from e
        raise ReportError("PDF 文件已损坏或不完整（可能下载中断），无法打开") from e
    if len(doc) == 0:
        doc.close()
        raise ReportError("PDF 没有任何页面")
    cap = limits.budget().limits.pdf_pages
    if len(doc) > cap:  # counted from the page tree, before any page is read
        pages = len(doc)
        doc.close()
        raise limits.too_big("PDF 的页数", pages, cap, "页", "pdf_pages")
    return doc


class _Reader:
    def __init__(self, data: bytes, source: Source, settings: PdfSettings) -> None:
        self.data, self.source, self.s = data, source, settings
        self.blocks: list[tuple[int, float, Block]] = []  # (page, top, block)
        self.notes: list[str] = []
        self.meta: dict[str, str] = {}
        self.scanned: list[int] = []
        self.text_pages: list[tuple[int, float, list[Line]]] = []  # running text, laid out once all pages are read
        self.tables = 0
        self._plumber = None

    def close(self) -> None:
        if self._plumber is not None:
            self._plumber.close()

    def plumber_page(self, number: int):
        if self._plumber is None:
            import pdfplumber
            from pdfminer.pdfdocument import PDFPasswordIncorrect

            try:
                self._plumber = pdfplumber.open(io.BytesIO(self.data))
            except PDFPasswordIncorrect as e:
                raise ReportError("PDF 已加密，需要密码才能打开：请提供未加密的文件") from e
            except Exception as e:  # pdfminer raises many kinds on broken files
                raise ReportError("PDF 文件已损坏，表格无法读取") from e
        return self._plumber.pages[number - 1]

    def page(self, page, number: int, pdfium) -> None:
        width, height = page.get_size()
        if page.get_rotation() in (90, 270):  # text and paths come in the unrotated page space
            height = width
        tp = page.get_textpage()
        try:
            segments, chars = _segments(tp, height)
            if chars < self.s.scanned_chars:
                if any(True for _ in page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,), max_depth=2)):
                    self.scanned.append(number)
                return
            page_lines = layout.lines(segments)
            edges = _edges(page, height, pdfium, self.s)
            if edges is None:  # paths too complex to read from their boxes: let pdfminer read them
                edges = self.plumber_edges(number)
            tables = self.ruled_tables(edges, tp, height, number)
            if tables:
                inside = [bbox for bbox, _ in tables]
                page_lines = [ln for ln in page_lines if not _inside(ln, inside)]
        finally:
            tp.close()
        if _maybe_borderless(page_lines, self.s):
            pp = self.plumber_page(number)
            try:
                words = _words(pp, [bbox for bbox, _ in tables], self.s.text_tolerance)
                page_lines, more = self.borderless_tables(layout.lines(words), number)
                tables += more
            finally:
                pp.flush_cache()
        for bbox, table in tables:
            self.blocks.append((number, bbox[1], table))
        self.text_pages.append((number, height, page_lines))

    def plumber_edges(self, number: int) -> list[dict]:
        """The page's rulings as pdfminer reads every path (slower than ``_edges``),
        kept by the same rules."""
        pp = self.plumber_page(number)
        try:
            edges = [
                e
                for e in pp.filter(_drawn).edges
                if e["object_type"] == "line"
                or (self.s.horizontal_strategy if e["orientation"] == "h" else self.s.vertical_strategy) == "lines"
            ]
        finally:
            pp.flush_cache()
        return edges + _closing_edges(edges, self.s.snap_tolerance)

    def ruled_tables(self, edges: list[dict], tp, height: float, number: int):
        """pdfplumber's table finder run on the page's ruling lines (read by pdfium,
        which is many times faster than pdfminer); cell text from the pdfium text layer."""
        if sum(e["orientation"] == "h" for e in edges) < 2 or sum(e["orientation"] == "v" for e in edges) < 2:
            return []
        from pdfplumber.table import Table as Found
        from pdfplumber.table import cells_to_tables, edges_to_intersections, merge_edges
        from pdfplumber.utils import filter_edges

        s = self.s
        merged = merge_edges(edges, s.snap_tolerance, s.snap_tolerance, s.join_tolerance, s.join_tolerance)
        points = edges_to_intersections(
            filter_edges(merged, min_length=3), s.intersection_tolerance, s.intersection_tolerance
        )
        found = [Found(None, cells) for cells in cells_to_tables(crossings.cells(points))]
        return self.tables_from(found, tp, height, number)

    def tables_from(self, found: list, tp, height: float, number: int):
        out = []
        for t in found:
            for rows in _apart_from_prose([r for r in _ruled_grid(t, tp, height) if not _page_number_row(r)]):
                if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                    out.append((_rows_box(rows, t.bbox), self.table(rows, number, exact=True)))
        return out

    def borderless_tables(self, page_lines: list[Line], number: int):
        """Tables rebuilt from word positions; returns the lines left over and the tables."""
        tables, used = [], set()
        for first, end, grid in layout.borderless(page_lines, self.s.column_gap, self.s.min_table_rows):
            used.update(range(first, end))
            rows = [[(b.text, b.bbox, False) if b else ("", None, False) for b in row] for row in grid.rows]
            part = page_lines[first:end]
            bbox = (min(ln.x0 for ln in part), part[0].top, max(ln.x1 for ln in part), part[-1].bottom)
            tables.append((bbox, self.table(rows, number, exact=grid.exact)))
        return [ln for k, ln in enumerate(page_lines) if k not in used], tables

    def table(self, rows: list[list[tuple[str, tuple | None, bool]]], number: int, *, exact: bool) -> Table:
        index = self.tables
        self.tables += 1
        grid = tuple(
            tuple(
                Cell(text, Location(page=number, table=index + 1, row=r, col=c, bbox=bbox), merged=merged)
                for c, (text, bbox, merged) in enumerate(row, start=1)
            )
            for r, row in enumerate(rows, start=1)
        )
        return Table(grid, Location(page=number, table=index + 1), exact=exact)  # tables, rows, columns count from 1

    def texts(self) -> None:
        """Running text of every page, once all pages are read: page numbers and
        lines printed in the top or bottom margin of two pages or more (running
        headers and footers) are dropped; a paragraph the page break cuts is joined."""
        band = {n: self.s.margin * h for n, h, _ in self.text_pages}
        seen: dict[str, set[int]] = {}
        for n, height, page_lines in self.text_pages:
            for ln in page_lines:
                if ln.top < band[n] or ln.bottom > height - band[n]:
                    seen.setdefault(_running(ln.text), set()).add(n)
        running = {k for k, pages in seen.items() if len(pages) >= 2}
        pages: list[tuple[int, list[Line], list[list[Line]]]] = []
        for n, height, page_lines in self.text_pages:
            margin = [ln.top < band[n] or ln.bottom > height - band[n] for ln in page_lines]
            kept = [
                ln
                for ln, m in zip(page_lines, margin, strict=True)
                if not (m and _running(ln.text) in running) and not layout.is_page_number(ln.text, bare_ok=m)
            ]
            pages.append((n, kept, layout.paragraphs(kept, self.s.paragraph_gap)))
        cut = [k + 1 < len(pages) and self._continues(pages[k], pages[k + 1]) for k in range(len(pages))]
        run_on: list | None = None  # [page, top, text, location] of a paragraph still running on
        for k, (n, kept, groups) in enumerate(pages):
            numbering = {id(ln): i + 1 for i, ln in enumerate(kept)}
            for j, group in enumerate(groups):
                text = layout.paragraph_text(group)
                if j == 0 and run_on is not None:
                    run_on[2] = layout.join(run_on[2], text)  # the rest of a paragraph cut by the break
                else:
                    first = group[0]
                    bbox = layout.merge_boxes([b for ln in group for b in ln.boxes]).bbox
                    run_on = [n, first.top, text, Location(page=n, line=numbering[id(first)], bbox=bbox)]
                if not (j == len(groups) - 1 and cut[k]):  # a paragraph may run over several pages
                    page, top, text, loc = run_on
                    self.blocks.append((page, top, Paragraph(text, loc)))
                    run_on = None

    def _continues(self, above, below) -> bool:
        """The last paragraph of page ``above`` runs on as the first of the next page:
        its last line reaches the right margin and does not end a sentence, the next
        starts flush left without an ordinal (and is not one line that ends no
        sentence: a heading), and no table stands between them."""
        (n, lines_a, groups_a), (m, lines_b, groups_b) = above, below
        if m != n + 1 or not groups_a or not groups_b:
            return False
        last, first = groups_a[-1][-1], groups_b[0][0]
        h = max(last.height, first.height)
        if last.x1 < max(ln.x1 for ln in lines_a) - 1.5 * h or first.x0 > min(ln.x0 for ln in lines_b) + 0.6 * h:
            return False
        if last.text.endswith(_ENDS) or (len(groups_b[0]) == 1 and not first.text.endswith(_ENDS)):
            return False  # a sentence that ends with the page, or a heading at the top of the next
        between = any(
            p == n and top > last.top or p == m and top < first.top for p, top, b in self.blocks if isinstance(b, Table)
        )
        return not between and not layout.starts_item(first.text)

    def ocr(self, doc) -> None:
        from nianbao.read import ocr

        if len(self.scanned) == len(doc) or not self.blocks:
            ocr.require()
        elif not ocr.available():
            pages = "、".join(map(str, self.scanned))
            self.notes.append(f"第{pages}页是扫描图像，未安装 OCR，已跳过（可选组件 ocr：pip install -e '.[ocr]'）")
            return
        scale = self.s.ocr_dpi / 72
        read: list[Block] = []
        for number in self.scanned:
            page = doc[number - 1]
            try:
                image = ocr.render(page, scale, number)
            finally:
                page.close()
            found = ocr.read_image(
                image, page=number, first_table=self.tables, unit=1 / scale, threads=self.s.ocr_threads
            )
            for top, block in found:
                self.tables += isinstance(block, Table)
                self.blocks.append((number, top, block))
                read.append(block)
        self.notes.append(ocr.note(self.scanned))
        self.notes.extend(ocr.low_confidence(read))


def _segments(tp, height: float) -> tuple[list[Box], int]:
    """Text-layer runs of the page, top-left origin, and the number of visible
    characters. Built from the glyphs and their font boxes (not pdfium's text
    rectangles, which are glyph ink: a line of glyphs placed one by one, as WPS
    writes them, would come back as one tiny box per glyph): glyphs in text order
    join a run while they stand side by side on one line. A space pdfium infers
    from a gap is kept beside Latin letters and digits, never between CJK glyphs
    or next to CJK punctuation (:func:`layout.tight`)."""
    from pypdfium2 import PdfiumError, raw

    out: list[Box] = []
    run: list[tuple[str, float, float, float, float]] = []
    gap = False
    handle, box = tp.raw, raw.FS_RECTF()
    unicode, generated, loose = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated, raw.FPDFText_GetLooseCharBox
    for i in range(tp.count_chars()):  # pdfium's functions called directly: this loop runs once per glyph
        ch = chr(unicode(handle, i))
        if ch in "\r\n\x00\ufffe":
            _flush(run, out)
            continue
        if generated(handle, i):
            gap = True
            continue
        if not loose(handle, i, box):
            raise PdfiumError("Failed to get charbox.")
        left, bottom, right, top = box.left, box.bottom, box.right, box.top
        if top - bottom <= 0.1 or right < left:  # a font without metrics: the glyph's ink
            left, bottom, right, top = tp.get_charbox(i)
        glyph = (ch, left, height - top, right, height - bottom)
        if run and not _beside(run[-1], glyph):
            _flush(run, out)
        elif run and gap and not layout.tight(run[-1][0], ch):
            run.append((" ", *run[-1][1:]))
        run.append(glyph)
        gap = False
    _flush(run, out)
    return out, sum(1 for b in out for ch in b.text if not ch.isspace())


def _beside(a: tuple[str, float, float, float, float], b: tuple[str, float, float, float, float]) -> bool:
    """``b`` follows ``a`` on the same line without a visible gap."""
    h = min(a[4] - a[2], b[4] - b[2])
    return min(a[4], b[4]) - max(a[2], b[2]) >= 0.5 * h and -0.5 * h <= b[1] - a[3] <= 0.3 * h


def _flush(run: list[tuple[str, float, float, float, float]], out: list[Box]) -> None:
    if not run:
        return
    chars, lefts, tops, rights, bottoms = zip(*run, strict=True)
    text = "".join(chars).strip()
    if text:
        out.append(Box(min(lefts), min(tops), max(rights), max(bottoms), text))
    run.clear()


def _edges(page, height: float, pdfium, s: PdfSettings) -> list[dict] | None:
    """Ruling lines as pdfplumber edges (top-left origin): a thin path is a line,
    a stroked box contributes its four sides (``lines`` strategy only). A filled
    box that is not stroked is an area — shading, a text frame's background, a
    cell colour — not a ruling (WPS puts prose in white frames, which would make
    every paragraph a table), unless it is a bar: a thick ruling drawn as a fill.
    None when a path is drawn with many segments (a whole grid in one path, a
    seal): its box says nothing about the lines inside."""
    raw = pdfium.raw
    out: list[dict] = []
    corners = [ctypes.c_float() for _ in range(4)]
    for obj in _paths(raw, page.raw):
        if raw.FPDFPath_CountSegments(obj) > COMPLEX_PATH:
            return None
        if not raw.FPDFPageObj_GetBounds(obj, *corners):
            raise pdfium.PdfiumError("Failed to locate pageobject.")
        left, bottom, right, top = (c.value for c in corners)
        y0, y1 = height - top, height - bottom
        if y1 - y0 < 2 and right - left >= 1:
            out.append(_edge(left, right, (y0 + y1) / 2, (y0 + y1) / 2, "line"))
        elif right - left < 2 and y1 - y0 >= 1:
            out.append(_edge((left + right) / 2, (left + right) / 2, y0, y1, "line"))
        elif not _stroked(obj, pdfium):
            if min(right - left, y1 - y0) <= BAR and max(right - left, y1 - y0) >= 4 * min(right - left, y1 - y0):
                out.extend(_bar(left, y0, right, y1))
        elif s.horizontal_strategy == "lines" or s.vertical_strategy == "lines":
            for x0, x1, t, b in (
                (left, right, y0, y0),
                (left, right, y1, y1),
                (left, left, y0, y1),
                (right, right, y0, y1),
            ):
                edge = _edge(x0, x1, t, b, "rect_edge")
                strategy = s.horizontal_strategy if edge["orientation"] == "h" else s.vertical_strategy
                if strategy == "lines":
                    out.append(edge)
    return out + _closing_edges(out, s.snap_tolerance)


def _paths(raw, parent, level: int = 0):
    """The raw handles of the path objects of a page (``level`` 0) and of the
    forms on it, in drawing order, as pypdfium2's ``get_objects`` with
    ``max_depth=2`` finds them but without a Python object for every text
    object on the way (WPS writes one per glyph)."""
    count, get = (
        (raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject)
        if level
        else (raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject)
    )
    for i in range(count(parent)):
        obj = get(parent, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            yield obj
        elif kind == raw.FPDF_PAGEOBJ_FORM and level == 0:
            yield from _paths(raw, obj, 1)


def _closing_edges(edges: list[dict], tol: float) -> list[dict]:
    """The border WPS leaves off where a page break cuts a table: where two or
    more vertical rulings of a grid end (or start) together and no horizontal
    ruling joins them there, the missing line is drawn from the first to the last."""
    hs = [e for e in edges if e["orientation"] == "h"]
    vs = [e for e in edges if e["orientation"] == "v"]
    out = []
    for end in ("top", "bottom"):
        groups: list[list[dict]] = []
        for v in sorted(vs, key=lambda e: e[end]):
            if groups and v[end] - groups[-1][0][end] <= tol:
                groups[-1].append(v)
            else:
                groups.append([v])
        for g in groups:
            y = max(v[end] for v in g) if end == "bottom" else min(v[end] for v in g)
            x0, x1 = min(v["x0"] for v in g), max(v["x0"] for v in g)
            grid = len(g) >= 2 and any(_crosses(h, v, tol) for v in g for h in hs)
            if grid and not any(abs(h["top"] - y) <= tol and h["x0"] <= x0 + tol and h["x1"] >= x1 - tol for h in hs):
                out.append(_edge(x0, x1, y, y, "line"))
    return out


def _crosses(h: dict, v: dict, tol: float) -> bool:
    return h["x0"] - tol <= v["x0"] <= h["x1"] + tol and v["top"] - tol <= h["top"] <= v["bottom"] + tol


def _drawn(obj: dict) -> bool:
    """pdfplumber's objects without the filled areas that draw no ruling (as ``_edges``)."""
    if obj.get("object_type") not in ("rect", "curve") or obj.get("stroke") or not obj.get("fill"):
        return True
    short, long = sorted((obj["width"], obj["height"]))
    return short < 2 or (short <= BAR and long >= 4 * short)


def _bar(left: float, top: float, right: float, bottom: float) -> list[dict]:
    """A thick ruling drawn as a filled bar: a line along its middle."""
    if right - left >= bottom - top:
        return [_edge(left, right, (top + bottom) / 2, (top + bottom) / 2, "line")]
    return [_edge((left + right) / 2, (left + right) / 2, top, bottom, "line")]


def _stroked(obj, pdfium) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium.raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return True  # unknown: keep the box, as before
    return bool(stroke.value)


def _edge(x0: float, x1: float, top: float, bottom: float, kind: str) -> dict:
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": "h" if top == bottom else "v",
        "object_type": kind,
    }


def _maybe_borderless(page_lines: list[Line], s: PdfSettings) -> bool:
    """Cheap test before asking pdfplumber for words: rows where a number stands
    beside a wide gap, between runs of text or made of spaces inside one
    (two or more, or an ideographic space). Prose with numbers (``自 2023 年
    1 月``) has single spaces: no table is found there."""
    rows = 0
    for ln in page_lines:
        cells = layout.cells_of(ln, s.column_gap)
        parts = [p for c in cells for p in _WIDE_SPACE.split(c.text) if p.strip()]
        if len(parts) >= 2 and any(layout.is_number(t) for p in parts for t in p.split()):
            rows += 1
    return rows >= s.min_table_rows


_WIDE_SPACE = re.compile(r"\s{2,}|\u3000")


def _words(pp, exclude: list[tuple[float, float, float, float]], tolerance: float) -> list[Box]:
    out = []
    for w in pp.extract_words(x_tolerance=tolerance, y_tolerance=tolerance, keep_blank_chars=False):
        b = Box(w["x0"], w["top"], w["x1"], w["bottom"], w["text"])
        if not _center_in(b, exclude):
            out.append(b)
    return out


def _center_in(b: Box, bboxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (b.x0 + b.x1) / 2, (b.top + b.bottom) / 2
    return any(x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1 for x0, top, x1, bottom in bboxes)


def _inside(ln: Line, bboxes: list[tuple[float, float, float, float]]) -> bool:
    return all(_center_in(b, bboxes) for b in ln.boxes)


def _ruled_grid(t, tp, height: float) -> list[list[tuple[str, tuple | None, bool]]]:
    """pdfplumber table → dense grid of (text, bbox, merged): a cell covers
    every column start and row top inside its box."""
    rows = t.rows
    xs = sorted({c[0] for c in t.cells})
    ys = [r.bbox[1] for r in rows]
    grid: list[list[tuple[str, tuple | None, bool] | None]] = [[None] * len(xs) for _ in ys]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row.cells):
            if cell is None:
                continue
            x0, top, x1, bottom = cell
            text = layout.tidy(tp.get_text_bounded(x0, height - bottom, x1, height - top))
            bbox = layout.rounded(*cell)
            cols = [k for k in range(c, len(xs)) if xs[k] < x1 - 0.5] or [c]
            span = [k for k in range(r, len(ys)) if ys[k] < bottom - 0.5] or [r]
            for rr in span:
                for cc in cols:
                    if grid[rr][cc] is None:
                        grid[rr][cc] = (text, bbox, (rr, cc) != (r, c))
    return [[slot or ("", None, False) for slot in row] for row in grid]


def _running(text: str) -> str:
    """A margin line with its numbers and spaces taken out: the same running header on every page."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


_ENDS = ("。", "！", "？", "；", "：")
_SENTENCE = re.compile(r"[。；！？]|^[一二三四五六七八九十]+、")


def _apart_from_prose(
    rows: list[list[tuple[str, tuple | None, bool]]],
) -> list[list[list[tuple[str, tuple | None, bool]]]]:
    """A frame holding prose or a heading that shares a ruling with a table is
    read as rows of its grid: a row that is one cell across the whole grid,
    empty or holding a sentence or a section heading, is left to the text, and
    the rows on either side of it are tables of their own, each on its own
    columns. Captions (``第二十条第（一）项``) stay."""

    def prose(row: list[tuple[str, tuple | None, bool]]) -> bool:
        text = row[0][0]
        return len({bbox for _, bbox, _ in row}) == 1 and (not text or bool(_SENTENCE.search(text) or len(text) > 40))

    parts: list[list[list[tuple[str, tuple | None, bool]]]] = [[]]
    for row in rows:
        if prose(row):
            parts.append([])
        else:
            parts[-1].append(row)
    return [_own_columns(p) for p in parts if p]


def _own_columns(rows: list[list[tuple[str, tuple | None, bool]]]) -> list[list[tuple[str, tuple | None, bool]]]:
    """Only the columns where a cell of these rows starts (a grid shared with
    another table has the other's column lines too)."""
    keep = [c for c in range(len(rows[0])) if c == 0 or any(r[c][1] != r[c - 1][1] for r in rows)]
    return [[r[c] for c in keep] for r in rows]


def _rows_box(rows: list[list[tuple[str, tuple | None, bool]]], bbox: tuple) -> tuple:
    """The table's box shrunk to the rows kept."""
    tops = [b[1] for _, b, _ in rows[0] if b is not None]
    bottoms = [b[3] for _, b, _ in rows[-1] if b is not None]
    return (bbox[0], min(tops, default=bbox[1]), bbox[2], max(bottoms, default=bbox[3]))


def _page_number_row(row: list[tuple[str, tuple | None, bool]]) -> bool:
    texts = [t for t, _, merged in row if t and not merged]
    return len(texts) == 1 and layout.is_page_number(texts[0], bare_ok=False)
