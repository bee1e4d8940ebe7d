"""Table rows as text tools print them with cells apart by TABs or spaces (template.md V5).

- ``tabbed``: a Word/WPS table copied as text, cells separated by one TAB;
- ``spaced``: cells separated by two spaces or more (``pdftotext``'s table mode);
- ``plumber``: pdfplumber's ``extract_text``, cells separated by one space;
- ``layout``: ``pdftotext -layout``: columns padded to their place, a long row label
  wrapped over lines of its own with the row's numbers on the middle line (or alone
  between its two lines), a merged group label printed further left beside its rows.

Blank cells print nothing: their place is lost, as in the real tools' output."""

from __future__ import annotations

from nianbao.synth.grids import GridCell, place

_WRAP = 12  # characters of a label per line in ``layout``
_ITEM_INDENT = 10
_NUM_COL = 40


def _cells(slots: list[tuple[str, GridCell]]) -> list[GridCell]:
    return [cell for kind, cell in slots if kind == "cell"]


def _text(cell: GridCell) -> str:
    return cell.text.replace("\n", "").strip()


def _joined(rows: list[list[GridCell]], sep: str) -> list[str]:
    out = [""]
    for slots in place(rows):
        texts = [t for t in map(_text, _cells(slots)) if t]
        if texts:
            out.append(sep.join(texts))
    return out + [""]


def lay_tabbed(rows: list[list[GridCell]]) -> list[str]:
    return _joined(rows, "\t")


def lay_spaced(rows: list[list[GridCell]]) -> list[str]:
    return _joined(rows, "  ")


def lay_plumber(rows: list[list[GridCell]]) -> list[str]:
    return _joined(rows, " ")


def lay_layout(rows: list[list[GridCell]]) -> list[str]:
    out = [""]
    beside: dict[int, list[str]] = {}  # row index → group labels printed after it
    for r, slots in enumerate(place(rows)):
        cells = _cells(slots)
        values = [_text(c) for c in cells if c.path]
        labels = [c for c in cells if not c.path and _text(c)]
        for depth, g in enumerate(c for c in labels if c.rowspan > 1 and values):
            beside.setdefault(r + (g.rowspan - 1) // 2, []).append(" " * (2 * depth) + _text(g))
        if not values:
            out.append("    " + "     ".join(_text(c) for c in labels))
            continue
        label = "".join(_text(c) for c in labels if c.rowspan == 1)
        out += _row_lines(label, "     ".join(v for v in values if v))
        out += beside.pop(r, [])
    return out + [""]


def _row_lines(label: str, numbers: str) -> list[str]:
    """A row whose label wraps: the numbers on its middle line, or alone between two lines."""
    pieces = [label[i : i + _WRAP] for i in range(0, len(label), _WRAP)] or [""]
    lines = [" " * _ITEM_INDENT + p for p in pieces]
    mid = len(pieces) // 2
    if len(pieces) % 2 == 0 and len(pieces) > 1:
        return lines[:mid] + [" " * _NUM_COL + numbers] + lines[mid:]
    lines[mid] = lines[mid].ljust(_NUM_COL) + "  " + numbers
    return lines
