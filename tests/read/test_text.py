"""The text reader: every layout real reports come in, and their encodings."""

from __future__ import annotations

import hashlib
import random

import pytest

from nianbao.model import Location, ReportError, Source
from nianbao.read import read_bytes, sniff
from nianbao.read.document import Paragraph, Table, paragraph
from nianbao.read.text import parse_lines, read


def grid(t: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in t.rows]


def tables(text: str) -> list[Table]:
    return [b for b in parse_lines(text.split("\n")) if isinstance(b, Table)]


def test_tab_layout_rows_blank_cells_and_continuations() -> None:
    text = "二、主动公开\n\n\t信息内容\n\t本年制发件数\n\n\t\n\t商业\n企业\n\t   \n0\n\n\t规章\n\t0\n\t12\n\n三、收到"
    blocks = parse_lines(text.split("\n"))
    assert isinstance(blocks[0], Paragraph) and isinstance(blocks[-1], Paragraph)
    (t,) = [b for b in blocks if isinstance(b, Table)]
    assert grid(t) == [["信息内容", "本年制发件数"], ["", "商业\n企业", "   \n0"], ["规章", "0", "12"]]
    assert t.layout == "tab" and not t.exact
    assert t.rows[1][1].location.line == 7 and t.rows[1][2].location.line == 10  # the line holding the text


def test_tab_indented_prose_stays_prose() -> None:
    long = "\t" + "为切实做好政府信息公开工作" * 8
    assert not tables(long + "\n")


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "| 第二十条第(一)项 | |||\n| 规章 | 2 | 0 | 2 | ",
            [["第二十条第(一)项", "", "", ""], ["规章", "2", "0", "2"]],
        ),
        (
            "信息内容 | 本年新 制作数量 |\n规章 | 0 | 0 | 0 |",
            [["信息内容", "本年新 制作数量"], ["规章", "0", "0", "0"]],
        ),
        ("|\n规章 |\n0 |\n0 |\n0 | |\n|\n行政许可 |\n7 |", [["规章", "0", "0", "0", ""], ["行政许可", "7"]]),
        ("| \n 规章  | \n 0  | \n 5  | \n| \n 行政处罚  | \n 9  | ||", [["规章", "0", "5"], ["行政处罚", "9", "", ""]]),
        ("规章 |\n0 |\n25 |", [["规章"], ["0"], ["25"]]),
        (
            "| 信息内容 | 本年收费金额（单位：万元） |\n|---------|---------------|\n| 行政事业性收费 | 31429.79 |",
            [["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "31429.79"]],
        ),
    ],
    ids=["leading-pipe", "no-leading-pipe", "cell-bar-rows", "cells-in-newlines", "cell-bar-no-rows", "markdown"],
)
def test_pipe_layouts(text: str, expected: list[list[str]]) -> None:
    (t,) = tables(text)
    assert grid(t) == expected and t.layout == "pipe"


def test_markdown_table_split_by_page_break_gives_two_tables() -> None:
    text = "| a | b |\n|---|---|\n| 1 | 2 |\n\n| | |\n|--|--|\n| 申请 | |\n"
    assert len(tables(text)) == 2


@pytest.mark.parametrize("footer", ["— 5 —", "- 12 -", "第 3 页", "| — 5 — |", "|第 3 页 共 9 页|"])
def test_page_footer_inside_a_pipe_table_is_dropped(footer: str) -> None:
    text = f"| 规章 | 1 | 0 | 4 |\n\n{footer}\n\n| 行政规范性文件 | 2 | 0 | 9 |\n| 行政许可 | 7 |"
    (t,) = tables(text)
    assert grid(t) == [["规章", "1", "0", "4"], ["行政规范性文件", "2", "0", "9"], ["行政许可", "7"]]


def test_markdown_heading_marks_are_not_text() -> None:
    blocks = parse_lines(["## 一、总体情况", "### （一）主动公开", "#不是标题"])
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["一、总体情况", "（一）主动公开", "#不是标题"]


def _doc(data: bytes, name: str = "r.txt"):
    return read(data, Source(name, hashlib.sha256(data).hexdigest(), "txt"))


REPORT = "一、总体情况\n全年收到申请3件。\n\t规章\n\t0\n"


@pytest.mark.parametrize(
    "encoded, encoding",
    [
        (REPORT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + REPORT.encode("utf-8"), "utf-8-sig"),
        (REPORT.encode("gb18030"), "gb18030"),
        (REPORT.encode("gbk"), "gb18030"),
        (REPORT.encode("utf-16"), "utf-16"),
        (REPORT.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_encodings(encoded: bytes, encoding: str) -> None:
    doc = _doc(encoded)
    assert doc.source.encoding == encoding
    assert doc.blocks[0].text == "一、总体情况"  # type: ignore[union-attr]


def test_binary_is_refused() -> None:
    with pytest.raises(ReportError):
        _doc(bytes(range(256)) * 40)


def test_sniff_by_content_not_extension() -> None:
    assert sniff(b"%PDF-1.7 ...", "a.txt") == "pdf"
    assert sniff(b"<html><body><table></table></body></html>", "a.txt") == "html"
    assert sniff(b"| a | b |", "a.md") == "md"
    assert sniff("一、总体情况".encode(), "a.doc") == "txt"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        ("## 一、总体情况\n<div>x</div>", "txt"),  # a Markdown mark on the first line
        ("标题\n**一、总体情况**\n<div>x</div>", "txt"),  # at a later line's start
        ("标题\n| 信息 |\n|---|\n<div>x</div>", "txt"),
        ("标题 ## 一、总体情况\n<div>x</div>", "html"),  # inside a line it is no mark
        ("标题\r**一、总体情况**<div>x</div>", "html"),  # a CR alone does not start a line
    ],
)
def test_sniff_markdown_marks_at_a_line_start(head: str, kind: str) -> None:
    assert sniff(head.encode(), "a") == kind


def test_paragraph_is_a_frozen_paragraph() -> None:
    p = paragraph("一、总体情况", Location(line=3))
    assert p == Paragraph("一、总体情况", Location(line=3)) and hash(p) == hash(
        Paragraph("一、总体情况", Location(line=3))
    )
    with pytest.raises(AttributeError):
        p.text = "x"  # type: ignore[misc]


def test_empty_file_is_refused() -> None:
    with pytest.raises(ReportError, match="文件为空"):
        read_bytes(b"  \n", "empty.txt")


# ------------------------------------------------- cells apart by TABs or spaces --


@pytest.mark.parametrize("sep", ["\t", "  ", "      "])
def test_rows_of_cells_apart_by_tabs_or_spaces(sep: str) -> None:
    text = f"二、主动公开\n信息内容{sep}本年制发件数{sep}本年废止件数\n规章{sep}0{sep}0{sep}3\n行政规范性文件{sep}6{sep}1{sep}32\n说明。"
    blocks = parse_lines(text.split("\n"))
    (t,) = [b for b in blocks if isinstance(b, Table)]
    assert t.layout == "spaced" and not t.exact
    assert grid(t) == [
        ["信息内容", "本年制发件数", "本年废止件数"],
        ["规章", "0", "0", "3"],
        ["行政规范性文件", "6", "1", "32"],
    ]
    assert isinstance(blocks[0], Paragraph) and isinstance(blocks[-1], Paragraph)


def test_wrapped_labels_join_the_row_of_their_numbers() -> None:
    """pdftotext -layout: the numbers on the label's middle line or alone between its two
    lines; a group label further left stays a row of its own."""
    lines = [
        "      （一）予以公开                 1    0    1",
        "      （二）部分公开（区分处理",
        "                                    4    0    4",
        "      的，只计其他情形）",
        "   （三）不予公开",
        "      1.属于国家秘密                 1    0    1",
    ]
    (t,) = tables("\n".join(lines))
    assert grid(t) == [
        ["（一）予以公开", "1", "0", "1"],
        ["（二）部分公开（区分处理的，只计其他情形）", "4", "0", "4"],
        ["（三）不予公开"],
        ["1.属于国家秘密", "1", "0", "1"],
    ]
    assert t.rows[1][0].location.line == 2 and t.rows[1][1].location.line == 3


def test_a_lone_row_of_numbers_in_prose_is_no_table() -> None:
    text = "本年共办理  12  件。\n规章  0  0  0\n以上为全部情况。"
    assert not tables(text)


@pytest.mark.parametrize("seed", range(3))
def test_random_bytes_named_docx_are_no_valid_docx(seed: int) -> None:
    with pytest.raises(ReportError, match="不是有效的 DOCX 文件"):
        read_bytes(random.Random(seed).randbytes(3000), "report.docx")
