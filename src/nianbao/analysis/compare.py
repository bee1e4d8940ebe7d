"""Two or more reports side by side, cell by cell, in the template's layout: each cell's values,
and each report's absolute and % change against the first report (or the previous one)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from nianbao.analysis.metrics import METRICS
from nianbao.analysis.stored import Row, Visible, by_ids, everything, find, with_cells
from nianbao.template import BY_NAME, derived_paths, path_label
from nianbao.template.layout import Grid, grids

BASES = {"first": "与第一份比", "previous": "与前一份比"}
MAX_REPORTS = 12


def pick(
    engine: Engine, agencies: list[str], years: list[int], ids: list[int], visible: Visible = everything
) -> tuple[list[Row], list[str]]:
    """The ``visible`` reports chosen by id, then by agency × year (one agency: its years, oldest
    first; no year given: every year), and one plain line for each choice that found nothing."""
    rows = by_ids(engine, ids, visible)
    missing = [f"报告 {i} 不存在" for i in ids if i not in {r["id"] for r in rows}]
    for name in dict.fromkeys(a.strip() for a in agencies if a.strip()):
        found = find(engine, name, visible=visible)
        if years:
            found = [r for r in found if r["year"] in years]
        if not found:
            when = "、".join(map(str, years)) + " 年度" if years else ""
            missing.append(f"没有找到“{name}”{when}的报告（请填机关全称，或能唯一确定机关的部分名称）")
        rows += found
    rows = list({r["id"]: r for r in rows}.values())
    if len(rows) > MAX_REPORTS:
        missing.append(f"一次最多比较 {MAX_REPORTS} 份报告，只取前 {MAX_REPORTS} 份")
    return rows[:MAX_REPORTS], missing


def change(value: float | None, base: float | None) -> dict[str, float | None]:
    """``value − base`` and the same as a fraction of ``base`` (None when ``base`` is 0 or either is blank)."""
    if value is None or base is None:
        return {"abs": None, "pct": None}
    return {"abs": value - base, "pct": (value - base) / base if base else None}


def _cell(path: str, values: list[Any], base: str) -> Row:
    bases = [values[0] if base == "first" else values[i - 1] for i in range(1, len(values))]
    return {
        "path": path,
        "label": path_label(path),
        "values": values,
        "changes": [None, *(change(v, b) for v, b in zip(values[1:], bases, strict=True))],
        "differs": len(set(values)) > 1,
    }


def _grid_paths(g: Grid) -> list[str]:
    return [s.path for row in g.body for s in row if s.kind == "num"]


def compare(engine: Engine, rows: list[Row], base: str = "first") -> Row:
    """Every cell the reports print, in the first report's template layout (cells of another
    edition follow in ``other``; group totals the template has no row for are in ``metrics``),
    with ``metrics`` (the dictionary's quantities and rates)."""
    base = base if base in BASES else "first"
    rows = with_cells(engine, rows)
    layout = grids(rows[0]["edition"] if rows else None)
    cells: dict[str, Row] = {}
    every = dict.fromkeys(p for r in rows for p in r["cells"])
    for p in [p for g in layout for p in _grid_paths(g)] + list(every):
        if p not in cells:
            cells[p] = _cell(p, [r["cells"].get(p) for r in rows], base)
    in_layout = {p for g in layout for p in _grid_paths(g)}
    tables = [{"key": g.key, "title": g.title, "cells": [cells[p] for p in _grid_paths(g)]} for g in layout]
    sums = {p for ed in BY_NAME.values() for p in derived_paths(ed)}  # group totals the template prints no row for
    other = [c for p, c in cells.items() if p not in in_layout and p in every and p not in sums]
    metrics = [
        _cell(m.key, [m.of_totals(r["totals"]) for r in rows], base) | {"label": m.name, "rate": m.is_rate}
        for m in METRICS.values()
    ]
    shown = [c for t in tables for c in t["cells"]] + other
    return {
        "reports": [{k: v for k, v in r.items() if k not in ("cells", "totals")} for r in rows],
        "base": base,
        "tables": tables,
        "other": other,
        "metrics": metrics,
        "differences": sum(c["differs"] for c in shown),
        "cells": sum(1 for c in shown if any(v is not None for v in c["values"])),
    }
