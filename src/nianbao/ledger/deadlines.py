"""Answer deadlines in working days (条例 第三十三条), on the State Council's holiday
schedule as published in the ``chinese-calendar`` package (adjusted weekend working
days included).

The term is 20 working days from receipt, counted again from the day a 补正 arrives
(第三十条); an extension adds at most 20 more."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

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
) -> date | None:
    """The last day to answer an application; None while a 补正 is awaited (the clock stands still)."""
    if correction_sent and not correction_received:
        return None
    end = add_workdays(correction_received or received, TERM)
    return add_workdays(end, EXTENSION) if extended else end
