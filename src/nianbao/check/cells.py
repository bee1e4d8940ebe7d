"""Which cells a report prints, grouped by table row, and which of them are blanks to report."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from nianbao.model import Report
from nianbao.template import T3_COLUMNS, T4_COLUMNS, T4_GROUPS, Column, edition
from nianbao.template.relations import row_name


@dataclass(frozen=True)
class Line:
    """One row of a table as a reviewer sees it: its name, its cells, its total cell."""

    table: str
    name: str
    paths: tuple[str, ...]
    columns: tuple[str, ...]  # column labels, parallel to paths
    total: str | None = None


@lru_cache(maxsize=4)
def lines(ed_name: str) -> tuple[Line, ...]:
    """Every printed row of the edition's 表二, 表三 and 表四, in template order."""
    ed = edition(ed_name)
    out = [
        Line("table2", f"表二“{r.label}”行", _paths("table2", r.key, r.columns), tuple(c.label for c in r.columns))
        for r in ed.table2
    ]
    labels = tuple(c.label for c in T3_COLUMNS)
    for r in ed.table3:
        out.append(
            Line("table3", row_name(r.key), _paths("table3", r.key, T3_COLUMNS), labels, f"table3.{r.key}.total")
        )
    labels = tuple(c.label for c in T4_COLUMNS)
    for g, label in T4_GROUPS:
        out.append(Line("table4", f"表四“{label}”", _paths("table4", g, T4_COLUMNS), labels, f"table4.{g}.total"))
    return tuple(out)


def _paths(table: str, row: str, columns: tuple[Column, ...]) -> tuple[str, ...]:
    return tuple(f"{table}.{row}.{c.key}" for c in columns)


@lru_cache(maxsize=4)
def columns(ed_name: str) -> dict[str, Column]:
    """Cell path → its column (for decimal / signed), every printed cell of the edition."""
    ed = edition(ed_name)
    out = {f"table2.{r.key}.{c.key}": c for r in ed.table2 for c in r.columns}
    out |= {p: c for ln in lines(ed_name) if ln.table != "table2" for p, c in zip(ln.paths, _cols(ln), strict=True)}
    return out


def _cols(ln: Line) -> tuple[Column, ...]:
    return T3_COLUMNS if ln.table == "table3" else T4_COLUMNS


def reportable_blanks(report: Report) -> set[str]:
    """Printed cells left blank: not derived, in a table that was found whole, not part of an ambiguous reading."""
    if report.edition == "pre2019":
        return set()
    unsure = {c for r in report.readings for c in r.cells}
    full = {t for t, how in report.tables_found.items() if how == "full"}
    out = set()
    for ln in lines(edition(report.edition).name):
        if ln.table not in full:
            continue
        for p in ln.paths:
            v = report.cells.get(p)  # None: a row the report prints in another edition's form
            if v is not None and v.value is None and not v.derived and p not in unsure:
                out.add(p)
    return out
