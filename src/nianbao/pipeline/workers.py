"""Untrusted files are read in worker processes whose memory and time the operating system bounds.

Each worker sets ``RLIMIT_AS`` (address space) and ``RLIMIT_CPU`` on itself, dies with its
parent (``PR_SET_PDEATHSIG`` on Linux, and end-of-file on its task pipe everywhere), and runs
one task (of one or more items) at a time; the caller waits at most ``wall_seconds`` for each
item. A worker that dies (out of memory, killed, over its CPU time) or overruns is killed and
replaced, and the item gets a one-line reason instead of a result: :class:`WorkerLost`. With a
:class:`Finish` the worker does something with a task's results itself (an ingest worker saves
the reports it read) and sends back what that gave."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import operator
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import islice
from multiprocessing import forkserver
from multiprocessing.connection import Connection, wait
from typing import Any, NamedTuple, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PRELOAD = ["nianbao.pipeline.work"]  # imported once by the fork server, so that a new worker starts warm
SAVING = [*PRELOAD, "nianbao.pipeline.ingest"]  # … for an ingest worker, which saves what it reads
NEXT, FINISH, RETIRE = "next", "finish", "retire"  # what a worker's message says comes after it
_PR_SET_PDEATHSIG = 1
# Held to start a worker or to ask whether one has ended, by every pool of this process. The fork
# server hands a worker's exit status over once, through a pipe that ``Popen.poll`` reads, and
# ``Process.start`` polls every child: when two threads read it at once (one pool's thread
# starting a worker as another's looks at one just killed), one gets the status and the other
# end of file, which the standard library makes exit code 255, so the worker killed by a signal
# was said to have "意外退出（退出码 255）" (tests/pipeline/test_ingest_hostile.py under load)
_POLLING = threading.Lock()


@dataclass(frozen=True)
class Bounds:
    """What one worker may use to read one file. Defaults: ``NIANBAO_WORKER_MB`` (1536) MB of
    address space, ``NIANBAO_WORKER_SECONDS`` (120) s of CPU time and twice that of wall-clock time."""

    memory_mb: int = 1536
    seconds: int = 120

    @classmethod
    def from_env(cls, memory_mb: int | None = None, seconds: int | None = None) -> Bounds:
        env = os.environ
        return cls(
            memory_mb=memory_mb or positive(env.get("NIANBAO_WORKER_MB")) or cls.memory_mb,
            seconds=seconds or positive(env.get("NIANBAO_WORKER_SECONDS")) or cls.seconds,
        )

    @property
    def wall_seconds(self) -> float:
        return 2.0 * self.seconds


def positive(v: str | None) -> int | None:
    """A positive whole number from an environment variable, else None."""
    return int(v) if v and v.strip().isdigit() and int(v) > 0 else None


def warm(preload: list[str] = PRELOAD) -> multiprocessing.context.BaseContext:
    """The context the workers start in, its fork server started now if it was not, importing
    ``preload`` (once, for every worker it starts) beside the caller's own work instead of before
    the first file is read."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(preload)
    with _ignoring_interrupts():
        forkserver.ensure_running()  # spawns it and returns: the first worker waits for its imports
    return context


@contextmanager
def _ignoring_interrupts() -> Iterator[None]:
    """SIGINT ignored while the fork server is spawned, which keeps it so through its imports (the
    standard library ignores it only afterwards): Ctrl-C reaches the terminal's whole process group,
    and a server still importing printed a traceback. Only the main thread may set a handler."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class WorkerLost(Exception):
    """The worker reading a task died or overran; ``str(e)`` says why, in one line."""


@dataclass(frozen=True)
class Finish:
    """What a worker does itself with the results of a task's items instead of sending each back
    (an ingest worker saves its reports): ``fn(results)`` gives one outcome per result, in order,
    run when the task ends, before the worker retires, after an item that failed, once the first
    result kept has waited ``seconds`` and once the results take an eighth of the worker's memory
    limit (:func:`_serve`). Should the worker die with results kept, their items are run again in
    another worker; only the item that ended it is lost."""

    fn: Callable[[list[Any]], list[Any]]
    seconds: float = 2.0


class Finished(NamedTuple):
    """A worker's message: ``Finish.fn`` of the results it kept (or the :class:`WorkerLost` it raised)."""

    outcomes: list[Any] | WorkerLost


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: end-of-file on the task pipe still stops the worker
            pass


def _cpu_used() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def _serve(conn: Connection, bounds: Bounds) -> None:
    """The worker's loop: receive ``(fn, items, finish)``, send back ``(fn(item), then)`` for each item
    as it is done, ``then`` saying what comes next (:data:`NEXT`, :data:`RETIRE`, or :data:`FINISH`:
    a :class:`Finished` message follows); stop at end of file. With a :class:`Finish` an item's
    result is kept (None is sent in its place) and ``finish.fn`` of those kept so far is sent at the
    end of the task, before the worker retires, after an item that failed, once the first has
    waited ``finish.seconds`` and once they take an eighth of the address space a file may use.

    Its parent is the fork server, which exits when the process that started it does."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the workers
    # whatever a worker would print dies with it (Python's last words when memory runs out):
    # the caller gets each failure as one line, never a traceback on the console
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    limit, top = _address_limits(bounds.memory_mb * 1024 * 1024)
    resource.setrlimit(resource.RLIMIT_AS, (limit, top))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    oom = WorkerLost(f"内存超过上限（{bounds.memory_mb} MB）")
    gc.freeze()  # the modules imported so far stay: collections no longer walk them
    while True:
        try:
            fn, items, finish = conn.recv()
        except (EOFError, OSError):
            return
        except MemoryError:  # the task itself did not fit
            fn, items, finish = None, [None], None
        kept: list[Any] = []
        since, base = 0.0, _address_space()
        for n, item in enumerate(items, 1):
            try:
                out = oom if fn is None else _run(fn, item, bounds, oom)
            except MemoryError:
                out = oom
            # a worker whose address space grew past half its limit (memory freed but still
            # mapped) retires after this item, so that the next file gets its whole budget
            retire = isinstance(out, WorkerLost) or _address_space() > limit // 2
            then = RETIRE if retire else NEXT
            if finish is not None:
                if not isinstance(out, WorkerLost):
                    since = since if kept else time.monotonic()
                    kept.append(out)
                    out = None
                    waited = time.monotonic() - since >= finish.seconds
                    due = retire or waited or n == len(items) or _address_space() > base + limit // 8
                else:
                    due = bool(kept)
                then = FINISH if due else then
            if not _send(conn, (out, then)):
                return
            if then == FINISH and finish is not None:
                done = _finish(finish, kept, bounds, oom, limit, top)
                retire = retire or isinstance(done, WorkerLost) or _address_space() > limit // 2
                kept, base = [], _address_space()
                if not _send(conn, (Finished(done), RETIRE if retire else NEXT)):
                    return
            if retire:
                return


def _send(conn: Connection, message: tuple[Any, str]) -> bool:
    try:
        conn.send(message)
    except (MemoryError, OSError):
        return False
    return True


def _address_limits(limit: int) -> tuple[int, int]:
    """The address space a file may take and the twice as much a :class:`Finish` may, both within
    the hard limit the worker was started under (``ulimit -v``)."""
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if hard == resource.RLIM_INFINITY:
        return limit, 2 * limit
    return min(limit, hard), min(2 * limit, hard)


def _finish(finish: Finish, kept: list[Any], bounds: Bounds, oom: WorkerLost, limit: int, top: int) -> Any:
    """``finish.fn(kept)`` with up to twice the address space a file may take (``top``): a large file
    read before leaves its memory mapped (the worker retires after it), and the results kept must
    still be finished (an ingest worker's reports saved) rather than lost for want of it."""
    resource.setrlimit(resource.RLIMIT_AS, (top, top))
    try:
        return _run(finish.fn, kept, bounds, oom)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (limit, top))


def _address_space() -> int:
    """This process's mapped address space in bytes (what ``RLIMIT_AS`` counts); 0 if unknown."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _run(fn: Callable[[Any], Any], arg: Any, bounds: Bounds, oom: WorkerLost) -> Any:
    # the CPU limit counts from now: a long-lived worker gets the full budget for each task
    cpu = int(_cpu_used()) + bounds.seconds + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, resource.RLIM_INFINITY))
    try:
        return fn(arg)
    except MemoryError:
        pass  # leaving this block frees what the failed task held; ``oom`` was made beforehand
    except Exception as e:  # the caller gets one line
        return WorkerLost(f"读取时出错（{type(e).__name__}）")
    return oom


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection


class Workers:
    """At most ``size`` bounded worker processes, started warm with the modules ``preload``
    (:func:`warm`); :meth:`call` runs one task in one of them, :meth:`map` tasks of up to
    ``chunk`` items each.

    Thread-safe. Use as a context manager: leaving it (or :meth:`close`) kills every worker."""

    def __init__(self, size: int, bounds: Bounds | None = None, chunk: int = 1, preload: list[str] = PRELOAD) -> None:
        self.size, self.bounds, self.chunk = max(1, size), bounds or Bounds.from_env(), max(1, chunk)
        self._slots = threading.BoundedSemaphore(self.size)
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._workers: dict[int, _Worker] = {}
        self._closed = False
        self._context = warm(preload)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return [w.process.pid for w in self._workers.values() if w.process.pid is not None]

    def call(self, fn: Callable[[T], R], arg: T) -> R:
        """``fn(arg)`` in a worker (``fn`` importable by name); raises :class:`WorkerLost` with the reason."""
        out = self.call_many(fn, [arg])[0]
        if isinstance(out, WorkerLost):
            raise out
        return out

    def call_many(self, fn: Callable[[T], R], items: list[T], finish: Finish | None = None) -> list[R | WorkerLost]:
        """``fn(item)`` (or :class:`WorkerLost`) for each item, in order, one after the other in one
        worker, each item bounded as :meth:`call` is — or, with ``finish``, what ``finish.fn`` made of
        it in the worker. An item that kills its worker or overruns is the only one lost: the
        items after it (and those whose results the worker kept) go on in a new worker. A finish
        is not bounded in wall-clock time (it may wait for a lock); should the worker die in it, or
        it fail, its items run once more, each finished on its own, then are lost with the reason."""
        done: dict[int, R | WorkerLost] = {}
        again: set[int] = set()  # items whose results were kept once and never finished
        with self._slots:
            while len(done) < len(items):
                left = [i for i in range(len(items)) if i not in done]
                if again and finish is not None:  # each on its own now: only the one that fails is lost
                    finish = replace(finish, seconds=0.0)
                try:
                    got, unfinished = self._stream(fn, [items[i] for i in left], finish)
                except WorkerLost as e:  # the pool was closed
                    got, unfinished = [(n, e) for n in range(len(left))], []
                done.update((left[n], out) for n, out in got)
                for n, why in unfinished:
                    if left[n] in again:
                        done[left[n]] = why
                    again.add(left[n])
        return [done[i] for i in range(len(items))]

    def _stream(
        self, fn: Callable[[T], R], items: list[T], finish: Finish | None
    ) -> tuple[list[tuple[int, R | WorkerLost]], list[tuple[int, WorkerLost]]]:
        """``(position, result)`` of the items one worker got through, up to the first that ends it
        (included); with ``finish``, the positions whose results it kept and could not finish, and
        why (results kept in a worker that died reading another item are in neither)."""
        w = self._take()
        done: list[tuple[int, R | WorkerLost]] = []
        kept: list[int] = []
        n = 0  # items answered
        finishing = sent = False
        try:
            while n < len(items) or finishing:
                ended = True
                try:
                    if not sent:
                        w.conn.send((fn, items, finish))
                        sent = True
                    ended = bool(wait([w.conn, w.process.sentinel], None if finishing else self.bounds.wall_seconds))
                    out, then = w.conn.recv() if ended else (_END, RETIRE)
                except (EOFError, OSError, ValueError):  # the worker died, or close() killed it
                    out, then = _END, RETIRE
                if then == RETIRE:
                    self._kill(w)  # joined: its exit code says why it ended
                if out is _END:
                    lost = WorkerLost(self._why(w, ended, finishing))
                    if finishing:
                        return done, [(k, lost) for k in kept]
                    return [*done, (n, lost)], []
                if finishing:
                    if isinstance(out.outcomes, WorkerLost):
                        return done, [(k, out.outcomes) for k in kept]
                    done += zip(kept, out.outcomes, strict=True)
                    kept = []
                else:
                    if finish is not None and out is None:
                        kept.append(n)
                    else:
                        done.append((n, out))
                    n += 1
                finishing = then == FINISH
                if then == RETIRE:
                    return done, []
        except BaseException:  # interrupted in the middle of a task: the worker's state is unknown
            self._kill(w)
            raise
        self._give(w)
        return done, []

    def map(
        self, fn: Callable[[T], R], items: Iterable[T], in_flight: int = 0, finish: Finish | None = None
    ) -> Iterator[tuple[T, R | WorkerLost]]:
        """``(item, fn(item) or WorkerLost)`` in order of completion, at most ``in_flight`` items
        (default and at least ``size`` tasks) taken from ``items`` and not yet yielded: the workers
        go on with the next ones while the caller handles a result, and memory stays bounded.
        Each task is up to ``chunk`` items run in one worker (:meth:`call_many`, ``finish`` with
        it): fewer tasks and threads woken per item (a worker waits for its next task while a
        thread of this process gets the GIL). When the items are a sized collection the tasks
        shrink as they run out (guided scheduling: at most half of what is left per worker), so
        that the workers finish together and a handful of slow files is spread over all of them."""
        todo, chunk = iter(items), self.chunk
        limit = max(self.size, -(-in_flight // chunk))
        with ThreadPoolExecutor(limit) as threads:
            running: dict[Future, list[T]] = {}
            try:
                while True:
                    while len(running) < limit and (task := list(islice(todo, self._task_size(todo)))):
                        running[threads.submit(self.call_many, fn, task, finish)] = task
                    if not running:
                        return
                    done, _ = wait_futures(running, return_when=FIRST_COMPLETED)
                    for f in done:
                        yield from zip(running.pop(f), f.result(), strict=True)
            finally:  # interrupted: stop the workers so that the threads waiting on them return at once
                if running:
                    self.close()

    def _task_size(self, todo: Iterator[Any]) -> int:
        left = operator.length_hint(todo)  # 0 when not known
        return max(1, min(self.chunk, left // (2 * self.size))) if left else self.chunk

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._idle, self._workers = list(self._workers.values()), [], {}
        for w in workers:
            _stop(w)

    # -- workers ---------------------------------------------------------------------------

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise WorkerLost("已停止")
            while self._idle:
                w = self._idle.pop()
                if _exit_code(w) is None:
                    return w
                self._workers.pop(id(w), None)
                _stop(w)
            here, there = self._context.Pipe()
            process = self._context.Process(target=_serve, args=(there, self.bounds), daemon=True)
            with _POLLING:
                process.start()
            there.close()
            w = _Worker(process, here)
            self._workers[id(w)] = w
            return w

    def _give(self, w: _Worker) -> None:
        with self._lock:
            if not self._closed:  # else close() took it and stops it
                self._idle.append(w)

    def _kill(self, w: _Worker) -> None:
        """Stop ``w`` unless :meth:`close` took it (and stops it): two threads closing one pipe
        at once close its descriptor twice (EBADF, or another file's if the number was reused)."""
        with self._lock:
            mine = self._workers.pop(id(w), None) is not None
        if mine:
            _stop(w)

    def _why(self, w: _Worker, ended: bool, finishing: bool = False) -> str:
        if self._closed:
            return "已停止"
        if not ended:
            return f"读取超过时间上限（{self.bounds.wall_seconds:g} 秒）"
        code = _exit_code(w)
        doing, memory_mb = ("保存", 2 * self.bounds.memory_mb) if finishing else ("读取", self.bounds.memory_mb)
        if code == -signal.SIGXCPU:
            return f"{doing}超过 CPU 时间上限（{self.bounds.seconds} 秒）"
        if code == -signal.SIGKILL:
            return f"{doing}进程被强制终止（可能超过内存上限 {memory_mb} MB）"
        if code is not None and code < 0:
            return f"{doing}进程因信号 {signal.Signals(-code).name} 终止"
        return f"{doing}进程意外退出（退出码 {code}）"


_END: Any = object()


def _exit_code(w: _Worker) -> int | None:
    """``w``'s exit code (negative: the signal that ended it); None while it runs."""
    with _POLLING:
        return w.process.exitcode


def _stop(w: _Worker) -> None:
    """Kill ``w`` and wait (5 s at most) until its exit code can be read (:func:`_exit_code`)."""
    if _exit_code(w) is None:
        w.process.kill()
    wait([w.process.sentinel], 5)  # without the lock: this only waits, it reads nothing
    w.conn.close()
