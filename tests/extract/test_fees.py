"""The 信息处理费 grammar of section 六: one phrase per case, (notices, notice amount, collected) in 元."""

from __future__ import annotations

import pytest

from nianbao.extract.fees import read_fees
from nianbao.model import Location

N = None
PHRASES = {
    "template wording": ("发出收费通知的件数为2件，总金额为6400元，实际收取的总金额为0元。", (2, 6400, 0)),
    "template wording in 万元": ("发出收费通知的件数3件，总金额0.014万元。实际收取的总金额0.014万元。", (3, 140, 140)),
    "all zero at once": ("发出收费通知的件数和总金额以及实际收取的总金额均为0。", (0, 0, 0)),
    "collected only": ("本年度实际收取1200元。", (N, N, 1200)),
    "collected, fee named": ("全年收取政府信息公开信息处理费2710元。", (N, N, 2710)),
    "collected with 共计": ("各部门收取信息处理费共计560元，其中某部门1件，收取560元。", (N, N, 560)),
    "collected, thousands": ("实际收取信息处理费1,200元。", (N, N, 1200)),
    "collected 零元": ("实际收取的总金额为零元。", (N, N, 0)),
    "notices before the noun": ("发出3件收费通知，总金额900元。", (3, 900, N)),
    "no notices": ("未发出收费通知。", (0, N, N)),
    "nothing happened": ("全年信息公开工作未发生收费情况。", (N, N, 0)),
    "no fee matters": ("本局全年未发生政府信息公开收费事宜。", (N, N, 0)),
    "nothing collected": ("本机关未收取任何费用。", (N, N, 0)),
    "no collection": ("本年度无收取信息处理费情况。", (N, N, 0)),
    "not from applicants": ("未向申请人收取信息处理费。", (N, N, 0)),
    "no statement": ("本年度无其他需要报告的事项。", (N, N, N)),
    "other fees are not 信息处理费": ("本单位行政事业性收费金额0元。", (N, N, N)),
    "a fee is no admin fee amount": ("本单位不存在行政事业性收费，收取的总金额为0。", (N, N, N)),
    "the amount due is not collected": ("应收取信息处理费500元。", (N, N, N)),
    "notice amount named 收费金额": ("发出收费通知1件，收费金额300元，实际收取0元。", (1, 300, 0)),
    "notices in quotes": ("本年度发出《收费通知书》2份，总金额为800元。", (2, 800, N)),
    "fee income": ("全年信息处理费收入1500元。", (N, N, 1500)),
    "actually charged": ("实际收费0元。", (N, N, 0)),
    "notices without a verb": ("本单位向申请人收取信息处理费的收费通知为0件。", (0, N, N)),
    "notices counted with 共有": ("收费通知共有2份，总金额为300元。", (2, 300, N)),
    "a table label is no notice": ("申请人逾期未按收费通知要求缴纳费用的情况为0件。", (N, N, N)),
}


@pytest.mark.parametrize("phrase,expected", PHRASES.values(), ids=PHRASES.keys())
def test_phrase(phrase: str, expected: tuple[object, object, object]) -> None:
    f = read_fees([(phrase, Location(line=7))])
    assert (f.notices, f.notice_amount_yuan, f.collected_yuan) == expected


def test_sentence_broken_over_lines_with_spaced_glyphs() -> None:
    lines = ["本 机关 依照 《政府信息公开信息处理费管理办", "法》 执行 ， 全年收取政府信息公开信息处理费 0 元 。"]
    f = read_fees([(t, Location(page=6, line=i)) for i, t in enumerate(lines)])
    assert f.collected_yuan == 0 and f.location == Location(page=6, line=1)
    assert f.text.startswith("法》")


def test_where_the_statement_is() -> None:
    f = read_fees([("本年度无其他需要报告的事项。", Location(line=1)), ("未发生收费情况。", Location(line=2))])
    assert (f.collected_yuan, f.location, f.text) == (0, Location(line=2), "未发生收费情况。")


def test_admin_fees_instead() -> None:
    assert read_fees([("本单位不存在行政事业性收费。", None)]).mentions_admin_fees


@pytest.mark.parametrize("digits", [40, 400, 5000])
def test_absurd_numbers_are_not_read(digits: int) -> None:
    f = read_fees([(f"发出收费通知{'9' * digits}件，总金额{'9' * digits}元，实际收取{'9' * digits}元。", None)])
    assert (f.notices, f.notice_amount_yuan, f.collected_yuan) == (N, N, N)
