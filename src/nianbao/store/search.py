"""Search reports by a part of the agency's name as printed, its region or the file name, through
the database's own index: on SQLite an FTS5 table with the trigram tokenizer over those three
columns of ``reports`` (``report_search``, external content, kept by triggers); on PostgreSQL
``pg_trgm`` GIN indexes on them, which the same ``LIKE '%…%'`` uses (and on the agencies' names
and regions in ``agency_names``, which a search reads too). Trigrams need three
characters: a shorter text is matched by ``LIKE`` over every report (as the other databases do).
``pg_trgm`` makes no trigrams of Chinese characters in a database whose ``LC_CTYPE`` is C or
POSIX (``initdb --no-locale``): its index then matches every report; :func:`warn_if_slow` says so."""

from __future__ import annotations

import warnings
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles

from nianbao.store.schema import agency_names, reports

COLUMNS = ("agency", "region", "source_file")
NAME_COLUMNS = ("canonical_key", "agency_key", "region_path")  # of agency_names, which agencies.keys_matching reads
TRIGRAMS = {"reports": COLUMNS, "agency_names": NAME_COLUMNS}  # PostgreSQL's trigram indexes: table → columns
SHORTEST = 3  # characters a trigram index can look up
NO_TRIGRAMS = ("C", "POSIX")  # LC_CTYPEs in which pg_trgm sees no Chinese character as a letter
KEYS_AT_MOST = 30_000  # matching agencies whose keys a PostgreSQL search fetches first (fetched)
REPORTS_EACH = 5  # an agency's reports in a store (years), for SQLite's bound in reports (_common_on_sqlite)


class Contains(sa.ColumnElement[bool]):
    """``reports`` whose agency, region or file name contains ``text`` (compiled per database)."""

    inherit_cache = False  # the SQL depends on the text's length, which a cached statement would not see
    type = sa.types.NullType()  # not Boolean: SQLite would compare it with 1, which no index answers

    def __init__(self, text: str) -> None:
        self.text = text


def _likes(text: str) -> sa.ColumnElement[bool]:
    """The ``LIKE``s of ``text`` in parentheses: its SQL goes as it is into the AND of a WHERE."""
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return sa.or_(*(reports.c[c].like(like, escape="\\") for c in COLUMNS)).self_group()


@compiles(Contains)
def _compile_like(element: Contains, compiler: Any, **kw: Any) -> str:
    return compiler.process(_likes(element.text), **kw)


@compiles(Contains, "sqlite")
def _compile_fts(element: Contains, compiler: Any, **kw: Any) -> str:
    if len(element.text) < SHORTEST:
        return compiler.process(_likes(element.text), **kw)
    return compiler.process(reports.c.id.in_(_indexed(element.text)), **kw)


def _indexed(text: str) -> sa.Select:
    """The rowids of the reports SQLite's search index finds ``text`` in (three characters or more)."""
    phrase = '"' + text.replace('"', '""') + '"'  # one FTS5 string: the text as it is
    found = sa.select(sa.column("rowid")).select_from(sa.table("report_search"))
    return found.where(sa.literal_column("report_search").op("MATCH")(sa.bindparam(None, phrase)))


class Matches(sa.ColumnElement[bool]):
    """``reports`` that :class:`Contains` ``text``, or whose ``agency_key`` is one of ``keys`` (a
    select of keys, or the keys themselves: :func:`fetched`): on SQLite an ``OR`` of the two (the
    search index's rowids and the keys are each read once, and a page or a capped count stops
    early), elsewhere the ids of a ``UNION`` (under an ``OR`` with a subquery PostgreSQL reads
    every report)."""

    inherit_cache = False
    type = sa.types.NullType()

    def __init__(self, text: str, keys: sa.Select | list[str]) -> None:
        self.text, self.keys = text, keys


def _of_agencies(keys: sa.Select | list[str]) -> sa.ColumnElement[bool]:
    """``reports`` whose ``agency_key`` is one of ``keys``: a select, or a list as one array, sent
    as one text split by the server (a key has no line break: ``normalize.key``), which the
    planner folds into a constant array, tested by hashing (20,000 keys sent as an array took
    ≈ 40 ms of the client's time to quote)."""
    if isinstance(keys, list):
        split = sa.func.string_to_array(sa.bindparam(None, "\n".join(keys), type_=sa.Text), "\n")
        return reports.c.agency_key == sa.any_(split)
    return reports.c.agency_key.in_(keys)


class Common(Matches):
    """``reports`` that :class:`Matches` ``text`` when more than ``KEYS_AT_MOST`` agencies match
    (a term in most names, 局 or 人民政府 in a national store), tested report by report: its agency,
    region or file name by ``LIKE``, else its agency's names by one lookup of ``agency_names``' key
    (a scalar subquery, which PostgreSQL never turns into a hash of every matching key). A page
    walking the list's index, or a capped count, stops after a few entries more than it keeps: the
    keys looked up or gathered were 110,000 agencies' 550,000 reports, 0.25–2.2 s at a million."""

    inherit_cache = False


def _search_of(where: list) -> Matches | None:
    """The search among the WHERE terms ``where``, if any."""
    return next((w for w in where if isinstance(w, Matches)), None)


def fetched(conn: Connection, where: list) -> list:
    """``where`` with its search's agency keys fetched first on PostgreSQL, when at most
    ``KEYS_AT_MOST`` agencies match (a rare name, a county's): then looked up by value, each key
    a probe of the agency index (planned on the store's own share of distinct keys,
    ``schema.spread_agency_keys``, not ``ANALYZE``'s sample, which guessed 7–60 % of them at 1M
    and read every report for a thousand keys). Joined to the keys' select, the plan hung on that
    sample: a hash join over a read of every report, or a read of every agency name, 50–400 ms
    instead of ≈ 12. At 1M a page of 1,000 keys' reports took 5–16 ms; of a province's 20,000
    keys the page walks the list's index testing each entry's key by hashing (≈ 25 ms; as a
    subquery each entry was a lookup in ``agency_names``: 160,000 before 福建省's, 0.7 s). More
    keys than the bound (a term in most names) make the search :class:`Common`: tested report by
    report; on SQLite, which keeps the keys' select, so does a term :func:`_common_on_sqlite`."""
    found = _search_of(where)
    if found is None or isinstance(found, Common) or isinstance(found.keys, list):
        return where
    if conn.dialect.name == "postgresql":
        first = found.keys.limit(KEYS_AT_MOST + 1).subquery()
        key = next(iter(first.c))
        n, keys = conn.execute(sa.select(sa.func.count(), sa.func.string_agg(key, "\n")).select_from(first)).one()
        common, keys = n > KEYS_AT_MOST, keys.split("\n") if n else []
    else:  # SQLite's OR reads the keys' select itself
        common, keys = _common_on_sqlite(conn, found), found.keys
    found_now = Common(found.text, found.keys) if common else Matches(found.text, keys)
    return [found_now if w is found else w for w in where]


def _common_on_sqlite(conn: Connection, found: Matches) -> bool:
    """Whether ``found`` is :class:`Common` on SQLite: its text in more than ``REPORTS_EACH ×
    KEYS_AT_MOST`` reports by the search index (≈ 1–10 ms at 1M; a scan of the agency names, which
    the ``OR`` reads again, cost a rarer term ≈ 55 ms), or, too short for the index, in more
    than ``KEYS_AT_MOST`` agencies' names (a ``LIKE`` over every report follows anyway)."""
    if len(found.text) >= SHORTEST:
        bound = REPORTS_EACH * KEYS_AT_MOST
        matched = _indexed(found.text).limit(bound + 1).subquery()
    else:
        bound = KEYS_AT_MOST
        matched = found.keys.limit(bound + 1).subquery()
    return conn.execute(sa.select(sa.func.count()).select_from(matched)).scalar_one() > bound


@compiles(Common)
def _compile_each(element: Common, compiler: Any, **kw: Any) -> str:
    assert isinstance(element.keys, sa.Select)
    n = agency_names.c
    named = element.keys.where(n.agency_key == reports.c.agency_key).correlate(reports).scalar_subquery()
    return compiler.process(sa.or_(_likes(element.text), named.is_not(None)).self_group(), **kw)


@compiles(Matches)
def _compile_union(element: Matches, compiler: Any, **kw: Any) -> str:
    r = reports.c
    found = sa.union(sa.select(r.id).where(Contains(element.text)), sa.select(r.id).where(_of_agencies(element.keys)))
    return compiler.process(r.id.in_(found), **kw)


@compiles(Matches, "sqlite")
def _compile_or(element: Matches, compiler: Any, **kw: Any) -> str:
    either = sa.or_(Contains(element.text), _of_agencies(element.keys))
    return compiler.process(either.self_group(), **kw)  # in parentheses: it goes as it is into the WHERE's AND


def arms(where: list, dialect: str) -> list[list]:
    """WHERE terms whose selections' union is ``where``'s: on PostgreSQL a search's
    :class:`Matches` as its two arms (the text, the agency keys), each with the other terms, so
    that a page or a capped count can take the first matches of each arm in its own index's order
    (the ``UNION`` in one ``IN`` is built in full: 125,000 ids for a common term at a million
    reports); a :class:`Common` on either database as the text's ``LIKE`` and itself, so that a
    capped count reads the text alone when it has enough (no lookup of ``agency_names``: 285 →
    115 ms for 20 % of a year's reports on SQLite at 1M); elsewhere ``where`` alone (SQLite stops
    early on the ``OR``)."""
    found = _search_of(where)
    if found is None or not (dialect == "postgresql" or isinstance(found, Common)):
        return [where]
    rest = [w for w in where if w is not found]
    if isinstance(found, Common):  # not SQLite's search index: a page walking the list's would read all its matches
        return [[*rest, _likes(found.text)], [*rest, found]]
    return [[*rest, Contains(found.text)], [*rest, _of_agencies(found.keys)]]


def index(conn: Connection) -> None:
    """Create the search index of this database and fill it from the stored reports."""
    if conn.dialect.name == "postgresql":
        try:
            with conn.begin_nested():
                conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DBAPIError:  # not allowed on this server: LIKE reads every report, as before
            return
        for table, names in TRIGRAMS.items():
            for c in names:
                conn.exec_driver_sql(
                    f"CREATE INDEX IF NOT EXISTS {trigram_index(table, c)} ON {table} USING gin ({c} gin_trgm_ops)"
                )
        return
    cols, new, old = ", ".join(COLUMNS), ", ".join(f"NEW.{c}" for c in COLUMNS), ", ".join(f"OLD.{c}" for c in COLUMNS)
    add = f"INSERT INTO report_search (rowid, {cols}) VALUES (NEW.id, {new});"
    drop = f"INSERT INTO report_search (report_search, rowid, {cols}) VALUES ('delete', OLD.id, {old});"
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS report_search USING fts5({cols}, content='reports', content_rowid='id', "
        "tokenize='trigram')"
    )
    conn.exec_driver_sql("INSERT INTO report_search (report_search) VALUES ('rebuild')")
    conn.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS report_search_insert AFTER INSERT ON reports BEGIN {add} END")
    conn.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS report_search_delete AFTER DELETE ON reports BEGIN {drop} END")
    conn.exec_driver_sql(
        f"CREATE TRIGGER IF NOT EXISTS report_search_update AFTER UPDATE OF {cols} ON reports BEGIN {drop} {add} END"
    )


def trigram_index(table: str, column: str) -> str:
    """The name of the PostgreSQL trigram index on ``table.column``."""
    return f"ix_{table}_{column}_trgm"


def warn_if_slow(conn: Connection) -> None:
    """Warn (once for each database) when this PostgreSQL database's ``LC_CTYPE`` leaves Chinese
    characters out of ``pg_trgm``'s trigrams, so that a search reads every report."""
    if conn.dialect.name != "postgresql":
        return
    name, ctype = conn.exec_driver_sql(
        "SELECT datname, datctype FROM pg_database WHERE datname = current_database()"
    ).one()
    if ctype in NO_TRIGRAMS:
        warnings.warn(
            f"PostgreSQL 数据库 {name} 的 LC_CTYPE 为 {ctype}：pg_trgm 不为汉字建三字索引，中文搜索将逐份读取全部报告，"
            f"会很慢。请用 UTF-8 的 LC_CTYPE 建库，例如 CREATE DATABASE {name} LC_CTYPE 'C.UTF-8' TEMPLATE template0"
            "（再导入数据）",
            stacklevel=2,
        )
