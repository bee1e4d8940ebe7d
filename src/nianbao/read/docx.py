"""DOCX reader: body paragraphs and tables in order, merges placed on the grid.

python-docx opens the package; the body is walked as XML so that tracked
changes (``w:del`` dropped, ``w:ins`` kept), what is not printed (hidden text,
ruby guides, text boxes and drawings) and both vMerge encodings (a bare
``<w:vMerge/>`` from Word and python-docx, ``w:val="continue"`` from
LibreOffice) are handled the same way. Headers, footers, footnotes and
comments live in other parts and are never read.
"""

from __future__ import annotations

import io
from collections import Counter

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from nianbao.model import Location, ReportError, Source
from nianbao.read.archive import open_zip, repack
from nianbao.read.document import Block, Cell, Document, Paragraph, Table
from nianbao.read.numbering import Numbering, W

# Run-level content that is not body text: text boxes, drawings, embedded objects, ruby text.
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_NOTED = {W + "del": "deleted", W + "moveFrom": "deleted"}
_NOTED.update({t: "boxes" for t in (W + "drawing", W + "pict", W + "object", _MC + "AlternateContent")})
_SKIP = set(_NOTED) | {W + t for t in ("pPr", "rPr", "instrText", "delText", "rt")}
_CHARS = {W + "tab": "\t", W + "ptab": "\t", W + "cr": "\n", W + "noBreakHyphen": "-"}
_CONTAINERS = {W + t for t in ("sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo")}
MAX_SPAN = 64  # Word tables have at most 63 columns; a larger gridSpan/gridBefore is damage or malice


def read(data: bytes, source: Source) -> Document:
    package = repack(open_zip(data, "DOCX", "word/document.xml"))
    try:
        d = docx.Document(io.BytesIO(package))
        body = d.element.body
        numbering = Numbering(_part(d, RT.NUMBERING), _part(d, RT.STYLES))
    except Exception as e:  # python-docx raises KeyError, ValueError, lxml and zip errors alike
        raise ReportError("文件已损坏：DOCX 的内容无法解析") from e
    walker = _Walker(numbering)
    walker.body(body)
    return Document(source=source, blocks=walker.blocks, notes=walker.notes())


def _part(d: DocxDocument, reltype: str) -> etree._Element | None:
    try:
        return d.part.part_related_by(reltype).element
    except (KeyError, AttributeError):
        return None


def paragraph_text(p: etree._Element, skipped: Counter[str] | None = None) -> str:
    """What a paragraph prints, without its list number. ``skipped`` counts what held text
    but is not printed: deletions ("deleted"), text boxes or drawings ("boxes"), hidden runs ("hidden")."""
    out: list[str] = []
    _collect(p, out, skipped)
    return "".join(out)


def _collect(el: etree._Element, out: list[str], skipped: Counter[str] | None) -> None:
    for ch in el:
        tag = ch.tag
        if not isinstance(tag, str):
            continue
        if tag in _SKIP:
            if skipped is not None and tag in _NOTED and _has_text(ch):
                skipped[_NOTED[tag]] += 1
            continue
        if tag == W + "t":
            out.append(ch.text or "")
        elif tag == W + "br":
            if ch.get(W + "type") in (None, "textWrapping"):
                out.append("\n")
        elif tag in _CHARS:
            out.append(_CHARS[tag])
        elif tag == W + "r" and _hidden(ch):
            if skipped is not None and _has_text(ch):
                skipped["hidden"] += 1
        else:
            _collect(ch, out, skipped)


def _hidden(run: etree._Element) -> bool:
    """A run formatted as hidden text (w:vanish) is not printed."""
    if not len(run) or run[0].tag != W + "rPr":
        return False
    vanish = run[0].find(W + "vanish")
    return vanish is not None and vanish.get(W + "val") not in ("0", "false", "off")


def _has_text(el: etree._Element) -> bool:
    return any((t.text or "").strip() for t in el.iter(W + "t", W + "delText"))


def _children(el: etree._Element, tag: str):
    """Children named ``tag``, looking through content controls and custom XML."""
    for ch in el:
        if ch.tag == W + tag:
            yield ch
        elif ch.tag in _CONTAINERS:
            yield from _children(ch, tag)


def _cell_props(tc: etree._Element) -> tuple[int, etree._Element | None]:
    """gridSpan and the vMerge element of a cell, in one pass over its w:tcPr (always the first child)."""
    span, vmerge = 1, None
    if len(tc) and tc[0].tag == W + "tcPr":
        for ch in tc[0]:
            if ch.tag == W + "gridSpan":
                try:
                    span = min(MAX_SPAN, max(1, int(ch.get(W + "val") or 1)))
                except ValueError:
                    span = 1
            elif ch.tag == W + "vMerge":
                vmerge = ch
    return span, vmerge


def _int_val(el: etree._Element | None, child: str, default: int) -> int:
    if el is None:
        return default
    c = el.find(W + child)
    try:
        return int(c.get(W + "val")) if c is not None else default
    except (TypeError, ValueError):
        return default


class _Walker:
    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.line = 0
        self.tables = 0
        self.pending: list[Table | None] = []  # nested tables, emitted after their outer table
        self.skipped: Counter[str] = Counter()
        self.numbered = 0

    def body(self, el: etree._Element) -> None:
        for ch in el:
            if ch.tag == W + "p":
                self.line += 1
                text = self.paragraph(ch)
                if text.strip():
                    self.blocks.append(Paragraph(text, Location(line=self.line)))
            elif ch.tag == W + "tbl":
                self.blocks.append(self.table(ch))
                self.blocks.extend(t for t in self.pending if t is not None)
                self.pending.clear()
            elif ch.tag in _CONTAINERS:
                self.body(ch)

    def paragraph(self, p: etree._Element) -> str:
        text = paragraph_text(p, self.skipped)
        label = self.numbering.label(p)
        if label and text.strip():
            self.numbered += 1
            return label + text
        return text

    def notes(self) -> list[str]:
        """What the reader had to interpret, for the reviewer."""
        out = []
        if self.numbered:
            out.append(f"{self.numbered} 个段落的编号是 Word 自动编号，已按 Word 显示的样子写出")
        if self.skipped["deleted"]:
            out.append(f"文档含修订标记：{self.skipped['deleted']} 处已删除的文字未读取（按接受全部修订后的文本读取）")
        if self.skipped["boxes"]:
            out.append(f"{self.skipped['boxes']} 处文本框或图形中的文字未读取")
        if self.skipped["hidden"]:
            out.append(f"{self.skipped['hidden']} 处隐藏文字（不打印）未读取")
        return out

    def cell_text(self, tc: etree._Element) -> str:
        lines: list[str] = []
        for ch in tc:
            if ch.tag == W + "p":
                lines.append(self.paragraph(ch))
            elif ch.tag == W + "tbl":
                slot = len(self.pending)
                self.pending.append(None)
                self.pending[slot] = self.table(ch)
            elif ch.tag in _CONTAINERS:
                lines.extend(self.paragraph(p) for p in _children(ch, "p"))
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        return "\n".join(lines)

    def table(self, tbl: etree._Element) -> Table:
        self.tables += 1
        index = self.tables
        rows: list[list[_Slot]] = []
        above: dict[int, str] = {}  # grid column -> text of the cell covering it in the previous row
        ids = iter(range(1 << 62))
        for tr in _children(tbl, "tr"):
            trpr = tr.find(W + "trPr")
            if trpr is not None and trpr.find(W + "del") is not None:
                continue
            before = min(MAX_SPAN, max(0, _int_val(trpr, "gridBefore", 0)))
            row: list[_Slot] = [("", next(ids), False) for _ in range(before)]
            for tc in _children(tr, "tc"):
                span, vmerge = _cell_props(tc)
                col = len(row)
                continues = vmerge is not None and vmerge.get(W + "val", "continue") == "continue"
                if continues and col in above:
                    text = above[col]
                else:
                    text, continues = self.cell_text(tc), False
                cell_id = next(ids)
                row.extend((text, cell_id, continues) for _ in range(span))
            above = {c: slot[0] for c, slot in enumerate(row)}
            rows.append(row)
        width = max([0] + [len(r) for r in rows])
        for row in rows:
            row.extend(("", next(ids), False) for _ in range(width - len(row)))
        widths = _grid_widths(tbl)
        keep = [c for c in range(width) if not _artefact(rows, c, widths)]
        cells = []
        for r, row in enumerate(rows, start=1):
            out = []
            for n, c in enumerate(keep):
                text, cell_id, continues = row[c]
                merged = continues or (n > 0 and row[keep[n - 1]][1] == cell_id)
                out.append(Cell(text, Location(table=index, row=r, col=n + 1), merged=merged))
            cells.append(tuple(out))
        return Table(rows=tuple(cells), location=Location(table=index), exact=True, layout="docx")


_Slot = tuple[str, int, bool]  # text, id of the w:tc covering the slot, vMerge continuation
_THIN = 60  # twips (1 mm): narrower grid columns are rounding artefacts


def _grid_widths(tbl: etree._Element) -> list[int]:
    grid = tbl.find(W + "tblGrid")
    if grid is None:
        return []
    out = []
    for gc in grid.findall(W + "gridCol"):
        try:
            out.append(int(float(gc.get(W + "w") or _THIN)))
        except ValueError:
            out.append(_THIN)
    return out


def _artefact(rows: list[list[_Slot]], c: int, widths: list[int]) -> bool:
    """A sliver grid column (LibreOffice writes 1-twip columns when widths do not add up) that
    no cell occupies alone: the cells spanning it are one cell of the printed table."""
    if c >= len(widths) or widths[c] >= _THIN:
        return False
    for row in rows:
        cell_id = row[c][1]
        if not ((c > 0 and row[c - 1][1] == cell_id) or (c + 1 < len(row) and row[c + 1][1] == cell_id)):
            return False
    return True
