"""Row labels matched against the template: pauses, numbering, dropped characters."""

from __future__ import annotations

import pytest

from nianbao.extract import labels
from nianbao.normalize import key


@pytest.mark.parametrize(
    ("printed", "row"),
    [
        ("3、其他", "other.other"),
        ("2、重复申请", "not_processed.duplicate"),
        ("1. 申请人无正当理由逾期不补正, 行政机关不再处理其政府信息公开申请", "other.no_correction"),
        ("3.危及三安全一稳定", "denied.three_safeties"),
    ],
)
def test_printed_forms_read_exactly(printed: str, row: str) -> None:
    m = labels.t3_row(key(printed))
    assert m is not None and m.key == row and m.note is None


@pytest.mark.parametrize(
    ("printed", "row"),
    [
        ("2.其他法律法规禁止公开", "denied.prohibited_by_law"),
        ("5.要求行政机关确认或重新出具获取信息", "not_processed.confirmation"),
        ("1.本机关不掌相关政府信息", "unable.not_held"),
        ("4.保护第三方合法", "denied.third_party"),
    ],
)
def test_dropped_characters_read_as_the_nearest_row_with_a_note(printed: str, row: str) -> None:
    m = labels.t3_row(key(printed))
    assert m is not None and m.key == row
    assert m.note and printed.replace(" ", "") in m.note


@pytest.mark.parametrize(
    "printed",
    [
        "3.属于公开出版物",  # 3. in two groups, close to neither 3.要求提供公开出版物 nor 3.危及…
        "2.其他法律",  # too short to tell
        "申请人情况",
    ],
)
def test_no_nearest_row_when_unsure(printed: str) -> None:
    m = labels.t3_row(key(printed))
    assert m is None or m.note is None


def test_bare_words_are_a_row_only_before_numbers() -> None:
    assert labels.t3_row(key("予以公开")) is None
    assert labels.t3_row_words(key("予以公开")).key == "granted"
    assert labels.t3_row_words(key("其他")) is not None  # 3.其他 is the only row so worded
