"""One cell or metric across agencies and years: rows agencies, columns years."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from nianbao.analysis.metrics import Metric, metric
from nianbao.analysis.stored import Row, Visible, current, everything
from nianbao.render import grid_sheets
from nianbao.template import BY_NAME, cell_paths, derived_paths, path_label


def cell_choices() -> list[tuple[str, str]]:
    """(cell key, label) of every cell of both editions, in template order."""
    paths = dict.fromkeys(p for ed in BY_NAME.values() for p in cell_paths(ed) + derived_paths(ed))
    return [(p, path_label(p)) for p in paths]


class UnknownKey(ValueError):
    """Neither a metric of the dictionary nor a cell key."""


def subject(key: str) -> tuple[str, Metric | None]:
    """(the name shown, the metric) of a metric key or name, or of a cell key (metric None)."""
    m = metric(key)
    if m is not None:
        return m.name, m
    if key in dict(cell_choices()):
        return path_label(key), None
    raise UnknownKey(f"“{key}”既不是指标（见 nianbao matrix --list 或 /api/metrics），也不是单元格路径")


def matrix(
    engine: Engine,
    key: str,
    region: str | None = None,
    sort: str = "agency",
    desc: bool = False,
    visible: Visible = everything,
) -> Row:
    """Rows agencies (current ``visible`` reports), columns years; sorted by agency or by a year's
    values (blanks last)."""
    name, m = subject(key)
    reports = current(engine, paths=() if m else (key,), region=region, visible=visible)
    years = sorted({r["year"] for r in reports if r["year"] is not None})
    rows: dict[str, Row] = {}
    for r in reports:
        if r["year"] is None:
            continue
        row = rows.setdefault(  # one row per agency (store.agencies): its names of every year
            r["canonical_key"],
            {"agency": r["agency"], "agency_key": r["agency_key"], "region": r["region"], "values": {}, "ids": {}},
        )
        if r["agency"]:  # the newest name printed
            row["agency"], row["agency_key"] = r["agency"], r["agency_key"]
        row["region"] = r["region"] or row["region"]
        value = m.of_totals(r["totals"]) if m else r["cells"].get(key)
        row["values"][r["year"]] = value
        row["ids"][r["year"]] = r["id"]
    out = [
        {**row, "values": [row["values"].get(y) for y in years], "ids": [row["ids"].get(y) for y in years]}
        for row in rows.values()
    ]
    out.sort(key=lambda r: r["agency"] or "", reverse=desc and sort == "agency")
    if sort.isdigit() and int(sort) in years:
        i = years.index(int(sort))
        known = sorted((r for r in out if r["values"][i] is not None), key=lambda r: r["values"][i], reverse=desc)
        out = known + [r for r in out if r["values"][i] is None]
    else:
        sort = "agency"
    return {
        "key": key,
        "name": name,
        "metric": m.as_dict() if m else None,
        "rate": bool(m and m.is_rate),
        "region": region,
        "sort": sort,
        "desc": desc,
        "years": years,
        "rows": out,
    }


def table(result: Row) -> tuple[list[str], list[list[Any]]]:
    """The matrix as a header and rows (for CSV and XLSX)."""
    head = ["机关", "地区", *(f"{y}年" for y in result["years"])]
    return head, [[r["agency"], r["region"] or "", *r["values"]] for r in result["rows"]]


def notes(result: Row) -> list[str]:
    """What the matrix shows (the metric's definition and caveats), written under the exports."""
    m = result["metric"]
    if not m:
        return [f"单元格：{result['name']}（{result['key']}）"]
    return [f"{m['name']} = {m['formula']}", *(f"注：{c}" for c in m["caveats"])]


def export(result: Row, fmt: str) -> bytes:
    """The matrix as a ``csv`` or ``xlsx`` file, its definition under the table."""
    head, rows = table(result)
    if fmt == "csv" and result["rate"]:  # in per cent with one decimal, as the XLSX shows them
        head = head[:2] + [f"{h}（%）" for h in head[2:]]
        rows = [r[:2] + [None if v is None else round(v * 100, 1) for v in r[2:]] for r in rows]
    if fmt == "csv":
        return grid_sheets.to_csv(head, rows, notes(result))
    return grid_sheets.to_xlsx(result["name"], head, rows, notes(result), 2 if result["rate"] else None)
