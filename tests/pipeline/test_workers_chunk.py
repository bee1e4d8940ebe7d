"""Tasks of several items: one item that kills its worker is the only one lost, and each item keeps
its own bounds; a task's results finished in the worker (an ingest worker saves them)."""

from __future__ import annotations

import operator
from itertools import islice

from nianbao.pipeline.ingest import CHUNK
from nianbao.pipeline.workers import Bounds, Finish, WorkerLost, Workers
from tests.pipeline.hostile_helpers import (
    finish_dies,
    finish_dies_on_negative,
    finish_fails,
    finish_slowly,
    finished_count,
    finished_together,
    kill_self_on,
    megabytes,
    sleep_then,
)

SMALL = Bounds(memory_mb=768, seconds=3)


def test_an_item_that_kills_its_worker_leaves_its_task_mates_read() -> None:
    with Workers(1, SMALL, chunk=5) as pool:
        got = dict(pool.map(kill_self_on, [1, -1, 2, -2, 3, 4, 5]))
    assert [got[i] for i in (1, 2, 3, 4, 5)] == [2, 4, 6, 8, 10]
    assert all(isinstance(got[i], WorkerLost) and "强制终止" in str(got[i]) for i in (-1, -2))


def test_the_wall_clock_limit_is_per_item_not_per_task() -> None:
    quick = Bounds(memory_mb=768, seconds=1)  # 2 s of wall-clock time per item
    with Workers(1, quick, chunk=4) as pool:
        got = dict(pool.map(sleep_then, [9, 8, 7, 60]))  # 2.4 s in all, each under 2 s; the last over
    assert [got[i] for i in (9, 8, 7)] == [9, 8, 7]
    assert isinstance(got[60], WorkerLost) and "时间上限" in str(got[60])


def test_tasks_shrink_as_the_files_run_out() -> None:
    """Guided scheduling: a task is at most half of what is left per worker, so a handful of slow
    files is spread over all the workers and they finish together; ``chunk`` when the length of
    the items is not known."""
    pool = Workers(2, chunk=CHUNK)

    def sizes(items: list[int]) -> list[int]:
        todo, got = iter(items), []
        while n := len(list(islice(todo, pool._task_size(todo)))):
            got.append(n)
        return got

    assert sizes(list(range(3))) == [1, 1, 1]  # all 3 in one task would leave a worker idle
    assert sizes(list(range(10))) == [2, 2, 1, 1, 1, 1, 1, 1]
    assert sizes(list(range(100)))[:5] == [CHUNK] * 5 and sizes(list(range(100)))[-4:] == [1] * 4
    assert pool._task_size(x for x in range(100)) == CHUNK


def test_closing_the_pool_while_a_task_runs_stops_each_worker_once(monkeypatch) -> None:
    """close() (an interrupted ingest) and the thread whose worker it killed must not both close
    the worker's pipe: done at once, the second close was EBADF, a traceback instead of exit 130."""
    import threading
    import time

    from nianbao.pipeline import workers

    stopped: list[int] = []
    stop = workers._stop
    monkeypatch.setattr(workers, "_stop", lambda w: (stopped.append(id(w)), stop(w)))
    pool = Workers(1, SMALL)
    got: list = []
    runner = threading.Thread(target=lambda: got.append(pool.call_many(sleep_then, [30])))
    runner.start()
    while not pool.pids():
        time.sleep(0.01)
    time.sleep(0.3)  # the task is in the worker
    pool.close()
    runner.join(10)
    assert isinstance(got[0][0], WorkerLost) and "已停止" in str(got[0][0])
    assert len(stopped) == len(set(stopped)) == 1


def test_a_task_is_finished_in_its_worker_and_the_kept_results_of_a_dead_one_run_again() -> None:
    """With a Finish the worker keeps each item's result and finishes them together at the end of
    the task; when an item kills it, the results it kept are lost with it, so their items run
    again in a new worker: only the item that killed it is lost."""
    with Workers(1, SMALL) as pool:
        got = pool.call_many(kill_self_on, [1, 2, -3, 4, 5], Finish(finished_together, 1e9))
    assert isinstance(got[2], WorkerLost) and "强制终止" in str(got[2])
    assert [r[:2] for r in got[:2] + got[3:]] == [(2, 4), (4, 4), (8, 4), (10, 4)]  # 1 and 2 again, beside 4 and 5
    assert len({r[2] for r in got[:2] + got[3:]}) == 1


def test_a_finish_waits_at_most_its_seconds_and_one_that_fails_loses_its_items() -> None:
    """A finish that fails (its worker then retires) or kills its worker loses the results it had:
    their items run once more, then carry the reason."""
    with Workers(1, SMALL) as pool:
        one_by_one = pool.call_many(sleep_then, [1, 2, 3], Finish(finished_together, 0.0))
        failed = pool.call_many(sleep_then, [1, 2], Finish(finish_fails))
        died = pool.call_many(sleep_then, [1, 2], Finish(finish_dies))
        assert pool.call(sleep_then, 4) == 4
    assert [r[:2] for r in one_by_one] == [(1, 1), (2, 1), (3, 1)]
    assert all(isinstance(r, WorkerLost) and "OSError" in str(r) for r in failed)
    assert all(isinstance(r, WorkerLost) and "强制终止" in str(r) for r in died)


def test_a_finish_is_not_bounded_by_the_wall_clock_time_of_an_item() -> None:
    """Items may take 2 s each; a finish of 3 s (a save waiting for the store's lock) is no item
    overrunning: every result comes back, none named as over the limit."""
    quick = Bounds(memory_mb=768, seconds=1)
    with Workers(1, quick) as pool:
        assert pool.call_many(sleep_then, [1, 2], Finish(finish_slowly)) == [1, 2]


def test_an_item_that_fails_has_the_results_kept_before_it_finished_first() -> None:
    """An item failing in its worker (an exception, not a death) retires the worker, after the
    results it kept are finished: they are not read again."""
    with Workers(1, SMALL) as pool:
        got = pool.call_many(kill_self_on, [1, 2, "x", 4], Finish(finished_together, 1e9))  # type: ignore[list-item]
    assert isinstance(got[2], WorkerLost) and "TypeError" in str(got[2])
    assert [r[:2] for r in (got[0], got[1])] == [(2, 2), (4, 2)] and got[3][:2] == (8, 1)
    assert got[0][2] != got[3][2]  # the worker retired after the failing item


def test_a_finish_that_kills_its_worker_for_one_result_loses_only_that_one() -> None:
    """The items of a finish that died run again each finished on its own: the one that kills the
    finish every time is named (as dying while finishing), the others come back."""
    with Workers(1, SMALL) as pool:
        got = pool.call_many(operator.neg, [-1, -2, 3, -4], Finish(finish_dies_on_negative, 1e9))
    assert got[:2] + got[3:] == [1, 2, 4]
    assert isinstance(got[2], WorkerLost) and str(got[2]).startswith("保存进程被强制终止")


def test_results_kept_are_finished_before_they_take_an_eighth_of_the_memory_limit() -> None:
    """768 MB: the results kept are finished once they hold more than 96 MB, so that the next item
    still has its budget."""
    with Workers(1, SMALL) as pool:
        got = pool.call_many(megabytes, [40] * 5, Finish(finished_count, 1e9))
    assert got == [3, 3, 3, 2, 2]
