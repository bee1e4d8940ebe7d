"""Check reports against the rule catalogue (``../shared/spec/rules.md``).

``check_report(report)`` runs every per-report rule, ``check_across(reports)`` the
rules over several reports; both return diagnostics in catalogue order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nianbao.check import across, structure, table3, table4, text, values  # noqa: F401  (register the rules)
from nianbao.check.registry import RULES, catalogue, run
from nianbao.model import SEVERITIES, Diagnostic, Report

UNREADABLE = "INPUT-UNREADABLE"

__all__ = [
    "RULES",
    "UNREADABLE",
    "Checked",
    "by_severity",
    "catalogue",
    "check_across",
    "check_all",
    "check_report",
    "unreadable",
]


def check_report(report: Report, ignore: Iterable[str] = ()) -> list[Diagnostic]:
    """Every finding of the per-report rules on ``report``, in catalogue order."""
    skip = set(ignore)
    return list(run((r for r in catalogue() if not r.across and r.id not in skip), report))


def check_across(reports: list[Report], ignore: Iterable[str] = ()) -> list[Diagnostic]:
    """Every finding of the cross-report rules over ``reports``, in catalogue order."""
    skip = set(ignore)
    return list(run((r for r in catalogue() if r.across and r.id not in skip), reports))


def unreadable(file: str, reason: str) -> Diagnostic:
    """The single diagnostic of a file that could not be read as a report."""
    return Diagnostic(UNREADABLE, "error", reason, file=file)


def by_severity(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Errors first, then warnings, then infos; catalogue order within each."""
    return sorted(diagnostics, key=lambda d: SEVERITIES.index(d.severity))


@dataclass(frozen=True)
class Checked:
    """One input file and what checking it found; ``report`` is None when it could not be read."""

    file: str
    report: Report | None
    diagnostics: list[Diagnostic]


def check_all(
    inputs: Iterable[tuple[str, Report | str]], ignore: Iterable[str] = ()
) -> tuple[list[Checked], list[Diagnostic]]:
    """Check each (file, report or the reason it is unreadable), then across the readable ones."""
    skip = set(ignore)
    results = [
        Checked(f, None, [unreadable(f, r)]) if isinstance(r, str) else Checked(f, r, check_report(r, skip))
        for f, r in inputs
    ]
    cross = check_across([c.report for c in results if c.report is not None], skip)
    return results, cross
