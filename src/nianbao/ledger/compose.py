"""A report to publish: the ledger's 表三, 表四 and fee figures, with 表二, the six
sections and the metadata of a draft the agency wrote (when it gave one); blank cells
that last year's report determines (上年结转, 表二 stocks) filled from it."""

from __future__ import annotations

from dataclasses import replace

from nianbao.model import Report, Value
from nianbao.template import edition
from nianbao.template.relations import CARRYOVER, stock_expected

LEDGER_TABLES = ("table3", "table4")


def _from_ledger(path: str) -> bool:
    return path.split(".")[0] in LEDGER_TABLES


def compose(tallied: Report, draft: Report | None = None) -> Report:
    """``tallied`` (from :func:`~nianbao.ledger.tally`) completed by ``draft``; the ledger's cells win."""
    if draft is None:
        return tallied
    table2 = {p: v for p, v in draft.cells.items() if p.startswith("table2.")}
    return replace(
        draft,
        agency=tallied.agency or draft.agency,
        year=tallied.year,
        edition=tallied.edition,
        table_editions={k: v for k, v in draft.table_editions.items() if k == "table2"} | tallied.table_editions,
        tables_found={k: v for k, v in draft.tables_found.items() if k == "table2"} | tallied.tables_found,
        cells=table2 | tallied.cells,
        fees=replace(tallied.fees, text=draft.fees.text, location=draft.fees.location),
        labels=[x for x in draft.labels if not _from_ledger(x.path)],
        readings=[x for x in draft.readings if x.table not in LEDGER_TABLES],
        uncertain=[x for x in draft.uncertain if not _from_ledger(x.part)],
        notes=[],
    )


def differences(draft: Report, tallied: Report) -> list[tuple[str, float | int, float | int]]:
    """(cell, typed, counted) for every printed 表三/表四 cell the draft gives otherwise than the ledger."""
    out = []
    for path, v in tallied.cells.items():
        typed = draft.value(path)
        if not v.derived and typed is not None and v.value is not None and typed != v.value:
            out.append((path, typed, v.value))
    return out


def prefill(previous: Report, report: Report) -> list[str]:
    """Blank cells of ``report`` filled from last year's report: 二、上年结转 from its 四、结转下年度继续办理,
    and the 表二 stocks (现行有效件数, 对外公开总数量, 上一年项目数量). Returns the cells filled."""
    if previous.edition != report.edition:
        return []
    filled = []
    for _, last, this in CARRYOVER:
        if report.value(this) is None and previous.value(last) is not None:
            report.cells[this] = Value(previous.value(last))
            filled.append(this)
    for path, expected, _ in list(stock_expected(edition(report.edition), previous.value, report.value, previous.year)):
        if report.value(path) is None and expected >= 0:  # a stock below zero is no stock: leave it to the agency
            report.cells[path] = Value(expected)
            filled.append(path)
    return filled
