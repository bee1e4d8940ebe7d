"""Bulk ingest: folders and globs, no-op on a second run, unreadable files reported, concurrent
ingests of overlapping folders, an interrupted ingest resumed (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.pipeline import process
from nianbao.pipeline.ingest import CHUNK, Outcome, Summary, ingest, scan, summary_lines
from nianbao.pipeline.workers import Workers
from nianbao.store import db
from nianbao.store.db import Store, connect
from nianbao.store.schema import StoreError, cells, diagnostics, reports
from tests.pipeline.hostile_helpers import gone
from tests.store.store_helpers import write_synthetic

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reports"
NIANBAO = [sys.executable, "-c", "from nianbao.cli import main; main()"]


def counts(engine: sa.Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar_one()
        shas = conn.execute(sa.select(sa.func.count(sa.distinct(reports.c.sha256)))).scalar_one()
        c = conn.execute(sa.select(sa.func.count()).select_from(cells)).scalar_one()
    return n, shas, c


def _all_ids(engine: sa.Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(reports.c.id)).scalars())


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*NIANBAO, *args], capture_output=True, text=True, env=env, timeout=300)


def test_scan_walks_folders_and_globs_and_keeps_missing_names(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "a" / "b", range(2))
    (tmp_path / "a" / "notes.json").write_text("{}")
    (tmp_path / "a" / ".hidden").mkdir()
    (tmp_path / "a" / ".hidden" / "x.txt").write_text("x")
    found = scan([tmp_path / "a", str(tmp_path / "a" / "b" / "*.txt"), tmp_path / "missing.txt"]).files
    assert [p.name for p in found] == ["report-000.txt", "report-001.txt", "missing.txt"]


def test_a_folder_takes_files_with_no_suffix_and_names_what_it_skips(tmp_path: Path) -> None:
    write_synthetic(tmp_path, range(3))
    (tmp_path / "report-000.txt").rename(tmp_path / "scraped")  # a scraped page with no suffix: sniffed
    (tmp_path / "report-001.txt").rename(tmp_path / "report-001.text")
    (tmp_path / "page.js").write_text("var x;")
    (tmp_path / "notes.json").write_text("{}")
    (tmp_path / "dump.bin").write_bytes(b"\0")
    found = scan([tmp_path])
    assert sorted(p.name for p in found.files) == ["report-001.text", "report-002.txt", "scraped"]
    assert sorted(p.name for p in found.skipped) == ["dump.bin", "notes.json", "page.js"]
    lines = summary_lines(Summary(loaded=3, skipped=found.skipped))
    assert (
        "文件夹中跳过 3 个文件（扩展名不是报告格式：.bin 1 个，.js 1 个，.json 1 个；要读取请直接写出文件名）" in lines
    )
    assert scan([tmp_path / "dump.bin"]).files == [tmp_path / "dump.bin"]  # a file named is always tried


def test_fixtures_load_once_and_a_second_run_is_a_no_op(db_url: str) -> None:
    engine = connect(db_url)
    store = Store(engine)
    files = scan([FIXTURES]).files
    first = ingest([FIXTURES], store, workers=2)
    assert first.readable == len(files) and not first.unreadable
    assert first.loaded + first.new_versions == len(files)
    stored = {r.source.sha256: r for r in store.load_reports(_all_ids(engine))}
    with engine.connect() as conn:
        ids = dict(conn.execute(sa.select(reports.c.sha256, reports.c.id)).all())
    for f in files:  # every fixture comes back as read: each cell's value, text and place, sections, notes, …
        done = process(f)
        assert stored[done.report.source.sha256] == done.report, f
        # … and what the reader saw (a text file's lines: the worker sends none, its original gives them)
        assert store.load_source(ids[done.report.source.sha256]) == done.source(), f
    before = counts(engine)
    seen: list[Outcome] = []
    second = ingest([FIXTURES], store, workers=2, on_file=seen.append)
    assert (second.loaded, second.new_versions, second.unchanged) == (0, 0, len(files))
    assert {o.status for o in seen} == {"unchanged"}
    assert counts(engine) == before
    with engine.connect() as conn:
        cross = conn.execute(sa.select(sa.func.count()).where(diagnostics.c.report_id.is_(None))).scalar_one()
    assert cross == sum(first.cross.values()) == sum(second.cross.values())


def test_unreadable_files_are_reported_and_do_not_stop_the_batch(db_url: str, tmp_path: Path) -> None:
    good = write_synthetic(tmp_path, range(2))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    summary = ingest([tmp_path, tmp_path / "nope.txt"], Store(connect(db_url)), workers=2)
    assert summary.loaded == len(good)
    reasons = dict((Path(f).name, r) for f, r in summary.unreadable)
    assert set(reasons) == {"empty.txt", "broken.pdf", "broken.docx", "nope.txt"}
    assert reasons["nope.txt"] == "文件不存在"
    assert all(reasons.values())


def test_two_ingests_of_overlapping_folders_at_once_lose_and_duplicate_nothing(db_url: str, tmp_path: Path) -> None:
    write_synthetic(tmp_path / "a", range(0, 24))
    write_synthetic(tmp_path / "b", range(12, 36))
    # a changed file for an agency and year that the other folder also has: one of them becomes version 2
    changed = write_synthetic(tmp_path / "c", [5])[0]
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("一、总体情况", "一、总体情况\n（修订稿）"), encoding="utf-8"
    )
    shutil.move(changed, tmp_path / "b" / "report-005-revised.txt")
    connect(db_url)  # create the tables first so both start from the same database
    procs = [
        subprocess.Popen(
            [*NIANBAO, "ingest", str(tmp_path / d), "--db", db_url, "--workers", "2"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for d in ("a", "b")
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs[0][1][-3000:] + outs[1][1][-3000:]
    engine = connect(db_url)
    n, shas, c = counts(engine)
    assert n == shas == 37  # 36 reports + the revised one, each stored once
    with engine.connect() as conn:
        current = conn.execute(
            sa.select(reports.c.agency_key, reports.c.year, reports.c.version).where(reports.c.is_current)
        ).all()
        versions = conn.execute(
            sa.select(reports.c.version).where(
                reports.c.agency_key == current[0][0].replace(current[0][0], current[0][0])
            )
        ).all()
        assert versions
        per_agency = conn.execute(
            sa.select(reports.c.agency_key, sa.func.count(), sa.func.max(reports.c.version)).group_by(
                reports.c.agency_key
            )
        ).all()
    assert len(current) == 36 and len({(k, y) for k, y, _ in current}) == 36
    assert sorted(n for _, n, _ in per_agency) == [1] * 35 + [2]
    assert all(top == n for _, n, top in per_agency)
    assert c == 37 * 228


@pytest.mark.parametrize("writer", ["workers", "this process"])
def test_interrupted_ingest_keeps_what_was_committed_and_resumes(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: str
) -> None:
    """Saved by the workers (local ones: each saves the files of a task it read) or by this process
    (given a pool, as a Dask cluster is): every file said to be stored before the interruption is,
    and a run again loads exactly the rest."""
    files = write_synthetic(tmp_path, range(24))
    engine = connect(db_url)
    store = Store(engine)
    done: list[Outcome] = []
    monkeypatch.setattr("nianbao.pipeline.ingest.BATCH", 2)  # reports are committed two by two
    monkeypatch.setattr("nianbao.pipeline.ingest.BATCH_SECONDS", 1e9)

    def stop_after_three(o: Outcome) -> None:
        done.append(o)
        if len(done) == 3:  # (this process saving: the first of the second batch, committed already)
            raise KeyboardInterrupt

    pool = Workers(2, chunk=CHUNK) if writer == "this process" else None
    with pytest.raises(KeyboardInterrupt):
        ingest([tmp_path], store, workers=2, on_file=stop_after_three, pool=pool)
    kept = counts(engine)[0]
    assert {o.report_id for o in done} <= set(_all_ids(engine))
    assert (kept == 4) if pool else (3 <= kept < len(files))  # the workers go on until they are stopped
    again = ingest([tmp_path], store, workers=2)
    assert (again.unchanged, again.loaded) == (kept, len(files) - kept)
    assert counts(engine)[:2] == (len(files), len(files))


def test_local_workers_save_what_they_read(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With local workers this process saves nothing itself: each worker saves the files of a task
    in one transaction, and the outcomes (status, report id, findings) come back to it."""
    write_synthetic(tmp_path, range(6))
    store = Store(connect(db_url))

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("saved by the process that reads no file")

    monkeypatch.setattr(Store, "save_many", refused)
    done: list[Outcome] = []
    summary = ingest([tmp_path], store, workers=2, on_file=done.append, cross=False)
    assert summary.loaded == 6 and sorted(o.report_id for o in done) == _all_ids(store.engine)
    assert all(o.status == "loaded" for o in done)
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(sa.func.count()).select_from(diagnostics)).scalar_one()
    assert stored and sum(summary.findings.values()) == stored  # each file's findings, as the worker counted them


def test_the_last_reports_are_saved_in_smaller_batches(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When this process saves (given a pool), near the end a batch is saved once it holds as many
    reports as are still to come (TAIL at least): the save after the last file is read, with no
    worker reading beside it, is small. (Local workers saving their own tasks get smaller tasks
    near the end instead: test_workers_chunk.)"""
    write_synthetic(tmp_path, range(20))
    store = Store(connect(db_url))
    sizes: list[int] = []
    save_many = Store.save_many

    def counted(self: Store, items: list, who: str = "") -> list:
        sizes.append(len(items))
        return save_many(self, items, who)

    monkeypatch.setattr(Store, "save_many", counted)
    monkeypatch.setattr("nianbao.pipeline.ingest.BATCH", 8)
    monkeypatch.setattr("nianbao.pipeline.ingest.TAIL", 2)
    monkeypatch.setattr("nianbao.pipeline.ingest.BATCH_SECONDS", 1e9)
    assert ingest([tmp_path], store, cross=False, pool=Workers(2, chunk=CHUNK)).loaded == 20
    assert sizes == [8, 6, 3, 2, 1]  # 12 to come after the first 8, then 6, 3, 1


def test_killed_ingest_process_resumes(db_url: str, tmp_path: Path) -> None:
    files = write_synthetic(tmp_path, range(40))
    engine = connect(db_url)
    proc = subprocess.Popen(
        [*NIANBAO, "ingest", str(tmp_path), "--db", db_url, "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while counts(engine)[0] < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert gone(proc.pid) == []  # the workers, which save what they read, end with it
    kept = counts(engine)[0]
    assert kept >= 2
    again = ingest([tmp_path], Store(engine), workers=2)
    assert again.unchanged == kept and again.loaded == len(files) - kept
    assert counts(engine)[:2] == (len(files), len(files))


def test_cli_ingest_and_export(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    write_synthetic(tmp_path / "in", range(3))
    done = cli("ingest", str(tmp_path / "in"), "--db", url)
    assert done.returncode == 0, done.stderr
    assert "新入库 3 份" in done.stdout
    again = cli("ingest", str(tmp_path / "in"), "--db", url)
    assert "未变化 3 份" in again.stdout
    nothing = cli("ingest", str(tmp_path / "missing"), "--db", url)
    assert nothing.returncode == 2 and "文件不存在" in nothing.stdout
    out = tmp_path / "all.xlsx"
    exported = cli("export", "--to", "xlsx", "-o", str(out), "--db", url)
    assert exported.returncode == 0 and "已导出 3 份报告" in exported.stderr
    import openpyxl

    assert openpyxl.load_workbook(out).sheetnames[0] == "报告"
    env = {**os.environ, "NIANBAO_DB": url}
    csv_out = tmp_path / "x.csv"
    assert cli("export", "--to", "csv", "-o", str(csv_out), env=env).returncode == 0
    assert csv_out.read_bytes().startswith("\ufeff报告编号".encode())
    assert cli("export", "--to", "pdf", "-o", str(csv_out), "--db", url).returncode == 2
    assert cli("ingest", str(tmp_path / "in"), "--workers", "0", "--db", url).returncode == 2
    bad = cli("ingest", str(tmp_path / "in"), "--db", "nosuchdb://x")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    quiet = cli("ingest", str(tmp_path / "in"), "--db", url, "--no-cross")
    assert quiet.returncode == 0 and "跨报告核对" not in quiet.stdout


def test_no_worker_is_started_for_nothing_to_read(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty folder, or only files that are not reports, starts no fork server (≈ 0.1 s of CPU)."""
    started: list[bool] = []
    store = Store(connect(db_url))
    write_synthetic(tmp_path / "stored", range(1))
    assert ingest([tmp_path / "stored"], store, cross=False).loaded == 1
    monkeypatch.setattr("nianbao.pipeline.workers.forkserver.ensure_running", lambda: started.append(True))
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("x")
    assert ingest([tmp_path / "js"], store, cross=False).skipped  # a folder of no report
    assert ingest([tmp_path / "stored"], store, cross=False).unchanged == 1  # every file stored already
    assert not started


def test_a_pool_given_is_closed_even_with_nothing_to_read(db_url: str, tmp_path: Path) -> None:
    """``ingest --cluster`` over files all stored already: the Dask pool (its local workers, its
    connection to the scheduler) is closed all the same."""

    class Pool:
        size, closed = 1, False

        def map(self, fn: object, items: list, in_flight: int = 0) -> list:
            return []

        def __enter__(self) -> Pool:
            return self

        def __exit__(self, *exc: object) -> None:
            self.closed = True

    store = Store(connect(db_url))
    write_synthetic(tmp_path, range(1))
    ingest([tmp_path], store, cross=False)
    pool = Pool()
    assert ingest([tmp_path], store, cross=False, pool=pool).unchanged == 1 and pool.closed


def _driver_error(conn: object, rows: object) -> None:
    full = sqlite3.OperationalError("database or disk is full")
    raise sa.exc.OperationalError("COPY cells …", None, full)  # as store.db raises COPY's errors


def _statement_error(conn: sa.Connection, rows: object) -> None:
    conn.exec_driver_sql("INSERT INTO no_such_table VALUES (1)")  # through SQLAlchemy: a DBAPIError


@pytest.mark.parametrize("failing", [_driver_error, _statement_error])
def test_a_batch_this_process_cannot_write_is_a_store_error_and_the_batches_before_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: object
) -> None:
    """Given a pool (this process saves, as with a Dask cluster): a full disk or a server gone while
    a batch is written is the store's error, one line; the batch is rolled back, the ones before
    it kept, and a run again goes on."""
    write_synthetic(tmp_path / "in", range(6))
    url = f"sqlite:///{tmp_path / 's.db'}"
    for name, value in (("BATCH", 2), ("TAIL", 2), ("BATCH_SECONDS", 1e9)):
        monkeypatch.setattr(f"nianbao.pipeline.ingest.{name}", value)
    insert, calls = db._insert_cells, []

    def full_at_the_second(conn: sa.Connection, rows: list) -> None:
        calls.append(1)
        (failing if len(calls) == 2 else insert)(conn, rows)  # type: ignore[operator]

    monkeypatch.setattr(db, "_insert_cells", full_at_the_second)
    with pytest.raises(StoreError, match="^写入数据库时出错：") as e:
        ingest([tmp_path / "in"], Store(connect(url)), cross=False, pool=Workers(1, chunk=CHUNK))
    assert "\n" not in str(e.value) and counts(connect(url))[0] == 2
    monkeypatch.setattr(db, "_insert_cells", insert)
    again = ingest([tmp_path / "in"], Store(connect(url)), cross=False, pool=Workers(1, chunk=CHUNK))
    assert (again.unchanged, again.loaded) == (2, 4)


def test_a_batch_a_worker_cannot_write_is_one_line_and_the_batches_before_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk or a server gone while a worker writes the files it read: one Chinese line, exit
    2, no traceback; the batch is rolled back, the ones before it kept, and a run again goes on.
    The database itself fails here: a trigger's error once two reports are stored."""
    write_synthetic(tmp_path / "in", range(6))
    url = f"sqlite:///{tmp_path / 's.db'}"
    for name, value in (("BATCH", 2), ("BATCH_SECONDS", 1e9)):
        monkeypatch.setattr(f"nianbao.pipeline.ingest.{name}", value)
    full = "CASE WHEN (SELECT count(*) FROM reports) > 2 THEN json('disk full') ELSE 0 END"
    with connect(url).begin() as conn:
        conn.exec_driver_sql(f"CREATE TRIGGER full BEFORE INSERT ON cells WHEN {full} BEGIN SELECT 1; END")
    args = ["ingest", str(tmp_path / "in"), "--db", url, "--workers", "1", "--no-cross"]
    result = CliRunner().invoke(app, args, prog_name="nianbao")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    line = [x for x in result.stderr.splitlines() if "数据库" in x]
    assert len(line) == 1 and line[0].startswith("nianbao: 数据库: 写入数据库时出错：")
    assert "malformed JSON" in line[0] and "此前已入库的报告都已保存" in line[0]
    assert counts(connect(url))[0] == 2
    with connect(url).begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER full")
    assert CliRunner().invoke(app, args).exit_code == 0 and counts(connect(url))[0] == 6
