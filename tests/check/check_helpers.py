"""Reports built by hand from a compact dict (the YAML cases' ``input``).

The base report is consistent: every printed cell 0, every table found, all six
sections with template headings, a full 信息处理费 statement. A case states only what
differs. ``cells`` maps a cell path to a value, or a row path to its list of values
(表三: 7, 表四 group: 5, 表二 row: its columns); ``null`` is a blank; a dict gives
``value``/``raw``/``note``/``confidence``/``derived``; ``uncertain`` lists
``{part, reason}`` the reader was unsure of; ``published`` is the 落款 date; ``notes``
the reader's notes."""

from __future__ import annotations

import hashlib
from typing import Any

from nianbao.model import (
    Fact,
    Fees,
    Heading,
    LabelSeen,
    Location,
    Reading,
    Report,
    Section,
    Source,
    Uncertain,
    Value,
)
from nianbao.template import SECTIONS, T3_COLUMNS, T4_COLUMNS, T4_GROUPS, cell_paths, derived_paths, edition

BASE_TEXT = "本机关严格执行政府信息公开条例，按时公开各类信息。"


def make_report(spec: dict[str, Any] | None = None) -> Report:
    spec = dict(spec or {})
    ed = edition(spec.get("edition", "2021"))
    file = spec.get("file", "case.txt")
    sha = spec.get("sha256") or hashlib.sha256(file.encode()).hexdigest()
    cells = {p: Value(0, "0", Location(line=i + 100)) for i, p in enumerate(cell_paths(ed))}
    cells |= {p: Value(0, "", None, derived=True) for p in derived_paths(ed)}
    for table in spec.get("blank_tables", []):
        cells |= {p: Value(None, "", Location(line=998)) for p in cell_paths(ed) if p.startswith(table + ".")}
    for path, v in (spec.get("cells") or {}).items():
        if isinstance(v, list):
            cols = _columns(ed, path)
            assert len(cols) == len(v), f"{path}: {len(v)} values for {len(cols)} columns"
            for c, x in zip(cols, v, strict=True):
                cells[f"{path}.{c}"] = _value(x, cells.get(f"{path}.{c}"))
        else:
            cells[path] = _value(v, cells.get(path))
    sections = {
        s.key: Section(s.key, f"{s.number}、{s.title}", BASE_TEXT, Location(line=10 * i))
        for i, s in enumerate(SECTIONS)
    }
    for k, text in (spec.get("sections") or {}).items():
        if isinstance(text, dict):  # {text, times}: a long text
            text = text["text"] * text["times"]
        if text is None:
            sections.pop(k, None)
        else:
            sections[k] = Section(k, k, text, Location(line=900))
    headings = [
        Heading(f"{s.number}、{s.title}", f"{s.number}、", 1, s.key, f"{s.number}、", Location(line=10 * i))
        for i, s in enumerate(SECTIONS)
    ]
    if "headings" in spec:
        headings = [Heading(**{"section": None, "location": None, **h}) for h in spec["headings"]]
    tables = {t: "full" for t in ("table2", "table3", "table4")} | spec.get("tables_found", {})
    return Report(
        source=Source(file, sha, "txt", "utf-8"),
        agency=spec.get("agency", "北京市西城区政务服务管理局"),
        region=spec.get("region"),
        year=spec.get("year", 2020 if ed.name == "2019" else 2024),
        published=spec.get("published"),
        edition=ed.name,
        table_editions=spec.get("table_editions", {t: ed.name for t in ("table2", "table3", "table4")}),
        tables_found={t: v for t, v in tables.items() if v is not None},
        cells=cells,
        fees=Fees(**spec["fees"])
        if "fees" in spec
        else Fees(0, 0, 0, "发出收费通知的件数和总金额以及实际收取的总金额均为0"),
        sections=sections,
        headings=headings,
        narrative=[Fact(**{"text": "", **f}) for f in spec.get("narrative", [])],
        labels=[LabelSeen(**x) for x in spec.get("labels", [])],
        readings=[
            Reading(**{**r, "cells": tuple(r["cells"]), "readings": tuple(r["readings"])})
            for r in spec.get("readings", [])
        ],
        uncertain=[Uncertain(**u) for u in spec.get("uncertain", [])],
        notes=list(spec.get("notes", [])),
    )


def _columns(ed, path: str) -> list[str]:
    table, row = path.split(".", 1)
    if table == "table3":
        return [c.key for c in T3_COLUMNS]
    if table == "table4":
        assert row in dict(T4_GROUPS), row
        return [c.key for c in T4_COLUMNS]
    return [c.key for c in ed.t2_row(row).columns]


def _value(x: Any, old: Value | None) -> Value:
    loc = old.location if old else Location(line=999)
    if isinstance(x, dict):
        raw = x.get("raw", "")
        return Value(x.get("value"), raw, loc, x.get("note"), x.get("confidence"), x.get("derived", False))
    return Value(x, "" if x is None else str(x), loc)
