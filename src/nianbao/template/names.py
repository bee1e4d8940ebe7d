"""Names a reader sees: the tables, the severities, and numbers as printed."""

from __future__ import annotations

from nianbao.model import SEVERITIES, Number, Severity
from nianbao.template.editions import SECTION_TABLES, SECTIONS, TABLE_NAMES, path_label

SEVERITY_NAMES: dict[Severity, str] = dict(zip(SEVERITIES, ("错误", "警告", "提示"), strict=True))

# "table3" -> "收到和处理政府信息公开申请情况": the heading of the section the table sits in
TABLE_TITLES = {table: next(s.title for s in SECTIONS if s.key == sec) for sec, table in SECTION_TABLES.items()}


def table_heading(table: str) -> str:
    """'表三 收到和处理政府信息公开申请情况'."""
    return f"{TABLE_NAMES[table]} {TABLE_TITLES[table]}"


def section_heading(table: str) -> str:
    """The numbered heading of the section holding ``table``: '三、收到和处理政府信息公开申请情况'."""
    spec = next(s for s in SECTIONS if SECTION_TABLES.get(s.key) == table)
    return f"{spec.number}、{spec.title}"


def number(v: Number | None, blank: str = "") -> str:
    """A number as printed: 12.0 → "12", 491.5 → "491.5" (at most six decimals), None → ``blank``."""
    if v is None:
        return blank
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:.6f}".rstrip("0").rstrip(".")
    return str(v)


# Section 六's fee facts (model.FeesInfo), in the words the template's reports use:
# "发出收费通知的件数和总金额以及实际收取的总金额"
FEE_FACTS = {
    "notices": "发出收费通知的件数",
    "notice_amount_yuan": "收费通知的总金额",
    "collected_yuan": "实际收取的总金额",
}


def cell_label(path: str) -> str:
    """The Chinese name of a cell, row or table path, a section (``sections.overview`` → 一、总体情况),
    section 六's fee facts (``fees_info.notices``) or the report's date (``published``)."""
    head, _, tail = path.partition(".")
    if head == "sections" and (spec := next((s for s in SECTIONS if s.key == tail), None)):
        return f"{spec.number}、{spec.title}"
    if head == "fees_info":
        return f"第六部分“信息处理费{'·' + FEE_FACTS[tail] if tail in FEE_FACTS else ''}”"
    if path == "published":
        return "落款日期"
    if ".items." in path:  # a 2019 sub-row of 其他对外管理服务事项: table2.other_services.items.0.decisions
        head, _, rest = path.partition(".items.")
        n, _, col = rest.partition(".")
        return cell_label(f"{head}.{col}").replace("·", f"（第{int(n) + 1}分项）·") if n.isdigit() else path
    return path_label(path)
