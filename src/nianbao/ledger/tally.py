"""表三, 表四 and the fee figures of section 六, counted from the ledger for one year.

An application is 上年结转 when it was received before the year and was still
open on 1 January; it is counted under its result when answered in the year, and
结转下年度继续办理 when still open on 31 December. A review or lawsuit counts in
the year it was opened, with its result as of 31 December (尚未审结 until then).
The fee figures are those of the applications answered in the year. Every cell
keeps the ledger rows it counts (``Tally.rows``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from nianbao import template as T
from nianbao.ledger import columns as C
from nianbao.ledger.read import Ledger, Row
from nianbao.model import Fees, Report, Source, Value

NOTE = "由依申请公开台账统计：只有表三、表四和第六部分的信息处理费"


@dataclass
class Tally:
    report: Report
    rows: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # cell path → (sheet, row) counted

    def provenance(self) -> dict[str, dict[str, Any]]:
        """Cell path → ``{"sheet", "rows"}`` it counts (cells of 0 are left out)."""
        return {p: {"sheet": rows[0][0], "rows": [r for _, r in rows]} for p, rows in self.rows.items()}


def edition_for(year: int) -> T.Edition:
    return T.EDITION_2021 if year >= 2021 else T.EDITION_2019


def tally(ledger: Ledger, year: int, agency: str | None = None) -> Tally:
    """The tables of ``year``; rows the ledger rules reject should be fixed first (``check_ledger``)."""
    ed = edition_for(year)
    counted: dict[str, list[Row]] = defaultdict(list)
    for r in ledger.applications:
        for row_key in _t3_rows(r, year, ed):
            counted[f"table3.{row_key}.{C.applicant_key(r.get('applicant') or '')}"].append(r)
    for r in ledger.cases:
        if (r.get("opened") or date.min).year == year and C.kind_key(r.get("kind") or ""):
            counted[f"table4.{C.kind_key(r.get('kind') or '')}.{_outcome(r, year)}"].append(r)
    for path in [p for p in counted if p.startswith("table3.")]:  # the 总计 column
        counted[path.rsplit(".", 1)[0] + ".total"].extend(counted[path])
    for path in [p for p in counted if p.startswith("table4.")]:
        counted[path.rsplit(".", 1)[0] + ".total"].extend(counted[path])
    for path in [p for p in counted if p.startswith("table3.") and _row(p) in T.t3_result_rows(ed)]:
        counted[f"table3.total_processed.{path.rsplit('.', 1)[1]}"].extend(counted[path])
    for path in T.derived_paths(ed):
        group, col = path.split(".")[1], path.split(".")[-1]
        for item in ed.group_items(group):
            counted[path].extend(counted.get(f"table3.{item}.{col}", []))
    paths = T.t3_paths(ed) + T.derived_paths(ed) + T.t4_paths()
    derived = set(T.derived_paths(ed))
    report = Report(
        source=Source(Path(ledger.file).name, ledger.sha256, "xlsx"),
        agency=agency,
        year=year,
        edition=ed.name,
        table_editions={"table3": ed.name},
        tables_found={"table3": "full", "table4": "full"},
        cells={p: Value(len(counted.get(p, [])), derived=p in derived) for p in paths},
        fees=_fees([r for r in ledger.applications if _answered_in(r, year)]),
        notes=[NOTE],
    )
    rows = {p: sorted((r.sheet, r.row) for r in counted[p]) for p in paths if counted.get(p)}
    return Tally(report, rows)


def _row(path: str) -> str:
    return ".".join(path.split(".")[1:-1])


def _answered_in(r: Row, year: int) -> bool:
    return bool(r.get("answered")) and r.get("answered").year == year


def _t3_rows(r: Row, year: int, ed: T.Edition) -> list[str]:
    """The 表三 rows an application counts in for ``year`` (none when out of the year)."""
    received, answered = r.get("received"), r.get("answered")
    if not received or received.year > year or (answered and answered.year < year):
        return []
    if not C.applicant_key(r.get("applicant") or ""):
        return []
    if not answered or answered.year > year:
        return [_first_row(received, year), "carried_forward"]
    result = C.result_key(r.get("result") or "")
    return [_first_row(received, year), _edition_row(result, ed)] if result else []


def _first_row(received: date, year: int) -> str:
    return "new_received" if received.year == year else "carried_over"


def _edition_row(result: str, ed: T.Edition) -> str:
    """其他处理 is one row in 2019 and three in 2021 (a bare 其他处理 is 3.其他 there)."""
    if ed.name == "2019":
        return "other.total" if result.startswith("other.") else result
    return "other.other" if result == "other.total" else result


def _outcome(r: Row, year: int) -> str:
    closed = r.get("closed")
    if not closed or closed.year > year:
        return C.PENDING
    return C.outcome_key(r.get("outcome") or "") or C.PENDING


def _fees(answered: list[Row]) -> Fees:
    notices = [r.get("fee_notice_yuan") for r in answered if r.get("fee_notice_yuan")]
    collected = sum(r.get("fee_collected_yuan") or 0 for r in answered)
    return Fees(notices=len(notices), notice_amount_yuan=sum(notices), collected_yuan=collected)
