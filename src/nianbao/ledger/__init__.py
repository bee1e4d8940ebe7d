"""The 依申请公开 ledger (台账, ``../shared/spec/ledger.md``): its blank workbook, its
rules and deadlines, and the 表三/表四 tallied from it as a :class:`~nianbao.model.Report`
so that ``check`` and ``render`` work on it unchanged."""

from __future__ import annotations

from nianbao.ledger.blank import template_bytes
from nianbao.ledger.compose import compose, differences
from nianbao.ledger.deadlines import CalendarError, due
from nianbao.ledger.pending import Open, open_on
from nianbao.ledger.read import Ledger, read_ledger, read_ledger_bytes
from nianbao.ledger.rules import LEDGER_RULES, check_ledger
from nianbao.ledger.tally import Tally, tally

__all__ = [
    "LEDGER_RULES",
    "CalendarError",
    "Ledger",
    "Open",
    "Tally",
    "check_ledger",
    "compose",
    "differences",
    "open_on",
    "due",
    "read_ledger",
    "read_ledger_bytes",
    "tally",
    "template_bytes",
]
