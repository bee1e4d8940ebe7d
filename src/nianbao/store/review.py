"""Review states of findings: 待核实 / 已核实 / 误报 / 需整改 / 已整改, each change with a comment,
who and when, every change kept.

A state belongs to the finding, not to a row: its key is the sha256 of the rule, the cells (the
message, for a finding that names no cell) and the agency-year(s) concerned (the file's sha256 when the agency or year was not read). Findings
are stored again at every re-check and cross-report refresh, and a new version of a report has
new rows, but the same finding has the same key: its state is kept across re-ingests and carried
to the next version where the finding still applies. A finding never reviewed is 待核实."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from nianbao.store import agencies, audit, queries
from nianbao.store.db import describe, reading, writing
from nianbao.store.schema import StoreError, cross_reports, diagnostics, iso_time, reports, reviews

STATES = ("待核实", "已核实", "误报", "需整改", "已整改")
OPEN_STATES = ("待核实", "需整改")
UNREVIEWED = STATES[0]


def finding_key(rule: str, cells: Iterable[str], subjects: Iterable[str], message: str = "") -> str:
    """The key of a finding: its rule, its cells (its message when it names none: two heading
    findings of one report differ only there) and the agency-years (``agency_key|year``) it is about."""
    named = sorted(cells)
    text = json.dumps([rule, named or message, sorted(set(subjects))], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _subject(r: sa.Row) -> str:
    if r.agency_key is None or r.year is None:
        return f"sha256|{r.sha256}"
    return f"{r.agency_key}|{r.year}"


_WHO = (reports.c.id, reports.c.agency_key, reports.c.year, reports.c.sha256)


def _keyed(conn: Connection, rows: list[sa.Row]) -> list[tuple[sa.Row, str, list[int]]]:
    """Each diagnostic row with its key and the reports it is about."""
    own = {r.report_id for r in rows if r.report_id is not None}
    cross = [r.id for r in rows if r.report_id is None]
    links: dict[int, list[int]] = {}
    if cross:
        q = sa.select(cross_reports.c.diagnostic_id, cross_reports.c.report_id).where(
            cross_reports.c.diagnostic_id.in_(cross)
        )
        for did, rid in conn.execute(q):
            links.setdefault(did, []).append(rid)
    wanted = own | {rid for ids in links.values() for rid in ids}
    subjects = {r.id: _subject(r) for r in conn.execute(sa.select(*_WHO).where(reports.c.id.in_(wanted)))}
    out = []
    for r in rows:
        about = [r.report_id] if r.report_id is not None else sorted(links.get(r.id, []))
        out.append((r, finding_key(r.rule, r.cells, (subjects[i] for i in about if i in subjects), r.message), about))
    return out


def _latest(conn: Connection, keys: Iterable[str]) -> dict[str, dict]:
    """The state in force for each key that has one."""
    keys = list(set(keys))
    out: dict[str, dict] = {}
    for i in range(0, len(keys), 500):
        q = sa.select(reviews).where(reviews.c.key.in_(keys[i : i + 500])).order_by(reviews.c.id)
        for r in conn.execute(q):
            out[r.key] = _entry(r)
    return out


def _entry(r: sa.Row) -> dict:
    return {"state": r.state, "comment": r.comment, "who": r.who, "at": iso_time(r.at)}


def _finding(r: sa.Row, key: str, about: list[int], state: dict | None) -> dict:
    d = queries.diagnostic(r)
    none = {"state": UNREVIEWED, "comment": "", "who": "", "at": None}
    return {"id": r.id, **d, "cross": r.report_id is None, "reports": about, "key": key, **(state or none)}


def _rows_of(conn: Connection, report_ids: list[int]) -> list[sa.Row]:
    crossed = sa.select(cross_reports.c.diagnostic_id).where(cross_reports.c.report_id.in_(report_ids))
    q = (
        sa.select(diagnostics)
        .where(sa.or_(diagnostics.c.report_id.in_(report_ids), diagnostics.c.id.in_(crossed)))
        .order_by(diagnostics.c.report_id.is_(None), diagnostics.c.id)
    )
    return list(conn.execute(q))


def findings(engine: Engine, report_id: int) -> list[dict]:
    """Every finding of the report, its own then the cross-report ones, each with its ``id``
    (for :func:`set_state`), ``cross``, ``key`` and its ``state``, ``comment``, ``who``, ``at``."""
    with reading(engine) as conn:
        keyed = _keyed(conn, _rows_of(conn, [report_id]))
        states = _latest(conn, (k for _, k, _ in keyed))
        return [_finding(r, k, about, states.get(k)) for r, k, about in keyed]


def set_state(engine: Engine, diagnostic_id: int, state: str, comment: str = "", who: str = "") -> dict:
    """Give a finding a review state (kept with the earlier ones); returns the finding."""
    if state not in STATES:
        raise StoreError(f"核查状态应为 {' / '.join(STATES)} 之一，而不是“{state}”")
    with writing(engine) as conn:
        row = conn.execute(sa.select(diagnostics).where(diagnostics.c.id == diagnostic_id)).first()
        if row is None:
            raise StoreError(f"没有编号为 {diagnostic_id} 的问题（报告可能已重新核对，请刷新页面）")
        ((_, key, about),) = _keyed(conn, [row])
        entry = {"key": key, "rule": row.rule, "state": state, "comment": comment.strip(), "who": who, "at": _now()}
        rid = conn.execute(reviews.insert(), entry).inserted_primary_key[0]
        heads = conn.execute(sa.select(reports).where(reports.c.id.in_(about))).all()
        target = "；".join(describe(h) for h in heads) or row.rule
        detail = {"rule": row.rule, "cells": row.cells, "state": state, "comment": entry["comment"], "key": key}
        audit.record(conn, who, "review", target, detail)
        saved = conn.execute(sa.select(reviews).where(reviews.c.id == rid)).one()
        return _finding(row, key, about, _entry(saved))


def _now() -> datetime:
    return datetime.now(UTC)


def history(engine: Engine, diagnostic_id: int) -> list[dict]:
    """Every state the finding was given, oldest first."""
    with reading(engine) as conn:
        row = conn.execute(sa.select(diagnostics).where(diagnostics.c.id == diagnostic_id)).first()
        if row is None:
            raise StoreError(f"没有编号为 {diagnostic_id} 的问题")
        ((_, key, _),) = _keyed(conn, [row])
        return [_entry(r) for r in conn.execute(sa.select(reviews).where(reviews.c.key == key).order_by(reviews.c.id))]


def state_counts(bind: Engine | Connection, report_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """For each current report (or those of ``report_ids``), how many of its findings (own and
    cross-report) are in each state: report id → state → count (states with none left out).
    ``bind``: an engine, or a connection whose transaction it reads in."""
    if isinstance(bind, Engine):
        with reading(bind) as conn:
            return _state_counts(conn, report_ids)
    return _state_counts(bind, report_ids)


def _state_counts(conn: Connection, report_ids: list[int] | None) -> dict[int, dict[str, int]]:
    """One pass over the findings of the chosen reports (their own, then the cross-report ones
    linked to them); keys are computed only when some finding has been reviewed."""
    chosen = reports.c.is_current if report_ids is None else reports.c.id.in_(report_ids)
    out: dict[int, Counter[str]] = {
        rid: Counter() for rid in conn.execute(sa.select(reports.c.id).where(chosen)).scalars()
    }
    d = diagnostics.c
    own = (
        sa.select(d.id, d.report_id, d.rule, d.cells, d.message)
        .join(reports, reports.c.id == d.report_id)
        .where(chosen)
    )
    crossed = (
        sa.select(d.id, cross_reports.c.report_id, d.rule, d.cells, d.message)
        .join(cross_reports, cross_reports.c.diagnostic_id == d.id)
        .join(reports, reports.c.id == cross_reports.c.report_id)
        .where(chosen)
    )
    rows = [*conn.execute(own), *conn.execute(crossed)]
    if conn.execute(sa.select(reviews.c.id).limit(1)).first() is None:
        for r in rows:
            out[r.report_id][UNREVIEWED] += 1
        return {rid: dict(c) for rid, c in out.items()}
    subjects = {r.id: _subject(r) for r in conn.execute(sa.select(*_WHO))}
    links: dict[int, list[int]] = {}
    for did, rid in conn.execute(sa.select(cross_reports.c.diagnostic_id, cross_reports.c.report_id)):
        links.setdefault(did, []).append(rid)
    keys = {}
    for r in rows:
        if r.id not in keys:
            about = links.get(r.id, [r.report_id])
            keys[r.id] = finding_key(r.rule, r.cells, (subjects[i] for i in about if i in subjects), r.message)
    states = _latest(conn, keys.values())
    for r in rows:
        k = keys[r.id]
        out[r.report_id][states[k]["state"] if k in states else UNREVIEWED] += 1
    return {rid: dict(c) for rid, c in out.items()}


def selection(engine: Engine, review: str | None = None, **filters: object) -> list[sa.ColumnElement[bool]]:
    """The WHERE terms of the list's selection: :func:`nianbao.store.queries.conditions` of
    ``filters`` and, with ``review`` (a state, 待核实 …), only the reports with at least one
    finding in that state. Shared by the list, the downloads and the open-findings XLSX."""
    where = queries.conditions(**filters)  # type: ignore[arg-type]
    if review is None:
        return where
    if review not in STATES:
        raise ValueError(f"review 应为 {'/'.join(STATES)}，而不是 {review}")
    with reading(engine) as conn:
        chosen = list(conn.execute(sa.select(reports.c.id).where(*where)).scalars())
    counts = state_counts(engine, chosen)
    return [*where, reports.c.id.in_([i for i in chosen if counts[i].get(review)])]


def open_findings(engine: Engine, states: Iterable[str] = OPEN_STATES, **filters: object) -> list[dict]:
    """The findings in ``states`` (default: still open, 待核实 / 需整改) of the current reports
    selected by ``filters`` (those of :func:`selection`: agency, year, region, review …), by
    agency and year; each with its report's ``agency``, ``region``, ``year``,
    ``report_id`` and ``source_file``. A cross-report finding comes once, under its first report."""
    wanted = set(states)
    agencies.ensure(engine)  # the agency, region and search filters read the agency names
    q = (
        sa.select(reports.c.id, reports.c.agency, reports.c.region, reports.c.year, reports.c.source_file)
        .where(*selection(engine, **filters))  # type: ignore[arg-type]
        .order_by(reports.c.agency_key, reports.c.year, reports.c.id)
    )
    with reading(engine) as conn:
        heads = {r.id: r for r in conn.execute(q)}
        if not heads:
            return []
        keyed = _keyed(conn, _rows_of(conn, list(heads)))
        latest = _latest(conn, (k for _, k, _ in keyed))
    out, seen = [], set()
    order = {rid: i for i, rid in enumerate(heads)}
    for r, k, about in sorted(keyed, key=lambda t: min((order.get(i, 1 << 30) for i in t[2]), default=1 << 30)):
        f = _finding(r, k, about, latest.get(k))
        first = next((i for i in sorted(about, key=lambda i: order.get(i, 1 << 30)) if i in heads), None)
        if f["state"] not in wanted or r.id in seen or first is None:
            continue
        seen.add(r.id)
        h = heads[first]
        out.append(
            {
                **f,
                "report_id": h.id,
                "agency": h.agency,
                "region": h.region,
                "year": h.year,
                "source_file": h.source_file,
            }
        )
    return out
