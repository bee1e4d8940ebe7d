"""Traces of a missing section's heading: text that may be the heading but was not taken as one.

A heading that a word processor put in a frame, a shaded box or a table cell, or one worded a
little off the template (``五、存在的主要问题及整改措施``), means the reader cannot be sure the
section is absent. Such sections are listed in ``Report.uncertain``, so the checker says
``READ-UNCERTAIN`` instead of accusing the report with ``SECTION-MISSING``."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from nianbao.extract.sections import TITLE_FORMS
from nianbao.model import Report, Uncertain
from nianbao.normalize import key
from nianbao.read.document import Block, Paragraph, Table
from nianbao.template import SECTIONS, SectionSpec

HEADING_LIKE = 0.6  # similarity to a section title from which a line may be that heading
HEADING_SLACK = 6  # a heading is at most this many characters longer than the longest title form
_NUMBERING = re.compile(r"^[（(]?[一二三四五六七八九十\d]{1,2}[、.．)）]?")


def heading_like(text: str, spec: SectionSpec) -> bool:
    """``text`` (one line) could be the heading of section ``spec``: numbering aside, it holds
    the template title or a variant, or is close to one, and is not much longer."""
    k = _NUMBERING.sub("", key(text))
    titles = TITLE_FORMS[spec.key]
    if not 2 <= len(k) <= max(map(len, titles)) + HEADING_SLACK:
        return False
    return any(t in k or SequenceMatcher(None, k, t, autojunk=False).ratio() >= HEADING_LIKE for t in titles)


_LEAD_END = re.compile(r"[：:。；;，,]|\s{2,}|\u3000")


def heading_traces(blocks: list[Block], report: Report) -> list[Uncertain]:
    """Sections not found whose heading may sit in a table cell (a frame, shading or a layout
    table) or open a paragraph that goes on with the section's text."""
    missing = [s for s in SECTIONS if s.key not in report.sections]
    out: list[Uncertain] = []
    last = blocks[-1] if blocks else None
    for spec in missing:
        if isinstance(last, Paragraph) and _cut_heading(last.text, spec):
            reason = f"文本在“{last.text.strip()}”处中断，这一行可能是被截断的该部分标题"
            out.append(Uncertain(f"sections.{spec.key}", reason, last.location))
            continue
        para = next((b for b in blocks if isinstance(b, Paragraph) and _opens_with(b.text, spec)), None)
        if para is not None:
            lead = _lead(para.text)
            reason = f"有一段以近似该部分标题的文字“{lead}”开头，可能是与正文连排的标题"
            out.append(Uncertain(f"sections.{spec.key}", reason, para.location))
            continue
        cell = next(
            (
                c
                for b in blocks
                if isinstance(b, Table)
                for row in b.rows
                for c in row
                if not c.merged and any(heading_like(line, spec) for line in c.text.splitlines())
            ),
            None,
        )
        if cell is not None:
            reason = f"表格中有近似该部分标题的文字“{cell.text.strip()}”，可能是印在文本框、底纹或表格里的标题"
            out.append(Uncertain(f"sections.{spec.key}", reason, cell.location))
    return out


def _lead(text: str) -> str:
    s = text.strip()
    m = _LEAD_END.search(s)
    return s[: m.start()] if m else s[:30]


def _opens_with(text: str, spec: SectionSpec) -> bool:
    """The paragraph begins with the section's number and a clause close to its title or naming its words."""
    s = text.strip()
    if not (s.startswith(spec.number) and _NUMBERING.match(key(s))):
        return False
    lead = _lead(s)
    return heading_like(lead, spec) or any(w in key(lead) for w in spec.words)


def _cut_heading(text: str, spec: SectionSpec) -> bool:
    """The text ends on the beginning of this section's heading (``三、收到``)."""
    s = text.strip()
    k = _NUMBERING.sub("", key(s))
    return s.startswith(spec.number) and len(k) >= 2 and any(f.startswith(k) for f in TITLE_FORMS[spec.key])
