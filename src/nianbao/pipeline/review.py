"""Checks run again on stored reports: after a reviewer corrected a cell or chose a reading
(:func:`rerun_checks`), and with a newer nianbao on the kept original file (:func:`recheck`).

A re-check reads the kept bytes again and puts the new reading in place of the stored one: the
report keeps its id, agency, year, version, review states and corrections (those are keyed on
the finding and the cell, not on rows), so nothing a reviewer did is lost; the audit log says
what the counts were before and after."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from nianbao.model import Diagnostic, ReportError
from nianbao.pipeline import process
from nianbao.pipeline.ingest import checked_again, refresh_cross
from nianbao.store import audit, corrections, originals, versions
from nianbao.store.db import Store, describe, writing
from nianbao.store.rows import prepare
from nianbao.store.schema import StoreError


def rerun_checks(store: Store, report_id: int, who: str = "", cross: bool = True) -> list[Diagnostic]:
    """Check the stored report again with the corrections in force; its findings, counts and
    totals are replaced, and (``cross``) the cross-report findings refreshed."""
    found = checked_again(store, report_id)
    if cross:
        refresh_cross(store)
    return found


def recheck(store: Store, report_id: int, who: str = "", cross: bool = True) -> dict:
    """Read and check the report's kept original again (with this nianbao) and store the result
    in place of the old one; returns the finding counts ``before`` and ``after``."""
    found_heads = versions.heads(store.engine, [report_id])
    if not found_heads:
        raise StoreError(f"没有编号为 {report_id} 的报告")
    meta = found_heads[0]
    data = originals.load(store.engine, meta["sha256"])
    if data is None:
        raise StoreError(f"{describe(meta)} 的原文件未保存（入库时超过大小上限，或在保存原文件之前入库），无法重新核对")
    try:
        done = process(data, meta["source_file"])
    except ReportError as e:
        raise StoreError(f"{describe(meta)} 的原文件无法重新读取：{e}") from e
    store.replace_prepared(report_id, prepare(done.report, done.findings, done.source()))
    found = (
        rerun_checks(store, report_id, who, cross=False)
        if corrections.in_force(store.engine, report_id)
        else done.findings
    )
    before = {k: meta[f"n_{k}s"] for k in ("error", "warning", "info")}
    after = {k: Counter(d.severity for d in found)[k] for k in ("error", "warning", "info")}
    read_as = {"agency": done.report.agency, "year": done.report.year}
    with writing(store.engine) as conn:
        detail = {"report_id": report_id, "before": before, "after": after, "read_as": read_as}
        audit.record(conn, who, "recheck", describe(meta), detail)
    if cross:
        refresh_cross(store)
    return {"report_id": report_id, "report": describe(meta), "before": before, "after": after, "read_as": read_as}


def recheck_all(store: Store, who: str = "", on_report: Callable[[dict], None] | None = None) -> list[dict]:
    """:func:`recheck` every stored report whose original is kept (any version or state), then
    refresh the cross-report findings once; a report that cannot be read again is named with
    the reason (``error``) and the others go on."""
    rows = versions.heads(store.engine)
    kept = originals.kept(store.engine, [r["sha256"] for r in rows])
    done = []
    for r in rows:
        if r["sha256"] not in kept:
            continue
        try:
            result = recheck(store, r["id"], who, cross=False)
        except Exception as e:  # one file must not stop the others; say which and why, in one line
            result = {"report_id": r["id"], "report": describe(r), "error": " ".join(str(e).split())[:200]}
        done.append(result)
        if on_report is not None:
            on_report(result)
    refresh_cross(store)
    return done
