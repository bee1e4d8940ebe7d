"""Table rows whose cells are separated by TABs or runs of spaces.

``pdftotext -layout``, pdfplumber's ``extract_text`` and a Word/WPS table copied
as text print a row as ``规章\\t0\\t0\\t0``, ``规章  0  0  0`` or
``行政许可            97``: a label, then number cells. A long label may wrap
(its numbers then stand on a line of their own) and a group label may sit
between the rows it spans. A run of such lines becomes one :class:`Table`
(``layout="spaced"``) with one row per line, so extraction places the numbers
by their labels as in any other text layout."""

from __future__ import annotations

import re
from functools import lru_cache

from nianbao.normalize import fold, has_digit, key
from nianbao.read.document import Cell, Table, at_line
from nianbao.template import EDITION_2019, EDITION_2021, SECTIONS

_SEP = re.compile(r"\t+|[ \u3000]{2,}")
_NUMBER = re.compile(r"[+-]?\d[\d.,]*|[/\\—－–-]{1,2}")
_PAGE_NO = re.compile(r"^\s*(?:[-—－]+\s*\d{1,3}\s*[-—－]+|第\s*\d{1,3}\s*页.*)\s*$")
_MAX_TEXT = 40  # a label or header line between rows is short; prose is longer
_LOOKAHEAD = 4  # a header or wrapped label is followed by a row of numbers within this many printed lines
_NUMBERED = re.compile(r"^[(（]?[一二三四五六七八九十\d]{1,2}[)）、.．]")
_LONE_ROW = 5  # one row of numbers alone is a table when it holds this many cells (表三, 表四)
_ENDINGS = frozenset(
    key(t)[-4:] for ed in (EDITION_2019, EDITION_2021) for r in ed.table2 + ed.table3 for t in (r.label, *r.variants)
)
_ENDINGS_BY_LENGTH = tuple((n, {e for e in _ENDINGS if len(e) == n}) for n in sorted({len(e) for e in _ENDINGS}))
_TITLES = tuple(key(t) for s in SECTIONS for t in (s.title, *s.variants))
_TITLE_STARTS = frozenset(t[:4] for t in _TITLES)
_HEAD_NUMBER = re.compile(r"^#*(?:第.部分|[(（]?[一二三四五六\d][)）、.．]?)")
_cell = tuple.__new__  # Cell(text, loc) without the call through its generated __new__: one per cell


@lru_cache(maxsize=65536)
def cells(line: str) -> tuple[str, ...]:
    """The cells of a line (kept by text: a table's lines are looked at several times)."""
    return tuple(p for p in _SEP.split(line.strip()) if p)


def _is_number(part: str) -> bool:
    return bool(_NUMBER.fullmatch(fold(part).strip()))


@lru_cache(maxsize=65536)
def number_row(line: str) -> bool:
    """Label cells (or none) followed by number cells only: ``规章  0  0  0``."""
    parts = cells(line)
    values = parts[_label_count(parts) :]
    return len(parts) >= 2 and bool(values) and all(_is_number(p) for p in values) and any(map(has_digit, values))


def _label_count(parts: tuple[str, ...]) -> int:
    return next((i for i, p in enumerate(parts) if _is_number(p)), len(parts))


def _header_row(line: str) -> bool:
    parts = cells(line)
    return len(parts) >= 2 and all(len(p) <= 20 for p in parts)


def _section_heading(line: str) -> bool:
    k = key(line)
    return any(t in k for t in _TITLES) or _HEAD_NUMBER.sub("", k)[:4] in _TITLE_STARTS


@lru_cache(maxsize=65536)
def _between(line: str) -> bool:
    """A line that may sit inside the table: a header, a wrapped or group label, a page number."""
    s = line.strip()
    if not s or _PAGE_NO.match(s):
        return True
    if s.startswith("#") or _section_heading(s) or s.endswith(("。", "；")):
        return False
    return _header_row(s) or len(s) <= _MAX_TEXT


def number_rows(lines: list[str]) -> list[bool]:
    """Which lines are rows of numbers (:func:`number_row`), computed once per text."""
    # a cheap test first, in line: a separator and a digit, not a TAB or pipe layout's line
    return [
        ("\t" in line or "  " in line or "\u3000" in line)
        and not line.startswith("\t")
        and "|" not in line
        and has_digit(line)
        and number_row(line)
        for line in lines
    ]


def run_end(lines: list[str], i: int, rows: list[bool]) -> int:
    """The end of the table starting at line ``i`` (``i`` itself when none starts there);
    ``rows`` is :func:`number_rows` of ``lines``.

    A table starts at a row of numbers, or at a header or label line that a row of
    numbers follows closely; it goes on over rows, headers, labels and page numbers
    as long as another row of numbers follows closely."""
    if not (rows[i] or _row_follows(lines, i, rows) and lines[i].strip()):
        return i
    j = i
    while j < len(lines) and (rows[j] or _row_follows(lines, j, rows)):
        j += 1
    while j > i and not rows[j - 1]:
        j -= 1  # trailing blanks and labels are not the table's
    return j


def _row_follows(lines: list[str], i: int, rows: list[bool]) -> bool:
    """Line ``i`` may sit in a table and a row of numbers comes within a few printed lines
    (blank lines not counted)."""
    end = min(len(lines), i + 3 * _LOOKAHEAD)
    if not any(rows[i:end]):
        return False
    printed = 0
    for k in range(i, end):
        if rows[k]:
            return True
        if not _between(lines[k]):
            return False
        printed += bool(lines[k].strip())
        if printed > _LOOKAHEAD:
            return False
    return False


def table(lines: list[str], start: int, end: int) -> Table | None:
    """The lines ``start:end`` as a table, ``None`` when they hold too few numbers."""
    counts = [len(cells(lines[k])) for k in range(start, end) if number_row(lines[k])]
    if len(counts) < 2 and max(counts, default=0) < _LONE_ROW:
        return None
    ks = [k for k in range(start, end) if lines[k].strip() and not _PAGE_NO.match(lines[k])]
    labels = _wrapped_labels(lines, ks)
    rows = []
    for k in ks:
        if k in labels:
            pieces = labels[k]
            if pieces is None:
                continue  # a piece of a wrapped label, joined to its row
            parts = cells(lines[k])
            n = _label_count(parts)
            text = "".join(lines[m].strip() if m != k else "".join(parts[:n]) for m in pieces)
            loc = at_line(k + 1)
            rows.append((Cell(text, at_line(pieces[0] + 1)), *(Cell(p, loc) for p in parts[n:])))
        else:
            loc = at_line(k + 1)
            rows.append(tuple([_cell(Cell, (p, loc, False, None)) for p in cells(lines[k])]))
    return Table(tuple(rows), at_line(start + 1), layout="spaced")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _wrapped_labels(lines: list[str], ks: list[int]) -> dict[int, list[int] | None]:
    """Rows of numbers whose label wraps onto the lines around them (pdftotext's layout):
    row line → the lines of its label in order (its own line among them), and each piece's
    line → ``None``. A piece is a line holding one text only, printed at the label's indent
    (±4 columns: a group label further left is not taken). The label's first line starts
    with its numbering; lines below are taken only while the label is not yet a whole one."""
    out: dict[int, list[int] | None] = {}
    free = {k for k in ks if len(cells(lines[k])) == 1 and not _is_number(lines[k].strip())}
    for pos, k in enumerate(ks):
        if not number_row(lines[k]):
            continue
        parts = cells(lines[k])
        own = "".join(parts[: _label_count(parts)])
        col = _indent(lines[k]) if own else None
        above = [] if _NUMBERED.match(own) else _pieces_above(lines, ks[max(0, pos - 3) : pos], free - out.keys(), col)
        col = _indent(lines[above[0]]) if above else col
        text = "".join(lines[m].strip() for m in above) + own
        below = []
        for m in ks[pos + 1 : pos + 3]:
            if col is None or _whole(text) or m not in free or _NUMBERED.match(lines[m].strip()):
                break
            if abs(_indent(lines[m]) - col) <= 4:
                below.append(m)
                text += lines[m].strip()
        if above or below:
            out[k] = [*above, k, *below]
            out.update(dict.fromkeys(above + below))
    return out


def _pieces_above(lines: list[str], before: list[int], free: set[int], col: int | None) -> list[int]:
    """The lines above a row that begin its label, up to the one holding its numbering."""
    pieces: list[int] = []
    for m in reversed(before):
        if m not in free:
            break
        if col is not None and abs(_indent(lines[m]) - col) > 4:
            continue  # a group label printed beside the rows it spans
        pieces.insert(0, m)
        col = _indent(lines[m]) if col is None else col
        if _NUMBERED.match(lines[m].strip()):
            return pieces
    return []


def _whole(label: str) -> bool:
    """The label ends as a template row label does."""
    k = key(label)
    return bool(k) and any(k[-n:] in ends for n, ends in _ENDINGS_BY_LENGTH)
