"""Section 六: 信息处理费 — notices issued, their amount, the amount collected (in 元)."""

from __future__ import annotations

import re

from nianbao.extract.numbers import yuan
from nianbao.model import Fees, Location
from nianbao.normalize import fold

_AMT = r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万元|元)"
_NOTICES = re.compile(r"发出(?:信息处理费)?收费通知(?:书|单)?(?:的)?(?:件数)?\s*(?:为|共|是)?\s*(\d+)\s*件")
_NOTICE_AMT = re.compile(r"(?<!实际收取的)(?<!实际收取)总金额\s*(?:为|共|是)?\s*" + _AMT)
_COLLECTED = re.compile(r"实际收取(?:的)?(?:信息处理费)?(?:总)?金额\s*(?:为|共|是)?\s*" + _AMT)
_ALL_ZERO = re.compile(r"发出收费通知的件数和总金额以及实际收取的总金额\s*均\s*为\s*(?:0|零)")
_NONE = re.compile(r"(?:未|没有|不存在|无)(?:发生|收取|出现)?(?:任何)?(?:收取)?(?:政府)?信息处理费")
_FEE_WORD = re.compile(r"信息处理费|收费通知")
_ADMIN_FEES = re.compile(r"行政事业性收费")


def read_fees(paragraphs: list[tuple[str, Location | None]]) -> Fees:
    """From the paragraphs of section 六 (text, location)."""
    text = "".join(fold(t) for t, _ in paragraphs)
    loc = next((lc for t, lc in paragraphs if _FEE_WORD.search(fold(t))), None)
    sentence = next((t.strip() for t, _ in paragraphs if _FEE_WORD.search(fold(t))), "")
    admin = bool(_ADMIN_FEES.search(text)) and not _FEE_WORD.search(text)
    compact = re.sub(r"\s+", "", text)
    if _ALL_ZERO.search(compact):
        return Fees(0, 0, 0, sentence, loc)
    notices = _NOTICES.search(compact)
    amount = _NOTICE_AMT.search(compact[notices.end() :] if notices else compact) if notices else None
    collected = _COLLECTED.search(compact)
    fees = Fees(
        int(notices.group(1)) if notices else None,
        yuan(amount.group(1), amount.group(2)) if amount else None,
        yuan(collected.group(1), collected.group(2)) if collected else None,
        sentence,
        loc,
        admin,
    )
    if fees.collected_yuan is None and _NONE.search(compact):
        fees = Fees(fees.notices, fees.notice_amount_yuan, 0, sentence, loc, admin)
    return fees
