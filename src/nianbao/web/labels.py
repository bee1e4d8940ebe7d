"""Chinese names for what a finding may point at: a cell, a row, a table, or section 六's fee facts."""

from __future__ import annotations

from nianbao.template import BY_NAME, T3_COLUMNS
from nianbao.template.names import cell_label

__all__ = ["ROW_CELLS", "cell_label"]

# Row paths a finding may name (LABEL-VARIANT names ``table3.partially_granted``) → their cells.
ROW_CELLS: dict[str, tuple[str, ...]] = {
    f"table3.{r.key}": tuple(f"table3.{r.key}.{c.key}" for c in T3_COLUMNS)
    for ed in BY_NAME.values()
    for r in ed.table3
} | {
    f"table2.{r.key}": tuple(f"table2.{r.key}.{c.key}" for c in r.columns) for ed in BY_NAME.values() for r in ed.table2
}
