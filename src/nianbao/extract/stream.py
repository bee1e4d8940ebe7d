"""Tables flattened into a stream of cells, each knowing its physical row.

Extraction reads by labels, not by position: a row label starts a logical row
and the values that follow it belong to it. Text layouts lose merged and empty
cells, so the stream keeps the physical rows only as evidence."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, NamedTuple

from nianbao.extract import numbers
from nianbao.model import Location
from nianbao.normalize import fold, key
from nianbao.read import spaced
from nianbao.read.document import Paragraph, Table

Kind = Literal["num", "blank", "text"]

_LABEL_THEN_NUMBERS = re.compile(
    r"^(?P<label>.*?[^\d\s.,+/-])\s+(?P<nums>(?:[+-]?\d[\d.,]*|/)(?:\s+(?:[+-]?\d[\d.,]*|/|-))*)$"
)
_HEADER_WORDS = 2  # a line of this many short words apart by spaces may be a header row
_HEADER_WORD = 12
_PAGE_NO = re.compile(r"^\s*[-—－]\s*\d{1,3}\s*[-—－]\s*$")


class Item(NamedTuple):  # a tuple: built for every cell, so it must be cheap
    text: str
    key: str
    kind: Kind
    location: Location
    row: int  # physical row id, unique within one stream
    col: int | None = None  # grid column (exact tables only)
    exact: bool = False
    confidence: float | None = None
    loose: bool = False  # from pipe/Markdown rows, whose cells may have shifted


_new = tuple.__new__  # Item(...) without the call through its generated __new__: one per cell


@lru_cache(maxsize=65536)
def classify(text: str) -> Kind:
    if numbers.is_blank(text):
        return "blank"
    return "num" if numbers.parse(text, True) is not None else "text"


def from_tables(tables: list[Table], first_row: int = 0) -> list[Item]:
    items: list[Item] = []
    append = items.append
    row_id = first_row
    for t in tables:
        exact, loose = t.exact, t.layout == "pipe"
        for row in t.rows:
            row_id += 1
            if exact:  # a cell of a true grid is one cell, at its column
                for c, (text, loc, merged, conf) in enumerate(row):
                    if not merged:
                        append(_new(Item, _grid_cell(text) + (loc, row_id, c, True, conf, loose)))
                continue
            for text, loc, merged, conf in row:
                if not merged:
                    for part in _text_cells(text):
                        append(_new(Item, part + (loc, row_id, None, False, conf, loose)))
    return items


def from_paragraphs(paragraphs: list[Paragraph], first_row: int = 0) -> list[Item]:
    """One-cell-per-paragraph layouts, ``label 167 0 0 …`` lines (PDF text, pdfplumber's
    ``extract_text``) and lines of numbers only (a row whose label wrapped around them)."""
    items: list[Item] = []
    append = items.append
    for i, p in enumerate(paragraphs, start=first_row + 1):
        loc = p.location
        for text, k, kind in _line_cells(p.text):
            append(_new(Item, (text, k, kind, loc, i, None, False, None, False)))
    return items


@lru_cache(maxsize=65536)
def _line_cells(line: str) -> tuple[tuple[str, str, Kind], ...]:
    """(text, key, kind) of each cell of a paragraph (kept by text: table lines repeat)."""
    if _PAGE_NO.match(line):
        return ()
    out: list[tuple[str, str, Kind]] = []
    m = _LABEL_THEN_NUMBERS.match(fold(line).strip())
    if m and classify(m.group("label")) == "text":
        out.append((m.group("label"), key(m.group("label")), "text"))
        parts: list[str] = m.group("nums").split()  # ``规章 0 0 0``: one cell per number
    else:  # a line of numbers only, or header cells apart by TABs or spaces
        parts = _number_cells(line) or _header_cells(line)
    for part in parts:
        out.extend(_text_cells(part))
    return tuple(out)


def _number_cells(text: str) -> list[str]:
    """A line of numbers and blank marks (``/ 0 0 2``), cell by cell; [] for any other line."""
    words = fold(text).split()
    kinds = [classify(w) for w in words]
    return words if len(words) > 1 and "text" not in kinds and "num" in kinds else []


def _header_cells(text: str) -> list[str]:
    """Cells of a line apart by TABs or runs of spaces; apart by single spaces too when
    they are all short words (``结果维持 结果纠正 其他结果``: a header row from pdfplumber)."""
    cells = list(spaced.cells(text)) or [text]
    words = text.split()
    if (
        len(cells) == 1
        and len(words) >= _HEADER_WORDS
        and all(len(w) <= _HEADER_WORD and classify(w) == "text" for w in words)
    ):
        return words
    return cells


@lru_cache(maxsize=65536)
def _grid_cell(text: str) -> tuple[str, str, Kind]:
    """(text, key, kind) of a cell of an exact grid (kept by text: cells repeat)."""
    return text.strip(), key(text), classify(text)


@lru_cache(maxsize=65536)
def _text_cells(text: str) -> tuple[tuple[str, str, Kind], ...]:
    """(text, key, kind) of each cell a text layout's cell holds: several numbers run together
    in one cell are split apart, one cell per number (kept by text: cells repeat)."""
    if classify(text) == "text":
        parts = numbers.split_numbers(text)
        if parts:
            return tuple((p, p, "num") for p in parts)
    return (_grid_cell(text),)
