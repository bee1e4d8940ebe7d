"""Numbers the text states about table quantities, each with the cell it refers to.

A small grammar over the template's vocabulary: a quantity's words and a count next to them,
either way round (``收到政府信息公开申请58件`` / ``收到16件申请``, ``结转下年度3件`` /
``4件结转下年度继续办理``), or a statement that there was none (``无行政复议``). Only phrasings
that clearly name one quantity are read; the checker decides whether a figure contradicts its
table or has another basis."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nianbao.model import Fact, Location
from nianbao.normalize import fold
from nianbao.template import EDITION_2019, T4_GROUPS, T4_LITIGATION

_REVIEW = dict(T4_GROUPS)["review"]  # 行政复议
_NORMATIVE = EDITION_2019.t2_row("normative_documents").label  # 规范性文件 (行政规范性文件 in 2021)

_N = r"\s*(\d{1,9})(?!\d)\s*"  # a count; longer digit runs are no count (and no int() of 5000 digits)
_APP = r"(?:政府信息公开|信息公开|依申请公开|依申请信息公开)?(?:申请|案件)"
_RESULT = r"(?:答复)?(?:的)?(?:申请)?(?:共|为)?"  # between a result's name and its count
_ENDS = "。；;！？!?：:"  # a line ending in one ends a sentence (or a heading's colon)
JOIN_CHARS = 400  # lines are joined into one sentence up to this length
WRAPPED_LINE = 16  # a shorter line was not broken by the page width: a heading, a table label
_NONE = r"(?P<zero>无(?!法)|未(?:发生|产生|出现)|没有)(?:因|由)?[^。；，,()（）\d]{0,24}?"  # no 无法提供, no (五)

# (cell, words, pattern); the number is group 1, or the pattern states none (group "zero" → 0).
# Every match holds one of ``words``: a sentence holding none of them is not tried.
_RECEIVED = ("收", "接", "受理")
PATTERNS: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (cell, words, re.compile(p))
    for cell, words, p in (
        (
            "table3.new_received.total",
            _RECEIVED,
            rf"(?:收到|接收|受理|新收|接到|接|共收)(?:各类|各项|了)?{_APP}(?:数量)?(?:共计|共|为|合计)?{_N}(?:件|个|条)",
        ),
        (
            "table3.new_received.total",
            _RECEIVED,
            rf"(?:收到|接收|受理|新收|接到)(?:各类|了)?{_N}件(?:政府信息公开|信息公开)?申请",
        ),
        (
            "table3.new_received.total",
            ("申请", "案件"),
            r"(?:全年|本年度?|\d{4}年)?(?P<zero>无|未收到|没有收到)(?:任何)?" + _APP,
        ),
        ("table3.carried_over.total", ("结转",), rf"上一?年度?结转(?:的)?(?:政府信息公开)?(?:申请)?{_N}件"),
        ("table3.total_processed.total", ("办结",), rf"(?<!按时)办结(?:政府信息公开)?(?:申请)?(?:共|了)?{_N}件"),
        (
            "table3.carried_forward.total",
            ("转",),
            rf"(?:结转(?:到|至)?|转)(?:下一?年度?|\d{{4}}年度?)(?:继续)?(?:办理)?(?:答复)?(?:的)?(?:申请)?(?:有)?{_N}件",
        ),
        ("table3.carried_forward.total", ("结转", "顺延"), rf"{_N}件(?:申请)?(?:结转|顺延)(?:到|至)?下一?年度?"),
        ("table3.granted.total", ("公开",), rf"(?<!部分)(?<!不)(?:予以|同意)公开{_RESULT}{_N}件"),
        ("table3.partially_granted.total", ("部分公开",), rf"部分公开{_RESULT}{_N}件"),
        ("table3.denied.total", ("不予公开",), rf"不予公开{_RESULT}{_N}件"),
        ("table3.unable.total", ("无法提供",), rf"无法提供{_RESULT}{_N}件"),
        ("table3.not_processed.total", ("不予处理",), rf"不予处理{_RESULT}{_N}件"),
        ("table3.other.total", ("其他处理",), rf"其他处理{_RESULT}{_N}件"),
        ("table4.review.total", (_REVIEW,), rf"(?:被申请)?{_REVIEW}(?:案件)?(?:共)?{_N}(?:件|起)"),
        ("table4.review.total", (_REVIEW,), rf"{_N}(?:件|起)(?:[^。，,；;]{{0,16}}?的)?{_REVIEW}"),
        (
            "table4.litigation.total",
            (T4_LITIGATION,),
            rf"(?:被提起)?{T4_LITIGATION}(?:案件)?(?:数)?(?:共|为)?{_N}(?:件|起)",
        ),
        ("table4.review.total", ("复议",), rf"{_NONE}(?:行政)?复议"),
        ("table4.litigation.total", ("诉",), rf"{_NONE}(?:{T4_LITIGATION}|上诉|起诉)"),
        ("table2.normative_documents.issued", (_NORMATIVE,), rf"(?:制发|印发|出台)(?:行政)?{_NORMATIVE}{_N}件"),
    )
)

# every pattern needs a count and its unit (件, 个, 条, 起) or a word saying none: a sentence
# with neither states no fact. Written as one character class first (``\d\s*[件个条起]|[无未没]``
# matches where this does), which lets ``re`` skip to the next digit or 无未没 in C: 1.7× faster
_MAY_STATE = re.compile(r"[\d无未没](?:(?<=\d)\s*[件个条起]|(?<=[无未没]))")


def read_facts(paragraphs: list[tuple[str, Location | None]]) -> list[Fact]:
    """The facts of the text; a sentence broken over lines (PDF, converted Markdown) is read whole
    and located at the line where the phrase starts."""
    facts: list[Fact] = []
    seen: set[str] = set()
    said: set[tuple[str, str]] = set()
    for text, starts in _sentences(paragraphs):
        t = fold(text)
        if not _MAY_STATE.search(t):
            continue
        for cell, words, pat in PATTERNS:
            if not any(map(t.__contains__, words)):  # substring tests: far cheaper than a pattern
                continue
            for m in pat.finditer(t):
                zero = "zero" in pat.groupindex and m.group("zero")
                value = 0 if zero else int(m.group(1))
                phrase = m.group(0).strip()
                if (cell, phrase) in said or (zero and cell in seen):
                    continue
                seen.add(cell)
                said.add((cell, phrase))
                loc = next(lc for at, lc in reversed(starts) if at <= m.start())
                facts.append(Fact(cell, value, phrase, loc))
    return facts


def _sentences(
    paragraphs: list[tuple[str, Location | None]],
) -> Iterator[tuple[str, list[tuple[int, Location | None]]]]:
    """Paragraphs joined while a line, broken by the page width, does not end a sentence, with
    where each line starts."""
    text, starts = "", []
    for line, loc in paragraphs:
        starts.append((len(text), loc))
        stripped = line.strip()
        text += stripped
        if len(stripped) < WRAPPED_LINE or stripped[-1] in _ENDS or len(text) > JOIN_CHARS:
            yield text, starts
            text, starts = "", []
    if text:
        yield text, starts
