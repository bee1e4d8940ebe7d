"""Tables cut by page breaks (PDF and scanned pages): a continuation is kept as
its own table right after the first part, but put on the same columns, a row
(its label, its numbers wrapped in narrow cells) or a number the break cut in
two is joined — a caption across the table is a row of its own — and a merged
cell cut by the break repeats its text on the new page. No template knowledge:
only positions, numbers and empty cells."""

from __future__ import annotations

from dataclasses import replace

from nianbao.read import layout
from nianbao.read.document import Block, Cell, Table


def stitch(placed: list[tuple[int, float, Block]]) -> list[Block]:
    """Blocks in page order, top to bottom; a row cut by a page break is joined."""
    placed.sort(key=lambda x: (x[0], x[1]))
    blocks = [b for _, _, b in placed]
    pages = [p for p, _, _ in placed]
    for k in range(len(blocks) - 1):
        a, b = blocks[k], blocks[k + 1]
        if isinstance(a, Table) and isinstance(b, Table) and pages[k + 1] == pages[k] + 1:
            a, b = _align_columns(a, b)
            a, b = _join_split_row(a, b) or (a, b)
            a, b = _join_cut_labels(a, b)
            blocks[k], blocks[k + 1] = a, _continue_merged(a, b)
    return blocks


def _align_columns(a: Table, b: Table) -> tuple[Table, Table]:
    """A table continued on the next page may have fewer column lines on one
    page (only merged cells there): put that part on the other part's columns."""
    xa, xb = _column_starts(a), _column_starts(b)
    if xa is None or xb is None or len(xa) == len(xb):
        return a, b
    if len(xa) < len(xb):
        return (_regrid(a, xa, xb), b) if _subset(xa, xb) else (a, b)
    return (a, _regrid(b, xb, xa)) if _subset(xb, xa) else (a, b)


def _column_starts(t: Table) -> list[float] | None:
    starts: dict[int, float] = {}
    for row in t.rows:
        for c in row:
            if not c.merged and c.location.bbox is not None and c.location.col is not None:
                starts.setdefault(c.location.col, c.location.bbox[0])
    width = len(t.rows[0]) if t.rows else 0
    return [starts[k] for k in range(1, width + 1)] if width and len(starts) == width else None


def _subset(few: list[float], many: list[float]) -> bool:
    return all(any(abs(x - y) <= 2 for y in many) for x in few) and abs(few[0] - many[0]) <= 2


def _regrid(t: Table, have: list[float], want: list[float]) -> Table:
    """Each of ``want``'s columns takes the cell of ``have``'s column it falls in;
    a column split off an existing one repeats it as a merged slot."""
    source = [max(k for k, x in enumerate(have) if x <= w + 2) for w in want]
    rows = []
    for r, row in enumerate(t.rows):
        cells = []
        for j, k in enumerate(source):
            c = row[k]
            merged = c.merged or (j > 0 and source[j - 1] == k)
            cells.append(Cell(c.text, replace(c.location, row=r + 1, col=j + 1), merged, c.confidence))
        rows.append(tuple(cells))
    return Table(tuple(rows), t.location, t.exact)


def _continue_merged(a: Table, b: Table) -> Table:
    """A merged cell cut by the page break leaves an empty cell at the top of the
    next page: it repeats the text above it (``merged=True``), unless that is a number."""
    if not a.rows or not b.rows or len(a.rows[-1]) != len(b.rows[0]):
        return b
    fill: dict[tuple, str] = {}
    for above, cell in zip(a.rows[-1], b.rows[0], strict=True):
        if cell.text or cell.merged or cell.location.bbox is None:
            continue
        if above.text and not layout.is_number(above.text):
            fill[cell.location.bbox] = above.text
    if not fill:
        return b
    rows = tuple(
        tuple(
            Cell(fill[c.location.bbox], c.location, True, c.confidence) if not c.text and c.location.bbox in fill else c
            for c in row
        )
        for row in b.rows
    )
    return Table(rows, b.location, b.exact)


def _join_cut_labels(a: Table, b: Table) -> tuple[Table, Table]:
    """A group label merged over rows on both sides of the break prints its
    text in two pieces (``（四）无`` | ``法提供``, ``三`` | ``、本年度办理结果``):
    the piece below does not start an item, and the piece above does or the one
    below starts with punctuation that goes on a text; both stand beside numbers,
    and one of them spans several rows. Both parts of the cell get the joined text; the part below is
    marked as continued (``merged``)."""
    if len(a.rows) < 2 or len(b.rows) < 2 or len(a.rows[-1]) != len(b.rows[0]):
        return a, b
    last, first = a.rows[-1], b.rows[0]
    if not any(layout.is_number(c.text) for c in last) or not any(layout.is_number(c.text) for c in first):
        return a, b
    for k, (x, y) in enumerate(zip(last, first, strict=True)):
        if not x.text or not y.text or y.merged or layout.is_number(x.text) or layout.is_number(y.text):
            continue
        if layout.starts_item(y.text) or not (layout.starts_item(x.text) or y.text[0] in _GOES_ON):
            continue
        spans = _same_cell(a.rows[-2][k], x) or _same_cell(b.rows[1][k], y)
        if spans and x.location.bbox is not None and y.location.bbox is not None:
            text = layout.join(x.text, y.text)
            a, b = _retext(a, x.location.bbox, text, merged=False), _retext(b, y.location.bbox, text, merged=True)
    return a, b


_GOES_ON = "、，。；：）)”’"


def _same_cell(c: Cell, origin: Cell) -> bool:
    return c.merged and c.location.bbox == origin.location.bbox and c.text == origin.text


def _retext(t: Table, bbox: tuple, text: str, *, merged: bool) -> Table:
    """Every slot of the cell at ``bbox`` gets ``text``; ``merged`` marks the part
    continued from the page before."""
    rows = tuple(
        tuple(c._replace(text=text, merged=c.merged or merged) if c.location.bbox == bbox else c for c in row)
        for row in t.rows
    )
    return Table(rows, t.location, t.exact)


def _join_split_row(a: Table, b: Table) -> tuple[Table, Table] | None:
    if not a.rows or not b.rows or len(a.rows[-1]) != len(b.rows[0]):
        return None
    head = 0
    while head < min(len(a.rows), len(b.rows) - 1) and _texts(a.rows[head]) == _texts(b.rows[head]):
        head += 1
    last, first = a.rows[-1], b.rows[head]
    if _fragment_of(last, first):
        row = tuple(_merge_cell(k, f, frag_first=True) for f, k in zip(last, first, strict=True))
        return Table(a.rows[:-1], a.location, a.exact), _renumber(b, b.rows[:head] + (row,) + b.rows[head + 1 :])
    if not (_fragment_of(first, last) or _rest_of_row(last, first)):
        return None
    row = tuple(_merge_cell(k, f, frag_first=False) for k, f in zip(last, first, strict=True))
    a = _renumber(a, a.rows[:-1] + (row,))
    for k, f, joined in zip(last, first, row, strict=True):
        if f.merged or not joined.text:
            continue
        if k.location.bbox is not None:  # a label merged over rows on either side: every part gets the text
            a = _retext(a, k.location.bbox, joined.text, merged=False)
        if f.location.bbox is not None and not layout.is_number(joined.text):
            b = _retext(b, f.location.bbox, joined.text, merged=True)
    return a, _renumber(b, b.rows[:head] + b.rows[head + 1 :])


def _rest_of_row(last: tuple[Cell, ...], first: tuple[Cell, ...]) -> bool:
    """``first`` holds only the rest of the cells of ``last``: numbers wrapped in
    narrow cells (``137`` | ``4``) and, when the row is plainly incomplete (a
    number of ``last`` with nothing below it), the rest of its labels (``（五）不予处``
    | ``理``, never a new item)."""
    own = [k for k, c in enumerate(first) if c.text and not c.merged]
    numbers = [k for k in own if layout.is_number(last[k].text) and not last[k].merged]
    labels = [k for k in own if k not in numbers]
    if not numbers or not all(layout.is_number(first[k].text) for k in numbers):
        return False
    if not labels:
        return True
    incomplete = any(
        layout.is_number(x.text) and not x.merged and not y.text and not y.merged
        for x, y in zip(last, first, strict=True)
    )
    return incomplete and all(
        last[k].text and not layout.is_number(last[k].text) and not layout.starts_item(first[k].text) for k in labels
    )


def _texts(row: tuple[Cell, ...]) -> tuple[str, ...]:
    return tuple(c.text for c in row)


def _fragment_of(frag: tuple[Cell, ...], full: tuple[Cell, ...]) -> bool:
    """``frag`` holds no number and only text that continues label cells of
    ``full``, which has numbers; none of its cells spans a number of ``full`` (a
    caption across the table, ``第二十条第（五）项``, is a row of its own)."""
    if any(layout.is_number(c.text) for c in frag) or not any(layout.is_number(c.text) for c in full):
        return False
    own = [k for k, c in enumerate(frag) if c.text and not c.merged]
    texts = [k for k, c in enumerate(frag) if c.text]
    return bool(own) and all(not layout.is_number(full[k].text) for k in texts)


def _merge_cell(keep: Cell, frag: Cell, *, frag_first: bool) -> Cell:
    """The slot of ``keep`` with the text of ``frag`` added in reading order."""
    if frag.merged or not frag.text:
        return keep
    if not keep.text:
        return Cell(frag.text, replace(keep.location, bbox=frag.location.bbox), False, frag.confidence)
    text = layout.join(frag.text, keep.text) if frag_first else layout.join(keep.text, frag.text)
    return Cell(text, keep.location, keep.merged, keep.confidence)


def _renumber(t: Table, rows: tuple[tuple[Cell, ...], ...]) -> Table:
    fixed = tuple(
        tuple(c if c.location.row == r else c._replace(location=replace(c.location, row=r)) for c in row)
        for r, row in enumerate(rows, start=1)
    )
    return Table(fixed, t.location, t.exact)
