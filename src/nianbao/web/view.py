"""What a report page shows about each cell: value, source, findings.

Works on the stored report (``Store.load_report``) and the plain dicts of
``store.queries`` (its diagnostics); nothing here touches the database.
"""

from __future__ import annotations

from typing import Any

from nianbao.model import Diagnostic, Report, Value
from nianbao.template import SECTIONS, SPLIT_ROW, cell_paths, edition, layout
from nianbao.template.names import number
from nianbao.web import source
from nianbao.web.labels import ROW_CELLS
from nianbao.web.respond import location_text

RANK = {"error": 0, "warning": 1, "info": 2}


def anchor(path: str) -> str:
    """The HTML id of a cell path (dots are awkward in CSS selectors); a table key is the table's id,
    a section's is its text's, the fee facts are in section 六."""
    if path.startswith("sections."):
        return "s-" + path.removeprefix("sections.")
    if path.split(".")[0] == "fees_info":
        return "s-other"
    if path in ROW_CELLS:
        return anchor(ROW_CELLS[path][-1])
    return path if "." not in path else "c-" + path.replace(".", "-")


def diagnostic(d: Diagnostic) -> dict[str, Any]:
    """A finding not read from the store, in the store's shape."""
    loc = d.location.as_dict() if d.location else None
    return {
        "rule": d.rule,
        "severity": d.severity,
        "message": d.message,
        "cells": list(d.cells),
        "location": loc,
        "files": list(d.files),
    }


def findings(diagnostics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Diagnostics in severity order, each with an ``anchor``, its cells' anchors and ``cross``."""
    ordered = sorted(diagnostics, key=lambda d: RANK.get(d.get("severity", "info"), 3))
    return [
        {
            **d,
            "anchor": f"f-{i}",
            "cell_anchors": [anchor(p) for p in d.get("cells") or ()],
            "cross": len(d.get("files") or ()) > 1,  # a cross-report rule names both files
        }
        for i, d in enumerate(ordered, 1)
    ]


def stored_cells(report: Report) -> dict[str, dict[str, Any]]:
    """Every cell of a stored report (:meth:`nianbao.store.db.Store.load_report`), the 2019
    sub-rows included, as ``{value, raw, location, note, derived}``."""
    out = {p: _cell(v) for p, v in report.cells.items()}
    for i, item in enumerate(report.split_items):
        for k, v in item.items():
            if isinstance(v, Value):
                out[f"table2.{SPLIT_ROW}.items.{i}.{k}"] = _cell(v)
    return out


def _cell(v: Value) -> dict[str, Any]:
    loc = v.location.as_dict() if v.location else None
    return {"value": v.value, "raw": v.raw, "location": loc, "note": v.note, "derived": v.derived}


def cells(
    edition_name: str | None,
    stored: dict[str, dict[str, Any]],
    found: list[dict[str, Any]],
    fixes: dict[str, dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Every printed cell of the edition (and any 2019 sub-rows): value, raw text, where, and the
    findings naming it. ``stored`` is :func:`stored_cells` (or a tally's cells): path → ``{value, raw, location, note}``;
    ``fixes`` the corrections in force (path → ``{printed, value, reason, who, at}``): such a cell
    shows the corrected value and keeps the printed one (``printed``)."""
    fixes = fixes or {}
    by_cell: dict[str, list[dict[str, Any]]] = {}
    for f in found:
        for named in f.get("cells") or ():
            for p in ROW_CELLS.get(named, (named,)):
                by_cell.setdefault(p, []).append(f)
    out = {}
    extra = [p for p in stored if ".items." in p]
    for path in cell_paths(edition(edition_name)) + extra:
        src = stored.get(path) or {}
        loc = src.get("location") or {}
        hits = by_cell.get(path, [])
        worst = min((RANK.get(f["severity"], 3) for f in hits), default=None)
        value = fixes[path]["value"] if path in fixes else src.get("value")
        out[path] = {
            "anchor": anchor(path),
            "value": value,
            "shown": number(value),
            "raw": src.get("raw") or "",
            "note": "" if path in fixes else src.get("note") or "",
            "derived": bool(src.get("derived")),
            "where": location_text(loc),
            "line": loc.get("line"),
            "key": source.key(loc),
            "findings": [f["anchor"] for f in hits],
            "severity": None if worst is None else next(k for k, v in RANK.items() if v == worst),
            "corrected": path in fixes,
            "printed": number(fixes[path]["printed"]) if path in fixes else None,
        }
    return out


def marked(text: str, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``text`` cut into pieces; a piece that is a narrative fact's phrase carries the fact's cell path.

    The template draws the pieces (escaped) and marks the facts, so clicking a
    table cell can highlight where the text states the same number."""
    spans: list[tuple[int, int, dict[str, Any]]] = []
    for i, f in enumerate(facts):
        phrase = (f.get("text") or "").strip()
        at = text.find(phrase) if phrase else -1
        if at >= 0 and all(at >= e or at + len(phrase) <= s for s, e, _ in spans):
            spans.append((at, at + len(phrase), {"cell": f.get("cell"), "anchor": anchor(f.get("cell") or ""), "n": i}))
    pieces, pos = [], 0
    for start, end, fact in sorted(spans, key=lambda t: t[0]):
        if start > pos:
            pieces.append({"text": text[pos:start]})
        pieces.append({"text": text[start:end], **fact})
        pos = end
    if pos < len(text):
        pieces.append({"text": text[pos:]})
    return pieces


def report_context(got: dict[str, Any], stored: Report) -> dict[str, Any]:
    """The report page's data: ``got`` in the shape of :func:`nianbao.store.queries.get_report`
    (``report``, ``document``, ``diagnostics``, ``cross``, ``sections``, ``versions``) and the
    report as read (its cells). A stored report, or one only checked and kept in memory."""
    meta, doc = got["report"], got["document"]
    found = findings(got["diagnostics"] + got["cross"])
    return {
        "title": f"{meta.get('agency') or '（未识别机关）'} {meta.get('year') or ''}年度报告",
        "report": meta,
        "versions": got["versions"],
        "findings": found,
        "cells": cells(meta.get("edition"), stored_cells(stored), found, got.get("corrections")),
        "corrections": got.get("corrections") or {},
        "sections": sections(got["sections"]),
        "narrative": doc.get("narrative") or [],
        "fees_info": doc.get("fees_info"),
        "notes": doc.get("notes") or [],
        "document": doc,
    }


def report_html(ctx: dict[str, Any], stored: Report) -> dict[str, Any]:
    """What only the HTML report page needs: the template's grids and each section's text in marked pieces."""
    split = tuple(str(item.get("name", "")) for item in stored.split_items)
    return {
        "grids": layout.grids(ctx["report"].get("edition"), split),
        "pieces": {s["key"]: marked(s["text"], ctx["narrative"]) for s in ctx["sections"]},
    }


def sections(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The six sections in template order, as ``{key, number, title, heading, text, location, missing}``."""
    by_key = {s["key"]: s for s in stored}
    out = []
    for spec in SECTIONS:
        s = by_key.get(spec.key) or {}
        out.append(
            {
                "key": spec.key,
                "number": spec.number,
                "title": spec.title,
                "heading": s.get("heading") or f"{spec.number}、{spec.title}",
                "text": s.get("text") or "",
                "location": s.get("location"),
                "missing": not s,
            }
        )
    return out


def readings(report: Report) -> list[dict[str, Any]]:
    """The tables that could be read more than one way, each reading with its values:
    ``[{table, message, options: [{index, cells: [{path, shown}]}]}]``."""
    return [
        {
            "table": r.table,
            "message": r.message,
            "options": [
                {"index": i, "cells": [{"path": p, "shown": number(v)} for p, v in option.items()]}
                for i, option in enumerate(r.readings)
            ],
        }
        for r in report.readings
        if r.readings
    ]
