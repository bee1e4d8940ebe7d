"""Opening a database and saving reports into it.

SQLite by default (one file under ``$NIANBAO_DATA`` or ``./.nianbao``, WAL mode,
many readers and one writer at a time); PostgreSQL when the URL or ``NIANBAO_DB``
says so. Every write runs in one transaction that first takes the store's write
lock (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL), so
concurrent ingests serialise their writes; the UNIQUE constraints on ``sha256``
and on (agency_key, year, version) guard the rest."""

from __future__ import annotations

import hashlib
import json
import os
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain, repeat
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError

from nianbao.model import Diagnostic, Report
from nianbao.render.json import report_from_json
from nianbao.store import StoreError, audit, originals, search
from nianbao.store.rows import Prepared, diagnostic_row, prepare
from nianbao.store.schema import (
    cells,
    cross_reports,
    diagnostics,
    documents,
    facts,
    kept_view,
    migrate,
    paths,
    report_states,
    reports,
    spread_agency_keys,
    warn_if_behind,
)
from nianbao.store.summary import summary_from_values

WRITE_LOCK = 7_415_262  # PostgreSQL advisory lock id taken by every write transaction
SAVE_ATTEMPTS = 5
# SQLite pages a bulk write may keep in memory (KiB; the default is 2 MB): each batch adds its cells
# to every path's part of the cells index, and with 2 MB those pages are read again for each batch
# (the writer's CPU per report grew from 0.6 to 1.3 ms between 1,000 and 3,000 reports; flat with 64 MB).
# The pooled connection keeps it after the save, on purpose: setting it back frees those pages at once
# (the next batch would read them again); only ingest, a process of its own, calls save_many
WRITE_CACHE_KB = 65_536


def default_url() -> str:
    """``NIANBAO_DB``, else a SQLite file under ``$NIANBAO_DATA`` (default ``./.nianbao``)."""
    if os.environ.get("NIANBAO_DB"):
        return os.environ["NIANBAO_DB"]
    data = Path(os.environ.get("NIANBAO_DATA") or ".nianbao")
    return f"sqlite:///{data / 'nianbao.db'}"


def _args(url: sa.URL) -> dict[str, object]:
    """psycopg's own arguments: no server-side prepared statements. After five runs of one SQL text
    psycopg prepares it, and PostgreSQL may then plan it once for any value: a search's agency look-up
    planned for any term read every agency name for a one-character one (q=局 at 1M: 22 → 210–340 ms
    a statement, a request 2.6–2.9 s in a long-lived server); planned for its own term each time, it stays fast."""
    return {"prepare_threshold": None} if url.get_driver_name() == "psycopg" else {}


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")  # sqlite:, postgresql+psycopg:, …; not a drive's C:


def normalise_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` use psycopg 3; a plain file path (no scheme:
    ``x.db``, ``/data/nianbao.db``, ``C:\\data\\nianbao.db``) is a SQLite file; anything else is
    left as given (``postgresql:/x``, a URL mistyped, is one line saying so, not a SQLite file
    in a new folder ``postgresql:``)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url if _SCHEME.match(url) else f"sqlite:///{url}"


def sqlite_file(url: sa.URL) -> Path | None:
    """The file a SQLite address names; None for another database or one in memory."""
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database)
    return None


def connect(url: str | None = None, create: bool = True) -> Engine:
    """An engine on ``url`` (default :func:`default_url`) whose tables are created or migrated.
    ``create=False`` (the commands that only read a store): a SQLite file that does not exist is
    a :class:`StoreError` saying so, instead of a new empty database."""
    url = normalise_url(url or default_url())
    try:
        parsed = sa.make_url(url)
    except ArgumentError as e:
        raise StoreError(f"数据库地址无法识别：{url}") from e
    unsupported = (
        f"不支持的数据库地址：{parsed.render_as_string(hide_password=True)}（可用 sqlite:/// 或 postgresql://）"
    )
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):  # mysql://…: not a driver to install
        raise StoreError(unsupported)
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() != "psycopg":
        raise StoreError(unsupported)  # postgresql+psycopg2://, +pg8000://: an ingest sends its cells by psycopg's COPY
    if (file := sqlite_file(parsed)) is not None:
        if not create and not file.is_file():
            raise StoreError(f"找不到数据库 {file}（先用 nianbao ingest 建库，或用 --db 指定）")
        file.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = sa.create_engine(parsed, pool_pre_ping=True, json_serializer=_json_text, connect_args=_args(parsed))
    except ModuleNotFoundError as e:
        raise StoreError(
            f"缺少 PostgreSQL 数据库驱动 {e.name}：请安装可选组件 postgres（在 nianbao 源码目录运行 pip install -e '.[postgres]'）"
        ) from e
    except ArgumentError as e:  # an unknown driver: postgresql+foo://
        raise StoreError(unsupported) from e
    if engine.dialect.name == "sqlite":
        _sqlite_pragmas(engine)
    try:
        with writing(engine) as conn:
            migrate(conn)
            _warn(conn)
    except DBAPIError as e:
        engine.dispose()
        raise StoreError(f"无法打开数据库 {parsed.render_as_string(hide_password=True)}：{_first_line(e)}") from e
    except BaseException:  # refused (a newer schema, a user who may not migrate it) or interrupted
        engine.dispose()  # its connections closed now, not left to the garbage collector
        raise
    return engine


def _warn(conn: Connection) -> None:
    """:func:`nianbao.store.schema.warn_if_behind` and :func:`nianbao.store.search.warn_if_slow`,
    never raised: under ``python -W error`` (or PYTHONWARNINGS=error) a warning is shown all the
    same (by the CLI as one Chinese line), not a traceback that ends the command and rolls the
    migration back."""
    for warn in (warn_if_behind, search.warn_if_slow):
        try:
            warn(conn)
        except UserWarning as w:
            warnings.showwarning(w, type(w), warn.__code__.co_filename, 0)


def _json_text(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _first_line(e: Exception) -> str:
    text = str(getattr(e, "orig", None) or e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def _sqlite_pragmas(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun below, not by the driver
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 60000")
        cur.execute("PRAGMA page_size = 8192")  # a new file only: packs rows of 2–4 KB (zlib'd originals) better
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("nianbao_write") else "BEGIN")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A transaction holding the store's write lock; committed on success."""
    with engine.connect() as conn:
        conn.execution_options(nianbao_write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
            yield conn


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read transaction that sees one snapshot throughout, however many queries it runs
    (REPEATABLE READ on PostgreSQL; a SQLite transaction in WAL mode reads one snapshot)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


@dataclass(frozen=True)
class SaveResult:
    status: Literal["loaded", "unchanged", "new_version", "pending"]
    report_id: int
    version: int = 1


class Store:
    """Saves reports and cross-report findings; reads reports back for the cross-report rules."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def known_sha256(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(sa.select(reports.c.sha256)).scalars())

    def analyze(self) -> None:
        """Refresh the planner's statistics (after a bulk load), so that it scans rather than
        looks up every current report one by one."""
        with writing(self.engine) as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA analysis_limit = 1000")  # sample; a full ANALYZE reads every index
            elif conn.dialect.name == "postgresql":
                spread_agency_keys(conn)  # its sample misjudges how many agencies there are
            conn.exec_driver_sql("ANALYZE")

    def save(
        self,
        report: Report,
        found: list[Diagnostic],
        source: dict | None = None,
        original: bytes | None = None,
        who: str = "",
        pending: bool = False,
    ) -> SaveResult:
        """Store one report with its findings, its full JSON, ``source`` (what the reader saw:
        :meth:`nianbao.pipeline.Processed.source`) and the file's ``original`` bytes in one
        transaction, logged as done by ``who``.

        The same content (sha256) again is a no-op (but keeps the original if it was not kept);
        another content for an agency and year already stored becomes the next version, and the
        earlier ones stop being current — unless ``pending``: it is then stored as the next
        version waiting for :func:`nianbao.store.versions.confirm` (status ``pending``)."""
        return self.save_prepared(prepare(report, found, source), original, who, pending)

    def save_prepared(
        self, prepared: Prepared, original: bytes | None = None, who: str = "", pending: bool = False
    ) -> SaveResult:
        """:meth:`save` for a report already turned into rows by :func:`prepare`."""
        for attempt in range(SAVE_ATTEMPTS):
            try:
                with writing(self.engine) as conn:
                    return _save_all(conn, [(prepared, original)], who, pending)[0]
            except IntegrityError:  # another process stored the same file or version first
                if attempt == SAVE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def save_many(self, items: Sequence[tuple[Prepared, bytes | None]], who: str = "") -> list[SaveResult]:
        """:meth:`save_prepared` for many reports ``(prepared, original)`` in ONE transaction (bulk
        ingest: one commit per batch, not per report). Should another process store one of the same
        files or versions meanwhile, each report is saved again in its own transaction."""
        try:
            with writing(self.engine) as conn:
                if conn.dialect.name == "sqlite":
                    conn.exec_driver_sql(f"PRAGMA cache_size = -{WRITE_CACHE_KB}")
                return _save_all(conn, items, who)
        except IntegrityError:
            return [self.save_prepared(p, original, who) for p, original in items]
        except DBAPIError as e:  # a full disk, a database server gone …
            raise StoreError(f"写入数据库时出错：{_first_line(e)}") from e

    def save_cross(self, found: Iterable[Diagnostic]) -> int:
        """Replace every cross-report finding with ``found``; returns how many were stored."""
        from nianbao.store import aggregates  # it imports this module

        found = list(found)
        with writing(self.engine) as conn:
            aggregates.crossed(conn, "-")  # the reports' status by the findings replaced, then by the new
            conn.execute(diagnostics.delete().where(diagnostics.c.report_id.is_(None)))
            ids = dict(conn.execute(sa.select(reports.c.source_file, reports.c.id).where(reports.c.is_current)).all())
            if not found:
                return 0
            stmt = diagnostics.insert().returning(diagnostics.c.id, sort_by_parameter_order=True)
            dids = conn.execute(stmt, [diagnostic_row(d, None) for d in found]).scalars().all()
            links = [
                {"diagnostic_id": did, "report_id": rid}
                for did, d in zip(dids, found, strict=True)
                for rid in {ids[f] for f in (*d.files, d.file) if f in ids}
            ]
            if links:
                conn.execute(cross_reports.insert(), links)
                aggregates.crossed(conn, "+")
        return len(found)

    def keep_original(self, data: bytes) -> bool:
        """Keep a stored file's bytes (one stored before originals were kept); False when they were
        already kept, are over the size limit or are no stored report's."""
        digest = hashlib.sha256(data).hexdigest()
        with writing(self.engine) as conn:
            if conn.execute(sa.select(reports.c.id).where(reports.c.sha256 == digest)).first() is None:
                return False
            return originals.keep(conn, digest, data)

    def replace_prepared(self, report_id: int, prepared: Prepared) -> None:
        """Put a new reading of the same file (a re-check with a newer nianbao) in place of the
        stored one: the report keeps its id, agency, year, version and state; its cells, sections,
        narrative, findings, counts and JSON are those of ``prepared``."""
        keep = ("agency", "agency_key", "year", "sha256", "source_file")
        head = {k: v for k, v in prepared.report.items() if k not in keep}
        with writing(self.engine) as conn:
            for table in (documents, cells, facts, diagnostics):
                conn.execute(table.delete().where(table.c.report_id == report_id))
            conn.execute(reports.update().where(reports.c.id == report_id).values(**head))
            kept = sa.select(originals.originals.c.sha256).where(
                originals.originals.c.sha256 == prepared.report["sha256"]
            )
            source = kept_view(prepared.source) if conn.execute(kept).first() else prepared.source
            conn.execute(
                documents.insert(), {"report_id": report_id, "document": prepared.document_zipped, "source": source}
            )
            _insert_cells(conn, [(report_id, prepared)])
            for table, rows in ((facts, prepared.facts), (diagnostics, prepared.diagnostics)):
                if rows:
                    conn.execute(table.insert(), [{**r, "report_id": report_id} for r in rows])

    def replace_findings(self, report_id: int, found: list[Diagnostic], values: dict[str, float | int | None]) -> None:
        """The report's own findings and its counts and totals (from ``values``, the cell values
        the checks used, corrections applied) after its checks ran again."""
        severities = Counter(d.severity for d in found)
        counts = {"n_errors": severities["error"], "n_warnings": severities["warning"], "n_infos": severities["info"]}
        with writing(self.engine) as conn:
            conn.execute(diagnostics.delete().where(diagnostics.c.report_id == report_id))
            if found:
                conn.execute(diagnostics.insert(), [diagnostic_row(d, report_id) for d in found])
            conn.execute(
                reports.update().where(reports.c.id == report_id).values(**counts, **summary_from_values(values))
            )

    def load_report(self, report_id: int) -> Report | None:
        """The stored report as it was read (cells with provenance, sections, narrative, notes, …)."""
        found = self.load_reports([report_id])
        return found[0] if found else None

    def load_reports(self, ids: Iterable[int] | None = None) -> list[Report]:
        """Stored reports, rebuilt from their JSON: ``ids`` (in id order), or every current one."""
        with reading(self.engine) as conn:
            return [report_from_json(d) for d in conn.execute(documents_of(ids)).scalars()]

    def load_source(self, report_id: int) -> dict | None:
        """What the reader saw of the report's file (``lines`` or ``blocks``); None when it was not stored."""
        with reading(self.engine) as conn:
            return originals.view(conn, report_id)


def documents_of(ids: Iterable[int] | None = None) -> sa.Select:
    """The stored JSON of the reports ``ids`` (in id order), or of every current one."""
    where = reports.c.is_current if ids is None else reports.c.id.in_(list(ids))
    return (
        sa.select(documents.c.document)
        .join(reports, reports.c.id == documents.c.report_id)
        .where(where)
        .order_by(reports.c.id)
    )


CELL_COLUMNS = ("report_id", "path_id", "value", "raw", "derived")


def _save_all(
    conn: Connection, items: Sequence[tuple[Prepared, bytes | None]], who: str, pending: bool = False
) -> list[SaveResult]:
    """Reports with their originals and audit entries, inside the caller's write transaction, in
    one statement per table: a content (sha256) already stored is ``unchanged``; another content
    for an agency and year already stored is its next version, current unless ``pending``."""
    heads = [p.report for p, _ in items]
    shas = {h["sha256"] for h in heads}
    q = sa.select(reports.c.sha256, reports.c.id, reports.c.version).where(reports.c.sha256.in_(shas))
    stored = {r.sha256: SaveResult("unchanged", r.id, r.version) for r in conn.execute(q)}
    latest = _latest_versions(conn, {(h["agency_key"], h["year"]) for h in heads})
    now = datetime.now(UTC)
    fresh: dict[str, tuple[Prepared, dict, str]] = {}  # sha256 -> rows, report row, status
    current: dict[tuple, dict] = {}  # agency-year -> the row of its version that becomes current
    for p, _ in items:
        h = p.report
        if h["sha256"] in stored or h["sha256"] in fresh:
            continue
        ay = (h["agency_key"], h["year"])
        version, status = 1, "loaded"
        if ay in latest:
            version, status = latest[ay] + 1, "pending" if pending else "new_version"
        row = {**h, "version": version, "is_current": status != "pending", "loaded_at": now}
        if None not in ay:
            latest[ay] = version
            if status != "pending":
                if ay in current:
                    current[ay]["is_current"] = False
                current[ay] = row
        fresh[h["sha256"]] = (p, row, status)
    superseded = {(row["agency_key"], row["year"]) for _, row, status in fresh.values() if status == "new_version"}
    for agency, year in superseded:
        conn.execute(
            reports.update().where(reports.c.agency_key == agency, reports.c.year == year).values(is_current=False)
        )
    if fresh:
        insert = reports.insert().returning(reports.c.id, sort_by_parameter_order=True)
        ids = conn.execute(insert, [row for _, row, _ in fresh.values()]).scalars().all()
        given = {p.report["sha256"] for p, data in items if data is not None and originals.keepable(data)}
        _insert_reports_rows(
            conn, [(rid, p, status) for rid, (p, _, status) in zip(ids, fresh.values(), strict=True)], now, given
        )
        changes = []
        for rid, (sha, (_, row, status)) in zip(ids, fresh.items(), strict=True):
            stored[sha] = SaveResult(status, rid, row["version"])
            changes.append(_save_logged(row, stored[sha], who))
        audit.record_many(conn, changes)
    originals.keep_many(conn, {p.report["sha256"]: data for p, data in items if data is not None})
    results, seen = [], set()
    for h in heads:
        saved = stored[h["sha256"]]
        if h["sha256"] in seen or h["sha256"] not in fresh:
            saved = SaveResult("unchanged", saved.report_id, saved.version)
        seen.add(h["sha256"])
        results.append(saved)
    return results


def _latest_versions(conn: Connection, years: set[tuple]) -> dict[tuple, int]:
    """The latest stored version of each (agency_key, year) that has one."""
    keys = {k for k, y in years if k is not None and y is not None}
    if not keys:
        return {}
    q = (
        sa.select(reports.c.agency_key, reports.c.year, sa.func.max(reports.c.version))
        .where(reports.c.agency_key.in_(keys))
        .group_by(reports.c.agency_key, reports.c.year)
    )
    return {(k, y): v for k, y, v in conn.execute(q) if (k, y) in years}


def _insert_reports_rows(
    conn: Connection, fresh: list[tuple[int, Prepared, str]], now: datetime, given: set[str]
) -> None:
    """The rows of new reports ``(id, rows, status)`` beside ``reports``: one statement per table;
    ``given``: the sha256 of those whose original is kept with them."""
    pending = [{"report_id": rid, "state": "pending", "at": now} for rid, _, status in fresh if status == "pending"]
    if pending:
        conn.execute(report_states.insert(), pending)
    docs = [
        {
            "report_id": rid,
            "document": p.document_zipped,
            "source": kept_view(p.source) if p.report["sha256"] in given else p.source,
        }
        for rid, p, _ in fresh
    ]
    conn.execute(documents.insert(), docs)
    _insert_cells(conn, [(rid, p) for rid, p, _ in fresh])
    for table, attr in ((facts, "facts"), (diagnostics, "diagnostics")):
        rows = [{**r, "report_id": rid} for rid, p, _ in fresh for r in getattr(p, attr)]
        if rows:
            conn.execute(table.insert(), rows)


def _insert_cells(conn: Connection, reports_: list[tuple[int, Prepared]]) -> None:
    """The cells of reports ``(id, rows)``, their paths numbered (a path never stored before is
    added to ``paths``: the data model's keys are a fixed small set, so all are read at once)."""
    wanted = set().union(*(p.cells.paths for _, p in reports_))
    if not wanted:
        return
    number = dict(conn.execute(sa.select(paths.c.path, paths.c.id)).all())
    if not wanted <= number.keys():
        new = (p for p in dict.fromkeys(chain.from_iterable(p.cells.paths for _, p in reports_)) if p not in number)
        conn.execute(paths.insert(), [{"path": p} for p in new])
        number = dict(conn.execute(sa.select(paths.c.path, paths.c.id)).all())
    rows = chain.from_iterable(
        zip(repeat(rid), map(number.__getitem__, c.paths), c.values, c.raws, c.derived)
        for rid, c in ((rid, p.cells) for rid, p in reports_)
    )
    _insert_rows(conn, cells, CELL_COLUMNS, list(rows))


def _save_logged(head: dict, saved: SaveResult, who: str) -> tuple[str, str, str, dict]:
    """The audit entry ``(who, action, target, detail)`` of a report saved."""
    detail = {
        "report_id": saved.report_id,
        "file": head["source_file"],
        "sha256": head["sha256"],
        "status": saved.status,
    }
    return who, "pending" if saved.status == "pending" else "ingest", describe(head, saved.version), detail


def report_head(conn: Connection, report_id: int, columns: Iterable[sa.Column]) -> sa.Row:
    """The ``columns`` of the stored report ``report_id``; a :class:`StoreError` when there is none."""
    head = conn.execute(sa.select(*columns).where(reports.c.id == report_id)).first()
    if head is None:
        raise StoreError(f"没有编号为 {report_id} 的报告")
    return head


def describe(head: dict | sa.Row, version: int | None = None) -> str:
    """A stored report named for people: 单位 年度 第 N 版."""
    get = head.get if isinstance(head, dict) else head._mapping.get
    year = get("year")
    name = f"{get('agency') or '（单位未识别）'} {f'{year}年度' if year else '（年度未识别）'}"
    version = version if version is not None else get("version")
    return f"{name} 第 {version} 版" if version else name


_COMPILED: dict[str, str] = {}


def _insert_rows(conn: Connection, table: sa.Table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """executemany straight through the driver (bound parameters), for the many cells of a report;
    on PostgreSQL ``COPY … FROM STDIN``: psycopg's executemany spends ≈ 10 µs of Python a row in its
    pipeline (1,000 reports' 226,000 cells: most of the writer's 2 ms a report)."""
    if conn.dialect.name == "postgresql":
        sql, dbapi = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN", conn.dialect.loaded_dbapi
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            with cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        except dbapi.Error as e:  # raised as SQLAlchemy raises its statements' (IntegrityError, OperationalError …)
            raise DBAPIError.instance(sql, None, e, dbapi.Error) from e
        return
    if table.name not in _COMPILED:  # SQLite's qmark parameters, in the order of ``columns``
        _COMPILED[table.name] = str(
            table.insert().values({c: sa.bindparam(c) for c in columns}).compile(dialect=conn.dialect)
        )
    conn.exec_driver_sql(_COMPILED[table.name], rows)
