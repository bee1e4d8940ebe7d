"""Reading on a Dask distributed cluster (``nianbao ingest --cluster``), for the optional extra
``cluster`` (``pip install -e '.[cluster]'``).

:class:`DaskPool` has the shape of :class:`~nianbao.pipeline.workers.Workers` that
:func:`~nianbao.pipeline.ingest.ingest` drives: each file is one Dask task (read, extract, check,
turned into table rows on a worker), at most ``in_flight`` of them submitted and not yet
collected, results taken as they complete (``as_completed``) and written to the store by this
process in batches. ``tcp://host:8786`` joins a running scheduler; ``local:N`` starts a
``LocalCluster`` of N single-threaded worker processes on this machine."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import count, islice
from typing import Any, TypeVar

from nianbao.model import ReportError
from nianbao.pipeline.workers import WorkerLost

T = TypeVar("T")
R = TypeVar("R")

AHEAD = 2  # tasks per worker thread submitted ahead, so that none waits while a result travels back
CHUNK = 8  # items per task
INSTALL = "未安装 Dask：--cluster 需要可选组件 cluster（在 nianbao 源码目录运行 pip install -e '.[cluster]'）"


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ReportError(INSTALL) from None
    return distributed


class DaskPool:
    """A Dask client on the cluster at ``address`` (``tcp://…``) or on a new ``local:N`` cluster.

    Use as a context manager: leaving it closes the client (and the local cluster it started)."""

    def __init__(self, address: str) -> None:
        distributed = _distributed()
        self._cluster = None
        if address.startswith("local:"):
            n = _workers(address)
            self._cluster = distributed.LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port
            )
            address = self._cluster.scheduler_address
        try:
            self.client = distributed.Client(address, timeout="10s")
        except OSError as e:
            self._close_cluster()
            raise ReportError(f"无法连接 Dask 调度器 {address}：{e}") from None
        self._as_completed = distributed.as_completed

    @property
    def size(self) -> int:
        """The cluster's worker threads now (at least 1)."""
        return max(1, sum(self.client.nthreads().values()))

    def map(self, fn: Callable[[T], R], items: Iterable[T], in_flight: int = 0) -> Iterator[tuple[T, R | WorkerLost]]:
        """``(item, fn(item) or WorkerLost)`` as the tasks complete. Items go in tasks of
        :data:`CHUNK` (a task costs the scheduler a few round trips, a text report a few
        milliseconds); a task that fails is submitted again one item per task, so only the item
        that failed is lost. At most ``in_flight`` items (at least :data:`AHEAD` tasks per worker
        thread, counted again as workers join or leave) are submitted and not yet yielded."""
        todo, retry, running, done = iter(items), [], {}, self._as_completed()
        limit = max(in_flight, AHEAD * CHUNK * self.size)
        for n in count():
            if n % 100 == 99:
                limit = max(in_flight, AHEAD * CHUNK * self.size)
            while sum(map(len, running.values())) < limit and (chunk := _next(retry, todo)):
                future = self.client.submit(_each, fn, chunk, pure=False)
                running[future] = chunk
                done.add(future)
            if not running:
                return
            future = next(done)
            chunk, results = running.pop(future), _result(future)
            if not isinstance(results, WorkerLost):
                yield from zip(chunk, results, strict=True)
            elif len(chunk) > 1:
                retry += [[item] for item in chunk]
            else:
                yield chunk[0], results

    def __enter__(self) -> DaskPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        self._close_cluster()

    def _close_cluster(self) -> None:
        if self._cluster is not None:
            self._cluster.close()


def _next(retry: list[list[T]], todo: Iterator[T]) -> list[T]:
    """The next task's items: a failed task's items one by one first, then :data:`CHUNK` new ones."""
    return retry.pop(0) if retry else list(islice(todo, CHUNK))


def _each(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    """Runs on a worker: one task's items."""
    return [fn(item) for item in chunk]


def _result(future: Any) -> Any:
    try:
        return future.result()
    except Exception as e:  # the task failed on the cluster (worker died, lost, …): this file only
        return WorkerLost(f"集群任务失败（{type(e).__name__}: {' '.join(str(e).split())[:200]}）")
    finally:
        future.release()


def _workers(address: str) -> int:
    n = address.removeprefix("local:")
    if not n.isdigit() or int(n) < 1:
        raise ReportError(f"--cluster {address}：local: 后应为工作进程数，如 local:2")
    return int(n)
