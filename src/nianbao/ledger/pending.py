"""The applications still open on a day, with their deadlines: what the staff answer next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from nianbao.ledger.deadlines import CalendarError, row_due, waiting, workdays_between
from nianbao.ledger.read import Ledger, Row


@dataclass(frozen=True)
class Open:
    row: Row
    due: date | None  # None while a 补正 or a third party's opinion is awaited, or when the calendar lacks the year
    left: int | None  # working days left after ``on`` (negative: overdue by that many)
    why: str = ""  # 等待补正 / 等待第三方意见 / the calendar's error

    def as_dict(self) -> dict[str, Any]:
        r = self.row
        return {
            "row": r.row,
            "id": r.get("id"),
            "received": str(r.get("received")),
            "applicant": r.get("applicant"),
            "due": str(self.due) if self.due else None,
            "working_days_left": self.left,
            "note": self.why,
        }


def open_on(ledger: Ledger, on: date) -> list[Open]:
    """Applications received by ``on`` and not answered by then, soonest deadline first."""
    out = []
    for r in ledger.applications:
        received, answered = r.get("received"), r.get("answered")
        if not received or received > on or (answered and answered <= on) or r.invalid:
            continue
        try:
            limit = row_due(r)
        except CalendarError as e:
            out.append(Open(r, None, None, str(e)))
            continue
        if limit is None:
            out.append(Open(r, None, None, waiting(r)))
            continue
        left = workdays_between(on, limit) if limit >= on else -workdays_between(limit, on)
        out.append(Open(r, limit, left))
    return sorted(out, key=lambda o: (o.due or date.max, o.row.row))
