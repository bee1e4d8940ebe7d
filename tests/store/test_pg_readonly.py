"""A PostgreSQL role given SELECT only (a researcher on a national store) opens the store and
queries it without writing anything: right after an owner's ingest too (the writer brings the
agency names up to date; names that lag behind the reports are read as stored, with one warning);
indexes older than this version's are left as made with one warning, and a store whose tables
must be upgraded is refused in one Chinese line (exit 2)."""

from __future__ import annotations

import random
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from nianbao import cli
from nianbao.pipeline.ingest import ingest
from nianbao.store import agencies, dashboard, queries
from nianbao.store.db import Store, StoreError, connect
from nianbao.store.schema import SCHEMA_VERSION
from nianbao.synth import synth_cells, synth_report_text
from nianbao.web.app import create_app
from tests.builders import numbered_report
from tests.web.test_compose import _form

pytestmark = pytest.mark.postgres

OLD_ORDER = "CREATE INDEX ix_reports_list_order ON reports (year DESC NULLS LAST, agency, id)"


@pytest.fixture(autouse=True)
def _engines_disposed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every engine a test makes is disposed at its end: its own, the command line's (disposed at
    the interpreter's exit, not the test's), the web app's, and one whose ``connect`` was refused
    (made before the refusal): no psycopg connection is left for the garbage collector to find
    open (ResourceWarning)."""
    made: list[sa.Engine] = []
    create = sa.create_engine

    def tracked(*args: Any, **kwargs: Any) -> sa.Engine:
        made.append(engine := create(*args, **kwargs))
        return engine

    monkeypatch.setattr(sa, "create_engine", tracked)
    yield
    for engine in made:
        engine.dispose()


@pytest.fixture
def stores(pg_database: str) -> Iterator[tuple[str, str]]:
    """The URLs of one store as its owner and as a role with SELECT on its tables only; the owner
    has stored two reports as ingest does and read them once (``agency_names`` in step)."""
    owner = connect(pg_database)
    Store(owner).save(numbered_report(agency="北京市甲区人民政府", year=2023, seed=1), [])
    Store(owner).save(numbered_report(agency="北京市乙区人民政府", year=2023, seed=2), [])
    Store(owner).analyze()  # as ingest does after storing
    dashboard.dashboard(owner)
    owner.dispose()
    server, database = pg_database.rsplit("/", 1)
    role = f"ro_{database}"
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    yield pg_database, f"{server.replace('//nianbao@', f'//{role}@')}/{database}"
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute(f"DROP OWNED BY {role}")
        conn.execute(f"DROP ROLE {role}")


def _indexes(url: str) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        return dict(conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'").fetchall())


def _opened(url: str) -> tuple[sa.Engine, list[str]]:
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        engine = connect(url, create=False)
    return engine, _told(said)


def _told(said: list[warnings.WarningMessage]) -> list[str]:
    """The warnings a user is told (not a ResourceWarning for a connection another test left open,
    collected meanwhile)."""
    return [str(w.message) for w in said if issubclass(w.category, UserWarning)]


def _queried(engine: sa.Engine) -> None:
    assert dashboard.dashboard(engine)["count"] == 2
    assert queries.list_reports(engine, region="北京市", cap=10)[1] == 2
    assert queries.list_reports(engine, q="甲区", cap=10)[1] == 1


def test_a_select_only_user_reads_an_up_to_date_store_without_a_word(stores: tuple[str, str]) -> None:
    _, reader = stores
    engine, said = _opened(reader)
    assert said == []
    _queried(engine)
    engine.dispose()


def test_old_indexes_are_left_as_made_for_a_select_only_user_with_one_warning(stores: tuple[str, str]) -> None:
    owner, reader = stores
    current = _indexes(owner)
    with psycopg.connect(owner, autocommit=True) as conn:  # as a store made before ce2ecdd and 35b37cf
        conn.execute("DROP INDEX ix_reports_list_order")
        conn.execute(OLD_ORDER)
        conn.execute("DROP INDEX ix_agency_names_canonical_key_trgm")
    old = _indexes(owner)
    engine, said = _opened(reader)
    assert len(said) == 1
    names = "ix_reports_list_order、ix_agency_names_canonical_key_trgm"
    assert said[0].startswith(f"数据库的索引与本版 nianbao 的不同（{names}），当前用户无权更新：查询照常进行")
    assert "数据库所有者用本版 nianbao 打开一次" in said[0]
    _queried(engine)
    engine.dispose()
    assert _indexes(owner) == old
    connect(owner).dispose()  # the owner opens it: the indexes are remade, and the reader is told nothing
    assert _indexes(owner) == current
    engine, said = _opened(reader)
    assert said == []
    engine.dispose()


def test_a_store_to_upgrade_is_refused_to_a_select_only_user_in_one_line(
    stores: tuple[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    owner, reader = stores
    with psycopg.connect(owner, autocommit=True) as conn:  # as a store one version older
        conn.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(SCHEMA_VERSION - 1),))
    with pytest.raises(StoreError, match="须升级.*当前用户无权修改它：请数据库所有者先用本版 nianbao 打开一次"):
        connect(reader, create=False)
    monkeypatch.setattr(sys, "argv", ["nianbao", "matrix", "-c", "granted_rate", "--db", reader])
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert (
        err.startswith(f"nianbao: 数据库: 此数据库须升级（结构版本为 {SCHEMA_VERSION - 1}，本程序为 {SCHEMA_VERSION}）")
        and err.count("\n") == 1
    )
    assert "Traceback" not in err


def test_the_old_indexes_warning_is_one_line_on_the_command_line(
    stores: tuple[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    owner, reader = stores
    with psycopg.connect(owner, autocommit=True) as conn:
        conn.execute("DROP INDEX ix_reports_list_order")
        conn.execute(OLD_ORDER)
    monkeypatch.setattr(sys, "argv", ["nianbao", "matrix", "-c", "granted_rate", "--db", reader])
    with warnings.catch_warnings():  # python -W error: shown all the same, not raised
        warnings.simplefilter("error")
        with pytest.raises(SystemExit) as ended:
            cli.main()
    assert ended.value.code == 0
    out, err = capsys.readouterr()
    assert "北京市甲区人民政府" in out
    assert (
        err.startswith("nianbao: 警告: 数据库的索引与本版 nianbao 的不同（ix_reports_list_order）")
        and err.count("\n") == 1
    )


def _pages(reader: str, count: int) -> dict[str, object]:
    """What the web app over ``reader`` answers: every page 200, the dashboard, list and search
    over ``count`` reports; the agencies it lists."""
    app = create_app(reader, hosts=["testserver"])
    with TestClient(app) as client:
        for path in ("/dashboard", "/reports", "/reports?q=丙区", "/agencies", "/agencies?q=北京"):
            assert client.get(path).status_code == 200, path
        assert client.get("/api/dashboard").json()["count"] == count
        assert client.get("/api/reports").json()["total"] == count
        found = client.get("/api/reports", params={"q": "丙区"}).json()
        listed = client.get("/api/agencies").json()
        in_region = client.get("/api/dashboard", params={"region": "北京市"}).json()["count"]
    app.state.engine.dispose()
    return {
        "found": found["total"],
        "in_region": in_region,
        "agencies": sorted(a["canonical"] for a in listed["agencies"]),
    }


@pytest.mark.parametrize("cross", [True, False], ids=["cross", "no-cross"])
def test_a_select_only_user_reads_every_page_right_after_an_owners_ingest(
    stores: tuple[str, str], tmp_path: Path, cross: bool
) -> None:
    owner, reader = stores
    rng = random.Random(3)
    text = synth_report_text(synth_cells(rng, "2021"), "2021", "tab", "北京市丙区人民政府", 2023, rng)
    (tmp_path / "丙区.txt").write_text(text, encoding="utf-8")
    engine = connect(owner)
    assert ingest([tmp_path], Store(engine), workers=1, cross=cross).loaded == 1
    engine.dispose()
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        seen = _pages(reader, 3)
    assert _told(said) == []
    assert seen == {
        "found": 1,
        "in_region": 3,
        "agencies": ["北京市丙区人民政府", "北京市乙区人民政府", "北京市甲区人民政府"],
    }


def test_a_select_only_user_reads_a_report_just_stored_from_the_compose_page(stores: tuple[str, str]) -> None:
    owner, reader = stores
    form = _form() | {"agency": "北京市丙区人民政府"}
    with TestClient(create_app(owner, hosts=["testserver"])) as client:
        assert client.post("/compose/store", data=form, follow_redirects=False).status_code == 303
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        assert "北京市丙区人民政府" in _pages(reader, 3)["agencies"]
    assert _told(said) == []


@pytest.mark.parametrize("watched", [True, False], ids=["trigger", "no-trigger"])
def test_names_behind_the_reports_are_read_as_stored_with_one_warning(stores: tuple[str, str], watched: bool) -> None:
    """A report stored without the names brought up to date (an ingest interrupted, an older
    nianbao): the SELECT-only user reads on, told once; the owner's next read brings them up to
    date. A store made before the trigger that marks them stale is looked at in full."""
    owner, reader = stores
    if not watched:
        with psycopg.connect(owner, autocommit=True) as conn:
            conn.execute(f"DROP TRIGGER {agencies.STALE} ON reports")
        with warnings.catch_warnings(record=True) as said:  # in step: nothing to say
            warnings.simplefilter("always")
            _pages(reader, 2)
        assert _told(said) == []
    engine = connect(owner)
    Store(engine).save(numbered_report(agency="北京市丙区人民政府", year=2023, seed=3), [])
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("default")  # as the command line and the server: said once
        seen = _pages(reader, 3)
    assert _told(said) == [agencies.BEHIND]
    assert seen == {"found": 1, "in_region": 2, "agencies": ["北京市乙区人民政府", "北京市甲区人民政府"]}
    with warnings.catch_warnings():  # python -W error: the pages read on, the line shown
        warnings.simplefilter("error")
        assert _pages(reader, 3)["found"] == 1
    agencies.listing(engine)  # the owner reads the store once
    engine.dispose()
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        assert len(_pages(reader, 3)["agencies"]) == 3
    assert _told(said) == []
