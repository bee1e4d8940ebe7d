"""Chinese names for what a finding may point at: a cell, a row, a table, or section 六's fee facts."""

from __future__ import annotations

from nianbao.template import BY_NAME, SECTIONS, T3_COLUMNS, path_label
from nianbao.template.names import FEE_FACTS

# Row paths a finding may name (LABEL-VARIANT names ``table3.partially_granted``) → their cells.
ROW_CELLS: dict[str, tuple[str, ...]] = {
    f"table3.{r.key}": tuple(f"table3.{r.key}.{c.key}" for c in T3_COLUMNS)
    for ed in BY_NAME.values()
    for r in ed.table3
} | {
    f"table2.{r.key}": tuple(f"table2.{r.key}.{c.key}" for c in r.columns) for ed in BY_NAME.values() for r in ed.table2
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
