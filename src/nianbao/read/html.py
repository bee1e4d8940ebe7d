"""HTML reader: a government web page (CMS article, saved page, JS-escaped string) → Document.

Steps: decode the bytes (BOM, ``<meta charset>``, UTF-8, GB18030), undo JavaScript string
escapes, parse with lxml, drop the site's chrome (scripts, menus, headers, footers,
breadcrumbs, related links), choose the element that holds the report, then emit its
paragraphs and tables in document order.

Tables are expanded into full grids: a merged cell's text is repeated in every slot it
covers with ``merged=True``. ``table`` numbers the tables emitted from 1 (as the PDF and
DOCX readers do); ``row``/``col`` are 0-based grid slots. Paragraphs carry the 1-based
source line.
"""

from __future__ import annotations

import codecs
import dataclasses
import functools
import itertools
import operator
import re
from collections.abc import Iterator
from typing import NamedTuple

from lxml import etree

from nianbao.model import Location, ReportError, Source
from nianbao.normalize import simplified, squash
from nianbao.read.document import Block, Cell, Document, Paragraph, Table, at_line, paragraph
from nianbao.read.encoding import decode

CONTENT_SHARE = 0.8  # the report's element holds at least this share of the page's text
CONTEXT_CHARS = 300  # at most this much text around it (title, date line) is taken along
TITLE_LEVELS = 4  # how far up from the report's text its title is looked for
TITLE_CHARS = 10  # a report's title is at least this long
CONTENT_CHARS = 500  # unlinked text that no menu, header or footer holds
PROSE_CHARS = 200  # a table cell with this much text is prose: the table lays out the page
MAX_SPAN = 1000
SHORT_CELL = 40  # cell texts up to this long are remembered (squash is cached by text)
MAX_SLOTS = 10_000  # a report's tables have a few hundred slots; a bigger grid is something else

_META_CHARSET = re.compile(rb"""<(?:meta|\?xml)[^>]*?(?:charset|encoding)\s*=\s*\\?["']?\s*([a-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*>")
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_JS_CHARS = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "", "v": "", "0": ""}
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_XML_CHARS = "".join(map(chr, (*range(9), 11, 12, *range(14, 32)))) + "\ufdd0\ufffe\uffff"
_NOT_XML = re.compile(f"[{re.escape(_NOT_XML_CHARS)}]")
_DIGITS = re.compile(r"\d+")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

PAGE_META = ("title", "ArticleTitle", "PubDate", "ContentSource")
_PAGE_META = {name.lower(): name for name in PAGE_META}  # pages write articletitle, ARTICLETITLE…
INDEX_LABELS = (
    "名称",
    "标题",
    "索引号",
    "发布机构",
    "发文机关",
    "信息来源",
    "公开日期",
    "发布日期",
    "成文日期",
    "发文日期",
)
INDEX_VALUE_CHARS = 80  # a 信息索引 value is a name, a date or a number
_INDEX_TAGS = ("td", "th", "span", "strong", "b", "label", "dt", "li", "p", "div", "em", "font")
_INDEX_LABEL = re.compile(rf"\s*({'|'.join(INDEX_LABELS)})\s*(?:[：:]\s*|$)")
_INDEX_FIRST = frozenset(label[0] for label in INDEX_LABELS)
_INDEX_LABEL_ANYWHERE = re.compile(rf"({'|'.join(INDEX_LABELS)})\s*[：:]\s*")

_JUNK = ("script", "style", "noscript", "template", "iframe", "select", "button", "textarea", "svg", "object")
_JUNK += ("embed", "canvas", "map", "audio", "video", "head", "title")
_CHROME_TAGS = frozenset({"nav", "aside", "header", "footer", "menu"})
_CHROME_NAMES = re.compile("nav|menu|footer|header|breadcrumb|crumb|share|related|sidebar|links|copyright", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_CONTAINERS = ("div", "ul", "ol", "dl", "section", "nav", "aside", "header", "footer", "menu", "form")
_INLINE = ("p", "span", "font", "a", "b", "strong", "li")  # only their being hidden counts
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TITLE_TAGS = frozenset({"h1", "h2", "h3"})
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_TABLE_INSIDES = _ROW_GROUPS | {"table", "tr"}
_CELLS = frozenset({"td", "th"})
_TABLE_PARTS = _ROW_GROUPS | _CELLS | {"tr", "caption", "colgroup", "col"}
_BLOCK = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main nav ol p pre section summary ul tr td th "
    "tbody thead tfoot caption option".split()
)
_IN_CELL_BREAKS = (_BLOCK | {"br"}) - _CELLS - _ROW_GROUPS - {"tr", "table"}
_BREAK = "\ufdd0"  # line-break marker inside cell text: a noncharacter, removed from the input
_NOT_INLINE = _BLOCK | {"br", "table"}  # what walk treats otherwise than text and tail

_OWN_CELLS = etree.XPath("count(tr/td | tr/th | */tr/td | */tr/th)")
_LENGTH = etree.XPath("string-length(normalize-space(.))")
_LINK_TEXT = etree.XPath(".//a//text()", smart_strings=False)
_DATA = "table[not(.//table)][count(tr[*[2]] | */tr[*[2]]) >= 2]"  # rows of several cells, no table inside
_DATA_TABLES = etree.XPath(f"descendant-or-self::{_DATA}")


def read(data: bytes, source: Source) -> Document:
    notes: list[str] = []
    text, encoding = _decode(data, notes)
    root = _parse(_unescape_js(text, notes))
    meta = _head_meta(root)
    etree.strip_elements(root, *_JUNK, with_tail=False)
    body = root.find("body")
    body = root if body is None else body
    for label, value in _index_entries(body):
        meta.setdefault(label, value)
    _drop_chrome(body)
    _mend_cut_tables(body)
    page = _Page(body)
    if page.weight(body) == 0 and not _has(body, "table"):
        raise ReportError("网页中没有正文")
    out = _Emitter(notes)
    out.walk(page.container())
    out.flush()
    if not out.blocks:
        raise ReportError("网页中没有正文")
    return Document(dataclasses.replace(source, encoding=encoding), out.blocks, notes, meta)


def fragment(text: str, first_line: int, tables_before: int) -> list[Block]:
    """The blocks of an HTML fragment inside a text file (a ``<table>`` in MinerU's Markdown):
    paragraph lines counted from ``first_line``, tables numbered after ``tables_before``."""
    out = _Emitter([])
    out.count = tables_before
    try:
        root = _parse(text)
    except ReportError:
        return []
    out.walk(root)
    out.flush()
    return [
        dataclasses.replace(b, location=Location(line=b.location.line + first_line - 1))
        if isinstance(b, Paragraph) and b.location.line
        else b
        for b in out.blocks
    ]


# ------------------------------------------------------------------ bytes → tree --


def _decode(data: bytes, notes: list[str]) -> tuple[str, str]:
    m = None if data.startswith(_BOMS) else _META_CHARSET.search(data[:8192])  # a BOM says it all
    declared = m.group(1).decode("ascii").lower() if m else None
    if declared and declared.startswith(("utf-16", "utf-32", "unicode", "ucs")):
        declared = None  # UTF-16 files are found by their bytes; an ASCII page that says so is wrong
    if declared and not declared.startswith("utf") and not data.isascii() and _is_utf8(data):
        notes.append(f"网页声明编码为 {declared}，但内容是 UTF-8，按 UTF-8 读取")
        declared = None
    text, encoding = decode(data, declared)
    bad = len(_NOT_XML.findall(text)) if any(c in text for c in _NOT_XML_CHARS) else 0  # `in` is the quick scan
    if bad > max(8, len(text) // 200):
        raise ReportError("文件不是网页文本：含有大量二进制数据（可能已损坏或格式不对）")
    return (_NOT_XML.sub("", text) if bad else text), encoding


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _unescape_js(text: str, notes: list[str]) -> str:
    """Pages copied out of JavaScript/JSON arrive as one escaped string (``<td colspan=\\"5\\">``)."""
    if "\\" not in text or (text.count('=\\"') <= text.count('="') and text.count("<\\/") <= text.count("</")):
        return text  # no backslash at all: the quick test
    start, end = text.find("<"), text.rfind(">")
    out = _JS_ESCAPE.sub(_js_char, text[start : end + 1])
    if _SURROGATE.search(out):
        out = out.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    out = _NOT_XML.sub("", out)  # \u0000 and the like
    notes.append("网页内容是 JavaScript 转义字符串，已还原为 HTML 后读取")
    return out


def _js_char(m: re.Match[str]) -> str:
    s = m.group(1)
    return chr(int(s[1:], 16)) if len(s) > 1 else _JS_CHARS.get(s, s)


def _parse(text: str) -> etree._Element:
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = etree.fromstring(_XML_DECL.sub("", text, count=1), parser)
    except (etree.ParserError, ValueError) as e:
        raise ReportError("网页中没有正文") from e
    if root is None:
        raise ReportError("网页中没有正文")
    return root


# ----------------------------------------------------------- what the page says --


def _head_meta(root: etree._Element) -> dict[str, str]:
    """The page's ``<title>`` (the first that says something) and the ``<meta>`` tags
    naming the article (ArticleTitle, PubDate, ContentSource…), as ``name → text``."""
    out: dict[str, str] = {}
    for el in root.iter("title", "meta"):
        name, value = ("title", el.text) if el.tag == "title" else (el.get("name", ""), el.get("content"))
        name, value = _PAGE_META.get(name.lower(), ""), squash(value or "")
        if name and value:
            out.setdefault(name, value)
    return out


def _index_entries(body: etree._Element) -> Iterator[tuple[str, str]]:
    """The site's 信息索引 (索引号 / 发布机构 / 公开日期 …) wherever the page puts it: a label cell
    and the cell after it, ``<strong>标签：</strong>值``, or ``标签：值 标签：值`` in one element."""
    for el in body.iter(*_INDEX_TAGS):
        head = el.text
        if not head or not _OPENS_LABEL[head[0] if not head[0].isspace() else head.lstrip()[:1]]:
            continue  # the cheap test first: most elements hold no label
        m = _INDEX_LABEL.match(simplified(el.text))
        if m is None:
            continue
        text = squash(_text(el))
        if simplified(text).rstrip("：: ") == m.group(1):  # only the label: the value follows the element
            nxt = el.getnext()
            text = squash(f"{m.group(1)}：{el.tail if not _blank(el.tail) or nxt is None else _text(nxt)}")
        labels = list(_INDEX_LABEL_ANYWHERE.finditer(simplified(text)))  # one character for one: offsets hold
        if not labels:
            continue  # a word that begins like a label, run into what follows (<p>名称<b>…</b></p>)
        for here, after in zip(labels, labels[1:] + [None], strict=True):
            value = text[here.end() : after.start() if after else len(text)].strip(" ：:")
            if value and len(value) <= INDEX_VALUE_CHARS:
                yield here.group(1), value


class _Opens(dict[str, bool]):
    """Whether a character (or none) may begin a 信息索引 label, worked out on first sight: a dict
    look-up, not a call, for each of the page's few hundred elements."""

    def __missing__(self, char: str) -> bool:
        opens = self[char] = simplified(char) in _INDEX_FIRST
        return opens


_OPENS_LABEL = _Opens()


def _text(el: etree._Element) -> str:
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def _drop_chrome(body: etree._Element) -> None:
    """Remove menus, headers, footers, breadcrumbs, share bars, related links and hidden parts."""
    doomed = []
    for el in body.iter(*_CONTAINERS, *_INLINE):
        style, tag = el.get("style"), el.tag
        if el.get("hidden") is not None or (style and _hides(style)):
            doomed.append((el, True))
        elif tag in _CHROME_TAGS or (
            tag not in _INLINE and _CHROME_NAMES.search(f"{el.get('id', '')} {el.get('class', '')}")
        ):
            doomed.append((el, False))
    dropped = None
    for el, hidden in doomed:
        if dropped is not None and dropped in el.iterancestors():
            continue  # already gone with its ancestor
        if _has(el, "table") or (not hidden and el.tag not in ("nav", "aside") and _is_content(el)):
            continue
        _drop(el)
        dropped = el


@functools.lru_cache(maxsize=1024)
def _hides(style: str) -> bool:
    """A ``style`` attribute that hides its element (remembered: a Word page repeats a few dozen styles
    over a thousand elements)."""
    return _HIDDEN.search(style.lower()) is not None


def _drop(el: etree._Element) -> None:
    """Remove ``el`` and everything in it, keeping the text that follows it."""
    parent = el.getparent()
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _is_content(el: etree._Element) -> bool:
    """A chrome-named element that is really content: an article header (a long unlinked
    heading) or a wrapper holding much unlinked text, with little of its text linked."""
    total = _LENGTH(el)
    linked = sum(len(t.strip()) for t in _LINK_TEXT(el))
    if linked >= 0.5 * total:
        return False
    if total - linked >= CONTENT_CHARS:
        return True
    return any(not _has(h, "a") and _LENGTH(h) >= 10 for h in el.iter(*_HEADINGS))


def _has(el: etree._Element, tag: str, below: bool = False) -> bool:
    """``el`` holds a ``tag`` element (``iter`` runs in C; ``find(".//x")`` does not); with ``below``,
    ``el`` itself does not count."""
    found = el.iter(tag)
    if below and el.tag == tag:
        next(found)  # el itself, the first found
    return next(found, None) is not None


# ------------------------------------------------------------- the report's part --


class _Page:
    """Weights elements by their text outside links and counts the data tables they hold."""

    def __init__(self, body: etree._Element) -> None:
        self.body = body
        self.linked: dict[etree._Element, int] = {}
        self.additive = True  # no link inside a link: no weight below 0, none above its parent's
        for a in body.iter("a"):
            n = int(_LENGTH(a))
            if n:
                for up in a.iterancestors():
                    self.linked[up] = self.linked.get(up, 0) + n
                    if up.tag == "a":
                        self.additive = False
                self.linked[a] = self.linked.get(a, 0) + n
        self._weights: dict[etree._Element, int] = {}

    def weight(self, el: etree._Element) -> int:
        w = self._weights.get(el)
        if w is None:
            w = self._weights[el] = int(_LENGTH(el) - self.linked.get(el, 0))
        return w

    def container(self) -> etree._Element:
        """The deepest element holding most of the text and every data table (never going
        into a data table), widened to take in the report's title."""
        total = self.weight(self.body)
        tables = _DATA_TABLES(self.body)  # in document order
        holders = _holders(tables[0]) & _holders(tables[-1]) if tables else None  # hold the first and the last: all
        node = self.body
        while True:
            if holders is not None and total > 0 and self.additive:
                # one child at most holds the tables; with CONTENT_SHARE of the text it is the heaviest
                child = next((ch for ch in node if ch in holders), None)
                if child is None or child in tables or self.weight(child) < CONTENT_SHARE * total:
                    break
            else:
                child = max(node, key=self.weight, default=None)
                if child is None or self.weight(child) < CONTENT_SHARE * total:
                    break
                if holders is not None and (child not in holders or child in tables):
                    break
            node = child
        while node.tag in _TABLE_INSIDES and node is not self.body:
            node = node.getparent()  # a table is read whole: as a grid or, if it lays out the page, as content
        return self._with_title(node)

    def _with_title(self, core: etree._Element) -> etree._Element:
        """The nearest ancestor of ``core`` that adds, before it, a title (a heading, or an
        element whose class says title, of some length) and little other text; ``core`` itself
        when there is none. Short titles (“栏目导航”) belong to menus."""
        node = core
        for _ in range(TITLE_LEVELS):
            if node is self.body:
                break
            parent = node.getparent()
            extra = self.weight(parent) - self.weight(core)
            if extra > CONTEXT_CHARS or extra > 0.2 * self.weight(core):
                break
            if any(self._is_title(el) for sib in node.itersiblings(preceding=True) for el in sib.iter()):
                return parent
            node = parent
        return core

    def _is_title(self, el: etree._Element) -> bool:
        if el.tag not in _TITLE_TAGS and "title" not in f"{el.get('class', '')} {el.get('id', '')}".lower():
            return False
        return self.weight(el) >= TITLE_CHARS


def _holders(el: etree._Element) -> set[etree._Element]:
    """``el`` and its ancestors."""
    return {el, *el.iterancestors()}


def _mend_cut_tables(body: etree._Element) -> None:
    """An excerpt cut out of a page (pieces joined by ``[...]``) leaves cells outside any row,
    and paragraphs and tables inside a table that was never closed. The cells are gathered
    into rows; the rest is moved after the table, in order, so it is read as page content."""
    for table in list(body.iter("table")):
        after: list[etree._Element] = []
        for group in [table, *(ch for ch in table if ch.tag in _ROW_GROUPS)]:
            row = None
            for ch in list(group):
                if ch.tag in _CELLS:
                    if row is None:
                        row = etree.Element("tr")
                        ch.addprevious(row)
                    row.append(ch)
                    continue
                row = None
                if isinstance(ch.tag, str) and ch.tag not in _TABLE_PARTS:
                    group.remove(ch)
                    after.append(ch)
        for el in reversed(after):
            table.addnext(el)


def _rows(table: etree._Element) -> list[etree._Element]:
    rows = []
    for ch in table:
        if ch.tag == "tr":
            rows.append(ch)
        elif ch.tag in _ROW_GROUPS:
            rows.extend(tr for tr in ch if tr.tag == "tr")
    return rows


# ----------------------------------------------------------------- emit blocks --

Shape = tuple[tuple[tuple[int, int], ...], ...]  # each row's cells' (rowspan, colspan)
_COLSPAN = operator.itemgetter(1)
_cell = functools.partial(tuple.__new__, Cell)  # Cell((text, location, merged, confidence)) without a Python call
_NONE = itertools.repeat(None)


class _Emitter:
    """Walks the report's element in document order; inline text gathers into a paragraph
    until a block boundary or ``<br>``."""

    def __init__(self, notes: list[str]) -> None:
        self.notes = notes
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.line: int | None = None
        self.count = 0  # tables emitted
        self.pre = 0  # inside <pre>: line breaks are kept

    def add(self, text: str | None, line: int | None) -> None:
        if not text:
            return
        if _BREAK in text:  # left by a table that was read as a grid around this one
            text = text.replace(_BREAK, "")
        pieces = text.split("\n") if self.pre else [text]
        for k, piece in enumerate(pieces):
            if k:
                self.flush()
            if self.line is None and piece.strip() and line is not None:
                self.line = line + k + (0 if self.pre else piece[: len(piece) - len(piece.lstrip())].count("\n"))
            self.buf.append(piece)

    def add_tail(self, el: etree._Element) -> None:
        """The text after ``el``; its line is worked out only where it can begin a paragraph."""
        tail = el.tail
        if not tail:
            return
        if tail.isspace() and not self.pre:
            self.buf.append(tail)  # what add does with it: most tails are the line breaks between elements
        else:
            self.add(tail, _tail_line(el) if self.pre or self.line is None else None)

    def flush(self) -> None:
        if self.buf:
            text = "".join(self.buf)
            text = "" if text.isspace() else squash(text)  # most are the line breaks between elements
            if text:
                self.blocks.append(paragraph(text, at_line(self.line)))
            self.buf.clear()
        self.line = None

    def walk(self, el: etree._Element) -> None:
        tag = el.tag
        if tag == "table":
            self.flush()
            self.table(el)
            return
        if tag == "br":
            self.flush()
            return
        block = tag in _BLOCK
        if block:
            self.flush()
            if not self.pre and tag != "pre":
                if not len(el):
                    self.leaf(el)
                    return
                if all(not len(ch) and ch.tag not in _NOT_INLINE for ch in el):
                    self.flat(el)
                    return
        self.pre += tag == "pre"
        self.add(el.text, el.sourceline)
        orphans: list[etree._Element] = []  # <tr> outside any table (page fragments)
        for child in el:
            if child.tag == "tr" and tag not in _ROW_GROUPS:
                orphans.append(child)
                continue
            if orphans:
                self.orphan_rows(orphans)
                orphans = []
            self.walk(child)
            self.add_tail(child)
        if orphans:
            self.orphan_rows(orphans)
        self.pre -= tag == "pre"
        if block:
            self.flush()

    def leaf(self, el: etree._Element) -> None:
        """A block element without elements inside it: one paragraph, as :meth:`add` and :meth:`flush`
        would make it."""
        text = el.text
        if not text:
            return
        if _BREAK in text:
            text = text.replace(_BREAK, "")
        squashed = squash(text)
        if squashed:
            line = el.sourceline
            if line is not None:
                line += text[: len(text) - len(text.lstrip())].count("\n")
            self.blocks.append(paragraph(squashed, at_line(line)))

    def flat(self, el: etree._Element) -> None:
        """A block element holding text and childless inline elements (``<p><span>…</span></p>``):
        what :meth:`walk` would do, without walking each child."""
        self.add(el.text, el.sourceline)
        for ch in el:
            self.add(ch.text, ch.sourceline)
            self.add_tail(ch)
        self.flush()

    def orphan_rows(self, rows: list[etree._Element]) -> None:
        self.flush()
        nested: list[etree._Element] = []
        self.grid(_cells(rows, nested), nested)

    def too_big(self, cells: float) -> None:
        self.notes.append(f"网页中有一个表格过大（{int(cells)} 个单元格），不是年报的统计表，未读取")

    def table(self, el: etree._Element) -> None:
        cells = _OWN_CELLS(el)
        if cells > MAX_SLOTS:
            self.too_big(cells)
            return
        rows = _rows(el)
        nested: list[etree._Element] = []
        cells = _cells(rows, nested, _has(el, "table", below=True))
        if _is_layout(el, cells, nested):
            self.walk_layout(el)
            return
        caption = el.find("caption")
        if caption is not None:
            self.walk(caption)
        self.grid(cells, nested)

    def walk_layout(self, el: etree._Element) -> None:
        """A table used for page layout: its cells are read as ordinary page content."""
        for ch in el:
            if ch.tag in _ROW_GROUPS:
                self.walk_layout(ch)
            else:
                self.walk(ch)
            self.add_tail(ch)
            self.flush()

    def grid(self, cells: _Cells, nested: list[etree._Element]) -> None:
        rows = _expand(cells, self.count + 1)
        if rows is None:
            self.too_big(len(cells.texts))
        elif any(cells.texts):  # a cell's first slot is never dropped
            self.count += 1
            self.blocks.append(Table(rows, location=_slot(self.count), exact=True, layout="html"))
        for t in nested:
            self.table(t)


def _tail_line(el: etree._Element) -> int | None:
    """Source line where the text following ``el`` starts, counted back from the next element
    when there is one (an element's line is where it starts, not where it ends)."""
    nxt = el.getnext()
    if nxt is not None and nxt.sourceline:
        return nxt.sourceline - (el.tail or "").count("\n")
    return el.sourceline


# ---------------------------------------------------------------------- tables --


class _Cells(NamedTuple):
    """A table's cells in reading order: their texts, row after row, and the table's shape."""

    texts: list[str]
    shape: Shape


def _cells(rows: list[etree._Element], nested: list[etree._Element], maybe_inner: bool = True) -> _Cells:
    """Text and spans of every cell; tables inside a cell are collected in ``nested`` (none when
    ``maybe_inner`` is False: the caller knows no row holds a table)."""
    inner = maybe_inner and any(_has(tr, "table") for tr in rows)
    texts: list[str] = []
    add = texts.append
    shape = []
    for tr in rows:
        spans = []
        for td in tr.iterchildren(*_CELLS):  # told by tag in C
            rs, cs = td.get("rowspan"), td.get("colspan")
            if len(td):
                add(_cell_text(td, nested, inner))
            else:  # most cells: _clean inlined
                raw = td.text or ""
                add(_short(raw) if len(raw) <= SHORT_CELL else _lines(raw))
            spans.append((1 if rs is None else _span(rs), 1 if cs is None else _span(cs)))
        shape.append(tuple(spans))
    return _Cells(texts, tuple(shape))


def _cell_text(td: etree._Element, nested: list[etree._Element], inner: bool) -> str:
    """The text of a cell holding elements (a childless one is its text, :func:`_clean`): ``&nbsp;``
    is a space; ``<br>`` and block elements (``<p>``) break lines; the text of a table inside the
    cell is left out."""
    if inner and _has(td, "table"):
        nested.extend(t for t in td.iter("table") if _outermost(t, td))
        return _clean(_text_outside_tables(td))
    if len(td) == 1 and not len(only := td[0]):  # <td><p>12</p></td>: most cells that are not plain text
        head, tail, tag = td.text or "", only.tail or "", only.tag
        if tag not in _IN_CELL_BREAKS or (
            tag != "br" and (not head or head.isspace()) and (not tail or tail.isspace())
        ):
            return _clean(f"{head}{only.text or ''}{tail}")  # one line: no marks needed
    breaks = [el for el in td.iter() if el.tag in _IN_CELL_BREAKS]
    if breaks and (len(breaks) > 1 or breaks[0].tag == "br" or not _blank(td.text) or not _blank(breaks[0].tail)):
        for el in breaks:  # marks in the tree, so that lxml serialises the text in one call
            if el.tag != "br":
                el.text = _BREAK + (el.text or "")
            el.tail = _BREAK + (el.tail or "")
    return _clean(_text(td))


def _clean(raw: str) -> str:
    """A cell's text, its lines squashed; remembered for short texts (the template's labels and
    small numbers fill most cells)."""
    return _short(raw) if len(raw) <= SHORT_CELL else _lines(raw)


def _lines(raw: str) -> str:
    if _BREAK in raw:
        return "\n".join(s for s in map(squash, raw.split(_BREAK)) if s)
    return squash(raw)


_short = functools.lru_cache(maxsize=16384)(_lines)


def _blank(s: str | None) -> bool:
    return not s or s.isspace()


def _outermost(table: etree._Element, td: etree._Element) -> bool:
    """``table`` is inside ``td`` with no other table in between."""
    for up in table.iterancestors():
        if up is td:
            return True
        if up.tag == "table":
            return False
    return False


def _text_outside_tables(el: etree._Element) -> str:
    """The text of ``el`` with line-break marks, leaving out the tables inside it."""
    parts = [el.text or ""]
    for ch in el:
        if ch.tag != "table":
            mark = _BREAK if ch.tag in _IN_CELL_BREAKS else ""
            parts += (mark, _text_outside_tables(ch), mark)
        parts.append(ch.tail or "")
    return "".join(parts)


@functools.lru_cache(maxsize=1024)
def _span(value: str | None) -> int:
    """``rowspan``/``colspan`` as real pages write them: ``"3 "``, ``"2;"``, ``"0"``, missing
    (remembered: a page writes a few values, a few dozen times)."""
    if value is None:
        return 1
    m = _DIGITS.search(value)
    return min(max(int(m.group()), 1), MAX_SPAN) if m else 1


def _is_layout(table: etree._Element, cells: _Cells, nested: list[etree._Element]) -> bool:
    """A table that lays out the page rather than holding figures: one column, one row of at
    most two cells, cells holding prose or headings, or mostly made of the tables inside it."""
    width = max((sum(map(_COLSPAN, row)) for row in cells.shape), default=0)
    if width < 2 or (len(cells.shape) < 2 and width < 3):
        return True
    if max(map(len, cells.texts), default=0) >= PROSE_CHARS:
        return True
    own = sum(map(len, cells.texts))
    if next(table.iter(*_HEADINGS), None) is not None:
        return True
    return bool(nested) and sum(_LENGTH(t) for t in nested) >= own


def _expand(cells: _Cells, table: int) -> tuple[tuple[Cell, ...], ...] | None:
    """Place cells on the grid of table number ``table`` (see :func:`_plan`). None when the grid
    would have more than ``MAX_SLOTS`` slots."""
    plan = _plan(cells.shape)
    if plan is None:
        return None
    texts = [*cells.texts, ""]  # "": a blank slot's
    return tuple(
        tuple(
            map(_cell, zip(map(texts.__getitem__, where), _slots(table, r, 1, len(where)), merged, _NONE, strict=False))
        )
        for r, (where, merged) in enumerate(plan, start=1)
    )


@functools.lru_cache(maxsize=128)  # a few shapes per site and edition; at most MAX_SLOTS slots each
def _plan(shape: Shape) -> tuple[tuple[tuple[int, ...], tuple[bool, ...]], ...] | None:
    """Where the cells of a table of this shape (each row's cells' rowspan and colspan) land: for
    every row of the grid, the number of the cell (in reading order; -1: a blank slot) in each slot
    and whether the slot only repeats a merged cell. Spans are clipped to the table's rows; trailing
    columns that exist only because of an oversized ``colspan`` are dropped; short rows are padded.
    None when the grid would have more than ``MAX_SLOTS`` slots."""
    nrows = len(shape)
    grid: list[list[tuple[int, bool] | None]] = [[] for _ in range(nrows)]
    slots = i = 0
    for r, row in enumerate(shape):
        here = grid[r]
        c = 0
        for rs, cs in row:
            down = min(rs, nrows - r)
            slots += down * cs
            if slots > MAX_SLOTS:
                return None
            while c < len(here) and here[c] is not None:
                c += 1
            for dr in range(down):
                line = grid[r + dr]
                if len(line) < c + cs:
                    line.extend([None] * (c + cs - len(line)))
                line[c : c + cs] = [(i, True)] * cs
            here[c] = (i, False)
            c += cs
            i += 1
    width = max(map(len, grid), default=0)
    while width > 1:
        column = [line[width - 1] if len(line) >= width else None for line in grid]
        if any(s is not None and not s[1] for s in column) or all(s is not None for s in column):
            break
        width -= 1
    blank = (-1, False)
    rows = [[(line[c] if c < len(line) else None) or blank for c in range(width)] for line in grid]
    return tuple((tuple(s[0] for s in row), tuple(s[1] for s in row)) for row in rows)


@functools.lru_cache(maxsize=16384)
def _slots(table: int, row: int, first: int, n: int) -> tuple[Location, ...]:
    """The locations of ``n`` slots of a row from column ``first`` on."""
    return tuple(_slot(table, row, c) for c in range(first, first + n))


@functools.lru_cache(maxsize=16384)
def _slot(table: int, row: int | None = None, col: int | None = None) -> Location:
    """The location of a table or of one of its slots: values, so one object serves every page."""
    return Location(table=table, row=row, col=col)
