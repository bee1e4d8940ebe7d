"""The review cycle in the store (SQLite and PostgreSQL): originals kept and re-checked after the
source folder is gone; versions pending, confirmed, discarded, withdrawn and restored, and their
diff; finding review states and cell corrections kept across reopening the database, re-ingests,
re-checks and carried to a new version; the audit log."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from nianbao.check import check_report
from nianbao.model import Reading, Report, Source
from nianbao.pipeline import process
from nianbao.pipeline.ingest import Batch, Outcome, Summary, ingest, refresh_cross
from nianbao.pipeline.review import recheck, recheck_all, rerun_checks
from nianbao.store import audit, corrections, originals, queries, review, versions
from nianbao.store.db import Store, connect
from nianbao.store.rows import prepare
from nianbao.store.schema import StoreError
from nianbao.store.schema import originals as originals_table
from nianbao.template import t4_paths
from tests.builders import balanced_report
from tests.store.store_helpers import second_version, write_synthetic

AGENCY = "北京市测试区某某局"


def _save(store: Store, report: Report, **kw: object) -> int:
    return store.save(report, check_report(report), **kw).report_id  # type: ignore[arg-type]


def _finding(engine: sa.Engine, rid: int, rule: str) -> dict:
    return next(f for f in review.findings(engine, rid) if f["rule"] == rule)


# ------------------------------------------------------------------ originals --


def test_originals_are_kept_and_rechecked_after_the_folder_is_gone(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "src"
    files = write_synthetic(folder, range(2))
    data = {f.name: f.read_bytes() for f in files}
    store = Store(connect(db_url))
    assert ingest([folder], store, workers=1, who="甲").loaded == 2
    heads = versions.heads(store.engine)
    for h in heads:
        assert originals.load(store.engine, h["sha256"]) == data[Path(h["source_file"]).name]
    shutil.rmtree(folder)
    done = recheck(store, heads[0]["id"], who="乙")
    assert done["before"] == done["after"] and done["read_as"]["year"] == 2023
    assert [r["report_id"] for r in recheck_all(store, who="乙")] == [h["id"] for h in heads]
    assert versions.heads(store.engine) == heads  # same ids, agencies, versions and counts
    actions = [(e["action"], e["who"]) for e in audit.entries(store.engine)]
    assert actions.count(("ingest", "甲")) == 2 and actions.count(("recheck", "乙")) == 3


def test_a_report_stored_without_its_original_gets_it_at_the_next_ingest(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "src"
    write_synthetic(folder, range(2))
    store = Store(connect(db_url))
    ingest([folder], store, workers=1)
    with store.engine.begin() as conn:
        conn.execute(originals_table.delete())
    rid = versions.heads(store.engine)[0]["id"]
    with pytest.raises(StoreError, match="原文件未保存"):
        recheck(store, rid)
    again = ingest([folder], store, workers=1)
    assert again.unchanged == 2 and again.loaded == 0
    assert len(originals.kept(store.engine)) == 2
    assert recheck(store, rid)["after"]


def test_an_original_over_the_size_limit_is_not_kept(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = connect(db_url)
    monkeypatch.setenv("NIANBAO_LIMITS", "file_mb=0.001")
    report = balanced_report(AGENCY, 2023)
    big = b"x" * 2000
    report = dataclasses.replace(
        report, source=dataclasses.replace(report.source, sha256=hashlib.sha256(big).hexdigest())
    )
    Store(engine).save(report, [], original=big)
    assert originals.kept(engine) == set()
    monkeypatch.delenv("NIANBAO_LIMITS")
    assert Store(engine).keep_original(big) and originals.load(engine, report.source.sha256) == big


# ------------------------------------------------------------------- versions --


def test_a_pending_version_shows_its_diff_then_is_confirmed_withdrawn_and_restored(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "src"
    write_synthetic(folder, range(1))
    store = Store(connect(db_url))
    ingest([folder], store, workers=1)
    (first,) = versions.heads(store.engine)
    path = second_version(tmp_path / "new")
    done = process(path)
    preview = versions.diff_with_current(store.engine, done.report, done.findings)
    assert preview is not None and preview["old"]["id"] == first["id"] and preview["cells"]
    saved = store.save_prepared(
        prepare(done.report, done.findings, done.source()), path.read_bytes(), "甲", pending=True
    )
    assert saved.status == "pending" and saved.version == 2
    assert [r["id"] for r in queries.list_reports(store.engine)[0]] == [first["id"]]  # not listed while pending
    stored = versions.diff(store.engine, first["id"], saved.report_id)
    assert stored["cells"] == preview["cells"] and stored["new"]["version"] == 2
    change = stored["cells"][0]
    assert change["label"].startswith("表") and change["old"] != change["new"]
    assert [v["status"] for v in versions.history(store.engine, first["id"])] == ["current", "pending"]

    versions.confirm(store.engine, saved.report_id, "甲")
    assert [v["status"] for v in versions.history(store.engine, first["id"])] == ["earlier", "current"]
    with pytest.raises(StoreError, match="原因"):
        versions.withdraw(store.engine, saved.report_id, " ", "乙")
    versions.withdraw(store.engine, saved.report_id, "报错了文件", "乙")
    refresh_cross(store)
    engine = connect(db_url)  # reopened: the withdrawal is kept
    history = versions.history(engine, first["id"])
    assert [v["status"] for v in history] == ["current", "withdrawn"]
    assert history[1]["reason"] == "报错了文件" and history[1]["who"] == "乙" and history[1]["original"]
    assert [r["id"] for r in queries.list_reports(engine)[0]] == [first["id"]]
    assert [w["id"] for w in versions.withdrawn(engine)] == [saved.report_id]
    again = ingest([path], Store(engine), workers=1)
    assert again.unchanged == 1 and versions.history(engine, first["id"])[1]["status"] == "withdrawn"
    with pytest.raises(StoreError, match="已撤回"):
        versions.withdraw(engine, saved.report_id, "再撤", "乙")
    versions.restore(engine, saved.report_id, "乙")
    assert [v["status"] for v in versions.history(engine, first["id"])] == ["earlier", "current"]

    third = store.save_prepared(prepare(*_read(second_version(tmp_path / "new", seed=7))), pending=True)
    versions.discard(engine, third.report_id, "甲")
    assert [v["version"] for v in versions.history(engine, first["id"])] == [1, 2]
    with pytest.raises(StoreError, match="不是待确认"):
        versions.discard(engine, saved.report_id)
    actions = [e["action"] for e in audit.entries(engine)]
    for action in ("pending", "confirm", "withdraw", "restore", "discard"):
        assert action in actions


def _read(path: Path) -> tuple:
    done = process(path)
    return done.report, done.findings, done.source()


def test_withdrawing_the_only_version_leaves_the_agency_year_out_of_lists(db_url: str) -> None:
    engine = connect(db_url)
    rid = _save(Store(engine), balanced_report(AGENCY, 2023))
    versions.withdraw(engine, rid, "非本单位报告", "甲")
    assert queries.list_reports(engine)[1] == 0
    versions.restore(engine, rid, "甲")
    assert queries.list_reports(engine)[1] == 1


# -------------------------------------------------------------- review states --


def test_review_states_are_kept_across_rechecks_and_reopening_and_carried_to_the_next_version(db_url: str) -> None:
    store = Store(connect(db_url))
    first = balanced_report(AGENCY, 2023, break_balance=True)
    rid = _save(store, first)
    balance = _finding(store.engine, rid, "T3-BALANCE")
    assert balance["state"] == "待核实" and not balance["cross"]
    with pytest.raises(StoreError, match="核查状态应为"):
        review.set_state(store.engine, balance["id"], "好的")
    got = review.set_state(store.engine, balance["id"], "需整改", "请核对结转数", "审核员甲")
    assert got["state"] == "需整改" and got["comment"] == "请核对结转数" and got["who"] == "审核员甲"
    assert store.save(first, check_report(first)).status == "unchanged"  # the same file again
    rerun_checks(store, rid)  # the findings are stored again, under new row ids
    store = Store(connect(db_url))  # reopened
    again = _finding(store.engine, rid, "T3-BALANCE")
    assert (again["state"], again["who"]) == ("需整改", "审核员甲")
    review.set_state(store.engine, again["id"], "已整改", "", "审核员乙")
    assert [h["state"] for h in review.history(store.engine, again["id"])] == ["需整改", "已整改"]

    second = balanced_report(AGENCY, 2023, seed=2, break_balance=True)
    rid2 = _save(store, second)
    carried = _finding(store.engine, rid2, "T3-BALANCE")
    assert carried["key"] == again["key"] and carried["state"] == "已整改"
    other = balanced_report(AGENCY, 2022, seed=3, break_balance=True)  # another year: not carried
    assert _finding(store.engine, _save(store, other), "T3-BALANCE")["state"] == "待核实"


def test_cross_report_findings_keep_their_state_and_count_in_the_lists(db_url: str) -> None:
    store = Store(connect(db_url))
    a = _save(store, balanced_report(AGENCY, 2022, seed=1))
    b = _save(store, balanced_report(AGENCY, 2023, seed=2))
    refresh_cross(store)
    cross = next(f for f in review.findings(store.engine, b) if f["cross"])
    assert sorted(cross["reports"]) == [a, b]
    review.set_state(store.engine, cross["id"], "误报", "两年口径不同", "审核员甲")
    refresh_cross(store)
    kept = next(f for f in review.findings(store.engine, a) if f["key"] == cross["key"])
    assert kept["state"] == "误报"
    counts = review.state_counts(store.engine)
    assert counts[a]["误报"] == counts[b]["误报"] == 1
    assert sorted(r["id"] for r in queries.list_reports(store.engine, review="误报")[0]) == [a, b]
    opened = review.open_findings(store.engine, agency=AGENCY)
    assert cross["key"] not in {f["key"] for f in opened}
    assert all(f["state"] in review.OPEN_STATES and f["agency"] == AGENCY for f in opened)
    assert review.open_findings(store.engine, region="北京市") == opened  # a region at any level
    assert review.open_findings(store.engine, region="上海市") == []
    assert {f["key"] for f in review.open_findings(store.engine, review.STATES)} >= {cross["key"]}


# ---------------------------------------------------------------- corrections --


def test_a_correction_is_used_by_the_checks_keeps_the_printed_value_and_carries(db_url: str) -> None:
    store = Store(connect(db_url))
    report = balanced_report(AGENCY, 2023, break_balance=True)
    rid = _save(store, report)
    assert queries.get_report(store.engine, rid)["report"]["n_errors"] > 0
    with pytest.raises(StoreError, match="原因"):
        corrections.correct(store.engine, rid, "table3.carried_forward.total", 1, "")
    fixed = {}
    for path in ("table3.carried_forward.natural_person", "table3.carried_forward.total"):
        printed = report.cells[path].value
        fixed[path] = printed - 5
        corrections.correct(store.engine, rid, path, printed - 5, "印刷错误，以台账为准", "审核员甲")
    found = rerun_checks(store, rid, "审核员甲")
    assert "T3-BALANCE" not in {d.rule for d in found}
    got = queries.get_report(store.engine, rid)
    assert got["report"]["n_errors"] == 0
    assert got["cells"]["table3.carried_forward.total"]["value"] == report.cells["table3.carried_forward.total"].value
    force = corrections.in_force(store.engine, rid)
    assert {p: c["value"] for p, c in force.items()} == fixed and force["table3.carried_forward.total"][
        "who"
    ] == "审核员甲"
    assert corrections.corrected_values(store.engine, [rid]) == {rid: fixed}

    same_print = dataclasses.replace(
        report, source=Source("v2.txt", "f" * 64, "txt")
    )  # a new version printing the same
    rid2 = _save(store, same_print)
    assert corrections.in_force(connect(db_url), rid2).keys() == fixed.keys()
    other_print = balanced_report(AGENCY, 2023, seed=5)  # prints other values: the correction does not apply
    assert corrections.in_force(store.engine, _save(store, other_print)) == {}

    corrections.undo(store.engine, rid, "table3.carried_forward.total", "改回", "审核员乙")
    assert "T3-BALANCE" in {d.rule for d in rerun_checks(store, rid)}
    with pytest.raises(StoreError, match="没有更正"):
        corrections.undo(store.engine, rid, "table3.carried_forward.total")
    assert [e["action"] for e in audit.entries(store.engine, action="correct")] == ["correct"] * 2


def test_choosing_a_reading_fills_the_blank_cells(db_url: str) -> None:
    engine = connect(db_url)
    report = balanced_report(AGENCY, 2023)
    paths = t4_paths()
    one = {p: report.cells[p].value for p in paths}
    two = {p: (v or 0) + 1 for p, v in one.items()}
    blank = {p: dataclasses.replace(report.cells[p], value=None, raw="") for p in paths}
    report = dataclasses.replace(
        report,
        cells={**report.cells, **blank},
        readings=[Reading("table4", "表四有两种读法", tuple(paths), (one, two))],
    )
    rid = Store(engine).save(report, []).report_id
    with pytest.raises(StoreError, match="只有 2 种读法"):
        corrections.choose_reading(engine, rid, "table4", 2)
    corrections.choose_reading(engine, rid, "table4", 1, "审核员甲")
    assert {p: c["value"] for p, c in corrections.in_force(engine, rid).items()} == two
    corrections.choose_reading(engine, rid, "table4", 0, "审核员甲")
    assert {p: c["value"] for p, c in corrections.in_force(engine, rid).items()} == {
        p: v for p, v in one.items() if v is not None
    }
    with pytest.raises(StoreError) as none:
        corrections.choose_reading(engine, rid, "table3", 0)
    assert str(none.value) == f"{AGENCY} 2023年度 第 1 版的表三没有可选的读法"
    with pytest.raises(StoreError, match="^没有这个表：table9$"):
        corrections.choose_reading(engine, rid, "table9", 0)
    with pytest.raises(StoreError, match="^没有这个单元格：table9.nothing$"):
        corrections.correct(engine, rid, "table9.nothing", 1, "试一下")


def test_a_reading_chosen_on_one_version_is_applied_when_the_next_is_saved(db_url: str) -> None:
    store = Store(connect(db_url))
    paths = t4_paths()
    report = balanced_report(AGENCY, 2023)
    one = {p: report.cells[p].value for p in paths}
    blank = {p: dataclasses.replace(report.cells[p], value=None, raw="") for p in paths}
    reading = Reading("table4", "表四有两种读法", tuple(paths), (one, {p: (v or 0) + 1 for p, v in one.items()}))
    report = dataclasses.replace(report, cells={**report.cells, **blank}, readings=[reading])
    assert "TABLE-AMBIGUOUS" in {d.rule for d in check_report(report)}
    first = _save(store, report)
    corrections.choose_reading(store.engine, first, "table4", 0, "审核员甲")
    again = dataclasses.replace(report, source=Source("v2.txt", "e" * 64, "txt"))  # prints the same, blanks too
    outcomes: list[Outcome] = []
    batch = Batch(store, Summary(), outcomes.append)
    batch.add(("v2.txt", prepare(again, check_report(again)), "", None))
    batch.flush()
    ((second, counts),) = [(o.report_id, dict(o.severities)) for o in outcomes]
    assert corrections.in_force(store.engine, second)  # carried by agency-year and printed value
    rules = {d["rule"] for d in queries.get_report(store.engine, second)["diagnostics"]}
    assert "TABLE-AMBIGUOUS" not in rules  # at once, not only after the checks are re-run
    assert counts.get("warning", 0) == queries.get_report(store.engine, second)["report"]["n_warnings"]


# ---------------------------------------------------------------------- audit --


def test_the_audit_log_is_filtered_and_exported(db_url: str) -> None:
    engine = connect(db_url)
    rid = _save(Store(engine), balanced_report(AGENCY, 2023), who="甲")
    versions.withdraw(engine, rid, "测试", "乙")
    now = datetime.now(UTC)
    log = audit.entries(connect(db_url))
    assert [(e["action"], e["who"]) for e in log] == [("withdraw", "乙"), ("ingest", "甲")]
    assert log[0]["action_name"] == "撤回" and AGENCY in log[0]["target"] and log[0]["detail"]["reason"] == "测试"
    assert audit.entries(engine, who="甲")[0]["action"] == "ingest"
    assert audit.entries(engine, since=now + timedelta(minutes=1)) == []
    assert len(audit.entries(engine, since=now - timedelta(minutes=5), until=now + timedelta(minutes=1))) == 2
    assert audit.entries(engine, limit=1) == log[:1]
    text = audit.to_csv(log)
    assert text.startswith("\ufeff编号,时间,操作人,操作,对象,详情") and "撤回" in text and "测试" in text


def test_findings_naming_no_cell_are_told_apart_by_their_message() -> None:
    one = review.finding_key("HEADING-NUMBERING", [], ["某局|2023"], "“2、”应为“二、”")
    two = review.finding_key("HEADING-NUMBERING", [], ["某局|2023"], "“（4）”应为“（四）”")
    assert one != two
    cells = ["table3.new_received.total"]
    assert review.finding_key("R", cells, ["某局|2023"], "一") == review.finding_key("R", cells, ["某局|2023"], "二")
