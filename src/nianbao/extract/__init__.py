"""Document → Report: sections, tables, metadata, fees and narrative facts.

``extract`` calls the steps in order and nothing else; each step is a module, or a function
below that joins the modules' results (table streams, sections, cells)."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat

from nianbao import template as T
from nianbao.extract import certainty, editions, labels, stream
from nianbao.extract.fees import read_fees
from nianbao.extract.meta import is_date_line, read_meta
from nianbao.extract.narrative import read_facts
from nianbao.extract.sections import Found, find_sections, section_heading, split_run_in, sub_headings
from nianbao.extract.table4 import table4
from nianbao.extract.tables import TableResult, table2, table3
from nianbao.extract.traces import heading_traces
from nianbao.model import Number, Report, ReportError, Section, Value
from nianbao.normalize import key
from nianbao.read.document import Block, Document, Paragraph, Table
from nianbao.read.nogc import gc_paused

_WALKERS = {"table2": table2, "table3": table3, "table4": table4}
_MAX_STREAM_PARAGRAPH = 60
_TITLE_BLOCKS = 5  # a report's title is among its first blocks
_REPORT_TITLE = re.compile(r"信息公开(?:工作)?年度报告|信息公开年报")
_ORDINANCE = "政府信息公开条例"
_BLANK = Value(None)  # a cell the report does not print (immutable, so shared)


@gc_paused
def extract(doc: Document) -> Report:
    blocks = split_run_in(doc.blocks)
    found = find_sections(blocks)
    bounds = [f.index for f in found] + [len(blocks)]
    starts = _region_starts(blocks, found)
    regions = {f.spec.key: (starts[i], bounds[i + 1]) for i, f in enumerate(found)}
    results, used, stray = _read_tables(blocks, regions)
    opening = blocks[: max(_TITLE_BLOCKS, found[0].index if found else 0)]
    if len(found) < 2 and not any(r.rows_found for r in results.values()) and not _titled(opening, bool(found)):
        raise ReportError("不是政府信息公开工作年度报告：找不到报告的六个部分和统计表")

    report = Report(source=doc.source, notes=list(doc.notes))
    first = found[0].index if found else len(blocks)
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    meta = read_meta(
        [b for b in blocks[:first] if isinstance(b, Paragraph)],
        paragraphs[-8:],
        "\n".join([p.text for p in paragraphs]),
        doc.meta,
        doc.source.file,
    )
    report.agency, report.region, report.year, report.published = meta.agency, meta.region, meta.year, meta.published

    section_paras = _read_sections(report, blocks, found, regions, used)
    _fill_tables(report, results)
    report.uncertain.extend(certainty.unsure_tables(report, stray) + certainty.unsure_sections(report))
    report.uncertain.extend(heading_traces(blocks, report))
    other = section_paras.get("other", [])
    report.fees = read_fees([(p.text, p.location) for p in other])
    report.narrative = read_facts([(p.text, p.location) for ps in section_paras.values() for p in ps])
    return report


def _titled(opening: list[Block], sections: bool) -> bool:
    """The text opens as a report does — with its title (``…政府信息公开工作年度报告``,
    traditional characters too), or with a preface naming the 条例 before a section heading:
    a report cut short, read for what it holds."""
    texts = [key(b.text) for b in opening if isinstance(b, Paragraph)]
    return any(_REPORT_TITLE.search(t) or sections and _ORDINANCE in t and "报告" in t for t in texts)


def _read_sections(
    report: Report, blocks: list[Block], found: list[Found], regions: dict[str, tuple[int, int]], used: set[int]
) -> dict[str, list[Paragraph]]:
    """Each section's text (its paragraphs the tables did not take), heading and sub-headings."""
    section_paras: dict[str, list[Paragraph]] = {}
    for f in found:
        start, end = regions[f.spec.key]
        paras = [b for b in blocks[start:end] if isinstance(b, Paragraph) and id(b) not in used]
        if f.spec.key == "other":
            paras = _without_signature(paras)
        section_paras[f.spec.key] = paras
        loc = blocks[f.index].location
        report.sections[f.spec.key] = Section(f.spec.key, f.text, "\n".join([p.text.strip() for p in paras]), loc)
        report.headings.append(section_heading(f, loc))
        report.headings.extend(sub_headings(paras, f.spec.key))
        if f.by_words:
            report.notes.append(
                f"第{f.spec.number}部分的标题不是模板用语，按“{f.text}”读作“{f.spec.number}、{f.spec.title}”"
            )
    return section_paras


def _without_signature(paras: list[Paragraph]) -> list[Paragraph]:
    """Drop the 落款 (agency and date) closing section 六."""
    out = list(paras)
    if out and is_date_line(out[-1].text):
        out.pop()
        if out and len(out[-1].text.strip()) <= 30 and not out[-1].text.strip().endswith(("。", "；", ";")):
            out.pop()
    return out


def _region_starts(blocks: list[Block], found: list[Found]) -> list[int]:
    """Where each section's content starts: after its heading paragraph, or at the
    table whose cell holds the heading."""
    return [f.index + (0 if isinstance(blocks[f.index], Table) else 1) for f in found]


def _table_streams(
    blocks: list[Block], regions: dict[str, tuple[int, int]]
) -> tuple[dict[str, list[stream.Item]], list[Block]]:
    """The cell stream of each table, in document order: Table blocks classified
    by their labels; a table too small to be told by its labels (one row of a
    per-group conversion, a row of numbers cut from its labels) joins the table
    of the section it sits in. Also the tables of numbers that joined none."""
    streams: dict[str, list[stream.Item]] = {}
    stray: list[Block] = []
    row_base = 0
    for i, b in enumerate(blocks):
        if isinstance(b, Table):
            items = stream.from_tables([b], row_base)
            row_base += len(b.rows) + 1
            kind = labels.table_kind([it.key for it in items if it.kind == "text"]) or _kind_by_place(i, items, regions)
            if kind:
                streams.setdefault(kind, []).extend(items)
            elif sum(it.kind == "num" for it in items) >= certainty.STRAY_NUMBERS:
                stray.append(b)
    return streams, stray


def _kind_by_place(i: int, items: list[stream.Item], regions: dict[str, tuple[int, int]]) -> str | None:
    """The table of the section holding block ``i``, when the block's rows of
    numbers have the shape of that table's rows."""
    kind = next((T.SECTION_TABLES[s] for s, (a, b) in regions.items() if s in T.SECTION_TABLES and a <= i < b), None)
    return kind if kind and _shaped(kind, items) else None


_ROW_VALUES = {"table2": range(1, 4), "table3": range(6, 9), "table4": (5, 15)}


def _shaped(kind: str, items: list[stream.Item]) -> bool:
    """Every row holding numbers holds as many values as a row of ``kind`` does
    (表三 7, give or take one; 表四 5 or 15; 表二 1 to 3)."""
    per_row: dict[int, list[stream.Item]] = {}
    for it in items:
        if it.kind != "text":
            per_row.setdefault(it.row, []).append(it)
    rows = [vals for vals in per_row.values() if any(v.kind == "num" for v in vals)]
    return bool(rows) and all(len([v for v in vals if v.kind == "num" or v.text]) in _ROW_VALUES[kind] for vals in rows)


def _paragraph_streams(
    blocks: list[Block], regions: dict[str, tuple[int, int]], row_base: int, skip: set[str]
) -> dict[str, tuple[list[stream.Item], list[Paragraph]]]:
    """Short paragraphs of each table's section as a cell stream (one cell per
    line, or ``label  167  0  0 …`` lines); not for the tables in ``skip``."""
    out = {}
    for section, kind in T.SECTION_TABLES.items():
        if section not in regions:
            continue
        start, end = regions[section]
        short = [
            b for b in blocks[start:end] if isinstance(b, Paragraph) and len(b.text.strip()) <= _MAX_STREAM_PARAGRAPH
        ]
        first = row_base
        row_base += len(short) + 1
        if kind in skip:
            continue
        items = stream.from_paragraphs(short, first)
        if labels.table_kind([it.key for it in items if it.kind == "text"]) == kind:
            out[kind] = (items, short)
    return out


def _read_tables(
    blocks: list[Block], regions: dict[str, tuple[int, int]]
) -> tuple[dict[str, TableResult], set[int], list[Block]]:
    """Each table read from its Table blocks, completed from the short paragraphs
    of its section: rows the tables lack (a converter may print some rows of a
    table as plain lines), or the whole table when no Table block holds it.
    Also the tables and lines of numbers that no table took."""
    streams, stray = _table_streams(blocks, regions)
    results = {t: _WALKERS[t](items) for t, items in streams.items()}
    used: set[int] = set()
    offered = {kind: [items] for kind, items in streams.items()}  # the cells each table was offered
    complete = {kind for kind, res in results.items() if res.complete}
    for kind, (items, paras) in _paragraph_streams(blocks, regions, 1 << 20, complete).items():
        offered.setdefault(kind, []).append(items)
        extra = _WALKERS[kind](items)
        if kind not in results:
            results[kind] = extra
            used.update(id(p) for p in paras)
            continue
        taken = results[kind].complete_from(extra)
        used.update(id(p) for p in paras if p.location in taken)
    stray += [b for b in blocks if isinstance(b, Paragraph) and id(b) not in used and certainty.numbers_only(b.text)]
    for section, kind in T.SECTION_TABLES.items():
        if section in regions and kind in results and not results[kind].complete:
            start, end = regions[section]
            loose = [b for b in blocks[start:end] if isinstance(b, Paragraph) and id(b) not in used and _a_number(b)]
            stray += loose if len(loose) >= certainty.STRAY_NUMBERS else []
    for kind, res in results.items():
        if not res.complete:
            nums = [it for items in offered.get(kind, []) for it in items if it.kind == "num"]
            res.uncertain.extend(certainty.unplaced(res, nums))
    return results, used, stray


def _a_number(p: Paragraph) -> bool:
    return stream.classify(p.text.strip()) == "num"


def _fill_tables(report: Report, results: dict[str, TableResult]) -> None:
    r2, r3, r4 = (results.get(t, TableResult(t)) for t in ("table2", "table3", "table4"))
    eds = editions.decide(r2, r3, report.year)
    report.edition = eds.report
    if r2.rows_found:
        report.table_editions["table2"] = eds.table2
        whole = {x.key for x in T.edition(eds.table2).table2} <= r2.rows_found
        report.tables_found["table2"] = "full" if whole else "partial"
    if r3.rows_found:
        report.table_editions["table3"] = eds.table3
        report.table_editions |= {f"table3.{g}": e for g, e in eds.groups.items()}
        report.tables_found["table3"] = "full" if editions.t3_rows(eds) <= r3.rows_found else "partial"
    if r4.rows_found:
        report.tables_found["table4"] = "full"
    for t in results.keys() - report.tables_found.keys():
        report.tables_found[t] = "partial"  # its header rows are printed, none of its rows
    e3 = T.edition(eds.table3)
    cells, got2, got3, got4 = report.cells, r2.cells.get, r3.cells.get, r4.cells.get
    t2, t3, t4 = T.t2_paths(T.edition(eds.table2)), editions.t3_paths(eds), T.t4_paths()
    cells.update(zip(t2, map(got2, t2, repeat(_BLANK)), strict=True))  # each path's cell, else blank
    cells.update(zip(t3, map(got3, t3, repeat(_BLANK)), strict=True))
    for path, parts in group_parts(e3.name):
        cells[path] = got3(path) or group_sum(list(map(cells.get, parts)))
    cells.update(zip(t4, map(got4, t4, repeat(_BLANK)), strict=True))
    report.split_items = r2.split_items
    report.notes.extend(editions.mixture_note(eds))
    for r in (r2, r3, r4):
        report.labels.extend(r.labels)
        report.readings.extend(r.readings)
        report.notes.extend(r.notes)
        report.uncertain.extend(r.uncertain)


@lru_cache(maxsize=4)
def group_parts(edition: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each group sum the template prints no cell for, with the cells it adds up."""
    ed = T.edition(edition)
    out = []
    for path in T.derived_paths(ed):
        group, col = path.split(".")[1], path.split(".")[-1]
        out.append((path, tuple(f"table3.{row}.{col}" for row in ed.group_items(group))))
    return tuple(out)


_NO_SUM = Value(None, derived=True)


def group_sum(parts: list[Value | None]) -> Value:
    """A group sum of 表三 from its parts' Values: blank (no value) when a part is blank."""
    vals = [v.value for v in parts if v is not None and v.value is not None]
    if not parts or len(vals) < len(parts):
        return _NO_SUM  # a part is blank
    return _derived(sum(vals))


@lru_cache(maxsize=4096, typed=True)
def _derived(total: Number) -> Value:
    """A group sum's Value: it has no source, so one per number serves every report (immutable;
    ``typed``: 3 and 3.0 print differently)."""
    return Value(total, derived=True)
