"""Where an agency stands among its peers (same level and kind, same year): for each metric of
the dictionary, the group's P25/P50/P75 and the agency's rank; and 异常波动 — a year-on-year
change beyond what both the agency's own history and its group's changes explain.

异常波动 is an information-level analysis flag with the numbers behind it, not a check rule.
A change is in percentage points for a rate and relative (÷ last year) for a count. It is
flagged when it lies outside the group's Tukey fence (Q1 − 1.5·IQR … Q3 + 1.5·IQR of the
peers' changes, at least ``MIN_PEERS`` of them) and outside the agency's own past changes
widened by their spread (min − spread … max + spread, at least two past changes); a test
that lacks its data is left out, and with neither nothing is flagged. Counts must move by
``MIN_CASES`` or more, rates need ``MIN_CASES`` or more in both years' denominators."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy.engine import Engine

from nianbao.analysis.groups import Rule, classify, load
from nianbao.analysis.metrics import METRICS, Metric
from nianbao.analysis.stored import Row, Visible, current, everything, find

MIN_PEERS = 4
MIN_CASES = 10
FENCE = 1.5


def percentile(values: list[float], q: float) -> float | None:
    """The ``q`` quantile (0…1) of ``values``, interpolated linearly between the sorted values."""
    s = sorted(values)
    if not s:
        return None
    pos = (len(s) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def rank(value: float, values: list[float]) -> int:
    """1 for the highest; equal values share a rank."""
    return 1 + sum(1 for v in values if v > value)


def change(m: Metric, before: Row, after: Row) -> float | None:
    """The change of ``m`` from ``before`` to ``after`` (points for a rate, relative for a count);
    None when either is blank or too small to say anything."""
    a, b = m.of_totals(before["totals"]), m.of_totals(after["totals"])
    if a is None or b is None:
        return None
    if m.is_rate:
        dens = (m.denominator_of(before["totals"]), m.denominator_of(after["totals"]))
        return b - a if all(d is not None and d >= MIN_CASES for d in dens) else None
    return (b - a) / a if a > 0 and abs(b - a) >= MIN_CASES else None


def _jump(m: Metric, history: dict[int, Row], year: int, group_changes: list[float]) -> Row | None:
    if year - 1 not in history or year not in history:
        return None
    c = change(m, history[year - 1], history[year])
    if c is None:
        return None
    past = [
        x
        for y in sorted(history)
        if y < year and y - 1 in history
        if (x := change(m, history[y - 1], history[y])) is not None
    ]
    tests: dict[str, Any] = {}
    if len(group_changes) >= MIN_PEERS:
        q1, median, q3 = (percentile(group_changes, q) or 0.0 for q in (0.25, 0.5, 0.75))  # not empty here
        low, high = q1 - FENCE * (q3 - q1), q3 + FENCE * (q3 - q1)
        tests["group"] = {"n": len(group_changes), "median": median, "low": low, "high": high}
        tests["group"]["outside"] = not low <= c <= high
    if len(past) >= 2:
        spread = max(past) - min(past)
        low, high = min(past) - spread, max(past) + spread
        tests["own"] = {"n": len(past), "changes": past, "low": low, "high": high, "outside": not low <= c <= high}
    if not tests or not all(t["outside"] for t in tests.values()):
        return None
    return {
        "metric": m.key,
        "name": m.name,
        "rate": m.is_rate,
        "level": "info",
        "flag": "异常波动",
        "before": m.of_totals(history[year - 1]["totals"]),
        "after": m.of_totals(history[year]["totals"]),
        "change": c,
        **tests,
    }


def peers(engine: Engine, agency: str, year: int, visible: Visible = everything) -> Row | None:
    """The agency's peer group in ``year`` (among the ``visible`` reports), its standing for each
    metric and its 异常波动; None when the agency has no current report that year."""
    own = find(engine, agency, visible=visible)
    if not any(r["year"] == year for r in own):
        return None
    return _standing(own, current(engine, visible=visible), load(engine), year)


def _standing(own: list[Row], stored: list[Row], rules: tuple[Rule, ...], year: int) -> Row:
    """:func:`peers` of the agency's reports ``own`` in ``year`` (one of theirs), among the current
    reports ``stored`` grouped by ``rules``."""
    mine = next(r for r in own if r["year"] == year)
    group = classify(mine["agency"], rules)
    everyone = [r for r in stored if r["year"] in (year - 1, year)]
    members = [r for r in everyone if r["year"] == year and classify(r["agency"], rules) == group]
    before = {r["canonical_key"]: r for r in everyone if r["year"] == year - 1}
    history = {r["year"]: r for r in own if r["year"] is not None}
    standing, jumps = [], []
    for m in METRICS.values():
        values = [v for r in members if (v := m.of_totals(r["totals"])) is not None]
        value = m.of_totals(mine["totals"])
        standing.append(
            {
                "metric": m.key,
                "name": m.name,
                "rate": m.is_rate,
                "value": value,
                "n": len(values),
                "p25": percentile(values, 0.25),
                "p50": percentile(values, 0.5),
                "p75": percentile(values, 0.75),
                "rank": rank(value, values) if value is not None else None,
            }
        )
        others = [
            c
            for r in members
            if r["canonical_key"] != mine["canonical_key"] and r["canonical_key"] in before
            if (c := change(m, before[r["canonical_key"]], r)) is not None
        ]
        if (j := _jump(m, history, year, others)) is not None:
            jumps.append(j)
    return {
        "agency": mine["agency"],
        "agency_key": mine["agency_key"],
        "report_id": mine["id"],
        "year": year,
        "level": group[0],
        "kind": group[1],
        "members": [{"agency": r["agency"], "id": r["id"]} for r in members],
        "metrics": standing,
        "jumps": jumps,
        "basis": _basis(mine, members, before, history, year),
    }


def _basis(mine: Row, members: list[Row], before: dict[str, Row], history: dict[int, Row], year: int) -> Row:
    """What the 异常波动 test had to go on: last year's report, the peers with both years, the
    agency's earlier year-on-year changes; ``tested`` False when no metric could be judged at all
    (so that "no jump" is not said of a test never made)."""
    previous = year - 1 in history
    prior = sum(1 for r in members if r["canonical_key"] != mine["canonical_key"] and r["canonical_key"] in before)
    past = sum(1 for y in history if y < year and y - 1 in history)
    tested = previous and (prior >= MIN_PEERS or past >= 2)
    return {"previous": previous, "peers": prior, "past": past, "tested": tested}


def by_year(engine: Engine, agency: str, visible: Visible = everything) -> list[Row]:
    """:func:`peers` of every year of the agency that follows a stored year, newest first."""
    own = find(engine, agency, visible=visible)
    years = sorted({r["year"] for r in own if r["year"] is not None})
    followed = [y for y in reversed(years) if y - 1 in years]
    if not followed:
        return []
    stored, rules = current(engine, visible=visible), load(engine)  # once for every year, not once a year
    return [_standing(own, stored, rules, y) for y in followed]


def jumps(engine: Engine, agency: str, visible: Visible = everything) -> list[Row]:
    """The agency's 异常波动 of every year that follows a stored year, newest first, each with its ``year``."""
    return [{"year": p["year"], **j} for p in by_year(engine, agency, visible) for j in p["jumps"]]
