"""The rule catalogue: ``@rule(id, severity, title)`` registers a rule function in
:data:`RULES`.

A rule is one small function. A per-report rule takes a :class:`Report`, a
cross-report rule (``across=True``) takes ``list[Report]``; both yield
:class:`Diagnostic` and never raise. The docstring is the user documentation:
a one-line Chinese summary, then ``反例：`` (a failing example) and ``正例：`` (the
corrected form). ``nianbao rules`` and ``docs/rules.md`` are generated from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from nianbao.model import Diagnostic, Location, Report, Severity

# Catalogue order: the order of ../shared/spec/rules.md. A rule not listed here still
# registers; it comes after these, in the order the rules were registered.
ORDER = (
    "T3-BALANCE",
    "T3-RESULTS-SUM",
    "T3-ROW-SUM",
    "T3-SUBTOTAL",
    "T4-SUM",
    "VALUE-INVALID",
    "VALUE-AMBIGUOUS",
    "CELL-BLANK",
    "TABLE-MISSING",
    "READ-UNCERTAIN",
    "TABLE-AMBIGUOUS",
    "EDITION-YEAR",
    "SECTION-MISSING",
    "PUBLISHED-LATE",
    "HEADING-NUMBERING",
    "LABEL-VARIANT",
    "TEXT-TABLE",
    "FEE-STATEMENT",
    "IMPLAUSIBLE",
    "OVERVIEW-LENGTH",
    "CARRYOVER",
    "STOCK-CONTINUITY",
    "DUPLICATE-TEXT",
    "ROLLUP",
    "DUPLICATE-REPORT",
)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    func: Callable[..., Iterable[Diagnostic]]
    across: bool = False

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()

    def doc_part(self, marker: str) -> str:
        """The text after ``反例：`` or ``正例：`` up to the next marker."""
        lines = [ln.strip() for ln in self.doc.splitlines()]
        out: list[str] = []
        taking = False
        for ln in lines:
            if ln.startswith(("反例：", "正例：")):
                taking = ln.startswith(marker)
                ln = ln[len(marker) :] if taking else ln
            if taking and ln:
                out.append(ln)
        return "\n".join(out)

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0].strip() if self.doc else self.title


RULES: dict[str, Rule] = {}


def rule(id: str, severity: Severity, title: str, *, across: bool = False) -> Callable:
    """Register the decorated function as rule ``id``."""

    def register(func: Callable[..., Iterable[Diagnostic]]) -> Callable[..., Iterable[Diagnostic]]:
        RULES[id] = Rule(id, severity, title, func, across)
        ordered = sorted(RULES.items(), key=lambda kv: _rank(kv[0]))  # stable: the unlisted keep their order
        RULES.clear()
        RULES.update(ordered)
        return func

    return register


def _rank(id: str) -> int:
    return ORDER.index(id) if id in ORDER else len(ORDER)


def catalogue() -> list[Rule]:
    """Every registered rule, in catalogue order: those of ``ORDER``, then the others as registered."""
    return list(RULES.values())


def finding(
    rule_id: str,
    message: str,
    report: Report | None = None,
    cells: Iterable[str] = (),
    *,
    severity: Severity | None = None,
    location: Location | None = None,
    files: tuple[str, ...] = (),
    **values: object,
) -> Diagnostic:
    """A diagnostic of ``rule_id``; the location defaults to the provenance of the first cell (in
    ``report``'s file: a cross-report finding names that file in ``values["location_file"]``)."""
    cells = tuple(cells)
    if location is None and report is not None:
        location = next((v.location for c in cells if (v := report.cells.get(c)) and v.location), None)
    if files and report is not None and location is not None:
        values = {**values, "location_file": report.source.file}  # which of the files the location is in
    return Diagnostic(
        rule=rule_id,
        severity=severity or RULES[rule_id].severity,
        message=message,
        cells=cells,
        location=location,
        file=report.source.file if report is not None and not files else None,
        files=files,
        values=values,
    )


def run(rules: Iterable[Rule], arg: object) -> Iterator[Diagnostic]:
    """Every finding of ``rules`` on ``arg``; a rule that fails says so instead of raising."""
    for r in rules:
        try:
            yield from r.func(arg)
        except Exception as e:  # a rule bug must not stop the other rules
            yield Diagnostic(r.id, "info", f"规则{r.id}未能运行：{type(e).__name__}: {e}")
