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
    r"^(?P<label>.*?[^\d\s.,+-])\s+(?P<nums>[+-]?\d[\d.,]*(?:\s+(?:[+-]?\d[\d.,]*|/|-))*)$"
)
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


@lru_cache(maxsize=65536)
def classify(text: str) -> Kind:
    if numbers.is_blank(text):
        return "blank"
    return "num" if numbers.parse(text, decimal=True) is not None else "text"


def from_tables(tables: list[Table], first_row: int = 0) -> list[Item]:
    items: list[Item] = []
    row_id = first_row
    for t in tables:
        for row in t.rows:
            row_id += 1
            for c, cell in enumerate(row):
                if cell.merged:
                    continue
                col = c if t.exact else None
                items.extend(
                    _cell_items(cell.text, cell.location, row_id, col, t.exact, cell.confidence, t.layout == "pipe")
                )
    return items


def from_paragraphs(paragraphs: list[Paragraph], first_row: int = 0) -> list[Item]:
    """One-cell-per-paragraph layouts, and ``label  167  0  0 …`` lines from PDFs."""
    items: list[Item] = []
    for i, p in enumerate(paragraphs, start=first_row + 1):
        if _PAGE_NO.match(p.text):
            continue
        m = _LABEL_THEN_NUMBERS.match(fold(p.text).strip())
        if m and classify(m.group("label")) == "text":
            items.append(Item(m.group("label"), key(m.group("label")), "text", p.location, i))
            items.extend(_cell_items(m.group("nums"), p.location, i, None, False))
        else:
            for part in spaced.cells(p.text) or [p.text]:  # header cells apart by TABs or spaces
                items.extend(_cell_items(part, p.location, i, None, False))
    return items


def _cell_items(
    text: str,
    loc: Location,
    row: int,
    col: int | None,
    exact: bool,
    confidence: float | None = None,
    loose: bool = False,
) -> list[Item]:
    kind = classify(text)
    if kind == "text" and not exact:
        parts = numbers.split_numbers(text)
        if parts:
            return [Item(p, p, "num", loc, row, None, exact, confidence, loose) for p in parts]
    return [Item(text.strip(), key(text), kind, loc, row, col, exact, confidence, loose)]
