"""Exports of stored reports: XLSX (a sheet per table, one row per report, plus 报告 and 问题),
CSV (long form, UTF-8 with BOM so Excel shows the Chinese) and JSON (the ``parse --format json``
objects, as an array).

Each exporter takes the dict ``nianbao.store.queries.export_data`` returns and gives bytes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from functools import cache
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from nianbao.template import EDITION_2019, EDITION_2021, path_label, t2_paths, t3_paths, t4_paths
from nianbao.template.names import SEVERITY_NAMES

Data = dict[str, Any]

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
KEY_HEADERS = ("报告编号", "报告机关", "年度", "模板版本")


def _both(paths: Callable) -> list[str]:
    return list(dict.fromkeys(paths(EDITION_2021) + paths(EDITION_2019)))


TABLES = (
    ("表二 主动公开", _both(t2_paths)),
    ("表三 申请办理", _both(t3_paths)),
    ("表四 复议诉讼", t4_paths()),
)


@cache
def cell_name(path: str) -> str:
    """``表三“（一）予以公开·自然人”`` → ``（一）予以公开·自然人``; unknown paths as they are."""
    label = path_label(path)
    return label[3:-1] if label[2:3] == "“" and label.endswith("”") else label


def to_xlsx(data: Data) -> bytes:
    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    def sheet(title: str, headers: list[str], rows: list[list[Any]], frozen: str) -> None:
        ws = wb.create_sheet(title)
        ws.freeze_panes = frozen
        head = []
        for h in headers:
            c = WriteOnlyCell(ws, value=h)
            c.font, c.alignment = bold, Alignment(wrap_text=True, vertical="top")
            head.append(c)
        ws.append(head)
        for r in rows:
            ws.append([_text(ws, v) for v in r])

    reports = data["reports"]
    sheet("报告", [h for _, h in REPORT_HEADERS], [[_plain(r[k]) for k, _ in REPORT_HEADERS] for r in reports], "C2")
    for title, paths in TABLES:
        rows = [
            [r["id"], r["agency"], r["year"], r["edition"], *(data["cells"].get(r["id"], {}).get(p) for p in paths)]
            for r in reports
        ]
        sheet(title, [*KEY_HEADERS, *map(cell_name, paths)], rows, "C2")
    by_id = {r["id"]: r for r in reports}
    problems = []
    for d in data["diagnostics"]:
        r = by_id.get(d["report_id"], {})
        problems.append(
            [
                d["report_id"],
                r.get("agency"),
                r.get("year"),
                d["rule"],
                SEVERITY_NAMES.get(d["severity"], d["severity"]),
                d["message"],
                "、".join(cell_name(c) for c in d["cells"]),
                "、".join(d["files"]),
            ]
        )
    sheet("问题", [*KEY_HEADERS[:3], "规则", "级别", "说明", "单元格", "涉及文件"], problems, "D2")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# OWASP's CSV-injection advice: a text cell starting with one of these may run as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(ws: Any, v: Any) -> Any:
    """A value for an XLSX row: text that looks like a formula stays text (openpyxl would write
    a string starting with ``=`` as a formula)."""
    if not (isinstance(v, str) and v.startswith(FORMULA_START)):
        return v
    c = WriteOnlyCell(ws, value=v)
    c.data_type = "s"
    return c


def _inert(v: Any) -> Any:
    """A CSV field: text starting like a formula gets a leading ``'`` so that spreadsheets show it as text."""
    return "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v


def _plain(v: Any) -> Any:
    return "是" if v is True else "否" if v is False else v


def to_csv(data: Data) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["报告编号", "报告机关", "年度", "单元格路径", "单元格", "数值"])
    for r in data["reports"]:
        values = data["cells"].get(r["id"], {})
        for _, paths in TABLES:
            for p in paths:
                if p in values:
                    v = values[p]
                    row = [r["id"], r["agency"], r["year"], p, cell_name(p), "" if v is None else v]
                    w.writerow(map(_inert, row))
    return out.getvalue().encode("utf-8-sig")


def to_json(data: Data) -> bytes:
    return (json.dumps(data["documents"], ensure_ascii=False, indent=2) + "\n").encode("utf-8")


EXPORTERS: dict[str, Callable[[Data], bytes]] = {"xlsx": to_xlsx, "csv": to_csv, "json": to_json}
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
