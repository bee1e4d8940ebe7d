"""The narrative grammar: one phrase per case → (cell, value) of the figures it states."""

from __future__ import annotations

import random
import re

import pytest

from nianbao.extract import narrative
from nianbao.extract.narrative import read_facts
from nianbao.model import Location

PHRASES = {
    "received": ("本年度共收到政府信息公开申请58件。", [("table3.new_received.total", 58)]),
    "received, spaced": (
        "2022 年全镇受理政府信息公开申请 47 件，均在期限内答复。",
        [("table3.new_received.total", 47)],
    ),
    "received, count first": ("本年度全镇共收到16件申请。", [("table3.new_received.total", 16)]),
    "none received": ("本年度未收到政府信息公开申请。", [("table3.new_received.total", 0)]),
    "carried over": ("上年结转政府信息公开申请 2 件。", [("table3.carried_over.total", 2)]),
    "processed": ("及时依法依规办结69件。", [("table3.total_processed.total", 69)]),
    "carried forward": ("结转下年度继续办理3件。", [("table3.carried_forward.total", 3)]),
    "carried forward, count first": ("尚有4件结转下年度继续办理。", [("table3.carried_forward.total", 4)]),
    "postponed": ("另有12件顺延到下年度答复。", [("table3.carried_forward.total", 12)]),
    "carried forward with 有": ("转下一年度办理答复的有 1 件。", [("table3.carried_forward.total", 1)]),
    "granted": ("同意公开答复 9 件。", [("table3.granted.total", 9)]),
    "partially": ("部分公开答复 0 件。", [("table3.partially_granted.total", 0)]),
    "denied": ("不予公开答复 2 件。", [("table3.denied.total", 2)]),
    "unable": ("无法提供的 10 件。", [("table3.unable.total", 10)]),
    "not processed": ("不予处理 0 件。", [("table3.not_processed.total", 0)]),
    "other": ("其他处理 14 件。", [("table3.other.total", 14)]),
    "review": ("本年度发生政府信息公开行政复议5件。", [("table4.review.total", 5)]),
    "review, count first": ("全年有 3 件涉及政府信息公开事项的行政复议。", [("table4.review.total", 3)]),
    "litigation": ("涉及的行政诉讼数为0 件。", [("table4.litigation.total", 0)]),
    "no review": ("本年度未发生政府信息公开行政复议。", [("table4.review.total", 0)]),
    "normative documents": ("全年制发行政规范性文件18件。", [("table2.normative_documents.issued", 18)]),
    "items published are no application": ("全年主动公开政府信息2599条。", []),
    "a rate is no count": ("按时办结率100%。", []),
    "无法提供 is no 无": ("（四）无法提供（五）不予处理（六）其他行政复议", []),
    "too many digits": ("共收到政府信息公开申请" + "9" * 5000 + "件。", []),
}


@pytest.mark.parametrize("phrase,expected", PHRASES.values(), ids=PHRASES.keys())
def test_phrase(phrase: str, expected: list[tuple[str, int]]) -> None:
    assert [(f.cell, f.value) for f in read_facts([(phrase, None)])] == expected


def test_a_sentence_broken_over_lines() -> None:
    lines = [
        "本机关全年收到政府信息公开申请 34 件，上年结转政府信息公开",
        "申请 2 件，办结 35 件。",
        "四、结转下年度继续办理",
        "3",
    ]
    facts = read_facts([(t, Location(line=i + 1)) for i, t in enumerate(lines)])
    assert [(f.cell, f.value, f.location) for f in facts] == [
        ("table3.new_received.total", 34, Location(line=1)),
        ("table3.carried_over.total", 2, Location(line=1)),
        ("table3.total_processed.total", 35, Location(line=2)),
    ]


def test_the_word_screen_skips_no_sentence_a_pattern_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each pattern is tried only on sentences holding one of its words: random sentences made of
    the patterns' own pieces give the same facts with the screen as without it."""
    pieces = [p for p, _ in PHRASES.values()] + [
        "无",
        "未发生",
        "没有",
        "行政复议",
        "行政诉讼",
        "被申请",
        "共",
        "件",
        "起",
        "3",
        "，",
    ]
    rng = random.Random(3)
    texts = ["".join(rng.choice(pieces)[: rng.randint(1, 30)] for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    screened = [read_facts([(t, None)]) for t in texts]
    every = ("",)  # a word every text holds
    monkeypatch.setattr(narrative, "PATTERNS", tuple((c, every, p) for c, _, p in narrative.PATTERNS))
    assert [read_facts([(t, None)]) for t in texts] == screened
    assert sum(map(bool, screened)) > 300


def test_the_sentence_screen_is_a_count_and_its_unit_or_a_word_saying_none() -> None:
    """``_MAY_STATE`` is written with a character class first (for speed): it must find a sentence
    exactly when ``\\d\\s*[件个条起]|[无未没]`` does, Unicode digits and spaces included."""
    plain = re.compile(r"\d\s*[件个条起]|[无未没]")
    rng = random.Random(5)
    pieces = [*"0123456789 \u3000\t件个条起无未没年的公开申请", "٣", "²", "１２", "\u2003"]
    for _ in range(20000):
        t = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert (narrative._MAY_STATE.search(t) is None) == (plain.search(t) is None), t


def test_a_sentence_ends_where_the_line_ends_in_a_mark() -> None:
    """``_sentences`` tells a line that ends a sentence by its last character: the same lines as a
    search for ``[。；;！？!?：:]\\s*$`` over the text joined so far."""
    ends = re.compile(r"[。；;！？!?：:]\s*$")
    rng = random.Random(9)
    pieces = [*"。；;！？!?：:，的年", " ", "\u3000", "\t", "共收到申请3件", "x" * 16]
    for _ in range(3000):
        lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(1, 6))]
        plain, text, starts = [], "", []
        for i, line in enumerate(lines):
            starts.append((len(text), i))
            text += line.strip()
            if ends.search(text) or len(line.strip()) < narrative.WRAPPED_LINE or len(text) > narrative.JOIN_CHARS:
                plain.append((text, starts))
                text, starts = "", []
        plain += [(text, starts)] if text else []
        assert list(narrative._sentences([(line, i) for i, line in enumerate(lines)])) == plain, lines
