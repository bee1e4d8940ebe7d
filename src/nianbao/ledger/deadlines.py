"""Answer deadlines in working days (条例 第三十三条), on the State Council's holiday
schedule as published in the ``chinese-calendar`` package (adjusted weekend working
days included).

The term is 20 working days from receipt, counted again from the day a 补正 arrives
(第三十条); an extension adds at most 20 more; the working days spent waiting for a third
party's opinion (第三十二条) are added too."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from nianbao.ledger.read import Row

TERM = 20  # working days
EXTENSION = 20


class CalendarError(Exception):
    """A date outside the years the holiday schedule covers. The message is one Chinese line."""


def is_workday(d: date) -> bool:
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:
        raise CalendarError(
            f"节假日安排表（chinese-calendar {chinese_calendar.__version__}）不含{d.year}年，"
            f"无法按工作日计算期限：请升级 chinese-calendar（pip install -U chinese-calendar）"
        ) from None


def add_workdays(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself not counted)."""
    d = start
    while n > 0:
        d += timedelta(days=1)
        n -= is_workday(d)
    return d


def workdays_between(a: date, b: date) -> int:
    """Working days in (a, b]; 0 when b ≤ a."""
    n, d = 0, a
    while d < b:
        d += timedelta(days=1)
        n += is_workday(d)
    return n


def due(
    received: date,
    correction_sent: date | None = None,
    correction_received: date | None = None,
    extended: bool | None = False,
    third_party_sent: date | None = None,
    third_party_received: date | None = None,
) -> date | None:
    """The last day to answer an application; None while a 补正 or a third party's opinion is
    awaited (the clock stands still)."""
    if (correction_sent and not correction_received) or (third_party_sent and not third_party_received):
        return None
    end = add_workdays(correction_received or received, TERM + (EXTENSION if extended else 0))
    if third_party_sent and third_party_received:
        end = add_workdays(end, workdays_between(third_party_sent, third_party_received))
    return end


def row_due(row: Row) -> date | None:
    """:func:`due` of a ledger row (its received date must be known)."""
    keys = ("correction_sent", "correction_received", "extended", "third_party_sent", "third_party_received")
    return due(row.get("received"), *(row.get(k) for k in keys))


def waiting(row: Row) -> str:
    """What an open application whose clock stands still waits for (等待补正 / 等待第三方意见), or ""."""
    if row.get("correction_sent") and not row.get("correction_received"):
        return "等待补正"
    return "等待第三方意见" if row.get("third_party_sent") and not row.get("third_party_received") else ""
