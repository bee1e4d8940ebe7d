"""A report composed by hand (the 新建年报 page): what was typed → :class:`Report` → every rule
of the catalogue, as ``nianbao check`` runs them on a file; and the report published (DOCX,
HTML or PDF) and read back, which must give the same cells.

The text of the six sections is read as a published report's would be: the figures it states
(``共收到申请58件``) are checked against the tables, and section 六's 信息处理费 sentence gives
the fee figures."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from sqlalchemy.engine import Engine

from nianbao.analysis.rollup import Difference, Key, Rollup, differences, rollup
from nianbao.analysis.select import SelectionError, select
from nianbao.check import check_across, check_report
from nianbao.check.cells import columns
from nianbao.extract import group_parts, group_sum
from nianbao.extract.fees import read_fees
from nianbao.extract.narrative import read_facts
from nianbao.extract.numbers import parse
from nianbao.ledger.tally import edition_for  # the edition a report of a year is written in
from nianbao.model import Diagnostic, Report, Section, Source, Value
from nianbao.pipeline import Processed, process
from nianbao.render.docx import render_docx
from nianbao.render.html import render_html
from nianbao.render.office import docx_to_pdf
from nianbao.store.drafts import latest_drafts
from nianbao.template import SECTIONS, TABLE_NAMES, cell_paths, edition, path_label
from nianbao.template.names import number
from nianbao.template.relations import CARRYOVER, rollup_cells

FORMATS = ("docx", "html", "pdf")
_LAST_YEARS = {out for _, out, _ in CARRYOVER}  # cells a CARRYOVER finding names in last year's report
UNITS_DIFFER = "UNITS-DIFFER"  # the 本级 report against its units' 汇总 (compose only, not a rule of the catalogue)


def composed(
    agency: str,
    year: int,
    typed: Mapping[str, str],
    texts: Mapping[str, str],
    published: str | None = None,
    region: str | None = None,
) -> tuple[Report, list[str]]:
    """The report as typed: ``typed`` maps cell paths to the text in each box, ``texts`` section
    keys to their text. Also returns the cells whose text is not a number (left blank)."""
    ed = edition_for(year)
    cols = columns(ed.name)
    cells, bad = {}, []
    for path in cell_paths(ed):
        raw = (typed.get(path) or "").strip()
        got = parse(raw, cols[path].decimal) if raw else None
        if raw and got is None:
            bad.append(path)
        cells[path] = Value(got.value if got else None, raw)
    cells |= {path: group_sum([cells[p] for p in parts]) for path, parts in group_parts(ed.name)}
    sections = {s.key: Section(s.key, s.title, (texts.get(s.key) or "").strip()) for s in SECTIONS}
    paragraphs = {k: [(line, None) for line in s.text.splitlines() if line.strip()] for k, s in sections.items()}
    content = json.dumps([agency, year, typed, texts, published], ensure_ascii=False, sort_keys=True)
    report = Report(
        source=Source(f"{agency}{year}年度报告（草稿）", hashlib.sha256(content.encode()).hexdigest(), "compose"),
        agency=agency,
        region=region,
        year=year,
        edition=ed.name,
        published=published or None,
        table_editions={t: ed.name for t in TABLE_NAMES},
        tables_found={t: "full" for t in TABLE_NAMES},
        cells=cells,
        sections=sections,
        fees=read_fees(paragraphs["other"]),
        narrative=read_facts([p for ps in paragraphs.values() for p in ps]),
    )
    return report, bad


def check_composed(report: Report, previous: Report | None = None) -> list[Diagnostic]:
    """Every rule of the catalogue on a composed report, as ``nianbao check`` runs them; with last
    year's report, the rules across years too (上年结转, 表二 stocks, text copied), naming only
    this report's cells."""
    found = check_report(report)
    if previous is not None:
        found += [
            replace(d, cells=tuple(p for p in d.cells if p not in _LAST_YEARS))
            for d in check_across([previous, report])
        ]
    return found


@dataclass(frozen=True)
class Published:
    data: bytes  # the file
    back: Processed  # the file read back through nianbao
    lost: list[str]  # cells of ``report`` the file does not read back to (a writer bug, never expected)


def publish(report: Report, kind: str, name: str = "") -> Published:
    """``report`` written as ``kind`` (docx / html / pdf: :class:`~nianbao.render.office.OfficeError`
    without LibreOffice) and read back."""
    data = render_html(report) if kind == "html" else render_docx(report)
    if kind == "pdf":
        data = docx_to_pdf(data)
    back = process(data, name or f"{report.agency or ''}{report.year or ''}年度报告.{kind}")
    lost = [p for p, v in report.cells.items() if not v.derived and back.report.value(p) != v.value]
    return Published(data, back, lost)


def as_typed(report: Report) -> tuple[dict[str, str], dict[str, str]]:
    """The boxes of the compose page for ``report``: cell path → text, section key → text."""
    ed = edition(report.edition)
    typed = {p: _shown(report.cells[p]) for p in cell_paths(ed) if p in report.cells}
    return typed, {k: s.text for k, s in report.sections.items()}


def _shown(v: Value) -> str:
    if v.value is None:
        return v.raw if v.raw and parse(v.raw) is None else ""
    return number(v.value)


def units_rollup(
    engine: Engine,
    year: int,
    agencies: Sequence[str] = (),
    region: str | None = None,
    own: str | None = None,
    within: Callable[[Report], bool] = lambda r: True,
) -> tuple[Rollup, list[str]]:
    """The 汇总 a 本级政府 report starts from: the current stored reports of ``year`` of the units
    named (a unit with no stored report: its newest draft) and of ``region`` (the reports of the
    本级 ``own`` left out by its identity, as :func:`select` does), those ``within`` the user's
    scope. Also returns the units that have neither. :class:`SelectionError` when nothing is found."""
    if not (agencies or region):
        raise SelectionError("请列出下属单位（一行一个）或填写地区")
    pairs: dict[Key, Report] = dict(select(engine, region=region, year=year, besides=own)) if region else {}
    missing = []
    for name in agencies:
        try:
            pairs |= dict(select(engine, year=year, agencies=[name]))
        except SelectionError:
            draft = latest_drafts(engine, [name], year).get(name)
            if draft is None:
                missing.append(name)
            else:
                pairs[f"{name}（草稿）"] = draft
    pairs = {k: r for k, r in pairs.items() if within(r)}
    if not pairs:
        named = f"（没有：{'、'.join(missing)}）" if missing else ""
        raise SelectionError(f"没有找到下属单位{year}年度的报告或草稿{named}")
    return rollup(pairs.items()), missing


def units_report(total: Rollup, agency: str | None, year: int) -> tuple[Report, str]:
    """The 本级 report to compose from its units' 汇总, and a note for the user (not report text):
    section 一 is left to the agency; the cells ROLLUP does not add up (表二's stocks such as
    现行有效件数, the organ's own 规章/规范性文件) are left blank, for last year's figures or the agency.
    二、上年结转 is the units' sum like the rest of 表三 (so 表三 balances), not last year's 四: where
    the two differ, the check across years (CARRYOVER) says so."""
    report = total.as_report(agency, year)
    report.sections.clear()  # the 汇总's '本表为以下N份报告的汇总…' is a note, not the report's 一
    summed = set(rollup_cells(total.edition))
    report.cells = {p: v for p, v in report.cells.items() if p in summed}
    return report, (
        "表二的存量和本机关自己制发、废止的文件件数是各机关自己的数，"
        "不由下属单位相加：留空，请填本级的数（有上年报告时按上年补上）。"
        "上年结转与表三其他各行一样由下属单位相加（表三才平衡），不取上年报告的结转下年度数；"
        "二者不同时跨年度核对即提示（CARRYOVER），请查下属单位是否齐全。"
    )


def unit_differences(total: Rollup, report: Report) -> list[Difference]:
    """The cells ``report`` fills otherwise than its units' 汇总, among those the units add up to."""
    summed = set(rollup_cells(total.edition))
    return [d for d in differences(total, report) if d.own is not None and d.path in summed]


def unit_difference(d: Difference) -> str:
    """A cell where the 本级 report differs from its units' 汇总, with the units behind the sum."""
    units = "、".join(f"{m.agency or m.id}{number(v)}" for m, v in d.units) or "各单位均为0或空"
    return f"{path_label(d.path)}：本级填{number(d.own, '空')}，下属单位汇总为{number(d.total, '空')}（{units}）"
