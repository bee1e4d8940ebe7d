"""The sum identities of the template as data, built from ``nianbao.template``,
and their evaluation on a report. The arithmetic rules and ``CELL-BLANK`` share them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from nianbao.check.registry import finding
from nianbao.check.trust import doubt_about, doubts, interpreted
from nianbao.model import Diagnostic, Number, Report
from nianbao.template import (
    EDITION_2021,
    T3_COLUMNS,
    T3_GROUPS,
    T3_PART_COLUMNS,
    T3_SUBTOTAL_COLUMN,
    T4_COLUMNS,
    T4_GROUPS,
    T4_PARTS,
    Edition,
    derived_paths,
    edition,
    path_label,
    t3_result_rows,
)

COL_LABEL = {c.key: c.label for c in T3_COLUMNS}
T4_LABEL = {c.key: c.label for c in T4_COLUMNS}
T4_GROUP_LABEL = dict(T4_GROUPS)
# Result groups as a message names them: "（一）予以公开" … "（六）其他处理".
GROUP_NAME = {r: EDITION_2021.t3_row(r).label.split("（区分")[0] for r in ("granted", "partially_granted")} | T3_GROUPS


@dataclass(frozen=True)
class Term:
    name: str  # as printed in a message: "一", "（七）总计", "自然人"
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Identity:
    rule: str
    where: str  # '表三“自然人”列'
    left: tuple[Term, ...]
    right: tuple[Term, ...]
    sides: tuple[tuple[str, ...], tuple[str, ...]] = field(init=False, compare=False, repr=False)

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(p for t in self.left + self.right for p in t.paths)

    def __post_init__(self) -> None:
        # The cell paths of each side, flat, for the fast check in :func:`holds`.
        flat = tuple(p for t in self.left for p in t.paths), tuple(p for t in self.right for p in t.paths)
        object.__setattr__(self, "sides", flat)


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


def fmt(v: Number | None) -> str:
    """A number as a reader writes it: 12, 491.5; blank as 空."""
    if v is None:
        return "空"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return f"{v:.6f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)


def _side(terms: tuple[Term, ...], values: dict[str, Number], total: Number) -> str:
    text = "+".join(f"{t.name}（{fmt(values[t.name])}）" for t in terms)
    return f"{text}={fmt(total)}" if len(terms) > 1 else text


def row_name(row: str) -> str:
    """'表三“（一）予以公开”行' for a 表三 row key."""
    return path_label(f"table3.{row}.total").replace("·总计”", "”行")


@lru_cache(maxsize=4)
def _balance(ed_name: str) -> tuple[Identity, ...]:
    out = []
    for c in T3_COLUMNS:
        left = (Term("一", (f"table3.new_received.{c.key}",)), Term("二", (f"table3.carried_over.{c.key}",)))
        right = (
            Term("（七）总计", (f"table3.total_processed.{c.key}",)),
            Term("四", (f"table3.carried_forward.{c.key}",)),
        )
        out.append(Identity("T3-BALANCE", f"表三“{c.label}”列", left, right))
    return tuple(out)


@lru_cache(maxsize=4)
def _results(ed_name: str) -> tuple[Identity, ...]:
    rows = t3_result_rows(edition(ed_name))
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(r.split(".")[0], []).append(r)
    out = []
    for c in T3_COLUMNS:
        right = tuple(Term(GROUP_NAME[g], tuple(f"table3.{r}.{c.key}" for r in rs)) for g, rs in groups.items())
        left = (Term("（七）总计", (f"table3.total_processed.{c.key}",)),)
        out.append(Identity("T3-RESULTS-SUM", f"表三“{c.label}”列", left, right))
    return tuple(out)


@lru_cache(maxsize=4)
def _row_sums(ed_name: str) -> tuple[Identity, ...]:
    out = []
    for r in edition(ed_name).table3:
        left = (Term("总计", (f"table3.{r.key}.total",)),)
        right = tuple(Term(COL_LABEL[c], (f"table3.{r.key}.{c}",)) for c in T3_PART_COLUMNS)
        out.append(Identity("T3-ROW-SUM", row_name(r.key), left, right))
    return tuple(out)


@lru_cache(maxsize=1)
def _t4_sums() -> tuple[Identity, ...]:
    out = []
    for g, label in T4_GROUPS:
        left = (Term("总计", (f"table4.{g}.total",)),)
        right = tuple(Term(T4_LABEL[c], (f"table4.{g}.{c}",)) for c in T4_PARTS)
        out.append(Identity("T4-SUM", f"表四“{label}”", left, right))
    return tuple(out)


def subtotals(report: Report, ed: Edition) -> list[Identity]:
    """Group subtotals and 法人或其他组织小计 cells the report prints (the template has none)."""
    out = []
    for path in derived_paths(ed):
        v = report.cells.get(path)
        if v is None or v.derived or v.value is None:
            continue
        group, col = path.split(".")[1], path.split(".")[-1]
        items = ed.group_items(group)
        right = tuple(Term(ed.t3_row(i).label.split(".")[0], (f"table3.{i}.{col}",)) for i in items)
        out.append(Identity("T3-SUBTOTAL", path_label(path), (Term("小计", (path,)),), right))
    sub = T3_SUBTOTAL_COLUMN
    for r in ed.table3:
        path = f"table3.{r.key}.{sub.key}"
        if path in report.cells and report.cells[path].value is not None:
            right = tuple(Term(COL_LABEL[c], (f"table3.{r.key}.{c}",)) for c in T3_PART_COLUMNS[1:])
            out.append(Identity("T3-SUBTOTAL", f"{row_name(r.key)}“{sub.label}”", (Term(sub.label, (path,)),), right))
    return out


def identities(report: Report, rule: str | None = None) -> list[Identity]:
    """The identities of the report's edition, optionally only those of ``rule``."""
    name = edition(report.edition).name
    every = {
        "T3-BALANCE": _balance(name),
        "T3-RESULTS-SUM": _results(name),
        "T3-ROW-SUM": _row_sums(name),
        "T4-SUM": _t4_sums(),
    }
    if rule is not None:
        return list(every.get(rule, ())) if rule != "T3-SUBTOTAL" else subtotals(report, edition(name))
    return [i for ids in every.values() for i in ids] + subtotals(report, edition(name))


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
        msg, severity = (out.message(), None) if why is None else (f"{out.message()}（读取不确定：{why}）", "warning")
        values = {"left": out.left, "right": out.right, "terms": out.terms}
        yield finding(rule_id, msg, report, ident.paths, severity=severity, **values)
