"""The one interface between readers and extraction: a document is an ordered
list of paragraphs and tables, each piece with its source location."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from nianbao.model import Location, Source, writable_twin


class Cell(NamedTuple):  # a tuple, not a dataclass: readers build one per slot, so it must be cheap
    """One slot of a table grid.

    ``merged`` marks a slot covered by a merged cell (rowspan/colspan, gridSpan,
    vMerge): it repeats the text of the merged cell but is not a cell of its own,
    so extraction uses it for labels and never as a value."""

    text: str
    location: Location
    merged: bool = False
    confidence: float | None = None  # OCR only


@dataclass(frozen=True, slots=True)
class Table:
    """A grid of cells, row by row.

    ``exact`` is True when columns are true positions (HTML, DOCX, PDF ruling
    lines, XLSX): a blank slot is a blank cell. Text layouts lose merged and
    empty cells, so there the position of a value within its row is not
    evidence (``exact=False``)."""

    rows: tuple[tuple[Cell, ...], ...]
    location: Location
    exact: bool = False
    layout: str = ""  # how the reader found it: "tab", "pipe", "html", "docx", "pdf", …


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    location: Location


_WritableParagraph = writable_twin(Paragraph)


def paragraph(text: str, location: Location) -> Paragraph:
    """``Paragraph(text, location)``, built through its writable twin (``model.writable_twin``, as
    ``model.cell_read`` builds a Value): the text reader builds one per line."""
    p: Any = _WritableParagraph()
    p.text = text
    p.location = location
    p.__class__ = Paragraph
    return p


@lru_cache(maxsize=16384)
def at_line(line: int | None) -> Location:
    """Where a line is (None: unknown): Locations are immutable, so all read from one line share one."""
    return Location(line=line)


Block = Paragraph | Table


@dataclass
class Document:
    source: Source
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader had to interpret
    # what the file says about itself outside the report's text: a page's <title> and <meta>
    # (ArticleTitle, PubDate, ContentSource), its 信息索引 table (索引号, 发布机构, 公开日期…)
    meta: dict[str, str] = field(default_factory=dict)

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
