"""Sending findings back: per agency, a 问题清单 or 整改通知 as DOCX in official-document style
(GB/T 9704: title, 主送, numbered findings in plain Chinese with the cells, their values and
where in the report, 落款 and date), and an XLSX of findings for a selection.

Both take findings as :func:`nianbao.store.review.open_findings` gives them (the finding's
message, cells, location, review state and comment, its report's agency, year and file)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date as Date
from pathlib import PurePath, PureWindowsPath

import docx
import xlsxwriter
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from nianbao.model import Number
from nianbao.render.check_console import where
from nianbao.render.docx import official_page
from nianbao.render.json import location_from
from nianbao.render.workbook import Sheet, write_notes
from nianbao.template.names import SEVERITY_NAMES, cell_label, number

TITLE_FONT, BODY_FONT, HEAD_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
KINDS = ("问题清单", "整改通知")
# review state -> the group it is listed under, and what the agency is asked to do
GROUPS = {"需整改": ("需要整改的问题", "请整改"), "待核实": ("需要核实的问题", "请核实")}
CN_NUMBERS = "一二三四五六七八九十"


def notice_docx(
    agency: str,
    year: int | None,
    findings: list[dict],
    values: dict[str, Number | None] | None = None,
    kind: str = "问题清单",
    sender: str = "",
    date: Date | None = None,
    due: str = "",
) -> bytes:
    """The 问题清单 (or 整改通知) of ``agency``'s report for ``year``: ``findings`` grouped by
    state (需整改 first, then 待核实), each numbered, with the cells it concerns and their
    values (``values``: path → value of the report), where it is in the report and the
    reviewer's comment; signed by ``sender`` on ``date`` (default today); ``due``: by when."""
    if kind not in KINDS:
        raise ValueError(f"kind 应为 {'/'.join(KINDS)}")
    d = docx.Document()
    official_page(d)
    period = f"{year}年" if year else ""
    title = (
        f"关于{agency}{period}政府信息公开工作年度报告问题整改的通知"
        if kind == "整改通知"
        else f"{agency}{period}政府信息公开工作年度报告问题清单"
    )
    _para(d, title, TITLE_FONT, 22, WD_ALIGN_PARAGRAPH.CENTER)
    _para(d, "")
    _para(d, f"{agency}：", indent=False)
    _para(d, _intro(period, findings, due))
    groups = [(state, [f for f in findings if f["state"] == state]) for state in GROUPS]
    groups = [(s, fs) for s, fs in groups if fs]
    for gi, (state, items) in enumerate(groups):
        _para(d, f"{CN_NUMBERS[gi]}、{GROUPS[state][0]}（{len(items)}个）", HEAD_FONT)
        for i, f in enumerate(items, 1):
            _para(d, f"{i}．{_named(f)}（{GROUPS[state][1]}）")
            for line in _details(f, values or {}):
                _para(d, line)
    _para(d, "")
    for line in (sender, _chinese(date or Date.today())):
        if line:
            _para(d, line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _intro(period: str, findings: list[dict], due: str) -> str:
    if not findings:
        return f"经核查，你单位报送的{period}政府信息公开工作年度报告未发现需要整改或核实的问题。"
    n = {s: sum(f["state"] == s for f in findings) for s in GROUPS}
    text = f"经核查，你单位报送的{period}政府信息公开工作年度报告存在以下{len(findings)}个问题。"
    if n["需整改"]:
        text += f"对需要整改的问题，请逐项整改，{f'于{due}前' if due else ''}重新报送年度报告"
        text += "；" if n["待核实"] else "。"
    if n["待核实"]:
        text += "对需要核实的问题，请核实后书面说明情况。"
    return text


def _details(f: dict, values: dict[str, Number | None]) -> list[str]:
    lines = []
    cells = [c for c in f.get("cells") or [] if c]
    if cells:
        shown = [f"{cell_label(c)}（{number(values[c], '空白')}）" if c in values else cell_label(c) for c in cells]
        lines.append("涉及：" + "、".join(shown))
    if located := _located(f):
        lines.append("位置：" + located)
    if f.get("comment"):
        lines.append(f"审核意见：{f['comment']}")
    return lines


def _named(f: dict) -> str:
    """The finding's message with each file it names (a cross-report finding names the reports'
    files as they were read, a path on the reviewer's machine) by its name only: a letter names a
    report, never a local path."""
    message = f["message"]
    for path in sorted({*(f.get("files") or []), f.get("source_file") or ""}, key=len, reverse=True):
        if name := _file_name(path):
            message = message.replace(path, name)
    return message


def _file_name(path: str) -> str:
    """The last part of ``path``, written with / or \\ (a store may hold paths read on Windows)."""
    return PureWindowsPath(path).name if "\\" in path else PurePath(path).name


def _located(f: dict) -> str:
    """The finding's files, the report's own (``source_file``) first, and its place, after the
    file it is in when the finding concerns several (``values["location_file"]``)."""
    own = _file_name(f.get("source_file") or "")
    files = [_file_name(x) for x in (f.get("files") or []) if x] or ([own] if own else [])
    files.sort(key=lambda x: x != own)
    place = where(location_from(f.get("location")))
    at = _file_name((f.get("values") or {}).get("location_file") or "")
    if len(files) > 1 and place and at in files:
        return "；".join(f"{x}（{place}）" if x == at else x for x in files)
    return "；".join(filter(None, ("、".join(files), place)))


def _chinese(day: Date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _para(
    d: DocxDocument,
    text: str,
    font: str = BODY_FONT,
    size: float = 16,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = True,
) -> None:
    """One paragraph: 三号 (16 pt) 仿宋 body, 28 pt fixed line spacing, first line indented two characters."""
    p = d.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28 if size <= 16 else 36)
    fmt.space_after = Pt(0)
    if align is not None:
        p.alignment = align
    elif indent:
        fmt.first_line_indent = Pt(size * 2)
    run = p.add_run(text)
    run.font.name, run.font.size = font, Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


XLSX_COLUMNS = (
    ("单位", "agency", 30),
    ("地区", "region", 16),
    ("年度", "year", 8),
    ("报告编号", "report_id", 10),
    ("文件", "source_file", 28),
    ("规则", "rule", 16),
    ("严重程度", "severity", 10),
    ("问题", "message", 80),
    ("涉及单元格", "cells", 40),
    ("位置", "location", 16),
    ("核查状态", "state", 10),
    ("审核意见", "comment", 30),
    ("标记人", "who", 10),
    ("标记时间", "at", 20),
)


class _FindingSheet(Sheet):
    """A sheet of findings: only its header row frozen, as the list is read across."""

    def _open(self) -> None:
        super()._open()
        self.ws.freeze_panes(1, 0)


def findings_xlsx(rows: Iterable[dict]) -> bytes:
    """The findings as a sheet 问题, a row each, with a filter on every column, written in
    constant memory; past Excel's last row they go on in 问题 (2), … and a sheet 说明 says so."""
    out = io.BytesIO()
    # strings stay strings: never a formula (CSV-injection) nor a link
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    heads = [(title,) for title, _, _ in XLSX_COLUMNS]
    sheet = _FindingSheet(book, "问题", heads, [width for _, _, width in XLSX_COLUMNS], wrap)
    every = range(len(XLSX_COLUMNS))
    for f in rows:
        sheet.append([_xlsx_value(key, f) for _, key, _ in XLSX_COLUMNS], every)
    sheet.close()
    if notes := sheet.notes():
        write_notes(book, notes)
    book.close()
    return out.getvalue()


def _xlsx_value(key: str, f: dict) -> object:
    v = f.get(key)
    if key == "severity":
        return SEVERITY_NAMES.get(v, v)
    if key == "cells":
        return "、".join(cell_label(c) for c in v or [])
    if key == "location":
        return where(location_from(v))
    if key == "source_file":
        return _file_name(v or "")
    if key == "message":
        return _named(f)
    return "" if v is None else v
