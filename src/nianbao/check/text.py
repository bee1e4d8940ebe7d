"""The text against the tables: stated figures, the 信息处理费 statement, plausibility for the agency."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from nianbao.check.registry import finding, rule
from nianbao.model import Diagnostic, Fact, Number, Report
from nianbao.template import EDITION_2021, T4_GROUPS, T4_LITIGATION, edition, path_label
from nianbao.template.agencies import level
from nianbao.template.relations import GROUP_NAME, ROW_NUMBER, ROW_SHORT, fmt

_DIRECT, _AFTER = (label for _, label in T4_GROUPS[1:])  # 未经复议直接起诉, 复议后起诉


@dataclass(frozen=True)
class Basis:
    """Another way a stated figure may have been counted: cell + plus − minus."""

    name: str  # the Fact.basis it explains
    cell: str
    plus: tuple[str, ...]
    minus: tuple[str, ...]
    why: str


BASES = (
    Basis(
        "new_only",
        "table3.total_processed.total",
        (),
        ("table3.carried_over.total",),
        "文字所说的办结数只计本年新收的申请（未含上年结转）",
    ),
    Basis(
        "with_carried_over",
        "table3.new_received.total",
        ("table3.carried_over.total",),
        (),
        "文字所说的申请数含上年结转的申请",
    ),
    Basis(
        "direct_only",
        "table4.litigation.total",
        (),
        ("table4.litigation_after_review.total",),
        f"文字所说的{T4_LITIGATION}只计{_DIRECT}的案件",
    ),
    Basis(
        "with_partial",
        "table3.granted.total",
        ("table3.partially_granted.total",),
        (),
        "文字所说的公开数含部分公开",
    ),
)
# Quantities the text names that are sums of cells (the names extraction uses in Fact.cell).
SUMS = {
    "table3.denied.total": tuple(f"table3.{r}.total" for r in EDITION_2021.group_items("denied")),
    "table4.litigation.total": ("table4.litigation_direct.total", "table4.litigation_after_review.total"),
}
QUANTITY_NAME = {
    "table3.denied.total": f"表三“{GROUP_NAME['denied']}”各项之和",
    "table4.litigation.total": f"表四{T4_LITIGATION}（{_DIRECT}＋{_AFTER}）总计",
}
SHORT = {
    "table4.litigation.total": f"{T4_LITIGATION}合计",
    "table4.litigation_after_review.total": _AFTER,
    "table3.total_processed.total": ROW_NUMBER["total_processed"],
    "table3.carried_over.total": ROW_SHORT["carried_over"],
    "table3.new_received.total": ROW_SHORT["new_received"],
    "table3.granted.total": GROUP_NAME["granted"],
    "table3.partially_granted.total": GROUP_NAME["partially_granted"],
}


@rule("TEXT-TABLE", "warning", "正文数字与表格不符（另有口径可解释时为提示）")
def text_table(report: Report) -> Iterator[Diagnostic]:
    """正文所说的数（收到申请、办结、结转、复议诉讼、规范性文件件数等）须与表格一致；另有口径可解释时只提示并说明。

    反例：正文“共收到政府信息公开申请167件”，表三“一、本年新收·总计”为160。
    正例：正文“共收到政府信息公开申请167件”，表三“一、本年新收·总计”为167；或正文“办结148件”而（七）总计185、二37（148=185−37，只计本年新收）。
    """
    for fact in report.narrative:
        table = quantity(report, fact.cell)
        if table is None or abs(fact.value - table) < 1e-6:
            continue
        said = f"正文“{fact.text.strip()}”称{fmt(fact.value)}，而{quantity_name(fact.cell)}为{fmt(table)}"
        cells = SUMS.get(fact.cell, (fact.cell,))
        other = _other_basis(report, fact)
        if other is None:
            yield finding("TEXT-TABLE", said, report, cells, location=fact.location, text=fact.value, table=table)
        else:
            formula, basis = other
            yield finding(
                "TEXT-TABLE", f"{said}；但{formula}：{basis.why}", report, (*cells, *basis.plus, *basis.minus),
                severity="info", location=fact.location, text=fact.value, table=table, basis=basis.name,
            )  # fmt: skip


def quantity(report: Report, name: str) -> Number | None:
    """The table value of a quantity the text names: a cell, or one of :data:`SUMS`."""
    vals = [report.value(p) for p in SUMS.get(name, (name,))]
    return None if any(v is None for v in vals) else sum(vals)  # type: ignore[arg-type]


def quantity_name(name: str) -> str:
    return QUANTITY_NAME.get(name) or path_label(name)


def _other_basis(report: Report, fact: Fact) -> tuple[str, Basis] | None:
    """The first basis (the fact's own first) that gives exactly the stated figure, with its formula."""
    for b in sorted(BASES, key=lambda b: b.name != fact.basis):
        if b.cell != fact.cell:
            continue
        vals = [quantity(report, p) for p in (b.cell, *b.plus, *b.minus)]
        if any(v is None for v in vals):
            continue
        plus = sum(vals[1 : 1 + len(b.plus)])  # type: ignore[arg-type]
        got = vals[0] + plus - sum(vals[1 + len(b.plus) :])  # type: ignore[operator]
        if abs(got - fact.value) < 1e-6:
            terms = "".join(f"+{SHORT[p]}{fmt(quantity(report, p))}" for p in b.plus)
            terms += "".join(f"−{SHORT[p]}{fmt(quantity(report, p))}" for p in b.minus)
            return f"{fmt(fact.value)}={SHORT[b.cell]}{fmt(vals[0])}{terms}", b
    return None


FEE_PARTS = (
    ("notices", "发出收费通知的件数"),
    ("notice_amount_yuan", "总金额"),
    ("collected_yuan", "实际收取的总金额"),
)


@rule("FEE-STATEMENT", "warning", "第六部分未报告信息处理费")
def fee_statement(report: Report) -> Iterator[Diagnostic]:
    """2021年度起，“六、其他需要报告的事项”须报告信息处理费：发出收费通知的件数和总金额，以及实际收取的总金额。

    反例：六只写“本单位不存在行政事业性收费，收取的总金额为0”；或表三（六）2“逾期未缴费”为2件而六未报告收费通知。
    正例：六写“发出收费通知的件数为2件，总金额为6400元，实际收取的总金额为0元”。
    """
    if not ((report.year or 0) >= 2021 or (report.year is None and report.edition == "2021")):
        return
    f = report.fees
    missing = [name for attr, name in FEE_PARTS if getattr(f, attr) is None]
    where = f.location or (report.sections["other"].location if "other" in report.sections else None)
    if len(missing) == len(FEE_PARTS):
        what = f"只谈{EDITION_2021.t2_row('fees').label}，" if f.mentions_admin_fees else ""
        msg = f"第六部分{what}未报告信息处理费（发出收费通知的件数和总金额、实际收取的总金额）"
        yield finding("FEE-STATEMENT", msg, report, ("fees_info",), location=where, missing=missing)
    elif missing:
        msg = f"第六部分的信息处理费情况不全：未写{'、'.join(missing)}"
        yield finding("FEE-STATEMENT", msg, report, ("fees_info",), location=where, missing=missing)
    unpaid = report.value("table3.other.fee_unpaid.total")
    if unpaid and unpaid > 0 and not (f.notices or 0) > 0:
        msg = f"表三（六）2“逾期未按收费通知要求缴纳费用”为{fmt(unpaid)}件，但第六部分没有报告发出收费通知"
        yield finding(
            "FEE-STATEMENT", msg, report, ("table3.other.fee_unpaid.total", "fees_info.notices"), unpaid=unpaid
        )


# Decisions per year above which a count is far beyond the agency's scale.
SCALE = {"town": 20_000, "county": 500_000}
LEVEL_NAME = {"town": "乡镇、街道", "county": "县级政府及其部门"}
DECISIONS = ("table2.licensing.decisions", "table2.punishment.decisions", "table2.coercion.decisions")


@rule("IMPLAUSIBLE", "info", "数值与机关层级不相称")
def implausible(report: Report) -> Iterator[Diagnostic]:
    """乡镇、街道和县级政府及其部门无权制定规章（《立法法》），规章件数应为0；许可、处罚件数不应远超机关规模。

    反例：“桃江县松木塘镇人民政府”表二“规章”本年制发2件、现行有效2件。
    正例：乡镇人民政府表二“规章”各格为0。
    """
    lvl = level(report.agency)
    if lvl is None:
        return
    ed = edition(report.edition)
    reg = [f"table2.regulations.{c.key}" for c in ed.t2_row("regulations").columns if c.key != "repealed"]
    some = [(p, v) for p in reg if (v := report.value(p))]
    if some:
        said = "、".join(f"{path_label(p)}为{fmt(v)}" for p, v in some)
        msg = f"{said}，但“{report.agency}”属{LEVEL_NAME[lvl]}，无权制定规章"
        yield finding("IMPLAUSIBLE", msg, report, [p for p, _ in some], level=lvl)
    for p in DECISIONS:
        v: Number | None = report.value(p)
        if v is not None and v > SCALE[lvl]:
            msg = f"{path_label(p)}为{fmt(v)}，远超{LEVEL_NAME[lvl]}的通常规模（{SCALE[lvl]}以上）"
            yield finding("IMPLAUSIBLE", msg, report, (p,), level=lvl, value=v)
