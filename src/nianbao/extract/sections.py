"""The six sections and their sub-headings, numbering kept as printed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nianbao.extract import labels
from nianbao.model import Heading, Location
from nianbao.normalize import fold, key
from nianbao.read.document import Block, Paragraph, Table
from nianbao.template import SECTION_NUMBERS, SECTION_TABLES, SECTIONS, SectionSpec

CN = "一二三四五六七八九十"
_NUM = (
    rf"(?P<num>第\s*[{CN}]+\s*部分\s*[、:.]?|[{CN}]+\s*[、.,，]|[{CN}]+\s*\)|\(\s*[{CN}]+\s*\)|\(\s*\d{{1,2}}\s*\)"
    rf"|\d{{1,2}}\s*[、.](?!\d)|[{CN}]+(?=\s))?"
)
_HEAD = re.compile(rf"^\s*{_NUM}\s*(?P<title>.*?)\s*[:：]?\s*$")
_SUB = re.compile(
    rf"^\s*(?P<num>\([{CN}]+\)|[{CN}]+\)|\(\d{{1,2}}\)|[{CN}]+、|\d{{1,2}}[.、](?!\d))\s*(?P<title>\S.*)$"
)
_MAX_SUB = 30
_MAX_HEADING = 80  # a longer line is no heading
_MAX_FREE_TITLE = 24  # a heading in free wording is short …
_MAX_BARE_TITLE = 14  # … and shorter still without a number
_PROSE_MARKS = re.compile(r"[，,。；;！？]")


@dataclass(frozen=True)
class Found:
    spec: SectionSpec
    index: int  # block index of the heading paragraph (or of the table whose cell holds it)
    numbering: str
    text: str
    by_words: bool = False  # matched by its words only: free wording or a sub-heading standing in


def find_sections(blocks: list[Block]) -> list[Found]:
    """Section headings in order; a section is looked for only after the previous one.

    A heading is matched against the template's title and its variants (spaces
    ignored, numbered as a section or not at all); a section still missing is
    then looked for between its neighbours (see :func:`_by_words`)."""
    found: list[Found] = []
    nxt = 0  # the first section not found yet
    for i, b in enumerate(blocks):
        if nxt == len(SECTIONS):
            break
        if isinstance(b, Paragraph) and (len(b.text) > _MAX_HEADING or not _may_head(b.text)):
            continue  # most blocks: a line that cannot head a section, told without listing its texts
        for text in _heading_texts(b):
            if not _may_head(text):
                continue
            hit = next(
                ((j, n) for j in range(nxt, len(SECTIONS)) if (n := _match_section(text, SECTIONS[j])) is not None),
                None,
            )
            if hit and not _sub_number(hit[1]):
                found.append(Found(SECTIONS[hit[0]], i, hit[1], text.strip()))
                nxt = hit[0] + 1
                break
    return _by_words(blocks, found)


def _heading_texts(b: Block) -> list[str]:
    """Lines of a block that may be a section heading: a short paragraph, or a
    table row holding one text only (a heading printed inside a frame or cell)."""
    if isinstance(b, Paragraph):
        return [b.text] if len(b.text) <= _MAX_HEADING else []
    out = []
    for row in b.rows[:2] + b.rows[-1:]:
        texts = {c.text.strip() for c in row if c.text.strip()}
        if len(texts) == 1 and len(first := texts.pop().split("\n", 1)[0]) <= _MAX_HEADING:
            out.append(first)  # a frame may hold the heading and the prose under it
    return out


def split_run_in(blocks: list[Block]) -> list[Block]:
    """A paragraph opening with a section heading and going on with the section's text
    (``一、总体情况　2025年，…``, ``<p><strong>一、总体情况</strong>2025年…``) as two: the
    heading, then the text, both at the paragraph's place."""
    out: list[Block] = []
    for b in blocks:
        cut = _run_in(b.text) if isinstance(b, Paragraph) else None
        if cut is None:
            out.append(b)
            continue
        out.append(Paragraph(b.text[:cut].rstrip(), b.location))
        out.append(Paragraph(b.text[cut:].lstrip(" \u3000：:。.，,"), b.location))
    return out


_RUN_IN_START = re.compile(rf"^\s*(?:第\s*[{CN}]\s*部分|[{CN}]\s*[、.．]|\d\s*[、.．](?!\d))")
_RUN_IN_END = re.compile(r"[：:。；;]|\s{2,}|\u3000")
_RUN_IN_MAX = 48  # a heading is no longer than this


@lru_cache(maxsize=65536)  # kept by text: numbered lines (a table's row labels) recur from report to report
def _run_in(text: str) -> int | None:
    """Where the section heading opening ``text`` ends, when text follows it on the same line:
    at a colon, full stop or wide space, else where a template title's words end."""
    if not _RUN_IN_START.match(text) or (len(text) <= _MAX_HEADING and _is_heading(text)):
        return None
    m = _RUN_IN_END.search(text, 0, _RUN_IN_MAX)
    if m and text[m.end() :].strip() and _is_heading(text[: m.start()]):
        return m.start()
    for n in range(4, min(len(text), _RUN_IN_MAX)):
        if _IDEOGRAPH.match(text, n - 1) and fold(text[n - 1]) not in _LAST:
            continue  # the title would end in a character no template title ends in
        if _heading_exact(text[:n]):
            return n if text[n:].strip() else None
    return None


def _is_heading(text: str) -> bool:
    return _may_head(text) and any(_match_section(text, spec) is not None for spec in SECTIONS)


def _heading_exact(text: str) -> bool:
    """``text`` is a section number and a template title or variant, nothing more."""
    head = _heading(text)
    return head is not None and bool(head[0]) and head[1] in _ALL_FORMS


@lru_cache(maxsize=8192)
def _heading(text: str) -> tuple[str, str] | None:
    """(numbering as folded, title key) of a line short enough to be a heading."""
    folded = fold(text)
    if len(folded.strip()) > 60:
        return None
    m = _HEAD.match(folded)
    return ((m.group("num") or "").strip(), key(m.group("title"))) if m else None


# each section's title and its variants, as keys (:func:`nianbao.normalize.key`)
TITLE_FORMS = {spec.key: tuple(key(f) for f in (spec.title, *spec.variants)) for spec in SECTIONS}
_ALL_FORMS = frozenset(k for forms in TITLE_FORMS.values() for k in forms)
_FIRST = {k[:1] for forms in TITLE_FORMS.values() for k in forms}
_LAST = {k[-1:] for forms in TITLE_FORMS.values() for k in forms}
_IDEOGRAPH = re.compile("[\u4e00-\u9fff]")  # a character NFKC leaves as it is, even after another


@lru_cache(maxsize=65536)  # asked of every short paragraph until the six sections are found
def _may_head(text: str) -> bool:
    """``text`` may be some section's heading (its title starts as a title or variant does)."""
    head = _heading(text)
    return head is not None and head[1][:1] in _FIRST


def _match_section(text: str, spec: SectionSpec) -> str | None:
    head = _heading(text)
    if head is None or head[1][:1] not in _FIRST:
        return None
    num, title = head
    for k in TITLE_FORMS[spec.key]:
        if title == k or (title.startswith(k) and len(title) - len(k) <= 8 and not title[len(k) :][:1].isdigit()):
            return _printed_number(text, num)
    return None


def _printed_number(text: str, num: str) -> str:
    return text.strip()[: len(num)] if num else ""


# ------------------------------------------------- headings by their words --


def _by_words(blocks: list[Block], found: list[Found]) -> list[Found]:
    """Fill each missing section from the gap between its found neighbours.

    The template's title numbered as a sub-heading (``（二）主动公开政府信息情况``)
    is taken first. Then two kinds of line stand in for a heading the template's
    wording does not match: one numbered as the section should be whose title names the
    section's words (``五、存在的主要问题及整改措施``, ``六、其他事项``); and,
    after the statistics table that closes the previous section, the first short
    heading-like line naming them (``（一）主要问题`` where 五's heading is not printed)."""
    out = list(found)
    for pos, spec in enumerate(SECTIONS):
        if any(f.spec is spec for f in out):
            continue
        before = [f for f in out if SECTIONS.index(f.spec) < pos]
        after = [f for f in out if SECTIONS.index(f.spec) > pos]
        lo = before[-1].index + 1 if before else 0
        hi = after[0].index if after else len(blocks)
        prev_table = (
            before[-1].spec.key in SECTION_TABLES if before and SECTIONS.index(before[-1].spec) == pos - 1 else False
        )
        hit = _word_heading(blocks, lo, hi, spec, prev_table)
        if hit:
            out.append(hit)
            out.sort(key=lambda f: f.index)
    return out


def _sub_number(num: str) -> bool:
    """A sub-heading's numbering: ``（一）``, ``一)``, ``(1)``."""
    folded = fold(num).strip()
    return folded.startswith("(") or folded.endswith(")")


def _word_heading(blocks: list[Block], lo: int, hi: int, spec: SectionSpec, after_table: bool) -> Found | None:
    for i in range(lo, hi):
        for text in _heading_texts(blocks[i]):
            num = _match_section(text, spec)
            if num is not None:
                return Found(spec, i, num, text.strip())  # the template's title numbered as a sub-heading
    last_table = max((i for i in range(lo, hi) if isinstance(blocks[i], Table)), default=None)
    loose: Found | None = None
    for i in range(lo, hi):
        b = blocks[i]
        if not isinstance(b, Paragraph):
            continue
        head = _heading(b.text)
        if head is None or not _names(head[1], spec):
            continue
        num, title = head
        if _top_number(num) == spec.number and len(title) <= _MAX_FREE_TITLE:
            return Found(spec, i, _printed_number(b.text, num), b.text.strip(), True)
        short = len(title) <= (_MAX_FREE_TITLE if num else _MAX_BARE_TITLE)
        if loose is None and after_table and last_table is not None and i > last_table and short:
            loose = Found(spec, i, _printed_number(b.text, num), b.text.strip(), True)
    return loose


def _top_number(num: str) -> str:
    """``五`` for a section numbering ``五、`` or ``第五部分``; "" for any other."""
    m = re.fullmatch(rf"第\s*([{CN}]+)\s*部分\s*[、:.]?|([{CN}]+)\s*[、.,，]", num)
    return (m.group(1) or m.group(2)) if m else ""


def _names(title: str, spec: SectionSpec) -> bool:
    """A heading-like title (no prose punctuation) that names one of the section's words."""
    return bool(title) and not _PROSE_MARKS.search(title) and any(w in title for w in spec.words)


def section_heading(found: Found, location: Location | None = None) -> Heading:
    expected = SECTION_NUMBERS[[s.key for s in SECTIONS].index(found.spec.key)] + "、"
    return Heading(found.text, found.numbering, 1, found.spec.key, expected, location)


def sub_headings(paragraphs: list[Paragraph], section: str) -> list[Heading]:
    """Sub-headings of one section, with the numbering the first one sets the style for; a line
    naming a part of a statistics table (:func:`labels.caption`, ``（一）予以公开``) is none."""
    out: list[Heading] = []
    style: str | None = None
    for p in paragraphs:
        folded = fold(p.text).strip()
        m = _SUB.match(folded)
        if not m or len(m.group("title")) > _MAX_SUB or m.group("title")[-1:] in "。；;":
            continue
        if labels.caption(key(p.text)):  # asked last: only of the few lines numbered as sub-headings
            continue
        raw_num = p.text.strip()[: len(m.group("num"))]
        num_style = _style(m.group("num"))
        style = style or ("paren_cn" if num_style == "half_cn" else num_style)
        expected = _render(style, len(out) + 1)
        out.append(Heading(p.text.strip(), raw_num, 2, section, expected, p.location))
    return out


def _style(num: str) -> str:
    core = num.strip("()、.")
    if num.startswith("("):
        return "paren_cn" if core[0] in CN else "paren_num"
    if num.endswith(")"):
        return "half_cn"
    if core and core[0] in CN:
        return "cn_dun"
    return "num_dun" if num.endswith("、") else "num_dot"


def _render(style: str, n: int) -> str:
    cn = _cn(n)
    return {
        "paren_cn": f"（{cn}）",
        "paren_num": f"（{n}）",
        "cn_dun": f"{cn}、",
        "num_dun": f"{n}、",
        "num_dot": f"{n}.",
    }.get(style, f"（{cn}）")


def _cn(n: int) -> str:
    if n >= 100:  # no report numbers a hundred sub-headings; expect the digits rather than fail
        return str(n)
    if n <= 10:
        return CN[n - 1]
    return ("" if n < 20 else CN[n // 10 - 1]) + "十" + (CN[n % 10 - 1] if n % 10 else "")
