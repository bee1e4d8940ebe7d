"""A complete report as a PDF with the traits of WPS exports.

* Every glyph is placed on its own (one positioning operator per glyph), full
  lines are justified and punctuation takes extra room: pdfium infers spaces
  between CJK glyphs there.
* Prose sits in invisible white frames (one filled rectangle per line, the
  last one touching the table below), on a shaded background, or in a stroked
  frame; the paragraph before 表三 is in a stroked frame standing on the table.
* Table cells are painted white under their rulings, header rows shaded.
* A table cut by a page break has no border at the cut, and the text of a
  merged cell runs on from one page to the next (``（四）无`` | ``法提供``).
* ``— 2 —`` at the foot of every page; optionally a running header and a page
  border on the text margins, which the tables touch.

The font is a CID font with a ToUnicode map and a two-glyph embedded font
(:mod:`nianbao.synth.ttf`): the text layer is exact, every glyph prints as a square.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from typing import Any

from nianbao.synth.grids import GridCell, grid_for, place
from nianbao.synth.report import Variant, _written
from nianbao.synth.ttf import tiny_ttf
from nianbao.synth.values import Cells
from nianbao.template.layout import grid

PAGE_W, PAGE_H = 595.0, 842.0
LEFT, RIGHT, TOP, BOTTOM = 74.0, 518.0, 74.0, 770.0
BODY, LEADING = 16.0, 28.0
CELL, PAD = 9.0, 2.0  # table text size and cell padding
PUNCT = "、，。；：！？"
WHITE, SHADE, HEAD = (1, 1, 1), (0.92, 0.92, 0.92), (0.78, 0.85, 0.95)
_WIDTHS = {  # columns of each table, points
    "table2": [150.0, 98.0, 98.0, 98.0],
    "table3": [20.0, 44.0, 160.0] + [220 / 7] * 7,
    "table4": [444 / 15] * 15,
}
_HEADER_ROWS = {t: len(grid(t, None).head) for t in ("table2", "table3", "table4")}  # the template's header rows


def synth_report_pdf(
    cells: Cells,
    edition: str,
    agency: str,
    year: int,
    rng: random.Random,
    *,
    cut_group: bool = True,
    page_border: bool = False,
    running_header: str | None = None,
    bars: bool = False,
    repeat_header: bool = False,
    cut_row: bool = False,
    **variant: Any,
) -> bytes:
    """The report of :func:`nianbao.synth.synth_report_text` laid out as WPS
    lays it out. ``cut_group`` puts a page break inside 表三's （四） group,
    after its first row, so that its label is printed in two pieces;
    ``running_header`` is printed above a rule at the top of every page;
    ``bars`` draws the table rulings as filled bars 3 points thick, as Word's
    own PDF export does, instead of stroked lines; ``repeat_header`` prints a
    table's header rows again at the top of every page it continues on;
    ``cut_row`` breaks the page inside the row of 表三 （五）5 (its label on two
    lines, the numbers with the first)."""
    v = Variant(**variant)
    ed, fmt, written = _written(cells, edition, agency, year, rng, v)
    out = _Layout(page_border, running_header, bars, repeat_header)
    for k, b in enumerate(written):
        nxt = written[k + 1] if k + 1 < len(written) else None
        before_table = nxt is not None and nxt.kind == "table"
        if b.kind == "table":
            grid = grid_for(b.table, ed, v.split, fmt, v.style())
            cuts = set()
            if cut_group and b.table == "table3":
                cuts.add(_first_row(grid, "table3.unable.") + 1)
            split = _first_row(grid, "table3.not_processed.confirmation") if cut_row and b.table == "table3" else None
            out.table(grid, b.table, cuts, split)
        elif before_table:  # glued to the table: a white frame, a stroked frame, nothing
            frame = {"table2": "white", "table3": "box"}.get(nxt.table)
            out.text(b.text, frame=frame, indent=b.kind != "h", touch=True)
        elif b.kind == "h":
            out.text(b.text, frame=None, indent=False)
        elif "信息处理费" in b.text or "收费" in b.text:
            out.text(b.text, frame="box")
        elif k > 0 and written[k - 1].kind == "h" and "问题" in written[k - 1].text:
            out.text(b.text, frame="shade")
        else:
            out.text(b.text, frame="white")
    return out.pdf.save(title=written[0].text)  # WPS copies the first line into the document information


def _first_row(grid: list[list[GridCell]], prefix: str) -> int:
    return next(r for r, row in enumerate(grid) if any((c.path or "").startswith(prefix) for c in row))


def _width(ch: str, size: float) -> float:
    return size * (0.5 if ord(ch) < 0x7F else 1.3 if ch in PUNCT else 1.0)


def _wrap(text: str, width: float, size: float, indent: float = 0.0) -> list[str]:
    lines, line, used = [], "", indent
    for piece in text.split("\n"):
        for ch in piece:
            if line and used + _width(ch, size) > width:
                lines.append(line)
                line, used = "", 0.0
            line += ch
            used += _width(ch, size)
        lines.append(line)
        line, used = "", 0.0
    return [ln for ln in lines if ln]


class _Pdf:
    """Pages of drawing operators; top-left coordinates."""

    def __init__(self) -> None:
        self.pages: list[list[str]] = []
        self.at = -1  # the page drawn on

    def add(self, op: str) -> None:
        self.pages[self.at].append(op)

    def rect(self, x: float, top: float, w: float, h: float, fill=None, stroke: bool = False) -> None:
        ops = [f"{fill[0]} {fill[1]} {fill[2]} rg" if fill else "", "0.5 w 0 0 0 RG" if stroke else ""]
        paint = "B" if fill and stroke else "f" if fill else "S"
        self.add(f"{' '.join(o for o in ops if o)} {x:.2f} {PAGE_H - top - h:.2f} {w:.2f} {h:.2f} re {paint}")

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.add(f"0.75 w 0 0 0 RG {x0:.2f} {PAGE_H - y0:.2f} m {x1:.2f} {PAGE_H - y1:.2f} l S")

    def glyphs(self, text: str, x: float, top: float, size: float, spread: float = 0.0) -> None:
        """One positioning operator per glyph; ``spread`` points after each glyph."""
        ops = [f"BT 0 0 0 rg /F1 {size:.1f} Tf"]
        base = PAGE_H - top - 0.88 * size
        for ch in text:
            ops.append(f"1 0 0 1 {x:.2f} {base:.2f} Tm <{ord(ch):04X}> Tj")
            x += _width(ch, size) + spread
        self.add(" ".join(ops) + " ET")

    def save(self, title: str = "") -> bytes:
        objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
        font = len(objs) + 1
        widths = " ".join(["500"] * 95)
        cmap, ttf = _to_unicode(), tiny_ttf()
        objs += [
            f"<< /Type /Font /Subtype /Type0 /BaseFont /FangSong /Encoding /Identity-H "
            f"/DescendantFonts [{font + 1} 0 R] /ToUnicode {font + 3} 0 R >>".encode(),
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /FangSong /CIDSystemInfo << /Registry (Adobe) "
            f"/Ordering (Identity) /Supplement 0 >> /FontDescriptor {font + 2} 0 R /DW 1000 "
            f"/W [32 [{widths}]] /CIDToGIDMap {font + 5} 0 R >>".encode(),
            f"<< /Type /FontDescriptor /FontName /FangSong /Flags 4 /FontBBox [0 -120 1000 880] "
            f"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 /FontFile2 {font + 4} 0 R >>".encode(),
            _stream(cmap),
            _stream(ttf, b"/Length1 %d" % len(ttf)),
            _stream(zlib.compress(b"\x00\x01" * 65536), b"/Filter /FlateDecode"),
        ]
        kids = []
        for ops in self.pages:
            objs.append(_stream("\n".join(ops).encode()))
            objs.append(
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W:.0f} {PAGE_H:.0f}] "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {len(objs)} 0 R >>".encode()
            )
            kids.append(f"{len(objs)} 0 R")
        objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
        objs.append(b"<< /Title <FEFF%s> /Creator (WPS) >>" % title.encode("utf-16-be").hex().upper().encode())
        out, offsets = bytearray(b"%PDF-1.7\n"), []
        for i, obj in enumerate(objs, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objs) + 1,
            len(objs),
            xref,
        )
        return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _to_unicode() -> bytes:
    """Code = Unicode code point (BMP), in blocks of 256."""
    ranges = [f"<{h:02X}00> <{h:02X}FF> <{h:02X}00>" for h in range(256) if not 0xD8 <= h <= 0xDF]
    chunks = [ranges[i : i + 100] for i in range(0, len(ranges), 100)]
    body = "".join(f"{len(c)} beginbfrange\n" + "\n".join(c) + "\nendbfrange\n" for c in chunks)
    return (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{body}endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()


@dataclass
class _Layout:
    page_border: bool
    running_header: str | None
    bars: bool
    repeat_header: bool
    pdf: _Pdf = field(default_factory=_Pdf)
    y: float = BOTTOM  # forces a first page

    def new_page(self) -> None:
        self.pdf.pages.append([])
        n = len(self.pdf.pages)
        footer = f"— {n} —"
        size = 10.5
        width = sum(_width(ch, size) for ch in footer)
        self.pdf.glyphs(footer, (PAGE_W - width) / 2, 796, size)
        if self.running_header:
            self.pdf.glyphs(self.running_header, LEFT, 40, 10.5)
            self.pdf.line(LEFT, 56, RIGHT, 56)
        if self.page_border:
            self.pdf.rect(LEFT, TOP - 10, RIGHT - LEFT, BOTTOM - TOP + 20, stroke=True)  # the tables touch it
        self.y = TOP

    def text(self, text: str, *, frame: str | None, indent: bool = True, touch: bool = False) -> None:
        """A paragraph; ``touch``: no space below it (a table follows)."""
        lines = _wrap(text, RIGHT - LEFT, BODY, 2 * BODY if indent else 0.0)
        if self.y + LEADING > BOTTOM:
            self.new_page()
        top = self.y
        for k, ln in enumerate(lines):
            if self.y + LEADING > BOTTOM:
                self._frame(frame, top)
                self.new_page()
                top = self.y
            if frame == "white":
                self.pdf.rect(LEFT, self.y, RIGHT - LEFT, LEADING, fill=WHITE)
            x = LEFT + (2 * BODY if indent and k == 0 else 0.0)
            natural = sum(_width(ch, BODY) for ch in ln)
            last = k == len(lines) - 1
            spread = 0.0 if last or len(ln) < 2 else max(0.0, (RIGHT - x - natural) / (len(ln) - 1))
            self.pdf.glyphs(ln, x, self.y + (LEADING - BODY) / 2, BODY, spread)
            self.y += LEADING
        self._frame(frame, top)
        if not touch:
            self.y += 4

    def _frame(self, frame: str | None, top: float) -> None:
        if frame == "shade":  # drawn after the text, as a background it is still a filled area only
            self.pdf.rect(LEFT - 2, top, RIGHT - LEFT + 4, self.y - top, fill=SHADE)
        elif frame == "box":
            self.pdf.rect(LEFT, top, RIGHT - LEFT, self.y - top, stroke=True)

    def table(self, rows: list[list[GridCell]], table: str, cuts: set[int], split: int | None) -> None:
        """``cuts``: rows a page starts with; ``split``: a row the page break cuts in two."""
        slots = place(rows)
        widths = _WIDTHS[table]
        xs = [LEFT + sum(widths[:c]) for c in range(len(widths) + 1)]
        cells = _cells(slots)
        heights = _heights(cells, xs, len(slots))
        if split is not None:
            cells, heights = _split_row(cells, heights, split)
            cuts = {c + (c > split) for c in cuts} | {split + 1}
        head = _HEADER_ROWS[table] if self.repeat_header else 0
        parts: list[tuple[int, int, float, int]] = []  # first row, end row, top, page
        repeated: list[tuple[int, int, float, int]] = []
        start, top = 0, self.y
        for r, h in enumerate(heights):
            if r > start and (self.y + h > BOTTOM or r in cuts):
                parts.append((start, r, top, len(self.pdf.pages) - 1))
                self.new_page()
                if head:  # the header rows again, then the rows that continue
                    repeated.append((0, head, self.y, len(self.pdf.pages) - 1))
                    self.y += sum(heights[:head])
                start, top = r, self.y
            self.y += h
        parts.append((start, len(heights), top, len(self.pdf.pages) - 1))
        self.y += 8
        for k, part in enumerate(parts + repeated):
            self.pdf.at = part[3]
            self._part(cells, xs, heights, part[:3], table, cut=k < len(parts) - 1)
        self.pdf.at = -1

    def _part(self, cells, xs, heights, part, table: str, *, cut: bool) -> None:
        first, end, top = part
        ys = [top + sum(heights[first:r]) for r in range(first, end + 1)]
        for (r, c, rs, cs, _), lines in cells.items():
            r0, r1 = max(r, first), min(r + rs, end)
            if r0 >= r1:
                continue
            x0, x1, y0, y1 = xs[c], xs[c + cs], ys[r0 - first], ys[r1 - first]
            self.pdf.rect(x0, y0, x1 - x0, y1 - y0, fill=HEAD if r < _HEADER_ROWS[table] else WHITE)
            self._rule(x0, y0, x0, y1)
            self._rule(x1, y0, x1, y1)
            if r >= first:
                self._rule(x0, y0, x1, y0)
            if r + rs <= end and not (cut and r + rs == end):
                self._rule(x0, y1, x1, y1)
            self._cell_text(lines, x0, x1, y0, y1, (r, rs), first, end, heights)

    def _rule(self, x0: float, y0: float, x1: float, y1: float) -> None:
        if self.bars:
            self.pdf.rect(x0 - 1.5, y0 - 1.5, x1 - x0 + 3, y1 - y0 + 3, fill=(0, 0, 0))
        else:
            self.pdf.line(x0, y0, x1, y1)

    def _cell_text(self, lines, x0, x1, y0, y1, span, first, end, heights) -> None:
        r, rs = span
        step = CELL * 1.25
        if r >= first and r + rs <= end:  # the whole cell on this page: centred
            y = (y0 + y1 - len(lines) * step) / 2
            shown = lines
        else:  # cut by the page break: the text runs on from the top of the first part
            room = [sum(heights[max(r, a) : min(r + rs, b)]) for a, b in ((r, first), (first, end))]
            before = int(max(0.0, room[0] - 2 * PAD) // step) if r < first else 0
            fits = int((room[1] - 2 * PAD) // step)
            shown, y = lines[before : before + fits], y0 + PAD
        for ln in shown:
            w = sum(_width(ch, CELL) for ch in ln)
            self.pdf.glyphs(ln, (x0 + x1 - w) / 2, y, CELL)
            y += step


def _cells(slots) -> dict[tuple[int, int, int, int, str], list[str]]:
    """Each printed cell once: (row, col, rowspan, colspan, text) → its wrapped lines."""
    out = {}
    seen = set()
    for r, row in enumerate(slots):
        for c, (kind, cell) in enumerate(row):
            if kind == "cell" and id(cell) not in seen:
                seen.add(id(cell))
                out[(r, c, cell.rowspan, cell.colspan, cell.text)] = []
    return out


def _split_row(cells, heights: list[float], r: int):
    """Row ``r`` as two rows, one line high and the rest, every cell of row
    ``r`` spanning both: a page break between them cuts the row, its text
    running on from one page to the next."""
    out = {}
    for (r0, c, rs, cs, text), lines in cells.items():
        out[(r0 + (r0 > r), c, rs + (r0 <= r < r0 + rs), cs, text)] = lines
    first = CELL * 1.25 + 2 * PAD
    return out, heights[:r] + [first, heights[r] - first + 2 * PAD] + heights[r + 1 :]


def _heights(cells, xs, n: int) -> list[float]:
    """Row heights: every one-row cell's text fits; a merged cell grows its last row."""
    heights = [18.0] * n
    for key in sorted(cells, key=lambda k: k[2]):
        r, c, rs, cs, text = key
        lines = _wrap(text, xs[c + cs] - xs[c] - 2 * PAD, CELL)
        cells[key] = lines
        need = len(lines) * CELL * 1.25 + 2 * PAD
        have = sum(heights[r : r + rs])
        if need > have:
            heights[r + rs - 1] += need - have
    return heights
