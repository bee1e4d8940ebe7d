"""What an ingest worker runs: a file read once, checked and turned into the store's rows
(:func:`read_file`; :func:`read_upload` for a file held in memory). The fork server imports this
module for every worker (``workers.PRELOAD``), so it imports no database: 0.06 s of imports
instead of 0.23 (``python -X importtime``) before the first file is read."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from nianbao.model import ReportError
from nianbao.pipeline import Processed, process
from nianbao.read import BINARY_KINDS, file_bytes, sniff
from nianbao.store.packing import pack_original
from nianbao.store.rows import Prepared, prepare

Process = Callable[..., Processed]  # :func:`~nianbao.pipeline.process` or a stand-in for it


Read = tuple[str, Prepared | None, str, bytes | None]  # file, its rows or the reason it is unreadable, its bytes packed


def read_file(path: str, process: Process = process) -> Read:
    """Runs in a worker: one file read once, through ``process``, turned into table rows, with
    its bytes packed as the original is kept; else the reason it cannot be read. A text file's
    lines are not packed as the reader's view: the store splits its original again (``originals.view``)."""
    try:
        data = file_bytes(path)
    except ReportError as e:
        return path, None, str(e), None
    prepared, reason = _prepare(partial(process, data, path), lines=False)
    if prepared is None:
        return path, None, reason, None
    return path, prepared, reason, pack_original(data)


def read_upload(upload: tuple[str, bytes], process: Process = process) -> tuple[str, Prepared | None, str]:
    """:func:`read_file` for a file held in memory (a web upload) ``(name, bytes)``: its format
    ('' when it cannot even be told), the rows or the reason."""
    name, data = upload
    try:
        fmt = sniff(data, name)
    except ReportError as e:
        return "", None, str(e)
    prepared, reason = _prepare(partial(process, data, name))
    if prepared is None and fmt == "txt" and Path(name).suffix.lower()[1:] in BINARY_KINDS:
        fmt = ""  # taken for text, but neither text nor what its name says: no format can be told
    return fmt, prepared, reason


def _prepare(run: Callable[[], Processed], lines: bool = True) -> tuple[Prepared | None, str]:
    """The rows of what ``run`` read, with the reader's view unless it is a text file's lines and
    ``lines`` is false; else the reason it cannot be read."""
    try:
        done = run()
        view = done.source() if lines or done.lines is None else None
        return prepare(done.report, done.findings, view), ""
    except ReportError as e:
        return None, str(e)
    except MemoryError:  # the worker reports it and is replaced
        raise
    except Exception as e:  # a reader bug must not stop the batch; say what happened, in one line
        return None, f"读取时出错（{type(e).__name__}: {' '.join(str(e).split())[:200]}）"
