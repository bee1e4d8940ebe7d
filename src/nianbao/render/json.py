"""Report ⇄ the JSON of ``spec/cli.md`` — the only place its keys are spelled.

``report_json(report)`` gives the documented contract; ``full=True`` adds what
the checker needs to run again without the source file (headings, labels,
readings), so a stored report can be rebuilt with ``report_from_json``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nianbao import template as T
from nianbao.model import Fact, Fees, Heading, LabelSeen, Location, Reading, Report, Section, Source, Uncertain, Value

SECTION_KEYS = tuple(s.key for s in T.SECTIONS)


def location_json(loc: Location | None) -> dict[str, Any] | None:
    return loc.as_dict() if loc else None


def location_from(d: dict[str, Any] | None) -> Location | None:
    """The location in ``d`` (a location, or a cell's provenance that may hold none)."""
    if not d or not any(d.get(k) is not None for k in ("line", "page", "table", "row", "col", "bbox")):
        return None
    bbox = d.get("bbox")
    return Location(
        d.get("line"), d.get("page"), d.get("table"), d.get("row"), d.get("col"), tuple(bbox) if bbox else None
    )


def _nest(out: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = out
    for p in parts[1:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


def report_json(report: Report, full: bool = False) -> dict[str, Any]:
    tables: dict[str, dict[str, Any]] = {"table2": {}, "table3": {}, "table4": {}}
    provenance: dict[str, Any] = {}
    for path, v in report.cells.items():
        _nest(tables[path.split(".")[0]], path, v.value)
        prov = location_json(v.location) or {}
        if v.raw:
            prov["text"] = v.raw
        if v.derived:
            prov["derived"] = True
        if v.note:
            prov["note"] = v.note
        if v.confidence is not None:
            prov["confidence"] = v.confidence
        if prov:
            provenance[path] = prov
    if report.split_items:
        tables["table2"].setdefault(T.SPLIT_ROW, {})["items"] = [
            {"name": it["name"], **{k: v.value for k, v in it.items() if isinstance(v, Value)}}
            for it in report.split_items
        ]
        for i, it in enumerate(report.split_items):
            for k, v in it.items():
                if isinstance(v, Value) and v.location:
                    provenance[f"table2.{T.SPLIT_ROW}.items.{i}.{k}"] = {**v.location.as_dict(), "text": v.raw}
    f = report.fees
    out: dict[str, Any] = {
        "file": report.source.file,
        "sha256": report.source.sha256,
        "format": report.source.format,
        "agency": report.agency,
        "region": report.region,
        "year": report.year,
        "edition": report.edition,
        "published": report.published,
        **tables,
        "fees_info": {
            "notices": f.notices,
            "notice_amount_yuan": f.notice_amount_yuan,
            "collected_yuan": f.collected_yuan,
        },
        "sections": {k: (report.sections[k].text if k in report.sections else None) for k in SECTION_KEYS},
        "narrative": [
            {"cell": x.cell, "value": x.value, "text": x.text, "location": location_json(x.location)}
            for x in report.narrative
        ],
        "provenance": provenance,
        "notes": list(report.notes),
        "table_editions": dict(report.table_editions),
    }
    if full:
        out["detail"] = _detail(report)
    return out


def contract(d: dict[str, Any]) -> dict[str, Any]:
    """``report_json(report, full=True)`` back to ``report_json(report)``: the documented keys only."""
    return {k: v for k, v in d.items() if k != "detail"}


def _detail(r: Report) -> dict[str, Any]:
    return {
        "encoding": r.source.encoding,
        "tables_found": r.tables_found,
        "sections": {k: {"heading": s.heading, "location": location_json(s.location)} for k, s in r.sections.items()},
        "headings": [{**h.__dict__, "location": location_json(h.location)} for h in r.headings],
        "labels": [{**x.__dict__, "location": location_json(x.location)} for x in r.labels],
        "readings": [
            {**x.__dict__, "cells": list(x.cells), "readings": list(x.readings), "location": location_json(x.location)}
            for x in r.readings
        ],
        "uncertain": [{**x.__dict__, "location": location_json(x.location)} for x in r.uncertain],
        "fees": {
            "text": r.fees.text,
            "location": location_json(r.fees.location),
            "mentions_admin_fees": r.fees.mentions_admin_fees,
        },
        "narrative_basis": [x.basis for x in r.narrative],
    }


def report_head(d: dict[str, Any], encoding: str | None = None) -> Report:
    """A Report holding only the file and the head (agency, region, year, edition, 落款 date) of its JSON."""
    r = Report(Source(d["file"], d["sha256"], d["format"], encoding))
    r.agency, r.region, r.year, r.edition, r.published = (
        d["agency"],
        d["region"],
        d["year"],
        d["edition"],
        d["published"],
    )
    return r


def report_from_json(d: dict[str, Any]) -> Report:
    """Rebuild a Report from ``report_json(report, full=True)``."""
    det = d.get("detail", {})
    prov = d.get("provenance", {})
    r = report_head(d, det.get("encoding"))
    r.table_editions = dict(d.get("table_editions", {}))
    r.tables_found = dict(det.get("tables_found", {}))
    for table in ("table2", "table3", "table4"):
        for path, value in flatten(table, d.get(table, {})):
            p = prov.get(path, {})
            r.cells[path] = Value(
                value, p.get("text", ""), location_from(p), p.get("note"), p.get("confidence"), bool(p.get("derived"))
            )
    for i, item in enumerate(d.get("table2", {}).get(T.SPLIT_ROW, {}).get("items", [])):
        r.split_items.append(
            {"name": item["name"]}
            | {
                k: Value(
                    v,
                    prov.get(f"table2.{T.SPLIT_ROW}.items.{i}.{k}", {}).get("text", ""),
                    location_from(prov.get(f"table2.{T.SPLIT_ROW}.items.{i}.{k}")),
                )
                for k, v in item.items()
                if k != "name"
            }
        )
    fi = d.get("fees_info", {})
    fd = det.get("fees", {})
    r.fees = Fees(
        fi.get("notices"),
        fi.get("notice_amount_yuan"),
        fi.get("collected_yuan"),
        fd.get("text", ""),
        location_from(fd.get("location")),
        bool(fd.get("mentions_admin_fees")),
    )
    for k, text in d.get("sections", {}).items():
        if text is not None:
            s = det.get("sections", {}).get(k, {})
            r.sections[k] = Section(k, s.get("heading", ""), text, location_from(s.get("location")))
    basis = det.get("narrative_basis", [])
    r.narrative = [
        Fact(x["cell"], x["value"], x["text"], location_from(x.get("location")), basis[i] if i < len(basis) else "")
        for i, x in enumerate(d.get("narrative", []))
    ]
    r.headings = [Heading(**{**h, "location": location_from(h.get("location"))}) for h in det.get("headings", [])]
    r.labels = [LabelSeen(**{**x, "location": location_from(x.get("location"))}) for x in det.get("labels", [])]
    r.readings = [
        Reading(x["table"], x["message"], tuple(x["cells"]), tuple(x["readings"]), location_from(x.get("location")))
        for x in det.get("readings", [])
    ]
    r.uncertain = [Uncertain(**{**x, "location": location_from(x.get("location"))}) for x in det.get("uncertain", [])]
    r.notes = list(d.get("notes", []))
    return r


def flatten(prefix: str, node: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """The (cell path, value) pairs of a table's nested JSON ``node`` (e.g. ``d["table2"]`` with
    ``prefix`` "table2"), in the JSON's order: the paths of :attr:`Report.cells`. The split row's
    ``items`` (the itemised entries, :attr:`Report.split_items`) are left out."""
    for k, v in node.items():
        if k == "items" and prefix.endswith(T.SPLIT_ROW):
            continue
        if isinstance(v, dict):
            yield from flatten(f"{prefix}.{k}", v)
        else:
            yield f"{prefix}.{k}", v
