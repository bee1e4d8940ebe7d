"""The relations the template implies between cells and between years, as data: the sum
identities (template.md §3), carry-over and stock from one year to the next, the headline
rows a dashboard or an agency page shows, the outcome groups and the rates.

The checker evaluates the identities; the store keeps the headline totals; the web lists
them. None of them spells a row, a column or a formula."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from nianbao.model import Number, Report
from nianbao.template.editions import (
    BY_NAME,
    EDITION_2021,
    T3_COLUMNS,
    T3_GROUPS,
    T3_PART_COLUMNS,
    T3_SUBTOTAL_COLUMN,
    T4_COLUMNS,
    T4_GROUPS,
    T4_PARTS,
    Edition,
    cell_paths,
    derived_paths,
    edition,
    path_label,
    short_label,
    t3_result_rows,
    t4_paths,
)
from nianbao.template.names import number

COL_LABEL = {c.key: c.label for c in T3_COLUMNS}
T4_LABEL = {c.key: c.label for c in T4_COLUMNS}
# Result groups as a message names them: "（一）予以公开" … "（六）其他处理".
GROUP_NAME = {r: short_label(EDITION_2021.t3_row(r).label) for r in ("granted", "partially_granted")} | T3_GROUPS
# 表三 rows by their number only, as a formula names them: "一" … "四", "（七）总计"
ROW_NUMBER = {
    r: EDITION_2021.t3_row(r).label.split("、")[0] for r in ("new_received", "carried_over", "carried_forward")
}
ROW_NUMBER["total_processed"] = EDITION_2021.t3_row("total_processed").label
# 表三 rows by their short name: "一、本年新收", "二、上年结转"
ROW_SHORT = {r: EDITION_2021.t3_row(r).label[:6] for r in ("new_received", "carried_over")}
ROW_SHORT["carried_forward"] = EDITION_2021.t3_row("carried_forward").label


def fmt(v: Number | None) -> str:
    """A number as a message writes it: 12, 491.5; blank as 空."""
    return number(v, "空")


# ------------------------------------------------------------ identities --


@dataclass(frozen=True)
class Term:
    name: str  # as printed in a message: "一", "（七）总计", "自然人"
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Identity:
    rule: str
    where: str  # '表三“自然人”列'
    left: tuple[Term, ...]
    right: tuple[Term, ...]
    sides: tuple[tuple[str, ...], tuple[str, ...]] = field(init=False, compare=False, repr=False)

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(p for t in self.left + self.right for p in t.paths)

    def __post_init__(self) -> None:
        # The cell paths of each side, flat, for a fast check.
        flat = tuple(p for t in self.left for p in t.paths), tuple(p for t in self.right for p in t.paths)
        object.__setattr__(self, "sides", flat)


def row_name(row: str) -> str:
    """'表三“（一）予以公开”行' for a 表三 row key."""
    return path_label(f"table3.{row}.total").replace("·总计”", "”行")


def _t3(row: str, col: str) -> Term:
    return Term(ROW_NUMBER[row], (f"table3.{row}.{col}",))


@lru_cache(maxsize=1)
def _balance() -> tuple[Identity, ...]:
    """一 + 二 = （七）总计 + 四, column by column (the same in every edition)."""
    return tuple(
        Identity(
            "T3-BALANCE",
            f"表三“{c.label}”列",
            (_t3("new_received", c.key), _t3("carried_over", c.key)),
            (_t3("total_processed", c.key), _t3("carried_forward", c.key)),
        )
        for c in T3_COLUMNS
    )


@lru_cache(maxsize=4)
def _results(ed_name: str) -> tuple[Identity, ...]:
    """（七）总计 = the sum of the result rows, grouped as （一）…（六）."""
    groups: dict[str, list[str]] = {}
    for r in t3_result_rows(edition(ed_name)):
        groups.setdefault(r.split(".")[0], []).append(r)
    out = []
    for c in T3_COLUMNS:
        right = tuple(Term(GROUP_NAME[g], tuple(f"table3.{r}.{c.key}" for r in rs)) for g, rs in groups.items())
        out.append(Identity("T3-RESULTS-SUM", f"表三“{c.label}”列", (_t3("total_processed", c.key),), right))
    return tuple(out)


@lru_cache(maxsize=4)
def _row_sums(ed_name: str) -> tuple[Identity, ...]:
    """Each 表三 row: 总计 = the six applicant columns."""
    total = COL_LABEL["total"]
    out = []
    for r in edition(ed_name).table3:
        right = tuple(Term(COL_LABEL[c], (f"table3.{r.key}.{c}",)) for c in T3_PART_COLUMNS)
        out.append(Identity("T3-ROW-SUM", row_name(r.key), (Term(total, (f"table3.{r.key}.total",)),), right))
    return tuple(out)


@lru_cache(maxsize=1)
def _t4_sums() -> tuple[Identity, ...]:
    """Each 表四 group: 总计 = the four results."""
    total = T4_LABEL["total"]
    out = []
    for g, label in T4_GROUPS:
        right = tuple(Term(T4_LABEL[c], (f"table4.{g}.{c}",)) for c in T4_PARTS)
        out.append(Identity("T4-SUM", f"表四“{label}”", (Term(total, (f"table4.{g}.total",)),), right))
    return tuple(out)


def subtotals(report: Report, ed: Edition) -> list[Identity]:
    """Group subtotals and 法人或其他组织小计 cells the report prints (the template has none)."""
    out = []
    for path in derived_paths(ed):
        v = report.cells.get(path)
        if v is None or v.derived or v.value is None:
            continue
        group, col = path.split(".")[1], path.split(".")[-1]
        right = tuple(Term(ed.t3_row(i).label.split(".")[0], (f"table3.{i}.{col}",)) for i in ed.group_items(group))
        out.append(Identity("T3-SUBTOTAL", path_label(path), (Term("小计", (path,)),), right))
    sub = T3_SUBTOTAL_COLUMN
    for r in ed.table3:
        path = f"table3.{r.key}.{sub.key}"
        if path in report.cells and report.cells[path].value is not None:
            right = tuple(Term(COL_LABEL[c], (f"table3.{r.key}.{c}",)) for c in T3_PART_COLUMNS[1:])
            out.append(Identity("T3-SUBTOTAL", f"{row_name(r.key)}“{sub.label}”", (Term(sub.label, (path,)),), right))
    return out


def identities(report: Report, rule: str | None = None) -> list[Identity]:
    """The identities of the report's edition, optionally only those of ``rule``."""
    name = edition(report.edition).name
    every = {
        "T3-BALANCE": _balance(),
        "T3-RESULTS-SUM": _results(name),
        "T3-ROW-SUM": _row_sums(name),
        "T4-SUM": _t4_sums(),
    }
    if rule is not None:
        return list(every.get(rule, ())) if rule != "T3-SUBTOTAL" else subtotals(report, edition(name))
    return [i for ids in every.values() for i in ids] + subtotals(report, edition(name))


# ------------------------------------------------------- between years --

# 表三 四（结转下年度） of year Y−1 is 二（上年结转） of year Y, column by column:
# (column key, cell of year Y−1, cell of year Y)
CARRYOVER = tuple((c.key, f"table3.carried_forward.{c.key}", f"table3.carried_over.{c.key}") for c in T3_COLUMNS)


@dataclass(frozen=True)
class Stock:
    """表二: year Y's ``column`` = year Y−1's + ``added`` − ``removed`` (cells of year Y, or of
    year Y−1 when ``change_last_year``); ``formula`` names the terms in a message."""

    column: str
    added: str
    removed: str | None
    formula: str  # with {year} {base} {added} {removed}
    change_last_year: bool = False


STOCKS = (
    Stock("in_force", "issued", "repealed", "{year}年{base}+本年制发{added}−废止{removed}"),
    Stock("total_public", "published", None, "{year}年{base}+本年新公开{added}"),
    Stock("prev_items", "change", None, "{year}年{base}+{year}年增减{added}", change_last_year=True),
)

Values = Callable[[str], Number | None]


def stock_expected(ed: Edition, prev: Values, cur: Values, prev_year: int | None) -> Iterator[tuple[str, Number, str]]:
    """(cell of year Y, its expected value, the formula) for each stock of ``ed`` whose terms are printed."""
    for row in ed.table2:
        cols = {c.key for c in row.columns}
        t = f"table2.{row.key}"
        for s in STOCKS:
            if not {s.column, s.added, s.removed or s.added} <= cols:
                continue
            base = prev(f"{t}.{s.column}")
            added = (prev if s.change_last_year else cur)(f"{t}.{s.added}")
            removed = cur(f"{t}.{s.removed}") if s.removed else 0
            if base is None or added is None or removed is None:
                continue
            text = s.formula.format(year=prev_year, base=fmt(base), added=fmt(added), removed=fmt(removed))
            yield f"{t}.{s.column}", base + added - removed, text


# ------------------------------------------------------ headline rows --

# the headline totals of a report -> the cell paths each adds up
HEADLINES: dict[str, tuple[str, ...]] = {
    "new_received_total": ("table3.new_received.total",),
    "carried_over_total": ("table3.carried_over.total",),
    "granted_total": ("table3.granted.total",),
    "partially_granted_total": ("table3.partially_granted.total",),
    "denied_total": ("table3.denied.total.total",),
    "unable_total": ("table3.unable.total.total",),
    "not_processed_total": ("table3.not_processed.total.total",),
    "other_total": ("table3.other.total.total",),
    "total_processed_total": ("table3.total_processed.total",),
    "carried_forward_total": ("table3.carried_forward.total",),
    "review_total": ("table4.review.total",),
    "review_corrected": ("table4.review.corrected",),
    "litigation_total": ("table4.litigation_direct.total", "table4.litigation_after_review.total"),
    "litigation_corrected": ("table4.litigation_direct.corrected", "table4.litigation_after_review.corrected"),
}

# a group total the template prints no row for -> the 总计 cells of its items (both editions)
GROUP_TOTALS: dict[str, tuple[str, ...]] = {
    f"table3.{g}.total.total": tuple(
        dict.fromkeys(f"table3.{item}.total" for ed in BY_NAME.values() for item in ed.group_items(g))
    )
    for g in T3_GROUPS
}

# The rows an agency page compares across years: 表三's main rows (总计 column) and 表四's totals.
AGENCY_ROWS = (
    *(HEADLINES[f"{r}_total"][0] for r in ("new_received", "carried_over", "granted", "partially_granted")),
    *GROUP_TOTALS,
    *(HEADLINES[f"{r}_total"][0] for r in ("total_processed", "carried_forward")),
    *(p for p in t4_paths() if p.endswith(".total")),
)

# outcome groups of 表三 (headline total, short name)
OUTCOMES = tuple(
    (f"{g}_total", GROUP_NAME[g][3:])
    for g in ("granted", "partially_granted", "denied", "unable", "not_processed", "other")
)

_DENIED = GROUP_NAME["denied"]
_TOTAL = ROW_NUMBER["total_processed"]
_REVIEW, _DIRECT, _AFTER = (label for _, label in T4_GROUPS)
_CORRECTED = T4_LABEL["corrected"]

# key, name, definition, numerator headline totals, denominator headline totals
RATES = (
    (
        "granted_rate",
        "予以公开率",
        f"表三“{GROUP_NAME['granted']}”总计 ÷ 表三“{_TOTAL}”总计",
        ("granted_total",),
        ("total_processed_total",),
    ),
    (
        "denied_rate",
        "不予公开率",
        f"表三“{_DENIED}”各项合计 ÷ 表三“{_TOTAL}”总计",
        ("denied_total",),
        ("total_processed_total",),
    ),
    (
        "review_correction_rate",
        "复议纠错率",
        f"表四 {_REVIEW}“{_CORRECTED}” ÷ {_REVIEW}“总计”",
        ("review_corrected",),
        ("review_total",),
    ),
    (
        "litigation_correction_rate",
        "诉讼纠错率",
        f"表四 行政诉讼（{_DIRECT}＋{_AFTER}）“{_CORRECTED}” ÷ 两者“总计”",
        ("litigation_corrected",),
        ("litigation_total",),
    ),
    (
        "carry_forward_rate",
        "结转率",
        f"表三“{ROW_SHORT['carried_forward']}”总计 ÷（“{ROW_SHORT['new_received']}”总计＋“{ROW_SHORT['carried_over']}”总计）",
        ("carried_forward_total",),
        ("new_received_total", "carried_over_total"),
    ),
)


@lru_cache(maxsize=4)
def rollup_cells(ed_name: str) -> tuple[str, ...]:
    """The cells an aggregated report adds up over its units (ROLLUP): what happened in the year.

    Left out: the signed 2019 本年增/减 (a partial sum bounds nothing), the stocks (现行有效件数,
    对外公开总数量, 上一年项目数量) and the 第二十条第（一）项 rows (规章, 规范性文件): each organ
    counts what it holds and the documents it made itself, so a 本级政府 printing only its own
    is no contradiction."""
    ed = edition(ed_name)
    own_documents = ed.table2[0].group
    stocks = {s.column for s in STOCKS}
    skip = {
        f"table2.{r.key}.{c.key}"
        for r in ed.table2
        for c in r.columns
        if c.signed or c.key in stocks or r.group == own_documents
    }
    return tuple(p for p in cell_paths(ed) if p not in skip)
