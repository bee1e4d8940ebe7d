"""A reviewer's corrections of cells, and the choice of one reading of an ambiguous table.

The printed value and its source stay in ``cells``; a correction says which value to use
instead, by whom, when and why, and every change is kept (undoing one is a change too). A
correction is made on one report and is in force for every report of the same agency-year
(the same file when the agency or year was not read) whose printed value in that cell is the
one corrected: after a re-check of the same file, and in a later version that prints the same
value again — not in one that prints another value. The checks and exports use the corrected
values (:func:`apply`, :func:`corrected_values`); :func:`nianbao.pipeline.review.rerun_checks`
re-runs the checks after a change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from nianbao.model import Report
from nianbao.render.json import report_from_json
from nianbao.store import audit
from nianbao.store.db import describe, reading, report_head, writing
from nianbao.store.queries import number
from nianbao.store.schema import StoreError, corrections, documents, iso_time, named_cells, reports
from nianbao.template import path_label
from nianbao.template.names import number as shown

_HEAD = (reports.c.id, reports.c.agency, reports.c.agency_key, reports.c.year, reports.c.version, reports.c.sha256)


def correct(engine: Engine, report_id: int, path: str, value: float | None, reason: str, who: str = "") -> dict:
    """Use ``value`` (None: blank) instead of the printed value of the report's cell ``path``;
    a reason is required. Returns the correction as :func:`in_force` gives it."""
    if not reason.strip():
        raise StoreError("更正须写明原因")
    with writing(engine) as conn:
        head = _head(conn, report_id)
        printed = _printed(conn, report_id, [path])[path]
        entry = _write(conn, head, path, printed, value, True, reason.strip(), who)
        detail = {
            "report_id": report_id,
            "path": path,
            "printed": number(printed),
            "value": number(value),
            "reason": reason,
        }
        audit.record(conn, who, "correct", f"{describe(head)} {path_label(path)}", detail)
        return entry


def undo(engine: Engine, report_id: int, path: str, reason: str = "", who: str = "") -> None:
    """Stop correcting the cell: the printed value is used again."""
    with writing(engine) as conn:
        head = _head(conn, report_id)
        if path not in _in_force(conn, head):
            raise StoreError(f"{describe(head)}的{path_label(path)}没有更正，无需撤销")
        printed = _printed(conn, report_id, [path])[path]
        _write(conn, head, path, printed, None, False, reason.strip(), who)
        audit.record(conn, who, "undo", f"{describe(head)} {path_label(path)}", {"report_id": report_id, "path": path})


def choose_reading(engine: Engine, report_id: int, table: str, index: int, who: str = "") -> None:
    """Use reading ``index`` (from 0) of the report's ambiguous ``table`` (``Report.readings``):
    its values become corrections of the cells the reader left blank."""
    with writing(engine) as conn:
        head = _head(conn, report_id)
        doc = conn.execute(sa.select(documents.c.document).where(documents.c.report_id == report_id)).scalar()
        options = [r for r in report_from_json(doc).readings if r.table == table and r.readings]
        if path_label(table) == table:
            raise StoreError(f"没有这个表：{table}")
        if not options:
            raise StoreError(f"{describe(head)}的{path_label(table)}没有可选的读法")
        if not 0 <= index < len(options[0].readings):
            raise StoreError(f"{path_label(table)}只有 {len(options[0].readings)} 种读法，没有第 {index + 1} 种")
        chosen = options[0].readings[index]
        printed = _printed(conn, report_id, list(chosen))
        now = _in_force(conn, head)
        reason = f"选用第 {index + 1} 种读法：{options[0].message}"
        for path, value in chosen.items():
            if value != number(printed[path]):
                _write(conn, head, path, printed[path], value, True, reason, who)
            elif path in now:
                _write(conn, head, path, printed[path], None, False, reason, who)
        audit.record(
            conn, who, "reading", f"{describe(head)} {path_label(table)}", {"report_id": report_id, "index": index}
        )


def in_force(engine: Engine, report_id: int) -> dict[str, dict]:
    """The corrections in force for the report: path → {printed, value, reason, who, at, label}."""
    with reading(engine) as conn:
        return _in_force(conn, _head(conn, report_id))


def corrected_values(bind: Engine | Connection, report_ids: list[int]) -> dict[int, dict[str, int | float | None]]:
    """For exports and aggregates: report id → path → corrected value, for the reports of
    ``report_ids`` that have corrections in force and their corrected cells only (overlay them on
    the printed values). ``bind``: an engine, or a connection to read in (an export's transaction)."""
    if isinstance(bind, Engine):
        with reading(bind) as conn:
            return corrected_values(conn, report_ids)
    out = {}
    for h in _touched(bind, reports.c.id.in_(report_ids)):
        if force := _in_force(bind, h):
            out[h.id] = {p: c["value"] for p, c in force.items()}
    return out


def _touched(conn: Connection, *where: sa.ColumnElement[bool]) -> list[sa.Row]:
    """The heads of the reports (of ``where``) that a correction was made for: on their file, or
    on their agency-year. None at all in the usual case, nothing corrected, without reading reports."""
    scopes = conn.execute(
        sa.select(corrections.c.agency_key, corrections.c.year, corrections.c.sha256).distinct()
    ).all()
    if not scopes:
        return []
    years = {(r.agency_key, r.year) for r in scopes}
    shas = {r.sha256 for r in scopes}
    heads = conn.execute(sa.select(*_HEAD).where(*where))
    return [h for h in heads if h.sha256 in shas or (h.agency_key, h.year) in years]


def corrected(engine: Engine, loaded: list[Report]) -> list[Report]:
    """Stored reports (:func:`nianbao.store.lean.load_for_cross`) with the corrections in force
    applied (:func:`apply`): what the cross-report rules check."""
    with reading(engine) as conn:
        heads = {h.sha256: h for h in _touched(conn)}
        if not heads:
            return loaded
        return [apply(r, _in_force(conn, heads[r.source.sha256])) if r.source.sha256 in heads else r for r in loaded]


def apply(report: Report, force: dict[str, dict]) -> Report:
    """A copy of ``report`` whose cells carry the corrected values, as the checks should see them:
    a reviewer's value is certain (no reader's note or doubt; its raw text is the value) and
    keeps the printed cell's location. The marks (printed value, who, why) are :func:`in_force`'s."""
    if not force:
        return report
    out = dict(report.cells)
    for path, c in force.items():
        if path in out:
            out[path] = replace(out[path], value=c["value"], raw=shown(c["value"]), note=None, confidence=None)
    return replace(report, cells=out)


def _head(conn: Connection, report_id: int) -> sa.Row:
    return report_head(conn, report_id, _HEAD)


def _printed(conn: Connection, report_id: int, paths: list[str]) -> dict[str, float | None]:
    c = named_cells.c
    q = sa.select(c.path, c.value).where(c.report_id == report_id, c.path.in_(paths))
    got = {p: v for p, v in conn.execute(q)}
    missing = [p for p in paths if p not in got]
    if missing:
        raise StoreError(_no_cell(report_id, missing[0]))
    return got


def _scope(head: sa.Row) -> sa.ColumnElement[bool]:
    if head.agency_key is None or head.year is None:
        return corrections.c.sha256 == head.sha256
    return (corrections.c.agency_key == head.agency_key) & (corrections.c.year == head.year)


def _in_force(conn: Connection, head: sa.Row) -> dict[str, dict]:
    rows = conn.execute(sa.select(corrections).where(_scope(head)).order_by(corrections.c.id)).all()
    if not rows:
        return {}
    c = named_cells.c
    q = sa.select(c.path, c.value).where(c.report_id == head.id, c.path.in_({r.path for r in rows}))
    printed = {p: v for p, v in conn.execute(q)}
    latest = {r.path: r for r in rows if r.path in printed and r.printed == printed[r.path]}
    return {p: _entry(r) for p, r in latest.items() if r.active}


def _entry(r: sa.Row) -> dict:
    return {
        "path": r.path,
        "label": path_label(r.path),
        "printed": number(r.printed),
        "value": number(r.value),
        "reason": r.reason,
        "who": r.who,
        "at": iso_time(r.at),
    }


def _write(
    conn: Connection,
    head: sa.Row,
    path: str,
    printed: float | None,
    value: float | None,
    active: bool,
    reason: str,
    who: str,
) -> dict:
    row = {
        "agency_key": head.agency_key,
        "year": head.year,
        "sha256": head.sha256,
        "path": path,
        "printed": printed,
        "value": None if value is None else float(value),
        "active": active,
        "reason": reason,
        "who": who,
        "at": datetime.now(UTC),
    }
    rid = conn.execute(corrections.insert(), row).inserted_primary_key[0]
    return _entry(conn.execute(sa.select(corrections).where(corrections.c.id == rid)).one())


def _no_cell(report_id: int, path: str) -> str:
    """A cell the report lacks, by its template label when it has one."""
    label = path_label(path)
    return f"没有这个单元格：{path}" if label == path else f"报告 {report_id} 没有这个单元格：{label}（{path}）"
