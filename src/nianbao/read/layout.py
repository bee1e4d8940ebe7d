"""Text positioned on a page → lines, paragraphs and borderless tables.

Shared by the PDF reader (text segments from the text layer) and OCR (text
boxes): both give boxes of text with coordinates, top-left origin, in points
or pixels. Nothing here knows the report template.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import insort
from dataclasses import dataclass
from functools import cached_property

_NUMBER = re.compile(r"^[-+−]?(\d[\d,，.．]*|[.．]\d+)%?$")
_ORDINAL = re.compile(
    r"^\s*(（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[.、．])"
)
_PAGE_MARKED = re.compile(
    r"^[\s\-—–－]*(\d{1,4}|[ivxlcIVXLC]{1,6})[\s\-—–－]*$|^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$|^\d{1,4}\s*/\s*\d{1,4}$"
)
_DASHED = re.compile(r"[\-—–－]|页|/")
_CJK_SPACE = re.compile(r"(?<=[^\x00-\u2e7f])[ \u3000]+(?=[^\x00-\u2e7f])")


@dataclass(frozen=True)
class Box:
    """Text at a position: ``(x0, top, x1, bottom)``; ``confidence`` from OCR."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    confidence: float | None = None

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1e-6)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return rounded(self.x0, self.top, self.x1, self.bottom)


def rounded(*v: float) -> tuple[float, float, float, float]:
    """Plain floats to 0.1 (numpy scalars from OCR would not serialise)."""
    return tuple(round(float(x), 1) for x in v)  # type: ignore[return-value]


def wide(ch: str) -> bool:
    """CJK ideographs, radicals, kana, full-width forms and punctuation."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def tight(a: str, b: str) -> bool:
    """No word space between characters ``a`` and ``b``: both CJK (curly quotes
    count), or either one CJK punctuation (``，`` ``、`` ``。``)."""
    cjk = [wide(ch) or ch in "“”‘’" for ch in (a, b)]
    return all(cjk) or any(wide(ch) and unicodedata.category(ch).startswith("P") for ch in (a, b))


def join(a: str, b: str) -> str:
    """Join two pieces of one text broken over lines: no space next to CJK or
    between digits (a number wrapped in a narrow cell), one space between words."""
    a, b = a.rstrip(), b.lstrip()
    if not a or not b:
        return a + b
    if wide(a[-1]) or wide(b[0]) or (a[-1].isdigit() and b[0].isdigit()):
        return a + b
    return a + " " + b


def tidy(text: str) -> str:
    """Cell text as printed, without the layout: lines joined, spaces between CJK
    characters (``商 业 企\\n业``) removed. Characters themselves are kept."""
    out = ""
    for piece in text.splitlines():
        out = join(out, piece.strip())
    return _CJK_SPACE.sub("", out).strip()


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def is_page_number(text: str, *, bare_ok: bool) -> bool:
    """``- 4 -``, ``第 4 页``, ``4/12``; a bare ``4`` only when ``bare_ok`` (page margins)."""
    t = text.strip()
    if not t or not _PAGE_MARKED.match(t):
        return False
    return bare_ok or bool(_DASHED.search(t))


def starts_item(text: str) -> bool:
    """Starts with an ordinal such as ``一、``, ``（三）``, ``2.``."""
    return bool(_ORDINAL.match(text))


@dataclass(frozen=True)
class Line:
    """Boxes of one line, left to right; its measures are computed once."""

    boxes: tuple[Box, ...]

    @cached_property
    def x0(self) -> float:
        return min(b.x0 for b in self.boxes)

    @cached_property
    def x1(self) -> float:
        return max(b.x1 for b in self.boxes)

    @cached_property
    def top(self) -> float:
        return min(b.top for b in self.boxes)

    @cached_property
    def bottom(self) -> float:
        return max(b.bottom for b in self.boxes)

    @cached_property
    def height(self) -> float:
        from statistics import median  # here, not at the top: a text report never needs it (2 ms of start-up)

        return median(b.height for b in self.boxes)

    @cached_property
    def text(self) -> str:
        return spaced(self.boxes)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return rounded(self.x0, self.top, self.x1, self.bottom)


def spaced(boxes: tuple[Box, ...] | list[Box]) -> str:
    """Boxes of one line, left to right: a visible gap becomes one space, but
    between CJK glyphs (:func:`tight`) only a gap of a whole glyph does: justified
    lines and punctuation spread CJK text without any word space."""
    out = ""
    prev: Box | None = None
    for b in boxes:
        t = b.text.strip()
        if not t:
            continue
        if prev is not None and out:
            gap = b.x0 - prev.x1
            room = 1.0 if tight(out[-1], t[0]) else 0.3
            out = out + " " + t if gap > room * min(prev.height, b.height) else out + t
        else:
            out = t
        prev = b
    return out


def lines(boxes: list[Box], overlap: float = 0.5) -> list[Line]:
    """Group boxes into lines: a box joins a line when it overlaps the line
    vertically by at least ``overlap`` of the smaller height."""
    out: list[list[Box]] = []
    heights: list[float] = []  # of the last line, sorted: its median kept up to date as boxes join
    top = bottom = 0.0
    for b in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        if out:
            n = len(heights)
            middle = heights[n // 2] if n % 2 else (heights[n // 2 - 1] + heights[n // 2]) / 2  # as statistics.median
            if min(bottom, b.bottom) - max(top, b.top) >= overlap * min(b.height, middle):
                out[-1].append(b)
                insort(heights, b.height)
                top, bottom = min(top, b.top), max(bottom, b.bottom)
                continue
        out.append([b])
        heights, top, bottom = [b.height], b.top, b.bottom
    return [Line(tuple(sorted(ln, key=lambda b: b.x0))) for ln in out]


def paragraphs(page_lines: list[Line], gap: float = 0.8) -> list[list[Line]]:
    """Lines of running text → paragraphs. A line continues the paragraph above
    when the line above runs to the right margin, the vertical gap is under
    ``gap`` line heights, and it is not indented."""
    if not page_lines:
        return []
    right = max(ln.x1 for ln in page_lines)
    left = min(ln.x0 for ln in page_lines)
    out: list[list[Line]] = []
    for ln in page_lines:
        if out:
            prev = out[-1][-1]
            h = max(prev.height, ln.height)
            full = prev.x1 >= right - 1.5 * h
            close = ln.top - prev.bottom < gap * h
            flush = ln.x0 <= left + 0.6 * h
            if full and close and flush:
                out[-1].append(ln)
                continue
        out.append([ln])
    return out


def paragraph_text(group: list[Line]) -> str:
    out = ""
    for ln in group:
        out = join(out, ln.text)
    return out


def cells_of(line: Line, gap: float) -> list[Box]:
    """Split a line at horizontal gaps wider than ``gap`` line heights into cells."""
    out: list[list[Box]] = []
    for b in line.boxes:
        if out and b.x0 - out[-1][-1].x1 < gap * line.height:
            out[-1].append(b)
        else:
            out.append([b])
    return [merge_boxes(c) for c in out]


def merge_boxes(boxes: list[Box]) -> Box:
    conf = [b.confidence for b in boxes if b.confidence is not None]
    return Box(
        min(b.x0 for b in boxes),
        min(b.top for b in boxes),
        max(b.x1 for b in boxes),
        max(b.bottom for b in boxes),
        spaced(boxes),
        min(conf) if conf else None,
    )


@dataclass(frozen=True)
class Grid:
    """A table rebuilt from positions: ``rows[r][c]`` is a Box or None (blank);
    ``exact`` when no two cells of a row fell into one column."""

    rows: list[list[Box | None]]
    exact: bool


def borderless(page_lines: list[Line], gap: float = 1.5, min_rows: int = 2) -> list[tuple[int, int, Grid]]:
    """Find runs of tabular lines and rebuild each as a grid.

    A line is tabular when it splits into two or more cells at wide gaps; a run
    is a table when at least ``min_rows`` of its lines hold a number cell.
    Lines of one label cell between rows (a wrapped label) join the row above,
    or the row below when they start a new item (``1.``, ``（三）``).
    Returns ``(first_line, end_line, grid)`` per table."""
    split = [cells_of(ln, gap) for ln in page_lines]
    out: list[tuple[int, int, Grid]] = []
    i = 0
    while i < len(page_lines):
        if len(split[i]) < 2:
            i += 1
            continue
        j = i
        while j < len(page_lines) and (len(split[j]) >= 2 or _label_only_between(split, j, i)):
            j += 1
        numeric = sum(1 for k in range(i, j) if len(split[k]) >= 2 and any(is_number(c.text) for c in split[k]))
        if numeric >= min_rows:
            while len(split[j - 1]) < 2:
                j -= 1
            out.append((i, j, _grid(split[i:j], gap, page_lines[i].height)))
            i = j
        else:
            i += 1
    return out


def _label_only_between(split: list[list[Box]], k: int, start: int) -> bool:
    """A one-cell line inside a table run (wrapped label), followed by a tabular line."""
    return (
        len(split[k]) == 1
        and not is_number(split[k][0].text)
        and k + 1 < len(split)
        and (len(split[k + 1]) >= 2 or (len(split[k + 1]) == 1 and k + 2 < len(split) and len(split[k + 2]) >= 2))
        and k > start
    )


def _grid(rows: list[list[Box]], gap: float, height: float) -> Grid:
    bands = _bands([r for r in rows if len(r) >= 2 and any(is_number(c.text) for c in r)])
    grid: list[list[Box | None]] = []
    exact = True
    pending: Box | None = None
    for cells in rows:
        if len(cells) == 1 and _band(cells[0], bands) == 0:
            label = cells[0]
            if grid and pending is None and not starts_item(label.text):
                prev = grid[-1][0]
                grid[-1][0] = label if prev is None else _joined(prev, label)
            else:
                pending = label if pending is None else _joined(pending, label)
            continue
        row: list[Box | None] = [None] * len(bands)
        for c in cells:
            k = _band(c, bands)
            if row[k] is not None:
                exact = False
                row[k] = merge_boxes([row[k], c])  # type: ignore[list-item]
            else:
                row[k] = c
        if pending is not None:
            row[0] = pending if row[0] is None else _joined(pending, row[0])
            pending = None
        grid.append(row)
    if pending is not None:
        grid.append([pending] + [None] * (len(bands) - 1))
    return Grid(grid, exact)


def _bands(rows: list[list[Box]]) -> list[tuple[float, float]]:
    spans = sorted((c.x0, c.x1) for r in rows for c in r)
    out: list[list[float]] = []
    for x0, x1 in spans:
        if out and x0 <= out[-1][1]:
            out[-1][1] = max(out[-1][1], x1)
        else:
            out.append([x0, x1])
    return [(a, b) for a, b in out]


def _band(c: Box, bands: list[tuple[float, float]]) -> int:
    def score(k: int) -> float:
        a, b = bands[k]
        ov = min(b, c.x1) - max(a, c.x0)
        return ov if ov > 0 else -min(abs(c.x0 - b), abs(a - c.x1))

    return max(range(len(bands)), key=score)


def _joined(a: Box, b: Box) -> Box:
    """``b`` continues ``a`` on a later line."""
    conf = [x for x in (a.confidence, b.confidence) if x is not None]
    return Box(
        min(a.x0, b.x0),
        min(a.top, b.top),
        max(a.x1, b.x1),
        max(a.bottom, b.bottom),
        join(a.text, b.text),
        min(conf) if conf else None,
    )
