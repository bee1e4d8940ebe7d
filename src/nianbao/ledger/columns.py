"""The ledger's sheets and columns (``../shared/spec/ledger.md``) and the words its
drop-down cells accept, taken from the template's own labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao import template as T
from nianbao.normalize import key


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    kind: str  # "text" | "date" | "yesno" | "amount" | "choice"
    required: bool = False
    width: int = 14
    optional: bool = False  # added after the spec (ledger.md): a ledger without it lacks nothing


APPLICATIONS = "申请"
CASES = "复议诉讼"
INSTRUCTIONS = "说明"
CHOICES = "选项"  # hidden sheet holding the drop-down lists

APPLICATION_COLUMNS = (
    Col("id", "编号", "text", required=True, width=12),
    Col("received", "收到日期", "date", required=True),
    Col("applicant", "申请人类型", "choice", required=True),
    Col("correction_sent", "补正通知日期", "date"),
    Col("correction_received", "补正收到日期", "date"),
    Col("extended", "延期", "yesno", width=8),
    Col("answered", "答复日期", "date"),
    Col("result", "办理结果", "choice", width=40),
    Col("fee_notice_yuan", "收费通知金额", "amount"),
    Col("fee_collected_yuan", "实收金额", "amount"),
    Col("note", "备注", "text", width=30),
    # 条例第三十二条: the time a third party's opinion takes is not counted; ledger.md has no column for it
    Col("third_party_sent", "征求第三方意见日期", "date", width=16, optional=True),
    Col("third_party_received", "收到第三方意见日期", "date", width=16, optional=True),
)
CASE_COLUMNS = (
    Col("id", "编号", "text", required=True, width=12),
    Col("kind", "类型", "choice", required=True, width=28),
    Col("application", "申请编号", "text", width=12),
    Col("opened", "立案日期", "date", required=True),
    Col("outcome", "结果", "choice", required=True),
    Col("closed", "结案日期", "date"),
)
SHEETS = {APPLICATIONS: APPLICATION_COLUMNS, CASES: CASE_COLUMNS}
# Columns the tables are counted from: without one of them the ledger cannot be tallied.
TALLIED = {"id", "received", "applicant", "answered", "result", "kind", "opened", "outcome", "closed"}

YES, NO = "是", "否"

# 申请人类型 → 表三 column key
APPLICANTS = {c.label: c.key for c in T.T3_COLUMNS if c.key in T.T3_PART_COLUMNS}

# 类型 → 表四 group key
KINDS = {label if g == "review" else f"{T.T4_LITIGATION}（{label}）": g for g, label in T.T4_GROUPS}
# 结果 → 表四 column key
OUTCOMES = {c.label: c.key for c in T.T4_COLUMNS if c.key in T.T4_PARTS}
PENDING = "pending"

_NUMBERING = re.compile(r"[（(][一二三四五六七八九十][）)]|(?<![0-9])[1-9][.．、]")
_NOTE = key("（区分处理的，只计这一情形，不计其他情形）")
_SEPARATORS = str.maketrans("", "", "/／-—·・|｜")


def result_label(row: T.Row) -> str:
    """The ledger's word for a 表三 result row: ``不予公开/属于国家秘密``, ``予以公开``."""
    label = _NUMBERING.sub("", T.short_label(row.label))
    group = _NUMBERING.sub("", row.group)
    return f"{group}/{label}" if group else label


def _result_rows() -> tuple[T.Row, ...]:
    rows = [T.EDITION_2021.t3_row(k) for k in T.t3_result_rows(T.EDITION_2021)]
    return (*rows, T.EDITION_2019.t3_row("other.total"))


RESULT_ROWS = _result_rows()
RESULTS = {result_label(r): r.key for r in RESULT_ROWS}  # the drop-down list, in template order


def _result_key(text: str) -> str:
    return _NUMBERING.sub("", key(text).replace(_NOTE, "")).translate(_SEPARATORS)


def _result_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for r in RESULT_ROWS:
        forms = [result_label(r), r.group + r.label, *(r.group + v for v in r.variants)]
        if r.group and r.key != "other.other":  # an item named alone is enough, but not a bare 其他
            forms += [r.label, *r.variants]
        for form in forms:
            words.setdefault(_result_key(form), r.key)
    return words


_RESULT_WORDS = _result_words()


def result_key(text: str) -> str | None:
    """The 表三 row key of a result as typed (either edition's wording), or None."""
    return _RESULT_WORDS.get(_result_key(text)) if text.strip() else None


def applicant_key(text: str) -> str | None:
    return next((k for label, k in APPLICANTS.items() if key(label) == key(text)), None)


def kind_key(text: str) -> str | None:
    """行政复议 / 行政诉讼（未经复议直接起诉） / 行政诉讼（复议后起诉）, brackets optional."""
    k = key(text)
    for label, group in reversed(KINDS.items()):  # the two 诉讼 kinds before a bare 复议
        words = dict(T.T4_GROUPS)[group]
        if k in (key(label), key(words)) or (group != "review" and key(words) in k):
            return group
    return None


def outcome_key(text: str) -> str | None:
    return next((k for label, k in OUTCOMES.items() if key(label) == key(text)), None)
