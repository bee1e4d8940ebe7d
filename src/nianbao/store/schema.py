"""The tables (SQLAlchemy Core, portable between SQLite and PostgreSQL) and their migrations.

A fresh database gets the current tables and ``SCHEMA_VERSION``; an older one is
brought forward by the migration functions in ``MIGRATIONS``, in order, inside
the caller's transaction. The version lives in ``meta``."""

from __future__ import annotations

import json
import warnings
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nianbao.store import StoreError
from nianbao.store.packing import ORIGINALS, Packed, unzipped_json, zipped_json
from nianbao.store.rows import raw_kept
from nianbao.store.summary import SUMMARY, summary_from_values, summary_paths
from nianbao.template.relations import RATES

metadata = sa.MetaData()


def iso_time(at: datetime | None) -> str | None:
    """A stored time as ISO 8601 in UTC, to the second (SQLite gives it back without its zone,
    PostgreSQL with it)."""
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat(timespec="seconds")


reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("agency", sa.Text),
    sa.Column("agency_key", sa.Text),  # normalize.key(agency): versions are per agency_key + year
    sa.Column("region", sa.Text),
    sa.Column("year", sa.Integer),
    sa.Column("edition", sa.String(16)),
    sa.Column("published", sa.String(10)),
    sa.Column("source_file", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("format", sa.String(16), nullable=False),
    sa.Column("encoding", sa.String(32)),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    sa.Column("is_current", sa.Boolean, nullable=False, default=True),
    sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("n_errors", sa.Integer, nullable=False, default=0),
    sa.Column("n_warnings", sa.Integer, nullable=False, default=0),
    sa.Column("n_infos", sa.Integer, nullable=False, default=0),
    *(sa.Column(name, sa.Float) for name in SUMMARY),
    sa.UniqueConstraint("agency_key", "year", "version", name="uq_reports_agency_year_version"),
    # covering indexes for the dashboard's per-year and per-agency sums (no lookups into the table)
    sa.Index(
        "ix_reports_year_totals",
        "year",
        "is_current",
        "new_received_total",
        "carried_over_total",
        "total_processed_total",
        "n_errors",
    ),
    sa.Index("ix_reports_agency_year_totals", "agency_key", "year", "is_current", "agency", "new_received_total"),
    sa.Index("ix_reports_region", "region"),
    sa.Index("ix_reports_errors", "n_errors"),
)


def _report_fk() -> sa.ForeignKey:
    return sa.ForeignKey("reports.id", ondelete="CASCADE")


class Zipped(sa.TypeDecorator):
    """A file's bytes kept zlib'd (:data:`ORIGINALS`): given back as they were given (a
    :class:`~nianbao.store.packing.Packed` value is packed already and stored as it is)."""

    impl = sa.LargeBinary
    cache_ok = True

    def process_bind_param(self, value: bytes | None, dialect: Any) -> bytes | None:
        return value if value is None or isinstance(value, Packed) else ORIGINALS.pack(value)

    def process_result_value(self, value: bytes | None, dialect: Any) -> bytes | None:
        return None if value is None else ORIGINALS.unpack(value)


class ZippedJSON(sa.TypeDecorator):
    """JSON kept zlib'd (:data:`REPORTS`); a value given as ``bytes`` is such JSON already
    (:func:`zipped_json`, made in an ingest worker) and is stored as it is."""

    impl = sa.LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> bytes | None:
        return value if value is None or isinstance(value, bytes) else zipped_json(value)

    def process_result_value(self, value: bytes | None, dialect: Any) -> Any:
        return None if value is None else unzipped_json(value)


# the formats whose reader's view is the file's own lines (``pipeline.Processed.source``)
LINES_FORMATS = ("txt", "md")


def original_lines(data: bytes, encoding: str | None) -> list[str] | None:
    """A txt/md file's lines as the reader split them (``pipeline.process``), from its bytes and
    the encoding it was read in; None when they cannot be decoded so."""
    try:
        return None if not encoding else data.decode(encoding).splitlines()
    except (LookupError, UnicodeDecodeError):
        return None


def kept_view(packed: bytes | None) -> bytes | None:
    """What ``documents.source`` keeps of the reader's view (zlib'd JSON) of a file whose original
    is kept: nothing for a text file's ``lines`` (``originals.view`` splits the original again),
    the rest as it is."""
    if packed is None or zlib.decompressobj().decompress(packed, 9) == b'{"lines":':
        return None
    return packed


# The report as read: ``report_json(report, full=True)`` (``parse --format json`` plus ``detail``,
# what the checker needs to run again), and what the reader saw of the file (zlib'd JSON, NULL when
# not kept, and for a txt/md file whose original is kept: its lines are the original's); apart from
# ``reports`` so that its scans stay small. Both zlib'd.
documents = sa.Table(
    "documents",
    metadata,
    sa.Column("report_id", sa.Integer, _report_fk(), primary_key=True),
    sa.Column("document", ZippedJSON, nullable=False),
    sa.Column("source", sa.LargeBinary),
)

# Every cell path ever stored, numbered in the order first stored: ``cells`` keeps the number.
paths = sa.Table(
    "paths",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("path", sa.String(96), nullable=False, unique=True),
)

# The cells as rows, for queries across reports (filters, compare, exports): the value, and the
# text as printed only when it is not the value written plainly (``rows.raw_kept``); where each cell
# was printed, its note and confidence are in the report's JSON. Keyed by (report, path) in the
# table itself on SQLite (WITHOUT ROWID: no second b-tree); the index serves one path across reports.
# ``path_id`` is a number in ``paths`` but no foreign key (version 10): the writer numbers the paths
# in the same transaction, and PostgreSQL's check of it, row by row, was most of its work storing a
# report (COPY of 1,000 reports' 226,000 cells 2.5 s with it, 1.0 without).
cells = sa.Table(
    "cells",
    metadata,
    sa.Column("report_id", sa.Integer, _report_fk(), primary_key=True),
    sa.Column("path_id", sa.Integer, primary_key=True),
    sa.Column("value", sa.Float(precision=53)),
    sa.Column("raw", sa.Text),
    sa.Column("derived", sa.Boolean, nullable=False, default=False),
    sa.Index("ix_cells_path_value", "path_id", "value", "report_id"),
    sqlite_with_rowid=False,
)


# ``cells`` with the path as text, for the queries (flattened into them by the database)
named_cells = (
    sa.select(cells.c.report_id, paths.c.path, cells.c.value, cells.c.raw, cells.c.derived)
    .join(paths, paths.c.id == cells.c.path_id)
    .subquery("named_cells")
)


facts = sa.Table(
    "facts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("report_id", sa.Integer, _report_fk(), nullable=False, index=True),
    sa.Column("cell", sa.String(96), nullable=False),
    sa.Column("value", sa.Float(precision=53), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("location", sa.JSON),
    sa.Column("basis", sa.String(32), nullable=False, default=""),
)

diagnostics = sa.Table(
    "diagnostics",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("report_id", sa.Integer, _report_fk(), index=True),  # NULL: a cross-report finding
    sa.Column("rule", sa.String(32), nullable=False, index=True),
    sa.Column("severity", sa.String(8), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("cells", sa.JSON, nullable=False),
    sa.Column("location", sa.JSON),
    sa.Column("files", sa.JSON, nullable=False),
    sa.Column("values", sa.JSON, nullable=False),
)

# Which stored reports a cross-report finding is about.
cross_reports = sa.Table(
    "cross_reports",
    metadata,
    sa.Column("diagnostic_id", sa.Integer, sa.ForeignKey("diagnostics.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("report_id", sa.Integer, _report_fk(), primary_key=True, index=True),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(32), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


# ACCOUNTS — who may use the web app when it is served beyond one desk (store/accounts.py).
# ``role`` is 查看 / 审核 / 管理; ``region`` limits the account to the units of one region (NULL: all).
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),  # argon2id, with its own salt and parameters
    sa.Column("role", sa.String(8), nullable=False),
    sa.Column("region", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# A logged-in browser: the sha256 of its random cookie token (the token itself is never stored).
sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)


# COMPARE — the editable rules that put an agency in a peer group (analysis/peers.py): in
# ``position`` order, the first rule of a ``dimension`` ("level" | "kind") whose ``pattern`` (a
# regular expression) is found in the agency's name gives its ``value``; none stored: the defaults.
peer_rules = sa.Table(
    "peer_rules",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("dimension", sa.String(8), nullable=False),
    sa.Column("pattern", sa.Text, nullable=False),
    sa.Column("value", sa.Text, nullable=False),
)


# Compose (issue 15): the drafts of a report being composed on the 新建年报 page, every save a new
# version per agency + year; ``report`` is ``render.json.report_json(report, full=True)``.
drafts = sa.Table(
    "drafts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("agency", sa.Text, nullable=False),
    sa.Column("agency_key", sa.Text, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("report", sa.JSON, nullable=False),
    sa.Column("who", sa.Text, nullable=False, default=""),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),  # e.g. 恢复自第2版
    sa.UniqueConstraint("agency_key", "year", "version", name="uq_drafts_agency_year_version"),
)


# REVIEW — the review cycle (issue 13): originals, version states, finding reviews, corrections, audit.

# The bytes of every stored file, content-addressed (store/originals.py): re-reading, re-checking
# and the 原文 panel need no source folder. A table (not files beside the database) so that
# PostgreSQL without a shared disk works the same as SQLite.
originals = sa.Table(
    "originals",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.Integer, nullable=False),  # of the file; ``data`` is kept zlib'd
    sa.Column("data", Zipped, nullable=False),
    sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
)

# A version that is not simply current or earlier (store/versions.py): ``pending`` (stored,
# waiting to be confirmed as current) or ``withdrawn`` (soft-deleted, with reason, who, when).
report_states = sa.Table(
    "report_states",
    metadata,
    sa.Column("report_id", sa.Integer, _report_fk(), primary_key=True),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("who", sa.String(64), nullable=False, default=""),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

# The review states of findings, every change kept (store/review.py). ``key`` is the sha256 of
# rule + cells + agency-year(s): not a row id, so a state outlives re-ingests and carries to the
# next version where the finding still applies.
reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(64), nullable=False, index=True),
    sa.Column("rule", sa.String(32), nullable=False),
    sa.Column("state", sa.String(8), nullable=False),
    sa.Column("comment", sa.Text, nullable=False, default=""),
    sa.Column("who", sa.String(64), nullable=False, default=""),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

# A reviewer's corrections of cells, every change kept (store/corrections.py): in force for the
# agency-year's reports (or the file, when the agency is unknown) whose printed value is ``printed``.
corrections = sa.Table(
    "corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("agency_key", sa.Text),
    sa.Column("year", sa.Integer),
    sa.Column("sha256", sa.String(64), nullable=False),  # the file it was made on
    sa.Column("path", sa.String(96), nullable=False),
    sa.Column("printed", sa.Float(precision=53)),
    sa.Column("value", sa.Float(precision=53)),
    sa.Column("active", sa.Boolean, nullable=False),  # false: the correction was undone
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("who", sa.String(64), nullable=False, default=""),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_corrections_agency_year", "agency_key", "year"),
    sa.Index("ix_corrections_sha256", "sha256"),
)

# Every change made to the store, by whom and when (store/audit.py).
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("who", sa.String(64), nullable=False, default=""),
    sa.Column("action", sa.String(16), nullable=False, index=True),
    sa.Column("target", sa.Text, nullable=False, default=""),
    sa.Column("detail", sa.JSON, nullable=False),
)


# IDENTITY — one agency under several printed names (store/agencies.py): each printed name
# (``reports.agency_key``) → its canonical agency (simplified, full region prefix) and the region
# chain 省/市/区县/乡镇街道 as ``/北京市/西城区/``. Filled automatically; ``manual`` rows (merge,
# split) are kept as set; ``candidates``: the full prefixes an ambiguous short name may stand for.
agency_names = sa.Table(
    "agency_names",
    metadata,
    sa.Column("agency_key", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("canonical", sa.Text, nullable=False),
    sa.Column("canonical_key", sa.Text, nullable=False, index=True),
    sa.Column("region_path", sa.Text, nullable=False, default=""),
    sa.Column("candidates", sa.JSON, nullable=False),
    sa.Column("manual", sa.Boolean, nullable=False, default=False),
)


# QUERIES — the dashboard's sums of the current reports, kept by triggers on ``reports`` in the
# same transaction as every write (store/aggregates.py). ``report_totals``: per year and edition
# (``grp`` is year|edition), each ``*_sum`` with its ``*_n``, the reports that print it, each rate
# its numerator, denominator and reports; ``region_totals``: reports per year, edition and region
# (``grp`` year|edition|region). Made with their triggers, filled from the stored reports.
def _tally(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer, nullable=False, server_default="0")


def _sum(name: str) -> sa.Column:
    return sa.Column(name, sa.Float(precision=53), nullable=False, server_default="0")


def _totals() -> list[sa.Column]:
    """The kept figures of a group of reports (``report_totals``, ``place_totals``)."""
    return [
        *map(_tally, ("reports", "errors", "warnings", "infos", "with_errors", "warnings_only")),
        *(c for name in SUMMARY for c in (_sum(f"{name}_sum"), _tally(f"{name}_n"))),
        *(c for key, *_ in RATES for c in (_sum(f"{key}_num"), _sum(f"{key}_den"), _tally(f"{key}_n"))),
    ]


def _kept(name: str, *columns: sa.Column) -> sa.Table:
    """A table of kept sums: one row per group (``grp``, the group's values joined by ``|``) of year and edition, and ``columns``."""
    grp = sa.Column("grp", sa.Text, primary_key=True)
    return sa.Table(name, metadata, grp, sa.Column("year", sa.Integer), sa.Column("edition", sa.String(16)), *columns)


report_totals = _kept("report_totals", *_totals())
region_totals = _kept("region_totals", sa.Column("region", sa.Text), _tally("reports"))
report_totals.add_is_dependent_on(reports)  # its triggers are on ``reports``: created after it
region_totals.add_is_dependent_on(report_totals)  # made last: its creation makes the triggers of both
# the same figures per year, edition, agency's region chain (``agency_names.region_path``, "" when
# not known yet) and printed region: the dashboard of a region at any level (``grp``:
# year|edition|place|region); remade whenever ``agency_names`` changes (store/agencies.py)
place_totals = _kept(
    "place_totals", sa.Column("place", sa.Text, nullable=False), sa.Column("region", sa.Text), *_totals()
)
place_totals.add_is_dependent_on(region_totals)
place_totals.add_is_dependent_on(agency_names)

# the dashboard's rankings read in order from these (store/dashboard.py), not sorted per request
RANKING_INDEXES = (
    sa.Index("ix_reports_year_applications", reports.c.year, reports.c.new_received_total, reports.c.is_current),
    sa.Index("ix_reports_most_errors", reports.c.n_errors.desc(), reports.c.n_warnings.desc(), reports.c.id),
    sa.Index("ix_reports_most_warnings", reports.c.n_warnings.desc(), reports.c.n_errors.desc(), reports.c.id),
    *(  # the same within one year
        sa.Index(
            f"ix_reports_year_most_{a}",
            reports.c.year,
            reports.c[f"n_{a}"].desc(),
            reports.c[f"n_{b}"].desc(),
            reports.c.id,
        )
        for a, b in (("errors", "warnings"), ("warnings", "errors"))
    ),
)
# the report list's pages in its order, newest year first (store/queries.py), per database: SQLite
# has no NULLS LAST in an index but puts NULL last when descending, PostgreSQL first unless told;
# on PostgreSQL with the columns the list's filters test, so that a walk past the reports a filter
# drops reads the index alone (a province's reports with errors: 160,000 rows' heap at 1M, 0.9 s;
# a search's text, which the file name is tested for too: q=福建省, 0.78 s)
LIST_ORDER = {
    "sqlite": sa.Index("ix_reports_list_order", reports.c.year.desc(), reports.c.agency, reports.c.id).ddl_if(
        dialect="sqlite"
    ),
    "postgresql": sa.Index(
        "ix_reports_list_order",
        reports.c.year.desc().nulls_last(),
        reports.c.agency,
        reports.c.id,
        postgresql_include=["is_current", "region", "agency_key", "edition", "n_errors", "n_warnings", "source_file"],
    ).ddl_if(dialect="postgresql"),
}


def _derived(_table: sa.Table, conn: Connection, **_: object) -> None:
    """The kept sums' triggers and the search index, made with the kept tables."""
    from nianbao.store import aggregates, search  # they import this module

    aggregates.keep(conn)
    search.index(conn)


sa.event.listen(region_totals, "after_create", _derived)
sa.event.listen(place_totals, "after_create", lambda _t, conn, **_: _places(conn))


def _places(conn: Connection) -> None:
    from nianbao.store import aggregates  # it imports this module

    aggregates.keep_places(conn)


# ---------------------------------------------------------------- migrations --

# the tables as versions 1 to 5 left them, for the migrations that read them
_V5_CELLS = sa.table("cells", sa.column("report_id"), sa.column("path"), sa.column("value"))
_V5_DOCUMENTS = sa.table("documents", sa.column("report_id"), sa.column("document", sa.JSON))
_V6_SECTIONS = sa.table(
    "sections", sa.column("report_id"), sa.column("key"), sa.column("heading"), sa.column("location", sa.JSON)
)


def _v2_summary_columns(conn: Connection) -> None:
    """Version 2 keeps the dashboard totals on ``reports``, filled from the stored cells."""
    prep = conn.dialect.identifier_preparer
    for name in SUMMARY:
        conn.exec_driver_sql(f"ALTER TABLE reports ADD COLUMN {prep.quote(name)} FLOAT")
    wanted = summary_paths()
    old = _V5_CELLS.c
    rows = conn.execute(sa.select(old.report_id, old.path, old.value).where(old.path.in_(wanted)))
    values: dict[int, dict[str, float | None]] = {}
    for rid, path, value in rows:
        values.setdefault(rid, {})[path] = value
    for rid, vals in values.items():
        conn.execute(reports.update().where(reports.c.id == rid).values(**summary_from_values(vals)))
    cross_reports.create(conn, checkfirst=True)


def _v3_covering_indexes(conn: Connection) -> None:
    """Version 3 replaces the (is_current, year) and (agency_key, year) indexes by covering ones."""
    for old in ("ix_reports_current_year", "ix_reports_agency_year"):
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {old}")
    for index in reports.indexes:
        index.create(conn, checkfirst=True)


def _v4_full_documents(conn: Connection) -> None:
    """Version 4 keeps the reader's view of the file beside each report (none for the reports
    already stored: their 原文 panel says so) and the ``detail`` of each report's JSON, filled for
    the reports already stored from their rows (encoding, section headings, narrative bases)."""
    kind = conn.dialect.type_descriptor(sa.LargeBinary()).compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE documents ADD COLUMN source {kind}")
    encodings = {rid: enc for rid, enc in conn.execute(sa.select(reports.c.id, reports.c.encoding))}
    heads: dict[int, dict] = {}
    s = _V6_SECTIONS.c
    for row in conn.execute(sa.select(s.report_id, s.key, s.heading, s.location)):
        heads.setdefault(row.report_id, {})[row.key] = {"heading": row.heading, "location": row.location}
    bases: dict[int, list[str]] = {}
    for rid, basis in conn.execute(sa.select(facts.c.report_id, facts.c.basis).order_by(facts.c.report_id, facts.c.id)):
        bases.setdefault(rid, []).append(basis)
    for rid, document in conn.execute(sa.select(_V5_DOCUMENTS.c.report_id, _V5_DOCUMENTS.c.document)).all():
        if "detail" not in document:
            detail = {
                "encoding": encodings.get(rid),
                "sections": heads.get(rid, {}),
                "narrative_basis": bases.get(rid, []),
            }
            update = _V5_DOCUMENTS.update().where(_V5_DOCUMENTS.c.report_id == rid)
            conn.execute(update.values(document={**document, "detail": detail}))


def _v5_new_tables(conn: Connection) -> None:
    """Version 5 adds tables only (review, identity, accounts, drafts): each is created if missing."""
    metadata.create_all(conn, checkfirst=True)


def _v6_lean(conn: Connection) -> None:
    """Version 6 keeps the report JSON and the originals zlib'd, and the cells keyed by a path
    number, without the columns the report JSON holds (location, note, confidence) and with the
    text as printed only where it is not the value written plainly. Each table is set aside, made
    anew and filled from the old one, a few hundred reports at a time; then the old one is dropped."""
    old = _set_aside(conn, cells, "ix_cells_path_report_value")
    paths.create(conn, checkfirst=True)
    cells.create(conn)
    conn.execute(paths.insert().from_select(["path"], sa.select(old.c.path).distinct().order_by(old.c.path)))
    number = dict(conn.execute(sa.select(paths.c.path, paths.c.id)).all())
    for ids in _chunks(conn, old.c.report_id):
        rows = conn.execute(sa.select(old).where(old.c.report_id.in_(ids))).all()
        conn.execute(
            cells.insert(),
            [
                {
                    "report_id": r.report_id,
                    "path_id": number[r.path],
                    "value": r.value,
                    "raw": raw_kept(r.value, r.raw),
                    "derived": r.derived,
                }
                for r in rows
            ],
        )
    conn.exec_driver_sql("DROP TABLE cells_v5")
    for table, key in ((documents, "report_id"), (originals, "sha256")):
        old = _set_aside(conn, table)
        table.create(conn)
        for keys in _chunks(conn, old.c[key], 200 if table is documents else 20):
            rows = conn.execute(sa.select(old).where(old.c[key].in_(keys))).all()
            conn.execute(table.insert(), [dict(r._mapping) for r in rows])
        conn.exec_driver_sql(f"DROP TABLE {table.name}_v5")


def _set_aside(conn: Connection, table: sa.Table, *indexes: str) -> sa.TableClause:
    """The table of ``table``'s name renamed to ``name_v5`` (its indexes dropped, its primary key
    renamed on PostgreSQL), as it is in the database; the migration then makes ``table`` anew."""
    name = table.name
    for index in indexes:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index}")
    conn.exec_driver_sql(f"ALTER TABLE {name} RENAME TO {name}_v5")
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"ALTER INDEX IF EXISTS {name}_pkey RENAME TO {name}_v5_pkey")
    kinds = {"document": sa.JSON(), "data": sa.LargeBinary()}  # version 5 kept them as they are
    columns = [c["name"] for c in sa.inspect(conn).get_columns(f"{name}_v5")]
    return sa.table(
        f"{name}_v5", *(sa.column(c, kinds.get(c, table.c[c].type if c in table.c else None)) for c in columns)
    )


def _chunks(conn: Connection, key: sa.ColumnClause, size: int = 500) -> Iterator[list]:
    """The distinct values of ``key``, ``size`` at a time."""
    values = sorted(conn.execute(sa.select(key).distinct()).scalars())
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _v7_no_sections(conn: Connection) -> None:
    """Version 7 keeps each section's heading, text and place in the report's JSON only: the
    ``sections`` table held them a second time (2.8 KB per text report) and is dropped."""
    conn.exec_driver_sql("DROP TABLE IF EXISTS sections")


def _v8_dictionaries(conn: Connection) -> None:
    """Version 8 packs new report JSON and originals with preset dictionaries (:class:`Packer`:
    the rows already stored read as they are, so none is rewritten; a program before version 8
    could not read the new ones) and keeps no reader's view of a txt/md file whose original is
    kept: its lines are the original's (``originals.view``). A view is dropped only where the
    original split again gives exactly its lines (an older reader may have split otherwise)."""
    text = (
        sa.select(documents.c.report_id, documents.c.source, reports.c.encoding, originals.c.data)
        .join(reports, reports.c.id == documents.c.report_id)
        .join(originals, originals.c.sha256 == reports.c.sha256)
        .where(reports.c.format.in_(LINES_FORMATS), documents.c.source.is_not(None))
        .execution_options(yield_per=500)
    )
    same = [
        rid
        for rid, source, encoding, data in conn.execute(text)
        if json.loads(zlib.decompress(source)) == {"lines": original_lines(data, encoding)}
    ]
    for i in range(0, len(same), 500):
        conn.execute(documents.update().where(documents.c.report_id.in_(same[i : i + 500])).values(source=None))


def _current_indexes(conn: Connection) -> None:
    """Remake, on PostgreSQL, the indexes a store made before their current definition has in an
    older form or lacks (:func:`_stale_indexes`; at every opening: one read of ``pg_indexes``
    when they are current): ≈ 10 s at a million reports, writes waiting meanwhile
    (docs/store.md); and tell the planner how many agencies a store with reports has, when not
    told yet (:func:`spread_agency_keys`). SQLite's stay as made; so do they for a user who may
    not change the store (:func:`migrate` does not call this then; :func:`warn_if_behind`
    says so)."""
    from nianbao.store import aggregates, search  # they import this module

    if conn.dialect.name != "postgresql":
        return
    stale = _stale_indexes(conn)
    order = LIST_ORDER["postgresql"]
    if order.name in stale:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {order.name}")
        order.create(conn)
    prefixes = [n for n in aggregates.PREFIX_INDEXES if n in stale]
    for name in prefixes:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    if prefixes:
        aggregates.prefix_indexes(conn)
    if set(stale) & _trigram_indexes():
        search.index(conn)
    if _untold(conn) and spread_agency_keys(conn):
        conn.exec_driver_sql("ANALYZE reports (agency_key)")  # ≈ 1 s once at a million reports


def _stale_indexes(conn: Connection) -> list[str]:
    """The indexes this PostgreSQL store has in an older form than their current definition, or
    lacks: ``ix_reports_list_order`` and ``ix_agency_names_region_path`` without their included
    columns, and the search's trigram indexes (``agency_names``' came later)."""
    from nianbao.store import aggregates  # it imports this module

    made = dict(
        conn.exec_driver_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename IN ('reports', 'agency_names', 'place_totals')"
        ).all()
    )
    order = LIST_ORDER["postgresql"]
    included = f"INCLUDE ({', '.join(order.dialect_options['postgresql']['include'])})"
    stale = [] if included in made.get(order.name, "") else [order.name]
    stale += [n for n, d in aggregates.PREFIX_INDEXES.items() if not made.get(n, "").endswith(d.split(" ", 1)[1])]
    return stale + sorted(_trigram_indexes() - made.keys())


def _trigram_indexes() -> set[str]:
    from nianbao.store import search  # it imports this module

    return {search.trigram_index(t, c) for t, names in search.TRIGRAMS.items() for c in names}


def _untold(conn: Connection) -> bool:
    """Whether PostgreSQL's planner has not been told the store's share of distinct agency keys."""
    told = conn.exec_driver_sql(
        "SELECT attoptions FROM pg_attribute WHERE attrelid = 'reports'::regclass AND attname = 'agency_key'"
    ).scalar()
    return not any(o.startswith("n_distinct=") for o in told or [])


def may_alter(conn: Connection) -> bool:
    """Whether this connection may change the store's tables and indexes: always on SQLite; on
    PostgreSQL when its user owns ``reports`` (or has its owner's rights) and its transactions
    may write (not a standby, not ``default_transaction_read_only``). A researcher given SELECT
    only reads a store that is up to date without writing anything."""
    if conn.dialect.name != "postgresql":
        return True
    return bool(
        conn.exec_driver_sql(
            "SELECT pg_has_role(relowner, 'USAGE') AND NOT current_setting('transaction_read_only')::boolean "
            "FROM pg_class WHERE oid = 'reports'::regclass"
        ).scalar()
    )


def warn_if_behind(conn: Connection) -> None:
    """Warn when this PostgreSQL store's indexes are not as this version defines them (or its
    planner not told how many agencies it has) and this user may not remake them: queries run all
    the same, maybe slower, until the store's owner opens it once."""
    if conn.dialect.name != "postgresql" or may_alter(conn):
        return
    behind = _stale_indexes(conn)
    if _untold(conn) and conn.execute(sa.select(reports.c.id).limit(1)).first() is not None:
        behind.append("reports.agency_key 的 n_distinct")
    if behind:
        warnings.warn(
            f"数据库的索引与本版 nianbao 的不同（{'、'.join(behind)}），当前用户无权更新：查询照常进行，但可能较慢；"
            "请数据库所有者用本版 nianbao 打开一次（任一命令，例如 nianbao users list）",
            stacklevel=2,
        )


def spread_agency_keys(conn: Connection) -> bool:
    """Give PostgreSQL's planner the store's own share of distinct ``reports.agency_key`` (its
    agencies over its reports, as ``n_distinct``'s negative fraction, which every later ``ANALYZE``
    keeps, autovacuum's too): guessed from ``ANALYZE``'s sample it was 7–60 % of the true number
    at a million reports (8–70 reports an agency instead of 5), and a search's lookup of a
    thousand agencies became a read of every report. One read of the agency index (≈ 0.9 s at a
    million reports); used from the next ``ANALYZE``. False when the store has no report yet."""
    stored, agencies = conn.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(reports.c.agency_key))).select_from(reports)
    ).one()
    if not stored:
        return False
    share = max(agencies, 1) / stored
    conn.exec_driver_sql(f"ALTER TABLE reports ALTER COLUMN agency_key SET (n_distinct = {-share:.6g})")
    return True


# version reached -> function bringing the previous version to it
def _v9_status_with_cross(conn: Connection) -> None:
    """Version 9 counts a report with errors, or with warnings only, in the dashboard's kept sums
    by its own findings and the cross-report ones about it, as the report list's status filter
    does: the kept tables' triggers made anew and their counts refilled (``aggregates.restate``)."""
    from nianbao.store import aggregates  # it imports this module

    aggregates.restate(conn)


def _v10_no_path_key(conn: Connection) -> None:
    """Version 10: on PostgreSQL ``cells.path_id`` stops being a foreign key (see ``cells``). A
    SQLite store keeps its (cheap) check: dropping it would copy the whole table."""
    if conn.dialect.name != "postgresql":
        return
    for fk in sa.inspect(conn).get_foreign_keys("cells"):
        if fk["referred_table"] == "paths" and fk["name"]:
            conn.exec_driver_sql(f'ALTER TABLE cells DROP CONSTRAINT "{fk["name"]}"')


MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    2: _v2_summary_columns,
    3: _v3_covering_indexes,
    4: _v4_full_documents,
    5: _v5_new_tables,
    6: _v6_lean,
    7: _v7_no_sections,
    8: _v8_dictionaries,
    9: _v9_status_with_cross,
    10: _v10_no_path_key,
}
SCHEMA_VERSION = 10


def schema_version(conn: Connection) -> int:
    """The version of the tables in this database; 0 when it has none yet."""
    if not sa.inspect(conn).has_table("meta"):
        return 0
    v = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return int(v) if v is not None else 0


def migrate(conn: Connection) -> int:
    """Create or bring forward the tables; returns the version the database started at. A user
    who may not change them (:func:`may_alter`) opens a store that is up to date without writing
    anything, and is refused one that is not (a :class:`StoreError` asking for its owner)."""
    start = schema_version(conn)
    if start == 0:
        metadata.create_all(conn)
        conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
        return 0
    if start > SCHEMA_VERSION:
        raise StoreError(f"数据库结构版本为 {start}，高于本程序支持的 {SCHEMA_VERSION}，请升级 nianbao")
    if not may_alter(conn):
        lacking = sorted(metadata.tables.keys() - set(sa.inspect(conn).get_table_names()))
        if start < SCHEMA_VERSION or lacking:
            why = f"结构版本为 {start}，本程序为 {SCHEMA_VERSION}" + (
                f"，缺少表 {'、'.join(lacking)}" if lacking else ""
            )
            raise StoreError(
                f"此数据库须升级（{why}），但当前用户无权修改它：请数据库所有者先用本版 nianbao 打开一次"
                "（任一命令，例如 nianbao users list）"
            )
        return start
    for version in range(start + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[version](conn)
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(version)))
    metadata.create_all(conn, checkfirst=True)  # a table added since without a migration of its own
    _current_indexes(conn)
    return start
