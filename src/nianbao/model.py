"""The data model: what a reader saw, what extraction made of it, what a rule found.

Frozen where possible. The JSON shape of these objects lives only in
``nianbao.render.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Number = int | float
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
LOW_CONFIDENCE = 0.8  # OCR cells read with less than this are named in the document notes and by check.trust


@dataclass(frozen=True, slots=True)  # slots: built for every cell, so it must be cheap
class Location:
    """Where something came from: ``line`` for text; ``page`` (+ ``line``, ``bbox``)
    for PDF and images; ``table``/``row``/``col`` for HTML, DOCX and XLSX."""

    line: int | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for k in ("page", "line", "table", "row", "col", "bbox"):
            v = getattr(self, k)
            if v is not None:
                out[k] = list(v) if k == "bbox" else v
        return out


@dataclass(frozen=True, slots=True)  # slots: built for every cell, so it must be cheap
class Value:
    """One cell as read: the number (or None for blank), the text printed, where.

    ``note`` says how a value had to be interpreted (``491,5000`` → 491.5) and is
    surfaced by ``VALUE-AMBIGUOUS``; ``confidence`` comes from OCR; ``derived``
    marks sums the template prints no cell for."""

    value: Number | None
    raw: str = ""
    location: Location | None = None
    note: str | None = None
    confidence: float | None = None
    derived: bool = False


def writable_twin(cls: type) -> type:
    """A class of ``cls``'s slots that lets them be set: an object built as one and then given ``cls`` as
    its class (``obj.__class__ = cls``, allowed: same slot layout, same base) is a ``cls`` built without
    its ``__init__`` — a frozen dataclass's calls ``object.__setattr__`` per field, about five times the
    cost. The object is frozen from then on. For classes built once per cell or line."""
    return type(f"Writable{cls.__name__}", (), {"__slots__": cls.__slots__})


_WritableValue = writable_twin(Value)


def cell_read(
    value: Number | None, raw: str, location: Location | None, note: str | None, confidence: float | None
) -> Value:
    """``Value(value, raw, location, note, confidence)``, built through its writable twin
    (:func:`writable_twin`): extraction builds one per table cell. Still frozen: the Value it returns
    refuses any later change."""
    v: Any = _WritableValue()
    v.value = value
    v.raw = raw
    v.location = location
    v.note = note
    v.confidence = confidence
    v.derived = False
    v.__class__ = Value
    return v


@dataclass(frozen=True)
class Reading:
    """A place where cells could be read more than one way (``TABLE-AMBIGUOUS``)."""

    table: str  # "table2" | "table3" | "table4"
    message: str  # Chinese, names both readings
    cells: tuple[str, ...]
    readings: tuple[dict[str, Number | None], ...]
    location: Location | None = None


@dataclass(frozen=True)
class LabelSeen:
    """A row or column label that differs from the template wording (``LABEL-VARIANT``)."""

    path: str  # row path, e.g. "table3.partially_granted"
    seen: str
    template: str
    location: Location | None = None


@dataclass(frozen=True)
class Heading:
    """A section or sub-heading as printed (``HEADING-NUMBERING``)."""

    text: str
    numbering: str  # as printed: "二、", "2、", "（4）", "一)"
    level: int  # 1 = section, 2 = sub-heading
    section: str | None  # section key for level 1
    expected: str  # template numbering, "" when none is prescribed
    location: Location | None = None


@dataclass(frozen=True)
class Uncertain:
    """A part the reader could not locate or read with certainty (``READ-UNCERTAIN``).

    ``part`` is a table (``table3``), a section (``sections.problems``) or a row
    or cell path (``table3.denied.prohibited_by_law``); a structural or
    arithmetic finding about that part is then only a warning."""

    part: str
    reason: str  # Chinese, one line: what was seen and why it is not sure
    location: Location | None = None


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    text: str
    location: Location | None = None


@dataclass(frozen=True)
class Fact:
    """A number the text states about a table quantity."""

    cell: str
    value: Number
    text: str
    location: Location | None = None
    basis: str = ""  # e.g. "new_only": a 办结 figure that counts only this year's applications


@dataclass(frozen=True)
class Fees:
    """Section 六: 信息处理费 (amounts in 元)."""

    notices: Number | None = None
    notice_amount_yuan: Number | None = None
    collected_yuan: Number | None = None
    text: str = ""  # the sentence it came from
    location: Location | None = None
    mentions_admin_fees: bool = False  # speaks of 行政事业性收费 instead


@dataclass(frozen=True)
class Source:
    file: str
    sha256: str
    format: str  # txt / md / html / docx / pdf / image / xlsx
    encoding: str | None = None


@dataclass
class Report:
    source: Source
    agency: str | None = None
    region: str | None = None
    year: int | None = None
    edition: str | None = None  # "2021" / "2019" / "pre2019" / None
    published: str | None = None
    table_editions: dict[str, str] = field(default_factory=dict)  # per table, from labels
    tables_found: dict[str, str] = field(default_factory=dict)  # table -> "full" | "partial"
    cells: dict[str, Value] = field(default_factory=dict)  # every path of the edition
    split_items: list[dict[str, object]] = field(default_factory=list)  # 其他对外管理服务事项 sub-rows
    fees: Fees = field(default_factory=Fees)
    sections: dict[str, Section] = field(default_factory=dict)
    headings: list[Heading] = field(default_factory=list)
    narrative: list[Fact] = field(default_factory=list)
    labels: list[LabelSeen] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    uncertain: list[Uncertain] = field(default_factory=list)  # parts not located or read with certainty

    def value(self, path: str) -> Number | None:
        v = self.cells.get(path)
        return None if v is None else v.value


@dataclass(frozen=True)
class Diagnostic:
    rule: str
    severity: Severity
    message: str
    cells: tuple[str, ...] = ()
    location: Location | None = None
    file: str | None = None
    files: tuple[str, ...] = ()  # cross-report findings
    values: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def key(self) -> tuple[str, tuple[str, ...]]:
        return (self.rule, self.cells)


class ReportError(Exception):
    """An input that cannot be read as a report. The message is one Chinese line."""
