"""Plain text and Markdown → Document, in every layout real reports come in.

- one cell per line with a leading TAB, a blank line between rows, a line
  without TAB continuing the cell above (Word copied as text: seeds 000/002–004);
- pipe rows, with or without a leading pipe, merged cells collapsed
  (``| 第二十条第(一)项 | |||``); rows opened by a bare ``|`` line with each cell
  on its own line ending `` |``; Markdown tables with separator lines;
- HTML ``<table>`` blocks inside Markdown (MinerU), read by the HTML reader;
- anything else is a paragraph per line. One cell per paragraph (blank line
  between cells) cannot be told from prose here: extraction recognises it by
  its labels.
"""

from __future__ import annotations

import re
from operator import itemgetter

from nianbao.model import Location, ReportError, Source
from nianbao.read import spaced
from nianbao.read.document import Block, Cell, Document, Paragraph, Table, at_line, paragraph
from nianbao.read.encoding import decode
from nianbao.read.nogc import gc_paused

_HTML_TABLE = re.compile(r"^\s*<table[\s>]", re.I)  # MinerU's Markdown prints tables as HTML
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PAGE = r"(?:[-—－]+\s*\d{1,3}\s*[-—－]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?)"  # - 3 -, 第3页 共9页
_PAGE_NO = re.compile(rf"^\s*{_PAGE}\s*$")
_FOOTER_ROW = re.compile(rf"^[|\s]*{_PAGE}[|\s]*$")  # a pipe line whose only text is a page number
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_BOLD = re.compile(r"^(\s*)(\*\*|__)(?P<bold>\S.*?)\2(?P<rest>.*)$")
_SECTION_START = re.compile(r"^[一二三四五六][、.．]")  # a section heading does not continue a cell
_MAX_CELL = 80  # a TAB-indented line longer than this is prose, not a cell
_text = itemgetter(1)  # of a (line number, text) pair
_PLAIN = (False, None)  # a Cell's fields after its text and location: not merged, no OCR confidence
_cell = tuple.__new__  # Cell(text, loc) without the call through its generated __new__: one per cell


@gc_paused
def read(data: bytes, source: Source) -> Document:
    text, encoding = decode(data)
    if "\x00" in text or _binary(text):
        raise ReportError("不是文本文件（含有二进制内容）")
    source = Source(source.file, source.sha256, source.format, encoding)
    return Document(source, parse_lines(text.splitlines()))


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\ue000-\uf8ff\ufffd]")


def _binary(text: str) -> bool:
    sample = text[:4000]
    return len(_CONTROL.findall(sample)) > max(8, len(sample) // 50)


def parse_lines(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    i, n = 0, len(lines)
    rows = spaced.number_rows(lines)
    spaced_rows = any(rows)
    while i < n:
        line = lines[i]
        if "<" in line and _HTML_TABLE.match(line):
            from nianbao.read import html  # lxml, imported only for the files that hold HTML tables

            j = next((k + 1 for k in range(i, n) if "</table>" in lines[k].lower()), n)
            before = sum(1 for b in blocks if isinstance(b, Table) and b.layout == "html")
            blocks.extend(html.fragment("\n".join(lines[i:j]), i + 1, before))
            i = j
        elif line.startswith("\t"):
            j = _tab_run_end(lines, i)
            blocks.extend(_tab_blocks(lines, i, j))
            i = j
        elif "|" in line:
            j = _pipe_run_end(lines, i)
            blocks.extend(_pipe_blocks(lines, i, j))
            i = j
        elif spaced_rows and (j := spaced.run_end(lines, i, rows)) > i and (t := spaced.table(lines, i, j)):
            blocks.append(t)
            i = j
        else:
            if line.strip() and not _PAGE_NO.match(line):
                text = _MD_HEADING.sub("", line) if "#" in line else line
                blocks.append(paragraph(_unbold(text) if "*" in text or "_" in text else text, at_line(i + 1)))
            i += 1
    return blocks


def _unbold(line: str) -> str:
    """``**一、总体情况**`` (markitdown, pandoc) → ``一、总体情况``; text after the bold run
    stays on the line, apart by a wide space as a heading run into its text is."""
    m = _MD_BOLD.match(line)
    if not m:
        return line
    rest = m.group("rest").strip()
    gap = "\u3000" if rest and rest[0].isalnum() else ""
    return m.group(1) + m.group("bold") + gap + rest


# ------------------------------------------------------------------ TAB --


def _tab_run_end(lines: list[str], i: int) -> int:
    """End of a run of TAB lines, blank lines and continuation lines."""
    n = len(lines)
    j = i
    while j < n:
        line = lines[j]
        if line.startswith("\t"):
            j += 1
        elif not line.strip():
            k = j
            while k < n and not lines[k].strip():
                k += 1
            if k < n and lines[k].startswith("\t"):
                j = k
            else:
                return j
        elif (lines[j - 1].startswith("\t") or lines[j - 1].strip()) and _continuation(line):
            j += 1
        else:
            return j
    return j


def _continuation(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= 30 and not _SECTION_START.match(s)


def _tab_blocks(lines: list[str], start: int, end: int) -> list[Block]:
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    cell: list[tuple[str, Location]] = []  # the lines of the cell being read: (text, where)
    for k in range(start, end):
        line = lines[k]
        if line.startswith("\t"):  # each TAB closes a cell and opens the next
            if cell:  # most cells are one line
                row.append(_cell(Cell, cell[0] + _PLAIN) if len(cell) == 1 else _tab_cell(cell))
            loc = at_line(k + 1)
            parts = line.split("\t")
            if len(parts) > 2:  # most lines hold one cell
                row += [_cell(Cell, (p, loc, False, None)) for p in parts[1:-1]]
            cell = [(parts[-1], loc)]
        elif not line.strip():
            if cell:
                row.append(_tab_cell(cell))
                cell = []
            if row:
                rows.append(row)
                row = []
        else:
            cell.append((line, at_line(k + 1)))
    if cell:
        row.append(_tab_cell(cell))
    if row:
        rows.append(row)
    texts = [c.text for r in rows for c in r]
    if len(texts) < 2 or max(map(len, texts)) > _MAX_CELL and max(map(len, map(str.strip, texts))) > _MAX_CELL:
        return [Paragraph(lines[k], at_line(k + 1)) for k in range(start, end) if lines[k].strip()]
    return [Table(tuple(tuple(r) for r in rows), at_line(start + 1), layout="tab")]


def _tab_cell(cell: list[tuple[str, Location]]) -> Cell:
    """A cell from its lines, located at its first line holding text."""
    if len(cell) == 1:
        return _cell(Cell, cell[0] + _PLAIN)
    text = "\n".join(t for t, _ in cell)
    first = next((loc for t, loc in cell if t.strip()), cell[0][1])
    return Cell(text, first)


# ----------------------------------------------------------------- pipe --


def _pipe_run_end(lines: list[str], i: int) -> int:
    """End of a run of pipe lines; a page footer (``— 5 —``) between two of them
    is a page break inside the table, not the table's end."""
    n = len(lines)
    j = i
    while j < n:
        if "|" in lines[j]:
            j += 1
            continue
        k = j
        while k < n and (not lines[k].strip() or _PAGE_NO.match(lines[k])):
            k += 1
        footer = _footer_row(lines[j - 1]) or (k < n and _footer_row(lines[k]))
        if k < n and "|" in lines[k] and (footer or any(_PAGE_NO.match(lines[m]) for m in range(j, k))):
            j = k
        else:
            return j
    return j


def _footer_row(line: str) -> bool:
    """A pipe line whose only text is a page number."""
    return bool(_FOOTER_ROW.match(line))


def _pipe_blocks(lines: list[str], start: int, end: int) -> list[Block]:
    numbered = [
        (k + 1, lines[k])
        for k in range(start, end)
        if "|" in lines[k] and not ("--" in lines[k] and _MD_RULE.match(lines[k])) and not _FOOTER_ROW.match(lines[k])
    ]
    if not numbered:
        return []
    if "|" in map(str.strip, map(_text, numbered)):  # a bare ``|`` line opens each row
        groups: list[list[tuple[int, str]]] = []
        for item in numbered:
            if item[1].strip() == "|" or not groups:
                groups.append([])
            groups[-1].append(item)
    else:
        groups = [[item] for item in numbered]
    rows = [r for r in (_pipe_row(g) for g in groups) if r]
    if len(rows) < 2 and sum(len(r) for r in rows) < 3:
        return [Paragraph(t, at_line(ln)) for ln, t in numbered]
    return [Table(tuple(tuple(r) for r in rows), at_line(numbered[0][0]), layout="pipe")]


def _pipe_row(group: list[tuple[int, str]]) -> list[Cell]:
    """Cells of one row whose text may run over several lines."""
    if len(group) == 1:
        ln, line = group[0]
        s = line.strip()
        if len(s) < 2:  # a bare ``|``: no cell
            return []
        loc = at_line(ln)  # the pipes opening and closing the line hold no cell
        return [_cell(Cell, (p.strip(), loc, False, None)) for p in s[s[0] == "|" : len(s) - (s[-1] == "|")].split("|")]
    cells: list[tuple[list[str], int | None]] = [([], None)]
    for ln, line in group:
        for idx, part in enumerate(line.split("|")):
            if idx > 0:
                cells.append(([], None))
            texts, first = cells[-1]
            texts.append(part)
            if first is None and part.strip():
                cells[-1] = (texts, ln)
    joined = _cell_texts(cells, group[0][0])
    if group[0][1].lstrip().startswith("|") and joined and not joined[0][0].strip():
        joined = joined[1:]
    if group[-1][1].rstrip().endswith("|") and joined and not joined[-1][0].strip():
        joined = joined[:-1]
    return [Cell(text, at_line(ln)) for text, ln in joined]


def _cell_texts(cells: list[tuple[list[str], int | None]], default: int) -> list[tuple[str, int]]:
    out = []
    for texts, first in cells:
        text = "\n".join(t.strip() for t in texts if t.strip())
        out.append((text, first or default))
    return out
