"""Exports of stored reports, written as they stream from the store (``store.exports``), one
report at a time: CSV long (a row per cell) and wide (a row per report, a column per cell),
both UTF-8 with BOM so that Excel shows the Chinese; JSON Lines and JSON (the
``parse --format json`` objects). The XLSX is ``render.workbook``; this module also holds the
columns both share: the report fields and each table's cells with their grouped headers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any

from nianbao.template import (
    EDITION_2019,
    EDITION_2021,
    T3_COLUMNS,
    T3_OUTCOME_LABEL,
    T4_GROUPS,
    T4_LITIGATION,
    Edition,
    path_label,
    t2_paths,
    t3_paths,
    t3_result_rows,
    t4_paths,
)

Row = dict[str, Any]

REPORT_HEADERS = (
    ("id", "报告编号"),
    ("agency", "报告机关"),
    ("region", "地区"),
    ("year", "年度"),
    ("edition", "模板版本"),
    ("published", "发布日期"),
    ("source_file", "文件"),
    ("format", "格式"),
    ("sha256", "SHA-256"),
    ("version", "版本号"),
    ("is_current", "现行版本"),
    ("loaded_at", "入库时间"),
    ("n_errors", "错误数"),
    ("n_warnings", "警告数"),
    ("n_infos", "提示数"),
)
CORRECTED_HEADER = "已更正的单元格"  # after the report fields: the cells a reviewer's correction replaced


def corrected_names(r: Row) -> str:
    return "、".join(cell_name(p) for p in r.get("corrected", ()))


KEY_FIELDS = (("id", "报告编号"), ("agency", "报告机关"), ("year", "年度"), ("edition", "模板版本"))
KEY_HEADERS = tuple(h for _, h in KEY_FIELDS)


def _merged(first: list[str], second: list[str]) -> list[str]:
    """``first``, with each item only in ``second`` placed after its neighbour there."""
    out = list(first)
    previous = None
    for x in second:
        if x not in out:
            out.insert(out.index(previous) + 1 if previous else 0, x)
        previous = x
    return out


def _both(paths: Callable[[Edition], list[str]]) -> list[str]:
    """The cells of both editions, row by row (a row's 2021 columns, then its 2019-only ones)."""
    new, old = paths(EDITION_2021), paths(EDITION_2019)
    rows = _merged(list(dict.fromkeys(p.rsplit(".", 1)[0] for p in new)), [p.rsplit(".", 1)[0] for p in old])
    place = {row: i for i, row in enumerate(dict.fromkeys(rows))}
    return sorted(_merged(new, old), key=lambda p: (place[p.rsplit(".", 1)[0]], p not in new))


TABLES = (
    ("表二 主动公开", _both(t2_paths)),
    ("表三 申请办理", _both(t3_paths)),
    ("表四 复议诉讼", t4_paths()),
)
TABLE_PATHS = [p for _, paths in TABLES for p in paths]


@cache
def cell_name(path: str) -> str:
    """``表三“（一）予以公开·自然人”`` → ``（一）予以公开·自然人``; unknown paths as they are."""
    label = path_label(path)
    return label[3:-1] if label[2:3] == "“" and label.endswith("”") else label


def _row_of(path: str) -> tuple[Any, Any] | None:
    """The template row and column of a table-2/3 cell path, from the edition that prints it."""
    table, rest = path.split(".", 1)
    row_key, col_key = rest.rsplit(".", 1)
    for ed in (EDITION_2021, EDITION_2019):
        for row in ed.table2 if table == "table2" else ed.table3:
            if row.key == row_key:
                col = next((c for c in row.columns or T3_COLUMNS if c.key == col_key), None)
                if col is not None:
                    return row, col
    return None


@cache
def header_levels(path: str) -> tuple[str, ...]:
    """The template's grouped headers above a cell's column, top down; a level that the template
    does not split repeats the one above (the XLSX merges those cells):
    表二 ``第二十条第（一）项 / 规章 / 本年制发件数``; 表三 ``三、本年度办理结果 / （三）不予公开 /
    1.属于国家秘密 / 自然人``; 表四 ``行政诉讼 / 未经复议直接起诉 / 结果维持``."""
    table = path.split(".", 1)[0]
    if table == "table4":
        group_key, col_key = path.split(".")[1:3]
        group = dict(T4_GROUPS)[group_key]
        col = cell_name(path).split("·")[-1]
        return (group if group_key == "review" else T4_LITIGATION, group, col)
    found = _row_of(path)
    if found is None:
        return (cell_name(path),) * (3 if table == "table2" else 4)
    row, col = found
    if table == "table2":
        return (row.group or row.label, row.label, col.label)
    top = T3_OUTCOME_LABEL if row.key in _outcome_rows() else row.label
    return (top, row.group or row.label, row.label, col.label)


@cache
def _outcome_rows() -> frozenset[str]:
    return frozenset(t3_result_rows(EDITION_2021) + t3_result_rows(EDITION_2019))


MAX_ROWS = 1_048_576  # rows of an Excel sheet, headers included
NOTES = "说明"  # the sheet saying where the rows of a sheet past MAX_ROWS went on


def split_note(title: str, parts: list[tuple[str, int]], limit: int) -> str:
    """The line saying that the rows of sheet ``title`` went on in more sheets: ``parts`` the
    (sheet, rows) of each, ``limit`` the rows a sheet holds (:data:`MAX_ROWS`)."""
    each = "、".join(f"「{t}」{n:,} 行" for t, n in parts)
    return (
        f"「{title}」共 {sum(n for _, n in parts):,} 行，超过 Excel 每张工作表 {limit:,} 行（含表头）的上限，"
        f"分在 {len(parts)} 张表中，表头相同：{each}。"
    )


# OWASP's CSV-injection advice: a text cell starting with one of these may run as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(v: Any) -> Any:
    """A CSV field: text starting like a formula gets a leading ``'`` so that spreadsheets show it as text."""
    return "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v


def plain(v: Any) -> Any:
    """A report field for a sheet: booleans as 是/否."""
    return "是" if v is True else "否" if v is False else v


def csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """CSV as UTF-8 with BOM, yielded every few hundred lines."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    w.writerow(header)
    for i, row in enumerate(rows, 1):
        w.writerow(map(inert, row))
        if i % 500 == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def _fields(values: list[Any]) -> str:
    """Fields as a CSV line writes them (formulas made inert), without the line's end."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(map(inert, values))
    return out.getvalue()


@cache
def _cell_fields() -> dict[str, str]:
    """Each table cell's path and name as the CSV fields between a report's and the value."""
    return {p: f",{_fields([p, cell_name(p)])}," for p in TABLE_PATHS}


def csv_long(reports: Iterable[Row]) -> Iterator[bytes]:
    """A row per printed cell: report, year, cell path, cell name, value (blank stays empty). The
    lines are put together from each report's fields and each cell's, written once: the same
    bytes as a CSV writer's row by row, at a third of the cost (about 200 rows a report)."""
    yield from csv_lines(["报告编号", "报告机关", "年度", "单元格路径", "单元格", "数值"], ())
    between = _cell_fields()
    lines: list[str] = []
    for i, r in enumerate(reports, 1):
        values = r["cells"]
        head = _fields([r["id"], r["agency"], r["year"]])
        lines += [f"{head}{between[p]}{_number(values[p])}\r\n" for p in TABLE_PATHS if p in values]
        if i % 20 == 0:
            yield "".join(lines).encode("utf-8")
            lines.clear()
    yield "".join(lines).encode("utf-8")


def _number(v: int | float | None) -> str:
    """A cell's value as a CSV field: a number as ``str`` (as the CSV writer), a blank empty."""
    return "" if v is None else str(v)


def csv_wide(reports: Iterable[Row]) -> Iterator[bytes]:
    """A row per report: its fields and the cells a correction replaced, then a column per cell of
    the three tables (both editions; a cell the report's edition does not print, or prints blank,
    stays empty; a corrected cell holds the corrected value)."""
    header = [h for _, h in REPORT_HEADERS] + [CORRECTED_HEADER] + [path_label(p) for p in TABLE_PATHS]

    def rows() -> Iterator[list[Any]]:
        for r in reports:
            values = r["cells"]
            cells = [values.get(p) for p in TABLE_PATHS]
            fields = [plain(r[k]) for k, _ in REPORT_HEADERS] + [corrected_names(r)]
            yield fields + ["" if v is None else v for v in cells]

    return csv_lines(header, rows())


_compact = json.JSONEncoder(ensure_ascii=False)


def json_lines(documents: Iterable[Row]) -> Iterator[bytes]:
    """One ``parse --format json`` object per line."""
    for d in documents:
        yield (_compact.encode(d) + "\n").encode("utf-8")


def json_array(documents: Iterable[Row]) -> Iterator[bytes]:
    """The array of ``parse --format json`` objects, one object a line as in JSON Lines (not
    indented: the indenting encoder is pure Python, three times slower than the whole rest)."""
    yield b"["
    for i, d in enumerate(documents):
        yield (("," if i else "") + "\n" + _compact.encode(d)).encode("utf-8")
    yield b"\n]\n"


STREAMS: dict[str, Callable[[Iterable[Row]], Iterator[bytes]]] = {"csv": csv_long, "wide.csv": csv_wide}
DOCUMENT_STREAMS: dict[str, Callable[[Iterable[Row]], Iterator[bytes]]] = {"jsonl": json_lines, "json": json_array}
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "wide.csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "json": "application/json",
}
KINDS = ("xlsx", "csv", "wide.csv", "jsonl", "json")
