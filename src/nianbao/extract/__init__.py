"""Document → Report: sections, tables, metadata, fees and narrative facts.

``extract`` calls the steps in order and nothing else; each step is a module."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from nianbao import template as T
from nianbao.extract import labels, stream
from nianbao.extract.fees import read_fees
from nianbao.extract.meta import is_date_line, read_meta
from nianbao.extract.narrative import read_facts
from nianbao.extract.sections import find_sections, section_heading, sub_headings
from nianbao.extract.tables import TableResult, table2, table3, table4
from nianbao.model import Report, ReportError, Section, Value
from nianbao.read import read_bytes, read_path
from nianbao.read.document import Block, Document, Paragraph, Table

SECTION_TABLE = {"active": "table2", "requests": "table3", "review": "table4"}
_WALKERS = {"table2": table2, "table3": table3, "table4": table4}
_MAX_STREAM_PARAGRAPH = 60
_BLANK = Value(None)  # a cell the report does not print (immutable, so shared)


def read_report(path: str | Path) -> Report:
    return extract(read_path(path))


def read_report_bytes(data: bytes, name: str = "") -> Report:
    return extract(read_bytes(data, name))


def extract(doc: Document) -> Report:
    blocks = doc.blocks
    found = find_sections(blocks)
    bounds = [f.index for f in found] + [len(blocks)]
    regions = {f.spec.key: (f.index + 1, bounds[i + 1]) for i, f in enumerate(found)}
    streams, used = _table_streams(blocks, regions)
    results = {t: _WALKERS[t](items) for t, items in streams.items()}
    if len(found) < 2 and not any(r.rows_found for r in results.values()):
        raise ReportError("不是政府信息公开工作年度报告：找不到报告的六个部分和统计表")

    report = Report(source=doc.source, notes=list(doc.notes))
    first = found[0].index if found else len(blocks)
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    meta = read_meta(
        [b for b in blocks[:first] if isinstance(b, Paragraph)],
        paragraphs[-8:],
        "\n".join(p.text for p in paragraphs),
    )
    report.agency, report.region, report.year, report.published = meta.agency, meta.region, meta.year, meta.published

    section_paras: dict[str, list[Paragraph]] = {}
    for f in found:
        start, end = regions[f.spec.key]
        paras = [b for b in blocks[start:end] if isinstance(b, Paragraph) and id(b) not in used]
        if f.spec.key == "other":
            paras = _without_signature(paras)
        section_paras[f.spec.key] = paras
        loc = blocks[f.index].location if isinstance(blocks[f.index], Paragraph) else None
        report.sections[f.spec.key] = Section(f.spec.key, f.text, "\n".join(p.text.strip() for p in paras), loc)
        report.headings.append(replace(section_heading(f), location=loc))
        report.headings.extend(sub_headings(paras, f.spec.key))

    _fill_tables(report, results)
    other = section_paras.get("other", [])
    report.fees = read_fees([(p.text, p.location) for p in other])
    report.narrative = read_facts([(p.text, p.location) for ps in section_paras.values() for p in ps])
    return report


def _without_signature(paras: list[Paragraph]) -> list[Paragraph]:
    """Drop the 落款 (agency and date) closing section 六."""
    out = list(paras)
    if out and is_date_line(out[-1].text):
        out.pop()
        if out and len(out[-1].text.strip()) <= 30 and not out[-1].text.strip().endswith(("。", "；", ";")):
            out.pop()
    return out


def _table_streams(blocks: list[Block], regions: dict[str, tuple[int, int]]) -> tuple[dict[str, list], set[int]]:
    """The cell stream of each table: Table blocks classified by their labels,
    else the short paragraphs of the section that should hold the table."""
    streams: dict[str, list[stream.Item]] = {}
    used: set[int] = set()
    row_base = 0
    for b in blocks:
        if isinstance(b, Table):
            items = stream.from_tables([b], row_base)
            row_base += len(b.rows) + 1
            kind = labels.table_kind([it.key for it in items if it.kind == "text"])
            if kind:
                streams.setdefault(kind, []).extend(items)
    for section, kind in SECTION_TABLE.items():
        if kind in streams or section not in regions:
            continue
        start, end = regions[section]
        paras = [b for b in blocks[start:end] if isinstance(b, Paragraph)]
        short = [p for p in paras if len(p.text.strip()) <= _MAX_STREAM_PARAGRAPH]
        items = stream.from_paragraphs(short, row_base)
        row_base += len(short) + 1
        if labels.table_kind([it.key for it in items if it.kind == "text"]) == kind:
            streams[kind] = items
            used.update(id(p) for p in short)
    return streams, used


def _fill_tables(report: Report, results: dict[str, TableResult]) -> None:
    r2, r3, r4 = (results.get(t, TableResult()) for t in ("table2", "table3", "table4"))
    ed3 = r3.edition or r2.edition or ("2019" if report.year and report.year < 2021 else "2021")
    ed2 = r2.edition or ed3
    report.edition = "pre2019" if report.year and report.year < 2019 else (ed3 if r3.rows_found else ed2)
    for name, r, ed in (("table2", r2, ed2), ("table3", r3, ed3)):
        if r.rows_found:
            report.table_editions[name] = ed
            rows = T.edition(ed).table2 if name == "table2" else T.edition(ed).table3
            report.tables_found[name] = "full" if {x.key for x in rows} <= r.rows_found else "partial"
    if r4.rows_found:
        report.tables_found["table4"] = "full"
    e2, e3 = T.edition(ed2), T.edition(ed3)
    for path in T.t2_paths(e2):
        report.cells[path] = r2.cells.get(path, _BLANK)
    for path in T.t3_paths(e3):
        report.cells[path] = r3.cells.get(path, _BLANK)
    for path in T.derived_paths(e3):
        report.cells[path] = r3.cells.get(path) or _group_sum(report, path, e3)
    for path in T.t4_paths():
        report.cells[path] = r4.cells.get(path, _BLANK)
    report.split_items = r2.split_items
    for r in (r2, r3, r4):
        report.labels.extend(r.labels)
        report.readings.extend(r.readings)
        report.notes.extend(r.notes)


def _group_sum(report: Report, path: str, ed: T.Edition) -> Value:
    group, col = path.split(".")[1], path.split(".")[-1]
    vals = [report.value(f"table3.{row}.{col}") for row in ed.group_items(group)]
    if not vals or any(v is None for v in vals):
        return Value(None, derived=True)
    return Value(sum(v for v in vals if v is not None), derived=True)
