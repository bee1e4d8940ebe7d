"""Section 六: 信息处理费 — notices issued, their amount, the amount collected (in 元).

A small grammar over the template's vocabulary (发出收费通知的件数 / 总金额 / 实际收取的总金额)
and the ways reports word it: ``实际收取的费用为75元``, ``本年度共收取政府信息公开信息处理费615元``,
``收取信息处理费共计260元``, ``收费通知为0件``, ``未发生收费情况``, ``未收取任何费用``. Only what a sentence states
is read: a report that says nothing of notices leaves them ``None``. Numbers longer than any
fee (``NUMBER_DIGITS``) are not read at all."""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import accumulate

from nianbao.model import Fees, Location, Number
from nianbao.normalize import key
from nianbao.template import EDITION_2021

NUMBER_DIGITS = 12
_NUM = rf"(?<![\d.,])(\d{{1,3}}(?:,\d{{3}}){{1,3}}(?:\.\d{{1,4}})?|\d{{1,{NUMBER_DIGITS}}}(?:\.\d{{1,4}})?|零)(?!\d)"
_AMOUNT = rf"{_NUM}(万元|元)"
_COUNT = rf"{_NUM}(?:件|份|次|个)"
_IS = r"(?:为|是|达|共计|合计|总计|共)?"
_FEE = r"(?:政府信息公开)?(?:信息处理费|处理费|费用)"
_ISSUE = r"(?:发出|送达|开具|发送|出具)(?:了|过)?"

_NOTICES = re.compile(
    rf"{_ISSUE}(?:{_FEE})?收费通知(?:书|单)?(?:的)?(?:件数|数量|份数)?{_IS}{_COUNT}|{_ISSUE}{_COUNT}(?:{_FEE})?收费通知"
    rf"|收费通知(?:书|单)?(?:的)?(?:件数|数量|份数)?(?:为|是|共计|合计|共有|有){_COUNT}"  # 收费通知为0件
)
_NO_NOTICES = re.compile(rf"(?:未|没有|无){_ISSUE}(?:任何)?(?:{_FEE})?收费通知")
_NOTICE_AMOUNT = re.compile(rf"(?<!实际收取的)(?<!实际收取)(?<!实收)总?金额{_IS}{_AMOUNT}")
_NOTICE_AMOUNT_REACH = 40  # the amount follows the count of notices within this many characters
_COLLECTED = re.compile(
    rf"(?<!应)(?:实际收费|(?:实际)?(?:收取|收缴|收到|收入)|实收)(?:了)?(?:的)?(?:{_FEE})?(?:的)?总?(?:金额|费用)?{_IS}{_AMOUNT}"
)
_ALL_ZERO = re.compile(r"收费通知[^。；;]{0,24}?实际收取[^。；;]{0,12}?均(?:为|是)(?:0|零)(?:元)?")
_NONE = re.compile(
    r"(?:未|没有|无|不存在|不|免)(?:向[^,，。；;]{1,8}?)?(?:发生|产生|出现|有)?(?:任何)?(?:收取|收费|缴纳|征收|收)?"
    r"(?:任何)?(?:政府信息公开)?(?:信息处理费|处理费|费用|收费)(?!通知)"
)
_INFO_FEE_WORD = re.compile(r"信息处理费|收费通知")
_ADMIN_FEES = re.compile(re.escape(EDITION_2021.t2_row("fees").label))  # 行政事业性收费
_GRAMMAR = (_NOTICES, _NO_NOTICES, _COLLECTED, _ALL_ZERO, _NONE)


def read_fees(paragraphs: list[tuple[str, Location | None]]) -> Fees:
    """From the paragraphs of section 六 (text, location). Sentences broken over lines (PDF) are
    read as one text without spaces or quotes (``发出《收费通知书》2份``)."""
    pieces = [key(t) for t, _ in paragraphs]  # folded, without spaces or quotes
    text = "".join(pieces)
    ends = list(accumulate(map(len, pieces)))  # where each paragraph ends in ``text``
    notices, no_notices, collected, all_zero, none = found = [g.search(text) for g in _GRAMMAR]  # each once
    first = min((m.start() for m in found if m), default=None)
    at = next((i for i, e in enumerate(ends) if first is not None and first < e), None)
    sentence, loc = (paragraphs[at][0].strip(), paragraphs[at][1]) if at is not None else ("", None)
    admin = bool(_ADMIN_FEES.search(text)) and not _INFO_FEE_WORD.search(text)
    if all_zero:
        return Fees(0, 0, 0, sentence, loc, admin)
    count = _value(next(g for g in notices.groups() if g)) if notices else (0 if no_notices else None)
    amount = _NOTICE_AMOUNT.search(text[notices.end() : notices.end() + _NOTICE_AMOUNT_REACH]) if notices else None
    paid = _yuan(collected.group(1), collected.group(2)) if collected else (0 if none else None)
    return Fees(count, _yuan(amount.group(1), amount.group(2)) if amount else None, paid, sentence, loc, admin)


def _value(number: str) -> Number:
    return _exact(_decimal(number))


def _yuan(number: str, unit: str) -> Number:
    """An amount of ``unit`` (元 or 万元) in 元, to the fen."""
    v = _decimal(number)
    return _exact((v * 10000 if unit == "万元" else v).quantize(Decimal("0.01")))


def _decimal(number: str) -> Decimal:
    return Decimal(0) if number == "零" else Decimal(number.replace(",", ""))


def _exact(v: Decimal) -> Number:
    return int(v) if v == v.to_integral_value() else float(v)
