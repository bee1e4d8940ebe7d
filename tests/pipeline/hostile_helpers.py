"""Stand-ins for hostile files in ingest tests: a pipeline that, run in the ingest worker,
dies, exhausts its memory or spins when the file's name asks for it; and the processes an
ingest started (:func:`session`), to wait until they are gone."""

from __future__ import annotations

import mmap
import os
import signal
import time
from pathlib import Path

from nianbao.pipeline import Processed, process


def misbehaving(src: str | Path | bytes, name: str = "") -> Processed:
    """:func:`~nianbao.pipeline.process`, except for files named ``*killed*`` (SIGKILL), ``*hog*``
    (allocates without end) and ``*spin*`` (never returns)."""
    name = os.path.basename(name if isinstance(src, bytes) else str(src))
    if "killed" in name:
        os.kill(os.getpid(), signal.SIGKILL)
    if "hog" in name:
        hoard = []
        while True:
            hoard.append(bytearray(64 * 1024 * 1024))
    if "spin" in name:
        while True:
            time.sleep(0.01)
    return process(src, name) if isinstance(src, bytes) else process(src)


def sleep_then(value: int) -> int:
    """A slow task for the worker pool."""
    time.sleep(value / 10)
    return value


def kill_self_on(value: int) -> int:
    if value < 0:
        os.kill(os.getpid(), signal.SIGKILL)
    return value * 2


def finished_together(results: list[int]) -> list[tuple[int, int, int]]:
    """A :class:`~nianbao.pipeline.workers.Finish` for the pool: each result with how many were
    finished together, and by which worker."""
    return [(r, len(results), os.getpid()) for r in results]


def finish_fails(results: list[int]) -> list[int]:
    raise OSError("the store is gone")


def finish_slowly(results: list[int]) -> list[int]:
    """A finish slower than the wall-clock time an item may take (a save waiting for a lock)."""
    time.sleep(3)
    return results


def finish_dies(results: list[int]) -> list[int]:
    os.kill(os.getpid(), signal.SIGKILL)
    return results


def finish_dies_on_negative(results: list[int]) -> list[int]:
    """A save that kills its worker whenever one of the results is a poison (a negative number)."""
    if any(r < 0 for r in results):
        os.kill(os.getpid(), signal.SIGKILL)
    return results


def megabytes(mb: int) -> bytearray:
    """A result that holds ``mb`` MB while it is kept."""
    return bytearray(mb * 1024 * 1024)


def finished_count(results: list[bytearray]) -> list[int]:
    return [len(results)] * len(results)


_held: list[mmap.mmap] = []


def hold_then_pid(mb: int) -> int:
    """Map ``mb`` MB and keep it (as memory freed but not returned would stay), then say which worker ran."""
    if mb:
        _held.append(mmap.mmap(-1, mb * 1024 * 1024))
    return os.getpid()


def session(sid: int) -> list[int]:
    """The processes of session ``sid`` (the ingest and everything it started)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                out.append(int(entry))
    return out


def gone(sid: int, seconds: float = 15) -> list[int]:
    """The processes of session ``sid`` still there after waiting up to ``seconds`` for them to end."""
    deadline = time.monotonic() + seconds
    while (left := session(sid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left
