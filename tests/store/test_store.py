"""Saving reports: round trip, no-op on the same file, versions, cross-report findings (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from nianbao.model import Diagnostic, Location, Uncertain
from nianbao.render.json import report_json
from nianbao.store import queries
from nianbao.store.db import Store, connect, normalise_url
from nianbao.store.schema import cells, documents, reports
from tests.builders import numbered_report
from tests.store.store_helpers import findings, with_original


def test_round_trip_gives_back_the_report_as_read(db_url: str) -> None:
    store = Store(connect(db_url))
    lines = ["一、总体情况", "", "二、主动公开政府信息情况"]
    report, data = with_original(numbered_report(ed="2021"), lines)
    report.notes.append("表三的“部分公开”行没有注释")
    report.uncertain.append(Uncertain("table3", "表三的位置无法确定", Location(line=88)))
    old = numbered_report(agency="某县人民政府", year=2020, ed="2019")
    first = store.save(report, findings(report), {"lines": lines}, original=data)
    assert first.status == "loaded"
    second = store.save(old, [])
    assert second.status == "loaded"
    assert store.load_reports() == [report, old]  # every cell with its provenance, sections, narrative, notes, …
    assert store.load_report(first.report_id) == report and store.load_report(second.report_id) == old
    assert store.load_report(9999) is None
    assert store.load_source(first.report_id) == {"lines": lines}  # split again from the kept original
    assert store.load_source(second.report_id) is None  # none given


def test_the_stored_json_is_the_parse_json_with_its_detail(db_url: str) -> None:
    engine = connect(db_url)
    report = numbered_report()
    rid = Store(engine).save(report, []).report_id
    assert queries.get_report(engine, rid)["document"] == json.loads(
        json.dumps(report_json(report), ensure_ascii=False)
    )
    with engine.connect() as conn:
        stored = conn.execute(sa.select(documents.c.document).where(documents.c.report_id == rid)).scalar_one()
    assert stored["detail"] == json.loads(json.dumps(report_json(report, full=True)["detail"]))


def test_blank_stays_null(db_url: str) -> None:
    engine = connect(db_url)
    report = numbered_report()
    blank = [p for p, v in report.cells.items() if v.value is None]
    assert blank
    rid = Store(engine).save(report, []).report_id
    got = queries.get_report(engine, rid)
    assert all(got["cells"][p]["value"] is None for p in blank)


def test_same_file_twice_is_a_no_op(db_url: str) -> None:
    engine = connect(db_url)
    store = Store(engine)
    report = numbered_report()
    first = store.save(report, findings(report))
    again = store.save(report, findings(report))
    assert (again.status, again.report_id) == ("unchanged", first.report_id)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar() == 1
        assert conn.execute(sa.select(sa.func.count()).select_from(cells)).scalar() == len(report.cells)


def test_changed_file_becomes_a_new_version_and_keeps_the_old(db_url: str) -> None:
    engine = connect(db_url)
    store = Store(engine)
    v1, v2 = numbered_report(seed=1), numbered_report(seed=2)
    # the same agency written with full-width spaces still matches
    v2.agency = v1.agency[:2] + "\u3000" + v1.agency[2:]
    a = store.save(v1, findings(v1))
    b = store.save(v2, [])
    assert (a.status, a.version, b.status, b.version) == ("loaded", 1, "new_version", 2)
    rows, total = queries.list_reports(engine)
    assert total == 1 and rows[0]["id"] == b.report_id
    got = queries.get_report(engine, a.report_id)
    assert [(v["version"], v["is_current"]) for v in got["versions"]] == [(1, False), (2, True)]
    assert len(got["diagnostics"]) == 2
    assert store.load_reports([a.report_id])[0].cells == v1.cells


def test_cross_findings_are_replaced_and_linked(db_url: str) -> None:
    engine = connect(db_url)
    store = Store(engine)
    r23, r24 = numbered_report(year=2023, seed=3), numbered_report(year=2024, seed=4)
    id23 = store.save(r23, []).report_id
    id24 = store.save(r24, []).report_id
    carry = Diagnostic(
        "CARRYOVER",
        "warning",
        "2024年“二、上年结转”与2023年“四、结转下年度继续办理”不一致",
        ("table3.carried_forward.total", "table3.carried_over.total"),
        files=(r23.source.file, r24.source.file),
    )
    assert store.save_cross([carry, carry]) == 2
    assert store.save_cross([carry]) == 1
    assert [d["rule"] for d in queries.get_report(engine, id24)["cross"]] == ["CARRYOVER"]
    assert queries.cross_findings(engine)[0]["report_ids"] == sorted([id23, id24])


def test_postgres_urls_use_psycopg() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_a_plain_path_is_a_sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert normalise_url("x.db") == "sqlite:///x.db"
    assert normalise_url("/data/nianbao.db") == "sqlite:////data/nianbao.db"
    assert normalise_url("not a url") == "sqlite:///not a url"  # a file name with spaces
    assert normalise_url("C:\\data\\x.db") == "sqlite:///C:\\data\\x.db"  # a drive, not a scheme
    assert normalise_url("postgresql:/x") == "postgresql:/x"  # a URL mistyped: 数据库地址无法识别
    monkeypatch.chdir(tmp_path)
    connect("here.db").dispose()  # --db here.db: the file beside the user, not 数据库地址无法识别
    assert (tmp_path / "here.db").is_file()
