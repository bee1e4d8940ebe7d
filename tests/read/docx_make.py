"""Builders for DOCX/XLSX test inputs: a report with a distinct value in every cell, Word list
numbering, tracked changes, text boxes, nested tables, and an XLSX of the three tables."""

from __future__ import annotations

import copy
import io
import struct

import docx
import openpyxl
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from openpyxl.styles import Border, Side

from nianbao.model import Report, Source, Value
from nianbao.render.docx import Layout, layouts
from nianbao.template import cell_paths, edition

FIXTURES = "tests/fixtures/docx"


def sample_report(ed: str = "2021") -> Report:
    """Every cell a different number; every 5th blank; decimal 万元 amounts; 2019 with split sub-rows."""
    report = Report(source=Source("sample", "0", "txt"), agency="某某市某某区人民政府", year=2024, edition=ed)
    for i, path in enumerate(cell_paths(edition(ed))):
        report.cells[path] = Value(None if i % 5 == 3 else i)
    report.cells["table2.fees.amount_wan" if ed == "2021" else "table2.procurement.amount_wan"] = Value(9116.36)
    if ed == "2019":
        report.cells["table2.licensing.change"] = Value(-18)
        report.split_items = [
            {"name": "行政检查", "prev_items": 1, "change": 2, "decisions": 3},
            {"name": "行政确认", "prev_items": 4, "change": None, "decisions": 6},
        ]
        # the split row itself is not printed: it is the sum of its sub-rows (model.md)
        for col, total in (("prev_items", 5), ("change", None), ("decisions", 9)):
            report.cells[f"table2.other_services.{col}"] = Value(total)
    report.published = "2025-01-20"
    return report


def expand(layout: Layout) -> list[list[tuple[str, bool]]]:
    """The expanded grid of a span layout (the standard rowspan/colspan algorithm)."""
    grid: dict[tuple[int, int], tuple[str, bool]] = {}
    for r, row in enumerate(layout):
        c = 0
        for text, colspan, rowspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = (text, (dr, dc) != (0, 0))
            c += colspan
    rows = max(k[0] for k in grid) + 1
    cols = max(k[1] for k in grid) + 1
    return [[grid.get((r, c), ("", False)) for c in range(cols)] for r in range(rows)]


def grid_of(table) -> list[list[tuple[str, bool]]]:
    return [[(c.text, c.merged) for c in row] for row in table.rows]


# ------------------------------------------------------------ numbering --

_ABSTRACT = """<w:abstractNum {ns} w:abstractNumId="{aid}">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{fmt0}"/><w:lvlText w:val="{text0}"/>
    <w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="{fmt1}"/><w:lvlText w:val="{text1}"/>
    <w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2.%3"/></w:lvl>
</w:abstractNum>"""


def add_list(d, aid: int, fmt0: str, text0: str, fmt1: str = "chineseCounting", text1: str = "（%2）", start=1) -> int:
    """Add an abstractNum and a num pointing at it; returns the numId."""
    numbering = d.part.numbering_part.element
    xml = _ABSTRACT.format(ns=nsdecls("w"), aid=aid, fmt0=fmt0, text0=text0, fmt1=fmt1, text1=text1, start=start)
    first_num = numbering.find(qn("w:num"))
    abstract = parse_xml(xml)
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num_id = 100 + aid
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/></w:num>'))
    return num_id


def restart_list(d, aid: int, num_id: int, start: int) -> int:
    """A second num on the same abstractNum with a startOverride (Word's 重新开始编号)."""
    d.part.numbering_part.element.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
        )
    )
    return num_id


def numbered(d, text: str, num_id: int, ilvl: int = 0, style: str | None = None):
    p = d.add_paragraph(text, style=style)
    ppr = p._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return p


def style_numbering(d, style_name: str, num_id: int) -> None:
    """Number a paragraph style itself (as Word's 多级列表 linked to 标题 1 does)."""
    style = d.styles[style_name]
    ppr = style.element.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{num_id}"/></w:numPr>'))


# ------------------------------------------------------------- oddities --


def add_revisions(p) -> None:
    """Append a deleted run and an inserted run to a paragraph (tracked changes)."""
    p._p.append(
        parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>删除的文字</w:delText></w:r></w:del>')
    )
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>插入的文字</w:t></w:r></w:ins>'))


def add_hidden_and_ruby(p) -> None:
    """A hidden run (w:vanish) and a ruby (phonetic guide) over 年报."""
    p._p.append(parse_xml(f"<w:r {nsdecls('w')}><w:rPr><w:vanish/></w:rPr><w:t>隐藏的字</w:t></w:r>"))
    p._p.append(
        parse_xml(
            f"<w:r {nsdecls('w')}><w:ruby><w:rubyPr/><w:rt><w:r><w:t>nián bào</w:t></w:r></w:rt>"
            "<w:rubyBase><w:r><w:t>年报</w:t></w:r></w:rubyBase></w:ruby></w:r>"
        )
    )


def add_text_box(p, text: str) -> None:
    """A VML text box inside a run: not body text."""
    p._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
            f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        )
    )


def docx_bytes(d) -> bytes:
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def oddities_docx() -> bytes:
    """Numbered headings (chineseCounting, decimal, restart, style-linked), tracked changes,
    a text box, a header and footer, a nested table."""
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "页眉文字"
    d.sections[0].footer.paragraphs[0].text = "页脚文字"
    chinese = add_list(d, 11, "chineseCounting", "%1、")
    decimal = add_list(d, 12, "decimal", "%1、", fmt1="decimal", text1="（%2）")
    d.add_paragraph("某某区2024年政府信息公开工作年度报告")
    numbered(d, "总体情况", chinese)
    numbered(d, "主动公开", chinese, 1)
    numbered(d, "依申请公开", chinese, 1)
    numbered(d, "主动公开政府信息情况", chinese)
    numbered(d, "平台建设", chinese, 1)
    numbered(d, "细目", chinese, 2)
    numbered(d, "细目", chinese, 2)
    numbered(d, "收到和处理政府信息公开申请情况", decimal)
    numbered(d, "小项", decimal, 1)
    numbered(d, "政府信息公开行政复议、行政诉讼情况", decimal)
    restarted = restart_list(d, 12, 201, 5)
    numbered(d, "存在的主要问题及改进情况", restarted)
    p = d.add_paragraph("正文")
    add_revisions(p)
    add_text_box(p, "文本框里的字")
    add_hidden_and_ruby(p)
    heading_list = add_list(d, 13, "chineseCountingThousand", "%1、", start=6)
    style_numbering(d, "Heading 1", heading_list)
    d.add_heading("其他需要报告的事项", level=1)
    outer = d.add_table(rows=2, cols=2)
    for row, texts in zip(outer.rows, (("甲", "乙"), ("丙", "")), strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    inner_cell = outer.rows[1].cells[1]
    inner = inner_cell.add_table(rows=1, cols=2)
    inner.rows[0].cells[0].text = "内1"
    inner.rows[0].cells[1].text = "内2"
    cell_p = outer.rows[0].cells[0].add_paragraph("第二段")
    cell_p.text = "第二段"
    d.add_paragraph("结尾")
    return docx_bytes(d)


# ---------------------------------------------------------------- xlsx --

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def xlsx_bytes(report: Report, borders: bool = True, one_sheet: bool = False) -> bytes:
    """The three tables, each under its section heading: on a sheet each (a blank row between
    heading and table), or all on one sheet with no blank rows at all."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    titles = {
        "table2": "二、主动公开政府信息情况",
        "table3": "三、收到和处理政府信息公开申请情况",
        "table4": "四、政府信息公开行政复议、行政诉讼情况",
    }
    ws, row = None, 1
    for name, layout in layouts(report).items():
        if ws is None or not one_sheet:
            ws, row = wb.create_sheet(name), 1
        ws.cell(row, 1, titles[name])
        first = row + (1 if one_sheet else 2)
        grid = expand(layout)
        if borders:
            for r, cells in enumerate(grid, start=first):
                for c in range(1, len(cells) + 1):
                    ws.cell(r, c).border = copy.copy(_BOX)
        _write_spans(ws, layout, first_row=first)
        row = first + len(grid)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_spans(ws, layout: Layout, first_row: int) -> None:
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(layout):
        c = 0
        for text, colspan, rowspan in row:
            while (r, c) in taken:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            cell = ws.cell(first_row + r, c + 1)
            cell.value = _typed(text)
            if colspan > 1 or rowspan > 1:
                ws.merge_cells(
                    start_row=first_row + r,
                    start_column=c + 1,
                    end_row=first_row + r + rowspan - 1,
                    end_column=c + colspan,
                )
            c += colspan


def _typed(text: str) -> object:
    """Numbers as Excel numbers (ints written as floats, as Excel stores them)."""
    try:
        return float(text) if "." in text else float(int(text))
    except ValueError:
        return text or None


def declare_size(data: bytes, member: str, size: int) -> bytes:
    """Patch the uncompressed size a member declares (local header and central directory)
    without storing that much data: a ZIP bomb that is never inflated."""
    buf = bytearray(data)
    name = member.encode()
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = 0
        while (pos := buf.find(sig, pos)) >= 0:
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            if buf[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", buf, pos + size_at, size)
            pos += 4
    return bytes(buf)
