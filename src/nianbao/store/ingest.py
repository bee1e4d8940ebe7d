"""Bulk loading: files, folders (recursive) and globs → parse and check on every core → the store.

Workers read and check; the parent writes each report in its own transaction, so an
interrupted ingest keeps everything already committed and the next run skips those
files by their sha256 before parsing them. One unreadable file never stops the
batch. Afterwards the cross-report rules run over every current report in the store."""

from __future__ import annotations

import glob
import hashlib
import multiprocessing
import os
import signal
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from nianbao.check import check_across, check_report
from nianbao.extract import read_report
from nianbao.model import Diagnostic, Report, ReportError
from nianbao.store.db import Prepared, Store, prepare

# what a folder is searched for; a file named explicitly is always tried
REPORT_SUFFIXES = frozenset(
    ".txt .md .markdown .htm .html .shtml .xhtml .docx .doc .pdf .xlsx .png .jpg .jpeg .tif .tiff .bmp .gif .webp".split()
)

Encode = Callable[[Report], dict]


@dataclass(frozen=True)
class Outcome:
    """What happened to one file."""

    file: str
    status: str  # loaded | unchanged | new_version | unreadable
    reason: str = ""
    report_id: int | None = None
    severities: tuple[tuple[str, int], ...] = ()


@dataclass
class Summary:
    loaded: int = 0
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


def expand(args: Iterable[str | Path]) -> list[Path]:
    """Every file named, found in a folder (recursively) or matched by a glob, once, in a stable order.

    A name that matches nothing is kept, so that it is reported as missing."""
    out: dict[Path, None] = {}
    for arg in map(str, args):
        matches = sorted(glob.glob(arg, recursive=True)) if glob.has_magic(arg) else [arg]
        if not matches:
            out[Path(arg)] = None
        for m in map(Path, matches):
            if m.is_dir():
                for f in sorted(m.rglob("*")):
                    hidden = any(part.startswith(".") for part in f.relative_to(m).parts)
                    if f.is_file() and not hidden and f.suffix.lower() in REPORT_SUFFIXES:
                        out[f] = None
            else:
                out[m] = None
    return list(out)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _work(path: str, encode: Encode) -> tuple[str, Prepared | None, str]:
    """Runs in a worker: read, check and encode one file into table rows; else the reason it cannot be read."""
    try:
        report = read_report(Path(path))
        return path, prepare(report, check_report(report), encode(report)), ""
    except ReportError as e:
        return path, None, str(e)
    except Exception as e:  # a reader bug must not stop the batch; say what happened
        return path, None, f"读取时出错（{type(e).__name__}: {e}）"


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which stops the batch and keeps what it stored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pending(files: list[Path], known: set[str]) -> Iterator[Outcome | str]:
    """Files still to be parsed (as str), or the outcome of those that need no parsing."""
    for f in files:
        if not f.exists():
            yield Outcome(str(f), "unreadable", "文件不存在")
        elif not f.is_file():
            yield Outcome(str(f), "unreadable", "不是文件")
        else:
            try:
                digest = sha256_of(f)
            except OSError as e:
                yield Outcome(str(f), "unreadable", f"无法读取文件：{e.strerror or e}")
                continue
            yield Outcome(str(f), "unchanged") if digest in known else str(f)


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    encode: Encode,
    workers: int | None = None,
    on_file: Callable[[Outcome], None] | None = None,
    cross: bool = True,
) -> Summary:
    """Load ``paths`` into ``store``; ``encode`` turns a report into its JSON (``parse --format json``).

    ``on_file`` is called after each file (for a progress bar). The cross-report rules run at the
    end over every current report in the store, unless ``cross`` is false."""
    files = expand(paths)
    summary = Summary()
    todo: list[str] = []
    for item in _pending(files, store.known_sha256()):
        if isinstance(item, str):
            todo.append(item)
        else:
            _done(item, summary, on_file)
    workers = max(1, workers or os.cpu_count() or 1)
    work = partial(_work, encode=encode)
    if workers == 1 or len(todo) <= 1:
        results: Iterable = map(work, todo)
        _store_all(results, store, summary, on_file)
    else:
        # forkserver: workers start clean, inheriting neither the open database nor the progress thread
        context = multiprocessing.get_context("forkserver")
        pool = ProcessPoolExecutor(min(workers, len(todo)), mp_context=context, initializer=_ignore_sigint)
        try:
            chunk = max(1, min(16, len(todo) // (workers * 4)))
            _store_all(pool.map(work, todo, chunksize=chunk), store, summary, on_file)
        finally:  # on an interrupt, drop the queued files at once; what is stored stays stored
            pool.shutdown(wait=True, cancel_futures=True)
    if summary.loaded or summary.new_versions:
        store.analyze()
    if cross and summary.readable:
        summary.cross.update(d.severity for d in refresh_cross(store))
        summary.cross_ran = True
    return summary


def _store_all(results: Iterable, store: Store, summary: Summary, on_file: Callable[[Outcome], None] | None) -> None:
    for path, prepared, reason in results:
        if prepared is None:
            _done(Outcome(path, "unreadable", reason), summary, on_file)
            continue
        saved = store.save_prepared(prepared)
        counts = Counter(d["severity"] for d in prepared.diagnostics) if saved.status != "unchanged" else Counter()
        _done(Outcome(path, saved.status, "", saved.report_id, tuple(counts.items())), summary, on_file)


def _done(o: Outcome, summary: Summary, on_file: Callable[[Outcome], None] | None) -> None:
    summary.add(o)
    if on_file is not None:
        on_file(o)


def refresh_cross(store: Store) -> list[Diagnostic]:
    """Run the cross-report rules over every current report and store their findings."""
    found = check_across(store.load_reports())
    store.save_cross(found)
    return found


def summary_lines(s: Summary) -> list[str]:
    """The end-of-run summary, in Chinese."""
    sev = {"error": "错误", "warning": "警告", "info": "提示"}
    lines = [
        f"新入库 {s.loaded} 份，新版本 {s.new_versions} 份，未变化 {s.unchanged} 份，无法读取 {len(s.unreadable)} 份"
    ]
    if s.findings:
        lines.append("本次入库报告的问题：" + "，".join(f"{sev[k]} {s.findings[k]}" for k in sev if s.findings[k]))
    if s.cross_ran:
        cross = "，".join(f"{sev[k]} {s.cross[k]}" for k in sev if s.cross[k]) or "无"
        lines.append(f"跨报告核对（库内全部现行报告）：{cross}")
    lines += [f"无法读取：{f}：{reason}" for f, reason in s.unreadable]
    return lines
