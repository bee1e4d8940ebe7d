"""汇总: the three tables of any selection of reports summed cell by cell, and a 本级政府
report compared with it.

Pure functions over :class:`Report` s. Each summed cell keeps the reports that had a value
(zeros included) apart from those that left it blank: a cell blank in every report stays
blank, never 0. See docs/analysis.md.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from nianbao.model import Number, Report, Section, Source, Value
from nianbao.template import SECTIONS, TABLE_NAMES, cell_paths, edition, path_label
from nianbao.template.names import number

Key = int | str  # a stored report id, or a file name for reports not stored


@dataclass(frozen=True)
class Member:
    """One report of the selection, as the 汇总 names it."""

    id: Key
    agency: str | None
    region: str | None
    year: int | None
    edition: str | None

    @classmethod
    def of(cls, key: Key, r: Report) -> Member:
        return cls(key, r.agency, r.region, r.year, r.edition)

    @property
    def name(self) -> str:
        return f"{self.agency or '（未识别机关）'}{f' {self.year}年' if self.year else ''}"


@dataclass(frozen=True)
class RolledCell:
    path: str
    sum: Number | None  # None: blank in every report
    reports: tuple[Key, ...]  # the reports with a value here (zeros included)
    blanks: tuple[Key, ...]  # the reports that left it blank (or whose edition has no such cell)
    values: dict[Key, Number] = field(default_factory=dict, compare=False)  # report → its value

    @property
    def count(self) -> int:
        return len(self.reports)


@dataclass(frozen=True)
class Rollup:
    edition: str  # the template edition of the summed tables
    members: tuple[Member, ...]
    cells: dict[str, RolledCell]  # every printed cell of the edition, in template order

    @property
    def years(self) -> list[int]:
        return sorted({m.year for m in self.members if m.year is not None})

    def value(self, path: str) -> Number | None:
        c = self.cells.get(path)
        return None if c is None else c.sum

    def as_report(self, agency: str | None = None, year: int | None = None, region: str | None = None) -> Report:
        """The 汇总 as a Report (cells = the sums, blank stays blank): for the DOCX writer or a draft."""
        spec = SECTIONS[0]
        ids = ",".join(str(m.id) for m in self.members)
        digest = hashlib.sha256(f"rollup|{ids}".encode()).hexdigest()
        years = {m.year for m in self.members}
        return Report(
            source=Source(f"汇总（{len(self.members)}份报告）", digest, "rollup"),
            agency=agency,
            region=region,
            year=year if year is not None else (years.pop() if len(years) == 1 else None),
            edition=self.edition,
            table_editions=dict.fromkeys(TABLE_NAMES, self.edition),
            tables_found=dict.fromkeys(TABLE_NAMES, "full"),
            cells={p: Value(c.sum, number(c.sum)) for p, c in self.cells.items()},
            sections={spec.key: Section(spec.key, f"{spec.number}、{spec.title}", self.describe())},
        )

    def describe(self) -> str:
        """'本表为以下3份报告的汇总：A 2024年、B 2024年、C 2024年。'"""
        return f"本表为以下{len(self.members)}份报告的汇总：{'、'.join(m.name for m in self.members)}。"


def _tidy(v: Number) -> Number:
    """A sum without float noise: 0.1 + 0.2 → 0.3, 12.0 → 12."""
    v = round(float(v), 6)
    return int(v) if v.is_integer() else v


def rollup(reports: Iterable[tuple[Key, Report]]) -> Rollup:
    """The 汇总 of ``reports`` ((id, report) pairs) in the edition most of them use (2021 on a tie).

    A report of the other edition adds its value to every cell the two editions share; the
    cells its edition lacks count as blank for it."""
    pairs = list(reports)
    editions = Counter(edition(r.edition).name for _, r in pairs)
    name = max(sorted(editions, reverse=True), key=lambda e: editions[e]) if editions else edition(None).name
    members = tuple(Member.of(k, r) for k, r in pairs)
    cells = {}
    for path in cell_paths(edition(name)):
        values = {k: v for k, r in pairs if (v := r.value(path)) is not None}
        blanks = tuple(k for k, _ in pairs if k not in values)
        total = _tidy(sum(values.values())) if values else None
        cells[path] = RolledCell(path, total, tuple(values), blanks, values)
    return Rollup(name, members, cells)


@dataclass(frozen=True)
class Difference:
    """A cell where the 本级政府's own report and the 汇总 differ (blank against a value included)."""

    path: str
    own: Number | None
    total: Number | None
    diff: Number | None  # own − total; None when one side is blank
    units: tuple[tuple[Member, Number], ...]  # the reports with a non-zero value in the cell, largest first


def differences(total: Rollup, own: Report) -> list[Difference]:
    """Every cell of the 汇总 where ``own`` differs from the sum, naming the units behind the sum."""
    by_id = {m.id: m for m in total.members}
    out = []
    for path, c in total.cells.items():
        mine = own.value(path)
        if mine is None and c.sum is None:
            continue
        diff = None if mine is None or c.sum is None else _tidy(mine - c.sum)
        if diff == 0:
            continue
        units = sorted(((by_id[k], v) for k, v in c.values.items() if v != 0), key=lambda mv: -abs(mv[1]))
        out.append(Difference(path, mine, c.sum, diff, tuple(units)))
    return out


# ------------------------------------------------------------------ JSON --


def member_json(m: Member) -> dict[str, object]:
    return {"id": m.id, "agency": m.agency, "region": m.region, "year": m.year, "edition": m.edition}


def rollup_json(total: Rollup) -> dict[str, object]:
    """The 汇总 as the CLI and the API give it: the reports, and per cell its label, sum, count and blanks."""
    return {
        "edition": total.edition,
        "years": total.years,
        "reports": [member_json(m) for m in total.members],
        "cells": {
            p: {
                "label": path_label(p),
                "sum": c.sum,
                "count": c.count,
                "blanks": len(c.blanks),
                "reports": list(c.reports),
                "blank_reports": list(c.blanks),
            }
            for p, c in total.cells.items()
        },
    }


def differences_json(found: list[Difference]) -> list[dict[str, object]]:
    return [
        {
            "path": d.path,
            "label": path_label(d.path),
            "own": d.own,
            "total": d.total,
            "diff": d.diff,
            "units": [{"id": m.id, "agency": m.agency, "value": v} for m, v in d.units],
        }
        for d in found
    ]
