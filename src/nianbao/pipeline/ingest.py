"""Bulk loading: files, folders (recursive) and globs → :func:`~nianbao.pipeline.process` on every core → the store.

Workers read, check and turn each report into table rows, each in a process whose memory and
time the OS bounds (a worker that dies is replaced and its file named as unreadable), and save
them: a task of up to :data:`BATCH` files in one transaction (or what was read in
:data:`BATCH_SECONDS` seconds), so that ``--workers N`` keeps N cores busy and no one process
writes everything. The parent hashes the files (skipping those stored by their sha256 before
parsing them), hands out at most two tasks per worker, so memory does not grow with the number
of files, and counts the outcomes. From a Dask cluster (or into a store in memory, or named by a
SQLite ``file:`` URI) the results come back instead and the parent saves them in the same
batches (:class:`Batch`). An interrupted ingest keeps every batch already committed; one
unreadable file never stops the batch. Afterwards the cross-report rules run over every current
report in the store."""

from __future__ import annotations

import errno
import gc
import glob
import hashlib
import os
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from nianbao import limits
from nianbao.check import check_across, check_report
from nianbao.check.across import TEXT_SECTIONS
from nianbao.model import Diagnostic, Report
from nianbao.pipeline import process
from nianbao.pipeline.work import Process, Read, read_file
from nianbao.pipeline.workers import SAVING, Bounds, Finish, WorkerLost, Workers, warm
from nianbao.read import NOT_REGULAR
from nianbao.store import agencies, corrections, lean, originals, queries
from nianbao.store.db import Store, connect, sqlite_file
from nianbao.store.schema import StoreError
from nianbao.template.names import SEVERITY_NAMES

# what a folder is searched for, besides files with no suffix (scraped pages often have none: the
# content tells the format); a file named explicitly is always tried, the others are counted as skipped
REPORT_SUFFIXES = frozenset(
    ".txt .text .md .markdown .htm .html .shtml .xhtml .docx .doc .pdf .xlsx .png .jpg .jpeg .tif .tiff .bmp .gif "
    ".webp".split()
)

BATCH = 200  # reports saved in one transaction (by a local worker: files in one task)
TAIL = 25  # … and at least this many near the end (:class:`Batch`): each transaction costs the writer ≈ 5 ms
BATCH_SECONDS = 2.0  # … or fewer, once the first of them has waited this long
AHEAD = 2  # tasks in flight per worker: one to go on with once a task is done, never the whole folder
CHUNK = 8  # files per task when this process writes (:class:`Batch`): each message costs it CPU

CROSS_SECTIONS = tuple(s.key for s in TEXT_SECTIONS)  # the only sections the cross-report rules read


@dataclass(frozen=True)
class Outcome:
    """What happened to one file."""

    file: str
    status: str  # loaded | unchanged | new_version | unreadable
    reason: str = ""
    report_id: int | None = None
    severities: tuple[tuple[str, int], ...] = ()


OnFile = Callable[[Outcome], None] | None


@dataclass
class Summary:
    loaded: int = 0
    skipped: tuple[Path, ...] = ()  # files in a folder whose suffix is no report format's
    unchanged: int = 0
    new_versions: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    findings: Counter[str] = field(default_factory=Counter)
    cross: Counter[str] = field(default_factory=Counter)
    cross_ran: bool = False

    def add(self, o: Outcome) -> None:
        if o.status == "unreadable":
            self.unreadable.append((o.file, o.reason))
            return
        self.loaded += o.status == "loaded"
        self.unchanged += o.status == "unchanged"
        self.new_versions += o.status == "new_version"
        self.findings.update(dict(o.severities))

    @property
    def readable(self) -> int:
        return self.loaded + self.unchanged + self.new_versions


class Pool(Protocol):
    """What reads the files: :class:`Workers`, or another pool of the same shape (a Dask cluster)."""

    size: int

    def map(self, fn: Callable[[str], Read], items: Iterable[str], in_flight: int = 0) -> Iterator[tuple[str, Any]]: ...

    def __enter__(self) -> Pool: ...

    def __exit__(self, *exc: object) -> None: ...


class Scan(NamedTuple):
    """What :func:`scan` found: the files to read, the entries refused with their reason, and
    the files of a folder not taken for their suffix (:data:`REPORT_SUFFIXES`)."""

    files: list[Path]
    refused: list[Outcome]
    skipped: tuple[Path, ...] = ()


def scan(args: Iterable[str | Path]) -> Scan:
    """Every file named, found in a folder (recursively) or matched by a glob, once, in a stable order.

    A name that matches nothing is kept, so that it is reported as missing. Inside a folder
    only regular files are taken: a symlink is followed only when it stays in the folder,
    and a link leading out, a special file (FIFO, device, socket) or a folder that cannot be
    read is refused with its reason."""
    files: dict[Path, None] = {}
    refused: dict[Path, str] = {}
    skipped: list[Path] = []
    for arg in map(str, args):
        matches = sorted(glob.glob(arg, recursive=True)) if glob.has_magic(arg) else [arg]
        if not matches:
            files[Path(arg)] = None
        for m in map(Path, matches):
            if m.is_dir():
                _walk(m, files, refused, skipped)
            else:
                files[m] = None
    return Scan(list(files), [Outcome(str(p), "unreadable", why) for p, why in refused.items()], tuple(skipped))


def _walk(top: Path, files: dict[Path, None], refused: dict[Path, str], skipped: list[Path]) -> None:
    root = top.resolve()

    def unreadable(e: OSError) -> None:
        refused[Path(e.filename or top)] = f"无法读取文件夹：{e.strerror or e}"

    for folder, dirs, names in os.walk(top, onerror=unreadable):  # never follows a linked folder
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in dirs:
            link = here / d
            if link.is_symlink() and not link.resolve().is_relative_to(root):
                refused[link] = "链接指向文件夹以外，不跟随"
        for name in sorted(names):
            f = here / name
            if name.startswith("."):
                continue
            if f.suffix and f.suffix.lower() not in REPORT_SUFFIXES:
                skipped.append(f)
                continue
            if why := _refusal(f, root):
                refused[f] = why
            else:
                files[f.resolve() if f.is_symlink() else f] = None


def _refusal(f: Path, root: Path) -> str:
    """Why a file found in the folder ``root`` is not read ('' when it is)."""
    if f.is_symlink():
        try:
            target = f.resolve(strict=True)
        except (OSError, RuntimeError):
            return "链接无效（目标不存在或循环）"
        if not target.is_relative_to(root):
            return "链接指向文件夹以外，不跟随"
    try:
        mode = f.stat().st_mode
    except OSError as e:
        return f"无法读取文件：{e.strerror or e}"
    return "" if stat.S_ISREG(mode) else NOT_REGULAR


def sha256_of(path: Path) -> str:
    """The file's sha256; only a regular file is opened for reading (a FIFO swapped in never blocks)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "不是普通文件")
        h = hashlib.sha256()
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _pending(files: list[Path], known: set[str]) -> Iterator[Outcome | str]:
    """Files still to be parsed (as str), or the outcome of those that need no parsing."""
    for f in files:
        if not f.exists():
            yield Outcome(str(f), "unreadable", "文件不存在")
        elif f.is_dir():
            yield Outcome(str(f), "unreadable", "不是文件")
        elif not f.is_file():
            yield Outcome(str(f), "unreadable", NOT_REGULAR)
        else:
            try:
                digest = sha256_of(f)
            except OSError as e:
                yield Outcome(str(f), "unreadable", f"无法读取文件：{e.strerror or e}")
                continue
            yield Outcome(str(f), "unchanged") if digest in known else str(f)


def ingest(
    paths: Iterable[str | Path] | Scan,
    store: Store,
    workers: int | None = None,
    on_file: OnFile = None,
    cross: bool = True,
    bounds: Bounds | None = None,
    process: Process = process,
    who: str = "",
    pool: Pool | None = None,
) -> Summary:
    """Load ``paths`` (or what :func:`scan` found) into ``store``, each file through ``process``,
    with its original bytes (up to ``Limits.file_mb``), logged as done by ``who``. A file stored
    before originals were kept gets its original kept now.

    Each file is read in a worker bounded by ``bounds`` (:class:`Workers`); one that dies or
    overruns is recorded as unreadable with the reason and the batch goes on. ``on_file`` is
    called after each file (for a progress bar). The cross-report rules run at the end over
    every current report in the store, unless ``cross`` is false. ``pool`` reads the files instead
    of local workers (:class:`nianbao.pipeline.cluster.DaskPool`: on a Dask cluster)."""
    found = paths if isinstance(paths, Scan) else scan(paths)
    summary = Summary(skipped=found.skipped)
    for o in found.refused:
        _done(o, summary, on_file)
    todo: list[str] = []
    known = store.known_sha256()
    missing = bool(known - originals.kept(store.engine))
    for item in _pending(found.files, known):
        if isinstance(item, str):
            if not todo and pool is None:
                warm(SAVING)  # a file to read: the workers' fork server imports while the rest are hashed
            todo.append(item)
            continue
        if missing and item.status == "unchanged" and (data := _original(item.file)) is not None:
            store.keep_original(data)
        _done(item, summary, on_file)
    _read_all(todo, Batch(store, summary, on_file, who, len(todo)), workers, bounds, process, pool)
    if summary.loaded or summary.new_versions:
        agencies.ensure(store.engine)  # the new names in step for users who may only read (docs/store.md)
        store.analyze()
    if cross and summary.readable:
        summary.cross.update(d.severity for d in refresh_cross(store))
        summary.cross_ran = True
    return summary


def _read_all(
    todo: list[str], batch: Batch, workers: int | None, bounds: Bounds | None, process: Process, pool: Pool | None
) -> None:
    """Read ``todo`` into ``batch`` on ``pool`` (closed when done, even with nothing to read) or on
    local workers, at most one per file (none started for nothing), which save what they read
    themselves unless no other process can open the store (:func:`shared_url`)."""
    if pool is None and not todo:
        return
    size = min(max(1, workers or os.cpu_count() or 1), max(1, len(todo)))
    url = None if pool is not None else shared_url(batch.store)
    read = partial(read_file, process=process)
    if url is not None:
        finish = Finish(partial(save_in_worker, url, batch.who), BATCH_SECONDS)
        with Workers(size, bounds, BATCH, SAVING) as savers:  # leaving it stops every worker
            for path, result in savers.map(read, todo, AHEAD * BATCH * savers.size, finish):
                batch.saved(path, result)
        return
    with pool or Workers(size, bounds, CHUNK) as readers, _few_collections():
        try:
            for path, result in readers.map(read, todo, ahead(readers.size)):
                if isinstance(result, WorkerLost):
                    batch.lost(path, str(result))
                else:
                    batch.add(result)
        finally:  # what was read before an interruption is stored too
            batch.flush()


def shared_url(store: Store) -> str | None:
    """The store's address as a worker process opens it (a SQLite file by its absolute path);
    None for a database in this process's memory or named by a ``file:`` URI (taken as one)."""
    url = store.engine.url
    if url.get_backend_name() == "sqlite":
        if (file := sqlite_file(url)) is None or str(file).startswith("file:"):
            return None
        url = url.set(database=str(file.resolve()))
    return url.render_as_string(hide_password=False)


_STORES: dict[str, Store] = {}  # in a worker: the store it saves into, opened at its first save


def save_in_worker(url: str, who: str, reads: list[Read]) -> list[Outcome | StoreError]:
    """Runs in a worker (:class:`~nianbao.pipeline.workers.Finish`): the files it read saved in one
    transaction into the store at ``url``, their outcomes; when that fails, for each the error as
    one line (the database's, or nianbao's own), which stops the ingest."""
    try:
        if url not in _STORES:
            _STORES[url] = Store(connect(url))
        return save_reads(_STORES[url], reads, who)
    except MemoryError:  # the worker retires: the files are saved again, one by one, by another
        raise
    except Exception as e:  # one line, and the reports before are kept: never "unreadable" files
        if (store := _STORES.pop(url, None)) is not None:
            store.engine.dispose()
        said = " ".join(str(e).split())[:200]
        error = e if isinstance(e, StoreError) else StoreError(f"保存时出错（{type(e).__name__}: {said}）")
        return [error] * len(reads)


def save_reads(store: Store, reads: list[Read], who: str) -> list[Outcome]:
    """The reports read saved in one transaction (``Store.save_many``), the corrections of their
    agency-years carried over; the outcome of each file, in order."""
    ok = [(path, prepared, data) for path, prepared, _, data in reads if prepared is not None]
    saved = store.save_many([(p, data) for _, p, data in ok], who) if ok else []
    again = carry_corrections(store, [s.report_id for s in saved if s.status != "unchanged"])
    outcomes = iter(saved)
    done = []
    for path, prepared, reason, _ in reads:
        if prepared is None:
            done.append(Outcome(path, "unreadable", reason))
            continue
        s = next(outcomes)
        counts = Counter(d["severity"] for d in prepared.diagnostics) if s.status != "unchanged" else Counter()
        if s.report_id in again:
            counts = Counter(d.severity for d in again[s.report_id])
        done.append(Outcome(path, s.status, "", s.report_id, tuple(counts.items())))
    return done


def ahead(workers: int) -> int:
    """Files handed to the workers and not yet taken back when this process writes (:class:`Batch`):
    :data:`AHEAD` tasks each, and two whole batches more, so that they go on reading while it saves
    (200 text reports take it ≈ 0.2 s, in which two workers read ≈ 150: with 32 ahead they stood
    idle most of it, and two workers pinned to two cores ingested 380 reports/s instead of 465) —
    even two batches in a row: a save slowed by SQLite's checkpoint (0.4 s) is followed at once by
    the next, for the files read meanwhile, and with one batch ahead both workers then stood idle
    0.15 s, twice in 3,000 reports. Only a file read during a save waits in memory (≈ 10 KB for a
    text report): the rest are names."""
    return AHEAD * CHUNK * workers + 2 * BATCH


@contextmanager
def _few_collections() -> Iterator[None]:
    """The writer's garbage collections made rare and short while it runs: the results it
    receives are trees of tuples and strings freed by their counts (a collection finds next to
    nothing), and walking every module's objects took about a tenth of its CPU (0.18 ms a report,
    now 0.02). Process-wide: :func:`ingest` is the command line's, never run in threads side by side."""
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    if not frozen:  # what a caller froze stays frozen: unfreeze() would thaw it too
        gc.freeze()
    gc.set_threshold(100_000, threshold[1], threshold[2])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if not frozen:
            gc.unfreeze()


class Batch:
    """The outcomes of an ingest, each to ``on_file`` once its report is saved (or found unreadable):
    from the local workers that saved them (:meth:`saved`), or saved here — when the files are read
    on a pool (a Dask cluster) or the store is in this process only — from reports read and
    waiting to be saved together: :meth:`add` saves the batch once it holds :data:`BATCH` reports
    or its first one waited :data:`BATCH_SECONDS`; :meth:`flush` saves what is left.

    Given how many files are ``expected``, the last ones are saved sooner: a batch is saved once it
    holds as many reports as are still to come (:data:`TAIL` at least), so that the save after the
    last file is read — the one no worker reads beside — is small (200 text reports kept one of two
    cores idle ≈ 0.16 s at the end of each ingest)."""

    def __init__(
        self, store: Store, summary: Summary, on_file: OnFile = None, who: str = "", expected: int | None = None
    ) -> None:
        self.store, self.summary, self.on_file, self.who = store, summary, on_file, who
        self.waiting: list[Read] = []
        self.since = 0.0
        self.left = expected  # files still to come, when known

    def add(self, read: Read) -> None:
        path, prepared, reason, _ = read
        if prepared is None:
            self.lost(path, reason)
            return
        self._came()
        if not self.waiting:
            self.since = time.monotonic()
        self.waiting.append(read)
        due = BATCH if self.left is None else min(BATCH, max(TAIL, self.left))
        if len(self.waiting) >= due or time.monotonic() - self.since >= BATCH_SECONDS:
            self.flush()

    def lost(self, path: str, reason: str) -> None:
        self._came()
        _done(Outcome(path, "unreadable", reason), self.summary, self.on_file)

    def _came(self) -> None:
        if self.left is not None:
            self.left -= 1

    def saved(self, path: str, result: Outcome | StoreError | WorkerLost) -> None:
        """The outcome of a file a worker read and saved (or the store's error, raised here)."""
        if isinstance(result, StoreError):
            raise result
        if isinstance(result, WorkerLost):
            self.lost(path, str(result))
        else:
            _done(result, self.summary, self.on_file)

    def flush(self) -> None:
        waiting, self.waiting = self.waiting, []
        for o in save_reads(self.store, waiting, self.who) if waiting else []:
            _done(o, self.summary, self.on_file)


def _original(path: str) -> bytes | None:
    """The file's bytes to keep as its original; None when it is over the size limit or unreadable."""
    try:
        if os.stat(path).st_size > limits.default().bytes("file_mb"):
            return None
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def _done(o: Outcome, summary: Summary, on_file: OnFile) -> None:
    summary.add(o)
    if on_file is not None:
        on_file(o)


def checked_again(store: Store, report_id: int) -> list[Diagnostic]:
    """Check the stored report again with the corrections in force (and the reading chosen);
    its findings, counts and totals are replaced."""
    report = store.load_report(report_id)
    if report is None:
        raise StoreError(f"没有编号为 {report_id} 的报告")
    fixed = corrections.apply(report, corrections.in_force(store.engine, report_id))
    found = check_report(fixed)
    store.replace_findings(report_id, found, {p: v.value for p, v in fixed.cells.items()})
    return found


def carry_corrections(store: Store, report_ids: list[int]) -> dict[int, list[Diagnostic]]:
    """The reports just saved that corrections (or a chosen reading) of their agency-year apply
    to — made on an earlier version or before a re-check, printing the same values — checked
    again at once with them (:func:`checked_again`): report id → its findings now."""
    return {rid: checked_again(store, rid) for rid in corrections.corrected_values(store.engine, report_ids)}


def refresh_cross(store: Store) -> list[Diagnostic]:
    """Run the cross-report rules over every current report (corrections applied) and store their findings."""
    found = cross_findings(store)
    store.save_cross(found)
    return found


def cross_findings(store: Store, ids: Iterable[int] | None = None) -> list[Diagnostic]:
    """The cross-report rules over the current reports ``ids`` (every one by default), loaded lean,
    corrections applied and agencies named canonically; not stored (bench/store_bench.py times it)."""
    return check_across(_as_checked(store, lean.load_for_cross(store.engine, CROSS_SECTIONS, ids)))


def related(store: Store, meta: dict, new: Report | None = None) -> list[Diagnostic]:
    """Cross-report findings (CARRYOVER …) between the stored report ``meta`` and its agency's
    other years, run now and not stored (``ingest`` stores them over the whole store). With
    ``new`` (the report as just read and checked, not stored: a check-only upload; ``meta`` its
    head), against the agency's stored reports of the other years."""
    if not meta.get("agency"):
        return []
    rows = queries.agency_reports(store.engine, meta["agency"])
    ids = [r["id"] for r in rows if new is None or r["year"] != meta["year"]]
    reports = lean.load_for_cross(store.engine, CROSS_SECTIONS, ids) + ([new] if new is not None else [])
    if len(reports) < 2:
        return []
    mine = meta["source_file"]
    return [d for d in check_across(_as_checked(store, reports)) if mine in (d.file, *d.files)]


def _as_checked(store: Store, loaded: list[Report]) -> list[Report]:
    """Stored reports as the cross-report rules check them: corrections applied, agencies named canonically."""
    return agencies.canonical_reports(store.engine, corrections.corrected(store.engine, loaded))


def summary_lines(s: Summary) -> list[str]:
    """The end-of-run summary, in Chinese."""
    sev = SEVERITY_NAMES
    lines = [
        f"新入库 {s.loaded} 份，新版本 {s.new_versions} 份，未变化 {s.unchanged} 份，无法读取 {len(s.unreadable)} 份"
    ]
    if s.skipped:
        kinds = Counter(p.suffix.lower() for p in s.skipped)
        lines.append(
            f"文件夹中跳过 {len(s.skipped)} 个文件（扩展名不是报告格式："
            + "，".join(f"{k} {n} 个" for k, n in sorted(kinds.items(), key=lambda kn: (-kn[1], kn[0])))
            + "；要读取请直接写出文件名）"
        )
    if s.findings:
        lines.append("本次入库报告的问题：" + "，".join(f"{sev[k]} {s.findings[k]}" for k in sev if s.findings[k]))
    if s.cross_ran:
        cross = "，".join(f"{sev[k]} {s.cross[k]}" for k in sev if s.cross[k]) or "无"
        lines.append(f"跨报告核对（库内全部现行报告）：{cross}")
    lines += [f"无法读取：{f}：{reason}" for f, reason in s.unreadable]
    return lines
