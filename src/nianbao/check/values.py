"""Single values: impossible numbers, numbers that had to be interpreted, blanks."""

from __future__ import annotations

from collections.abc import Iterator

from nianbao.check.cells import Line, columns, lines, reportable_blanks
from nianbao.check.registry import finding, rule
from nianbao.check.sums import evaluate
from nianbao.check.trust import doubt_about, doubts, hedged
from nianbao.model import Diagnostic, Location, Report
from nianbao.template import TABLE_NAMES, edition, path_label
from nianbao.template.relations import fmt, identities


@rule("VALUE-INVALID", "error", "件数为负或不是整数")
def value_invalid(report: Report) -> Iterator[Diagnostic]:
    """件数不能为负，也必须是整数（2019年版“本年增/减”可为负；万元金额可有小数）。

    反例：表三“（一）予以公开·自然人”印为 -1；表二“行政许可·本年处理决定数量”印为 2.5。
    正例：表三“（一）予以公开·自然人”为 1；表二“行政许可·本年处理决定数量”为 3；2019年版“本年增/减”为 -18。
    """
    cols = columns(edition(report.edition).name)
    doubted = None
    for path, v in report.cells.items():
        x = v.value
        if x is None or (type(x) is int and x >= 0) or v.derived or (col := cols.get(path)) is None:
            continue  # the common case first: a non-negative whole number
        if x < 0 and not col.signed:
            what = "件数不能为负"
        elif not col.decimal and not float(x).is_integer():
            what = "件数应为整数"
        else:
            continue
        doubted = doubts(report) if doubted is None else doubted
        why = doubt_about(doubted, (path,))  # a misread digit is no invalid count: only a warning
        msg, severity = hedged(f"{path_label(path)}为{fmt(x)}：{what}", why)
        yield finding("VALUE-INVALID", msg, report, (path,), severity=severity, value=x)


@rule("VALUE-AMBIGUOUS", "warning", "数值须经解释才能读出")
def value_ambiguous(report: Report) -> Iterator[Diagnostic]:
    """单元格里的数要经过解释才能读出（小数逗号、格内带单位、数字连写、行标签不全），须核对读法；一行各格按同一读法读出的只报一次。

    反例：表二“政府集中采购·采购总金额”印为“491,5000”，只能按小数逗号读作 491.5（万元）。
    正例：表二“政府集中采购·采购总金额”印为“491.5000”。
    """
    rows: dict[tuple[str, str], list[str]] = {}  # (row, note) → cells: a row read one way is one finding
    for path, v in report.cells.items():
        if v.note:
            rows.setdefault((path.rsplit(".", 1)[0], v.note), []).append(path)
    for (row, note), paths in rows.items():
        v = report.cells[paths[0]]
        if len(paths) == 1:
            msg = f"{path_label(paths[0])}印为“{v.raw}”，读作{fmt(v.value)}：{note}"
            yield finding("VALUE-AMBIGUOUS", msg, report, paths, raw=v.raw, value=v.value, note=note)
        else:
            read = "、".join(fmt(report.value(p)) for p in paths)
            msg = f"{path_label(row)}的{len(paths)}格读作{read}：{note}"
            yield finding("VALUE-AMBIGUOUS", msg, report, paths, read=[report.value(p) for p in paths], note=note)


@rule("CELL-BLANK", "warning", "应填数字的单元格为空")
def cell_blank(report: Report) -> Iterator[Diagnostic]:
    """模板要求填数的单元格空着（或印“/”“-”）；空格不等于0。每一片空格（整表、连续几行、一行、每行都空的几列）报一次，并说明按0计是否平衡。

    反例：表四“行政复议”五格全空，而行政诉讼各格有数。
    正例：表四“行政复议”五格均填 0。
    """
    blanks = reportable_blanks(report)
    if not blanks:
        return
    doubted = doubts(report)
    for name, paths, what in _blocks(report, blanks):
        values: dict[str, object] = {"blanks": len([p for p in paths if p in blanks])}
        hint = _as_zero(report, set(paths) & blanks, values)
        msg, _ = hedged(f"{name}{what}{hint}", doubt_about(doubted, paths))  # perhaps printed but not read: say so
        where = _near(report, paths[0])
        yield finding("CELL-BLANK", msg, report, paths, location=where, **values)


def _blocks(report: Report, blanks: set[str]) -> Iterator[tuple[str, tuple[str, ...], str]]:
    """(name, cells, what is blank) per block: a whole table, a run of blank rows, or one row."""
    by_table: dict[str, list[Line]] = {}
    for ln in lines(edition(report.edition).name):
        by_table.setdefault(ln.table, []).append(ln)
    for table, lns in by_table.items():
        cells = tuple(p for ln in lns for p in ln.paths)
        if all(p in blanks for p in cells):
            yield TABLE_NAMES[table], cells, f"全部{len(cells)}格为空"
            continue
        columns = _blank_columns(lns, blanks)
        if columns:
            paths = tuple(p for ln in lns for c, p in zip(ln.columns, ln.paths, strict=True) if c in columns)
            yield TABLE_NAMES[table], paths, f"“{'、'.join(columns)}”列在全部{len(lns)}行都为空"
            blanks = blanks - set(paths)
        run: list[Line] = []
        for ln in lns + [None]:  # type: ignore[list-item]
            if ln is not None and all(p in blanks for p in ln.paths):
                run.append(ln)
                continue
            if run:
                name = run[0].name if len(run) == 1 else f"{run[0].name}至{run[-1].name[2:]}"
                n = sum(len(r.paths) for r in run)
                yield name, tuple(p for r in run for p in r.paths), f"{n}格全部为空"
                run = []
            if ln is not None and any(p in blanks for p in ln.paths):
                yield ln.name, tuple(p for p in ln.paths if p in blanks), _partly(report, ln, blanks)


def _blank_columns(lns: list[Line], blanks: set[str]) -> list[str]:
    """The columns blank in every row of a table whose rows all have the same columns
    (a whole column printed blank is one block, not one finding per row)."""
    if len(lns) < 2 or len({ln.columns for ln in lns}) > 1:
        return []
    return [c for i, c in enumerate(lns[0].columns) if all(ln.paths[i] in blanks for ln in lns)]


def _near(report: Report, path: str) -> Location | None:
    """Where the blank is, or else the nearest printed cell of its table that has a location."""
    table = [p for ln in lines(edition(report.edition).name) if ln.table == path.split(".")[0] for p in ln.paths]
    i = table.index(path) if path in table else 0
    for p in table[i:] + table[:i][::-1]:
        if (v := report.cells.get(p)) and v.location:
            return v.location
    return None


def _partly(report: Report, ln: Line, blanks: set[str]) -> str:
    if ln.total in blanks and sum(p in blanks for p in ln.paths) == 1:
        parts = [(c, report.value(p)) for c, p in zip(ln.columns, ln.paths, strict=True) if p != ln.total]
        total = sum(v or 0 for _, v in parts)
        return f"的总计为空，但各列已填：{'+'.join(f'{c}（{fmt(v)}）' for c, v in parts)}={fmt(total)}"
    empty = [c for c, p in zip(ln.columns, ln.paths, strict=True) if p in blanks]
    return f"的“{'、'.join(empty)}”为空"


def _as_zero(report: Report, block: set[str], values: dict[str, object]) -> str:
    """'；若按0计则平衡' or why not, over the identities that involve the block."""
    outcomes = [evaluate(report, i, blank_as_zero=True) for i in identities(report) if block.intersection(i.paths)]
    outcomes = [o for o in outcomes if o is not None]
    if not outcomes:
        return ""
    bad = next((o for o in outcomes if not o.holds), None)
    values["balanced_as_zero"] = bad is None
    return "；若按0计则平衡" if bad is None else f"；若按0计仍不平衡（{bad.message()}）"
