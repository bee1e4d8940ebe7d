"""A report written out in the official layout as DOCX: title, the six section
headings with their text, and tables 二/三/四 with the template's merged cells
(template.md §1.3–1.5 for 2021, §2 for 2019).

Tables are written as XML straight from a span layout (text, colspan,
rowspan): a true ``gridSpan`` per merged row and ``vMerge`` restart/continue
per merged column, as Word writes them.
"""

from __future__ import annotations

import io

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt

from nianbao.model import Number, Report, Value
from nianbao.template import SECTION_TABLES, SECTIONS, edition
from nianbao.template.layout import Grid, grids, split_item
from nianbao.template.names import number

Span = tuple[str, int, int]  # text, colspan, rowspan
Layout = list[list[Span]]

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
TABLE_HALF_POINTS = 21  # 五号 (10.5 pt)


# ------------------------------------------------------------- layouts --


def _item_value(v: object) -> Number | None:
    if isinstance(v, Value):
        return v.value
    return v if isinstance(v, int | float) and not isinstance(v, bool) else None


def _layout(grid: Grid, report: Report, split: list[dict[str, object]]) -> Layout:
    """The grid's spans with the report's numbers as printed."""

    def text(path: str) -> str:
        item = split_item(path)
        return number(report.value(path) if item is None else _item_value(split[item[0]].get(item[1])))

    return [[(text(s.path) if s.kind == "num" else s.text, s.colspan, s.rowspan) for s in row] for row in grid.rows]


def layouts(report: Report) -> dict[str, Layout]:
    ed = edition(report.edition)
    split = report.split_items if ed.name == "2019" else []
    names = tuple(str(item.get("name", "")) for item in split)
    return {g.key: _layout(g, report, split) for g in grids(ed.name, names, nested=True)}


# ---------------------------------------------------------------- XML --


def _place(layout: Layout) -> list[list[tuple[Span, bool] | None]]:
    """Each row as grid slots: (span, starts_here) at the first column of a cell, None elsewhere."""
    width = sum(cs for cs, _ in ((s[1], s[2]) for s in layout[0]))
    covered: dict[tuple[int, int], Span] = {}
    out: list[list[tuple[Span, bool] | None]] = []
    for r, row in enumerate(layout):
        slots: list[tuple[Span, bool] | None] = [None] * width
        c = 0
        cells = iter(row)
        while c < width:
            if (r, c) in covered:
                span = covered[(r, c)]
                slots[c] = (span, False)
                c += span[1]
                continue
            span = next(cells, None)
            if span is None:
                break
            slots[c] = (span, True)
            for dr in range(1, span[2]):
                covered[(r + dr, c)] = span
            c += span[1]
        out.append(slots)
    return out


def _tc(text: str, colspan: int, width: int, vmerge: str | None, bold: bool = False) -> OxmlElement:
    tc = OxmlElement("w:tc")
    tcpr = OxmlElement("w:tcPr")
    tcw = OxmlElement("w:tcW")
    tcw.set(qn("w:w"), str(width))
    tcw.set(qn("w:type"), "dxa")
    tcpr.append(tcw)
    if colspan > 1:
        gs = OxmlElement("w:gridSpan")
        gs.set(qn("w:val"), str(colspan))
        tcpr.append(gs)
    if vmerge is not None:
        vm = OxmlElement("w:vMerge")
        if vmerge:
            vm.set(qn("w:val"), vmerge)
        tcpr.append(vm)
    va = OxmlElement("w:vAlign")
    va.set(qn("w:val"), "center")
    tcpr.append(va)
    tc.append(tcpr)
    for line in text.split("\n") if text else [""]:
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), "center")
        ppr.append(jc)
        p.append(ppr)
        if line:
            r = OxmlElement("w:r")
            rpr = OxmlElement("w:rPr")
            if bold:
                rpr.append(OxmlElement("w:b"))
            size = OxmlElement("w:sz")
            size.set(qn("w:val"), str(TABLE_HALF_POINTS))
            rpr.append(size)
            r.append(rpr)
            t = OxmlElement("w:t")
            t.text = line
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
            p.append(r)
        tc.append(p)
    return tc


def _table(layout: Layout, header_rows: int, weights: list[float], total: int) -> OxmlElement:
    """``weights``: relative column widths; ``total``: the table width in twips. Every cell
    carries its own width (the grid columns it spans), so no converter has to guess."""
    placed = _place(layout)
    width = len(placed[0])
    weights = (weights + [1.0] * width)[:width]
    cols = [int(total * w / sum(weights)) for w in weights]
    tbl = OxmlElement("w:tbl")
    tblpr = OxmlElement("w:tblPr")
    for tag, attrs in (
        ("w:tblStyle", {"w:val": "TableGrid"}),
        ("w:tblW", {"w:w": str(sum(cols)), "w:type": "dxa"}),
        ("w:jc", {"w:val": "center"}),
        ("w:tblLayout", {"w:type": "fixed"}),
    ):
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        tblpr.append(el)
    tbl.append(tblpr)
    grid = OxmlElement("w:tblGrid")
    for w in cols:
        gc = OxmlElement("w:gridCol")
        gc.set(qn("w:w"), str(w))
        grid.append(gc)
    tbl.append(grid)
    for r, slots in enumerate(placed):
        tr = OxmlElement("w:tr")
        if r < header_rows:
            trpr = OxmlElement("w:trPr")
            trpr.append(OxmlElement("w:tblHeader"))
            tr.append(trpr)
        for c, slot in enumerate(slots):
            if slot is None:
                continue
            (text, colspan, rowspan), starts = slot
            cell_width = sum(cols[c : c + colspan])
            if starts:
                vmerge = "restart" if rowspan > 1 else None
                tr.append(_tc(text, colspan, cell_width, vmerge, bold=r < header_rows))
            else:
                tr.append(_tc("", colspan, cell_width, ""))
        tbl.append(tr)
    return tbl


# ------------------------------------------------------------ document --

_HEADER_ROWS = {g.key: len(g.head) for g in grids(None)}


def _weights(name: str, layout: Layout) -> list[float]:
    """Relative column widths: label columns wide enough for the template's labels."""
    if name == "table3":
        return [1.1, 1.5, 4.4] + [1.0] * 7
    if name == "table2":
        lead = sum(span[1] for span in layout[0]) - 3
        return [3.0 / lead] * lead + [2.0] * 3
    return [1.0] * 15


def _fonts(d: DocxDocument) -> None:
    for name, font, size in (("Normal", BODY_FONT, 12), ("Heading 1", HEADING_FONT, 16), ("Title", HEADING_FONT, 20)):
        style = d.styles[name]
        style.font.name = font
        style.font.size = Pt(size)
        rpr = style.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)
        if name != "Normal":
            style.font.color.rgb = None
            style.font.bold = name == "Title"


def _title(report: Report) -> str:
    year = f"{report.year}年" if report.year else ""
    return f"{report.agency or ''}{year}政府信息公开工作年度报告"


def fee_sentence(report: Report) -> str:
    """Section 六's sentence on the fees charged (表三's 收费 figures), or "" when the report gives none."""
    f = report.fees
    if f.notices is None and f.notice_amount_yuan is None and f.collected_yuan is None:
        return ""
    parts = [
        f"发出收费通知的件数为{number(f.notices)}件" if f.notices is not None else "",
        f"总金额为{number(f.notice_amount_yuan)}元" if f.notice_amount_yuan is not None else "",
        f"实际收取的总金额为{number(f.collected_yuan)}元" if f.collected_yuan is not None else "",
    ]
    return "本机关" + "，".join(p for p in parts if p) + "。"


def official_page(d: DocxDocument) -> Section:
    """The document's page made A4 with the margins of GB/T 9704 公文; returns its section."""
    section = d.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
        Mm(37),
        Mm(35),
        Mm(28),
        Mm(26),
    )
    return section


def render_docx(report: Report) -> bytes:
    """The report as a DOCX file, in the official layout."""
    d = docx.Document()
    _fonts(d)
    section = official_page(d)
    text_width = (section.page_width - section.left_margin - section.right_margin) // 635  # EMU → twips
    title = d.add_paragraph(_title(report), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tables = layouts(report)
    for spec in SECTIONS:
        d.add_heading(f"{spec.number}、{spec.title}", level=1)
        section = report.sections.get(spec.key)
        text = section.text if section else ""
        if spec.key == "other" and not text:
            text = fee_sentence(report)
        for line in text.split("\n"):
            if line.strip():
                d.add_paragraph(line)
        name = SECTION_TABLES.get(spec.key)
        if name:
            table = _table(tables[name], _HEADER_ROWS[name], _weights(name, tables[name]), text_width)
            d.add_paragraph()._p.addprevious(table)
    if report.agency or report.published:
        for line in (report.agency or "", _date(report.published)):
            if line:
                d.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _date(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        y, m, day = (int(x) for x in iso.split("-"))
    except ValueError:
        return iso
    return f"{y}年{m}月{day}日"
