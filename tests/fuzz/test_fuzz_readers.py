"""Property-based fuzzing of the text and HTML readers (``make fuzz``; skipped otherwise).

Whatever the bytes — a synthetic report cut, spliced and sprinkled with table punctuation,
tokens of the template assembled at random, or raw bytes — reading, extracting and checking
ends in a report or in a one-line :class:`ReportError`, never another exception, and within
the deadline. ``NIANBAO_FUZZ_EXAMPLES`` sets the examples per property (default 300)."""

from __future__ import annotations

import os
import random
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.model import ReportError
from nianbao.pipeline import process
from nianbao.synth import LAYOUTS, synth_cells, synth_fees, synth_report_html, synth_report_text

pytestmark = pytest.mark.skipif(not os.environ.get("NIANBAO_FUZZ"), reason="fuzzing runs with make fuzz")

FUZZ = settings(
    max_examples=int(os.environ.get("NIANBAO_FUZZ_EXAMPLES") or 300),
    deadline=10_000,  # ms per example: a reader that turns slow on some input fails here
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TOKENS = [
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
    "（一）", "（二）", "（三）", "1.", "2.", "（七）总计", "四、结转下年度继续办理", "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量", "自然人", "法人或其他组织", "商业企业", "总计", "行政复议", "行政诉讼", "维持", "纠正",
    "年度", "人民政府", "2023", "0", "7", "12", "1,234", "—", "-", "－", "/", "|", "｜", "\t", " ", "　", "\n", "\r\n",
    "<table>", "</table>", "<tr>", "<td>", "</td>", "<td rowspan=\"99\">", "<td colspan=\"4294967297\">", "<th>",
    "<br>", "<p>", "<!--", "-->", "<![CDATA[", "&#0;", "&nbsp;", "&#x10FFFF;", "<meta charset=gbk>", "\x00", "\ufeff",
]  # fmt: skip


@cache
def base(seed: int, html: bool) -> str:
    rng = random.Random(seed)
    ed = ("2021", "2019")[seed % 2]
    cells = synth_cells(rng, ed)
    if html:
        return synth_report_html(cells, ed, "测试市测试区人民政府", 2023, rng)
    return synth_report_text(
        cells, ed, LAYOUTS[seed % len(LAYOUTS)], "测试市测试区人民政府", 2023, rng, fees=synth_fees(rng)
    )


edits = st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 400), st.lists(st.sampled_from(TOKENS), max_size=8), st.integers(1, 40)),
    max_size=12,
)


def mutate(text: str, changes: list[tuple[float, int, list[str], int]]) -> str:
    """At each place: cut ``cut`` characters and put in the tokens, repeated ``times``."""
    for where, cut, tokens, times in changes:
        i = int(where * len(text))
        text = text[:i] + "".join(tokens) * times + text[i + cut :]
    return text


def read_all_the_way(data: bytes, name: str) -> None:
    try:
        process(data, name)  # read, extract and check
    except ReportError as e:
        assert str(e) and "\n" not in str(e)


@FUZZ
@given(seed=st.integers(0, 11), changes=edits, encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_mutated_text_reports(seed: int, changes: list, encoding: str) -> None:
    read_all_the_way(mutate(base(seed, False), changes).encode(encoding, "replace"), "r.txt")


@FUZZ
@given(seed=st.integers(0, 5), changes=edits)
def test_mutated_web_pages(seed: int, changes: list) -> None:
    read_all_the_way(mutate(base(seed, True), changes).encode("utf-8"), "r.html")


@FUZZ
@given(
    tokens=st.lists(st.sampled_from(TOKENS) | st.text(max_size=20), max_size=300),
    name=st.sampled_from(["a.txt", "a.md", "a.html"]),
)
def test_assembled_tokens(tokens: list[str], name: str) -> None:
    read_all_the_way("".join(tokens).encode("utf-8", "surrogatepass"), name)


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(["a.txt", "a.html"]))
def test_raw_bytes(data: bytes, name: str) -> None:
    read_all_the_way(data, name)
