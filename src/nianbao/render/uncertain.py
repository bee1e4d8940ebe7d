"""What a rewritten report leaves blank because the original could not be read with certainty:
the cells of a table whose numbers had more than one reading (``TABLE-AMBIGUOUS``), which the
reader leaves blank rather than guess. ``nianbao render`` names them, so that a blank in the
DOCX is never taken for a blank in the report."""

from __future__ import annotations

from collections.abc import Iterable

from nianbao.model import Diagnostic, Report
from nianbao.render.check_console import where
from nianbao.template import TABLE_NAMES
from nianbao.template.names import cell_label

SHOWN = 3  # cells named one by one; more are counted


def left_blank(report: Report, findings: Iterable[Diagnostic]) -> list[str]:
    """One Chinese line per place of the report read more than one way: the table, the cells
    the rendering leaves blank there, where in the report and why."""
    lines = []
    for f in findings:
        if f.rule != "TABLE-AMBIGUOUS":
            continue
        blank = [c for c in f.cells if c not in report.cells or report.cells[c].value is None]
        if not blank:
            continue
        table = TABLE_NAMES.get(blank[0].split(".")[0], "")
        named = "、".join(cell_label(c) for c in blank) if len(blank) <= SHOWN else f"{table}{len(blank)}格"
        place = where(f.location)
        lines.append(
            f"{named}留空：原报告{place + '的' if place else ''}数字可有不止一种读法，无法确定按哪一种填入"
            f"（{f.rule}；nianbao check 列出各读法）"
        )
    return lines
