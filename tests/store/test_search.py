"""Search by a part of a name through the database's own index (store/search.py): SQLite FTS5
with trigrams, PostgreSQL pg_trgm; the same reports as a plain LIKE, kept as reports change."""

from __future__ import annotations

import warnings

import pytest
import sqlalchemy as sa

from nianbao.store import agencies as identity
from nianbao.store import queries, search
from nianbao.store.db import Store, connect
from nianbao.store.schema import reports
from tests.builders import numbered_report


def _found(engine: sa.Engine, text: str) -> list[int]:
    with engine.connect() as conn:
        return sorted(conn.execute(sa.select(reports.c.id).where(search.Contains(text))).scalars())


def _plain(engine: sa.Engine, text: str) -> list[int]:
    with engine.connect() as conn:
        return sorted(conn.execute(sa.select(reports.c.id).where(search._likes(text))).scalars())


def test_search_finds_a_part_of_a_name_through_the_index(db_url: str) -> None:
    engine = connect(db_url)
    store = Store(engine)
    names = ("江苏省某市市场监督管理局", "江苏省某市审计局", "浙江省另市市场监督管理局", 'A"B_%\\局')
    ids = {n: store.save(numbered_report(agency=n, seed=i), []).report_id for i, n in enumerate(names)}
    for text in ("市场监督", "某市", "审计局", "江苏省某市审", "监督管理局", 'A"B_%', "局", "无此机关", "_%"):
        assert _found(engine, text) == _plain(engine, text), text
    assert _found(engine, "市场监督") == sorted((ids[names[0]], ids[names[2]]))
    rows, total = queries.list_reports(engine, q="某市审计")
    assert total == 1 and rows[0]["agency"] == names[1]
    for text in ('"', " ", '""'):  # folds to no agency key: the names as printed only, not every report
        assert [r["id"] for r in queries.list_reports(engine, q=text)[0]] == _plain(engine, text), text
    with engine.begin() as conn:  # the index follows every write
        conn.execute(reports.update().where(reports.c.id == ids[names[1]]).values(agency="江苏省某市统计局"))
        conn.execute(reports.delete().where(reports.c.id == ids[names[0]]))
    assert _found(engine, "某市统计") == [ids[names[1]]] and _found(engine, "市场监督") == [ids[names[2]]]
    for text in ("审计局", "统计局", "江苏省"):
        assert _found(engine, text) == _plain(engine, text), text
    with engine.connect() as conn:  # and the query is answered by it
        query = sa.select(reports.c.id).where(search.Contains("市场监督"))
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")  # nor a whole covering index (the list's) instead
            conn.exec_driver_sql("SET enable_indexonlyscan = off")
            plan = "\n".join(
                conn.execute(
                    sa.text("EXPLAIN " + str(query.compile(conn, compile_kwargs={"literal_binds": True})))
                ).scalars()
            )
            assert "ix_reports_agency_trgm" in plan
        else:
            assert "report_search MATCH" in str(query.compile(conn))


def test_a_postgresql_database_without_a_utf8_ctype_is_warned_about(pg_server: str) -> None:
    import psycopg

    with psycopg.connect(pg_server + "/postgres", autocommit=True) as conn:
        conn.execute("CREATE DATABASE ctype_c LC_CTYPE 'C' TEMPLATE template0")
        conn.execute("CREATE DATABASE ctype_utf8 LC_CTYPE 'C.UTF-8' TEMPLATE template0")
    with pytest.warns(UserWarning, match="LC_CTYPE 为 C：pg_trgm 不为汉字建三字索引") as said:
        connect(pg_server + "/ctype_c")
    assert "CREATE DATABASE ctype_c LC_CTYPE 'C.UTF-8' TEMPLATE template0" in str(said.pop(UserWarning).message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        connect(pg_server + "/ctype_utf8")


@pytest.mark.parametrize("most", [search.KEYS_AT_MOST, 0])
def test_a_search_page_and_capped_count_are_those_of_the_whole_selection(
    db_url: str, most: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the page and the capped count are taken from the search's two arms (the text,
    the agency keys) separately and merged: the same reports, order and totals as the selection
    read whole, with the other filters applied to both arms; so too for a term more agencies
    match than ``KEYS_AT_MOST`` (0 here: every term that matches an agency), tested report by
    report on either database."""
    monkeypatch.setattr(search, "KEYS_AT_MOST", most)
    engine = connect(db_url)
    store = Store(engine)
    names = ("江苏省某市市场监督管理局", "江苏省某市审计局", "浙江省另市市场监督管理局", "浙江省另市审计局")
    for i, (name, year) in enumerate((n, y) for n in names for y in (2022, 2023, 2024)):
        store.save(numbered_report(agency=name, year=year, seed=i), [])
    for q, year in (("市场监督", None), ("市场监督", 2023), ("某市", 2024), ("审计局", None), ("无此机关", None)):
        whole, total = queries.list_reports(engine, q=q, year=year, limit=100, sort="year")
        by_name, _ = queries.list_reports(engine, q=q, year=year, limit=100, sort="agency")
        assert sorted(r["id"] for r in whole) == sorted(r["id"] for r in by_name) and total == len(whole), (q, year)
        assert all(q in r["agency"] and year in (None, r["year"]) for r in whole), (q, year)
        pages = [queries.list_reports(engine, q=q, year=year, limit=2, offset=o, cap=3)[0] for o in range(0, 8, 2)]
        assert [r["id"] for p in pages for r in p] == [r["id"] for r in whole], (q, year)
        capped = queries.list_reports(engine, q=q, year=year, cap=3)[1]
        assert capped == min(total, 4), (q, year)


def test_a_search_finds_the_same_with_its_agency_keys_fetched_first_or_not(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a search fetches its agency keys first when few agencies match, and keeps
    them a subquery when more than ``KEYS_AT_MOST`` do: the same page, order and totals either
    way (a name matched by the agency names alone, through its canonical name, included)."""
    engine = connect(db_url)
    store = Store(engine)
    names = ("江苏省某市市场监督管理局", "江苏省某市审计局", "浙江省另市市场监督管理局", "浙江省另市审计局")
    for i, (name, year) in enumerate((n, y) for n in names for y in (2022, 2023)):
        store.save(numbered_report(agency=name, year=year, seed=i), [])
    asked = [("市场监督", None), ("审计局", 2023), ("江苏省", None), ("无此机关", None)]
    found = {}
    for most in (1_000, 1):
        monkeypatch.setattr(search, "KEYS_AT_MOST", most)
        found[most] = [
            (queries.list_reports(engine, q=q, year=year, limit=3, sort=sort, cap=2), q, sort)
            for q, year in asked
            for sort in ("year", "agency")
        ]
    assert found[1] == found[1_000]
    assert [len(rows) for (rows, _), q, sort in found[1] if sort == "year"] == [3, 2, 3, 0]
    where = queries.conditions(q="市场监督")
    with engine.connect() as conn:
        monkeypatch.setattr(search, "KEYS_AT_MOST", 0)
        common = search.fetched(conn, where)  # two agencies (4 reports) match, more than none: tested report by report
        monkeypatch.setattr(search, "KEYS_AT_MOST", 2)
        fetched = search.fetched(conn, where)
    assert [type(w) for w in common if isinstance(w, search.Matches)] == [search.Common]
    keys = [w.keys for w in fetched if isinstance(w, search.Matches)]
    if engine.dialect.name == "postgresql":
        assert [sorted(k) for k in keys] == [[names[0], names[2]]]
    else:  # SQLite's OR reads the keys' select itself
        assert keys == [w.keys for w in where if isinstance(w, search.Matches)]


def test_a_common_term_finds_what_its_agency_keys_find(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A term more agencies match than ``KEYS_AT_MOST`` (局 in a national store) is tested report
    by report (:class:`search.Common`): the same pages, order, totals and capped totals as its
    agencies' keys looked up, with a year or status, and an agency found by its canonical name
    alone (merged into another's)."""
    engine = connect(db_url)
    store = Store(engine)
    names = [f"{p}省{c}市{k}" for p in ("江苏", "浙江") for c in ("甲", "乙") for k in ("审计局", "财政局", "人民政府")]
    for i, (name, year) in enumerate((n, y) for n in names for y in (2022, 2023)):
        store.save(numbered_report(agency=name, year=year, seed=i), [])
    identity.merge(engine, "浙江省乙市人民政府", into="江苏省甲市审计局")
    with engine.begin() as conn:
        conn.execute(reports.update().where(reports.c.id % 3 == 0).values(n_errors=1))
    asked = [
        ("局", {}),
        ("审计局", {"year": 2023}),
        ("局", {"status": "error"}),
        ("省甲市", {}),
        ("江苏省甲市审计", {}),
        ("无此机关", {}),
    ]
    found = {}
    for most in (1_000, 0):
        monkeypatch.setattr(search, "KEYS_AT_MOST", most)
        found[most] = [
            (queries.list_reports(engine, q=q, limit=2, offset=o, sort=sort, cap=cap, **f), q, f, o, sort, cap)
            for q, f in asked
            for sort in ("year", "agency")
            for o in (0, 2, 6)
            for cap in (None, 3)
        ]
    assert found[0] == found[1_000]
    merged = queries.list_reports(engine, q="江苏省甲市审计", limit=100)[0]
    assert sorted(r["agency"] for r in merged) == ["江苏省甲市审计局"] * 2 + ["浙江省乙市人民政府"] * 2
