"""The evaluation of the template's sum identities (``nianbao.template.relations``) on a
report. The arithmetic rules and ``CELL-BLANK`` share it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from nianbao.check.registry import finding
from nianbao.check.trust import doubt_about, doubts, hedged, interpreted
from nianbao.model import Diagnostic, Number, Report
from nianbao.template.relations import Identity, Term, fmt, identities


@dataclass(frozen=True)
class Outcome:
    identity: Identity
    left: Number
    right: Number
    terms: dict[str, Number]  # term name -> value
    blanks: tuple[str, ...]  # paths that were None (counted as 0)

    @property
    def holds(self) -> bool:
        return abs(self.left - self.right) < 1e-6

    def message(self) -> str:
        ident = self.identity
        return (
            f"{ident.where}：{_side(ident.left, self.terms, self.left)}，但{_side(ident.right, self.terms, self.right)}"
        )


def _side(terms: tuple[Term, ...], values: dict[str, Number], total: Number) -> str:
    text = "+".join(f"{t.name}（{fmt(values[t.name])}）" for t in terms)
    return f"{text}={fmt(total)}" if len(terms) > 1 else text


def evaluate(report: Report, ident: Identity, blank_as_zero: bool = False) -> Outcome | None:
    """The two sides of ``ident``; None when a cell is None, unless ``blank_as_zero``."""
    terms: dict[str, Number] = {}
    blanks: list[str] = []
    cells = report.cells
    for t in ident.left + ident.right:
        s: Number = 0
        for p in t.paths:
            v = cells.get(p)
            if v is None or v.value is None:
                if not blank_as_zero:
                    return None
                blanks.append(p)
                continue
            s += v.value
        terms[t.name] = s
    left = sum(terms[t.name] for t in ident.left)
    right = sum(terms[t.name] for t in ident.right)
    return Outcome(ident, left, right, terms, tuple(blanks))


def holds(report: Report, sides: tuple[tuple[str, ...], tuple[str, ...]]) -> bool | None:
    """Whether the two sides are equal; None when a cell is blank. The hot path of every report."""
    cells = report.cells
    total = [0, 0]
    for i, side in enumerate(sides):
        for p in side:
            v = cells.get(p)
            if v is None or v.value is None:
                return None
            total[i] += v.value
    return abs(total[0] - total[1]) < 1e-6


def broken(report: Report, rule_id: str) -> Iterator[Diagnostic]:
    """A finding for each identity of ``rule_id`` that fails on filled cells (blanks go to CELL-BLANK);
    only a warning, saying why, when the reader is unsure of one of its cells or had to interpret
    its value (see ``check.trust``)."""
    doubted = None
    for ident in identities(report, rule_id):
        if holds(report, ident.sides) is not False:
            continue
        out = evaluate(report, ident)
        if out is None or out.holds:
            continue
        doubted = doubts(report) if doubted is None else doubted
        why = doubt_about(doubted, ident.paths) or interpreted(report, ident.paths)
        msg, severity = hedged(out.message(), why)
        values = {"left": out.left, "right": out.right, "terms": out.terms}
        yield finding(rule_id, msg, report, ident.paths, severity=severity, **values)
