"""The six sections and their sub-headings, numbering kept as printed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nianbao.model import Heading
from nianbao.normalize import fold, key
from nianbao.read.document import Block, Paragraph
from nianbao.template import SECTION_NUMBERS, SECTIONS, SectionSpec

CN = "一二三四五六七八九十"
_NUM = rf"(?P<num>第[{CN}]+部分[、:.]?|[{CN}]+[、.,，]|[{CN}]+\)|\([{CN}]+\)|\(\d{{1,2}}\)|\d{{1,2}}[、.](?!\d)|[{CN}]+(?=\s))?"
_HEAD = re.compile(rf"^\s*{_NUM}\s*(?P<title>.*?)\s*[:：]?\s*$")
_SUB = re.compile(
    rf"^\s*(?P<num>\([{CN}]+\)|[{CN}]+\)|\(\d{{1,2}}\)|[{CN}]+、|\d{{1,2}}[.、](?!\d))\s*(?P<title>\S.*)$"
)
_MAX_SUB = 30


@dataclass(frozen=True)
class Found:
    spec: SectionSpec
    index: int  # block index of the heading paragraph
    numbering: str
    text: str


def find_sections(blocks: list[Block]) -> list[Found]:
    """Section headings in order; a section is looked for only after the previous one."""
    found: list[Found] = []
    nxt = 0  # the first section not found yet
    for i, b in enumerate(blocks):
        if nxt == len(SECTIONS):
            break
        if not isinstance(b, Paragraph) or len(b.text) > 80:
            continue
        for j in range(nxt, len(SECTIONS)):
            num = _match_section(b.text, SECTIONS[j])
            if num is not None:
                found.append(Found(SECTIONS[j], i, num, b.text.strip()))
                nxt = j + 1
                break
    return found


@lru_cache(maxsize=8192)
def _heading(text: str) -> tuple[str, str] | None:
    """(numbering as folded, title key) of a line short enough to be a heading."""
    folded = fold(text)
    if len(folded.strip()) > 60:
        return None
    m = _HEAD.match(folded)
    return ((m.group("num") or "").strip(), key(m.group("title"))) if m else None


_FORMS = {spec.key: tuple(key(f) for f in (spec.title, *spec.variants)) for spec in SECTIONS}
_FIRST = {k[:1] for forms in _FORMS.values() for k in forms}


def _match_section(text: str, spec: SectionSpec) -> str | None:
    head = _heading(text)
    if head is None or head[1][:1] not in _FIRST:
        return None
    num, title = head
    for k in _FORMS[spec.key]:
        if title == k or (title.startswith(k) and len(title) - len(k) <= 8 and not title[len(k) :][:1].isdigit()):
            return text.strip()[: len(num)] if num else ""
    return None


def section_heading(found: Found) -> Heading:
    expected = SECTION_NUMBERS[[s.key for s in SECTIONS].index(found.spec.key)] + "、"
    return Heading(found.text, found.numbering, 1, found.spec.key, expected)


def sub_headings(paragraphs: list[Paragraph], section: str) -> list[Heading]:
    """Sub-headings of one section, with the numbering the first one sets the style for."""
    out: list[Heading] = []
    style: str | None = None
    for p in paragraphs:
        folded = fold(p.text).strip()
        m = _SUB.match(folded)
        if not m or len(m.group("title")) > _MAX_SUB or m.group("title")[-1:] in "。；;":
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
    if n <= 10:
        return CN[n - 1]
    return ("" if n < 20 else CN[n // 10 - 1]) + "十" + (CN[n % 10 - 1] if n % 10 else "")
