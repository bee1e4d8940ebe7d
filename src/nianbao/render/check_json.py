"""The ``nianbao check --format json`` document of spec/cli.md: reports[], cross[], summary."""

from __future__ import annotations

from typing import Any

from nianbao.check import Checked, by_severity
from nianbao.model import SEVERITIES, Diagnostic
from nianbao.render.json import location_json


def diagnostic_json(d: Diagnostic, cross: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"rule": d.rule, "severity": d.severity, "message": d.message}
    if cross:
        out["files"] = list(d.files)
    out["cells"] = list(d.cells)
    out["location"] = location_json(d.location)
    out["values"] = _plain(d.values)
    return out


def check_json(results: list[Checked], cross: list[Diagnostic]) -> dict[str, Any]:
    reports = []
    for c in results:
        r = c.report
        reports.append(
            {
                "file": c.file,
                "agency": r.agency if r else None,
                "year": r.year if r else None,
                "edition": r.edition if r else None,
                "diagnostics": [diagnostic_json(d) for d in by_severity(c.diagnostics)],
            }
        )
    every = [d for c in results for d in c.diagnostics] + cross
    summary = {"files": len(results)} | {f"{s}s": sum(d.severity == s for d in every) for s in SEVERITIES}
    return {
        "reports": reports,
        "cross": [diagnostic_json(d, cross=True) for d in by_severity(cross)],
        "summary": summary,
    }


def _plain(v: Any) -> Any:
    """Values as JSON: tuples → lists, keys → strings."""
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple | set | frozenset):
        return [_plain(x) for x in v]
    return v
