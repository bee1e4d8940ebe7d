"""Reports built in memory for the tests, without a file to read.

- ``case_report(spec)``: a consistent report (every printed cell 0) changed by a compact
  dict, the YAML cases' ``input`` (tests/check/cases).
- ``balanced_report(agency, year)``: synthetic cells that satisfy every template sum (unless
  ``break_balance``), for pages and cross-year views (tests/web).
- ``numbered_report(agency, year)``: cell number *i* holds (7·seed + 3i) mod 50, a few blank,
  so that stored values can be told apart (tests/store).
"""

from __future__ import annotations

import hashlib
import random
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
from nianbao.synth import synth_cells
from nianbao.template import SECTIONS, T3_COLUMNS, T4_COLUMNS, T4_GROUPS, Edition, cell_paths, derived_paths, edition

BASE_TEXT = "本机关严格执行政府信息公开条例，按时公开各类信息。"


def case_report(spec: dict[str, Any] | None = None) -> Report:
    """The base report is consistent: every printed cell 0, every table found, all six
    sections with template headings, a full 信息处理费 statement. A case states only what
    differs. ``cells`` maps a cell path to a value, or a row path to its list of values
    (表三: 7, 表四 group: 5, 表二 row: its columns); ``null`` is a blank; a dict gives
    ``value``/``raw``/``note``/``confidence``/``derived``; ``uncertain`` lists
    ``{part, reason}`` the reader was unsure of; ``published`` is the 落款 date; ``notes``
    the reader's notes."""
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


def _columns(ed: Edition, path: str) -> list[str]:
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


def balanced_report(agency: str, year: int, ed: str = "2021", seed: int = 1, break_balance: bool = False) -> Report:
    """A report whose cells satisfy every template sum (unless ``break_balance``: 表三's
    carried-forward row is 5 too high in the 自然人 and 总计 columns), with sections and a fact."""
    values = synth_cells(random.Random(seed), ed, scale=40)
    if break_balance:
        values["table3.carried_forward.natural_person"] = (values["table3.carried_forward.natural_person"] or 0) + 5
        values["table3.carried_forward.total"] = (values["table3.carried_forward.total"] or 0) + 5
    cells = {}
    for i, p in enumerate(cell_paths(edition(ed))):
        v = values.get(p)
        cells[p] = Value(v, "" if v is None else str(v), Location(line=60 + i))
    new = values["table3.new_received.total"]
    text = f"{agency}{year}年共收到政府信息公开申请{new}件。"
    content = f"{agency}|{year}|{ed}|{seed}|{break_balance}".encode()
    return Report(
        source=Source(f"{agency}-{year}.txt", hashlib.sha256(content).hexdigest(), "txt", "utf-8"),
        agency=agency,
        region="北京市测试区",
        year=year,
        edition=ed,
        published=f"{year + 1}-01-20",
        table_editions={"table2": ed, "table3": ed, "table4": ed},
        tables_found={"table2": "full", "table3": "full", "table4": "full"},
        cells=cells,
        sections={
            s.key: Section(
                s.key,
                f"{s.number}、{s.title}",
                text if s.key == "requests" else f"{s.title}的正文。",
                Location(line=5 * n),
            )
            for n, s in enumerate(SECTIONS, 1)
        },
        narrative=[Fact("table3.new_received.total", new, f"共收到政府信息公开申请{new}件", Location(line=16))],
    )


def numbered_report(agency: str = "北京市测试区人民政府", year: int = 2024, seed: int = 1, ed: str = "2021") -> Report:
    """Cell number *i* of the edition holds (7·seed + 3i) mod 50; blank where i mod 37 = 5; the
    信息处理费 amount is seed × 1.2345 (万元); cell 9 carries a reader's note. Sections and a fact."""
    cells = {}
    for i, p in enumerate(cell_paths(edition(ed))):
        value: int | float | None = (seed * 7 + i * 3) % 50
        if i % 37 == 5:
            value = None
        if p.endswith("amount_wan"):
            value = round(seed * 1.2345, 4)
        raw = "" if value is None else str(value)
        cells[p] = Value(value, raw, Location(line=100 + i), note="读作整数" if i == 9 else None)
    content = f"{agency}{year}{seed}{ed}".encode()
    return Report(
        source=Source(f"{agency}-{year}-{seed}.txt", hashlib.sha256(content).hexdigest(), "txt", "utf-8"),
        agency=agency,
        region="北京市测试区",
        year=year,
        edition=ed,
        published=f"{year + 1}-01-20",
        cells=cells,
        sections={
            s.key: Section(s.key, f"{s.number}、{s.title}", f"{agency}{s.title}正文{seed}", Location(line=10 * n))
            for n, s in enumerate(SECTIONS, 1)
        },
        narrative=[Fact("table3.new_received.total", 12, "共收到申请12件", Location(line=20))],
    )
