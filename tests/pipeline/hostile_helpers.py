"""Stand-ins for hostile files in ingest tests: a pipeline that, run in the ingest worker,
dies, exhausts its memory or spins when the file's name asks for it."""

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


_held: list[mmap.mmap] = []


def hold_then_pid(mb: int) -> int:
    """Map ``mb`` MB and keep it (as memory freed but not returned would stay), then say which worker ran."""
    if mb:
        _held.append(mmap.mmap(-1, mb * 1024 * 1024))
    return os.getpid()
