"""``nianbao ingest --cluster``: files read in Dask tasks on a LocalCluster of two small workers,
written by this process in batches to SQLite and PostgreSQL; a second run submits nothing (content
hashes); a wrong address or a missing Dask is one Chinese line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from nianbao.model import ReportError
from nianbao.pipeline import cluster, process
from nianbao.pipeline.cluster import DaskPool
from nianbao.pipeline.ingest import Outcome, ingest
from nianbao.store.db import Store, connect
from tests.pipeline.test_ingest import _all_ids
from tests.store.store_helpers import write_synthetic

distributed = pytest.importorskip("distributed")
NIANBAO = [sys.executable, "-c", "from nianbao.cli import main; main()"]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a LocalCluster of two single-threaded worker processes."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as c:
        yield c.scheduler_address


def test_files_are_read_on_the_cluster_and_stored_once(scheduler: str, db_url: str, tmp_path: Path) -> None:
    files = write_synthetic(tmp_path, range(6))
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a word file")
    store = Store(connect(db_url))
    seen: list[Outcome] = []
    with DaskPool(scheduler) as pool:
        assert pool.size == 2
        first = ingest([tmp_path], store, on_file=seen.append, pool=pool)
    assert (first.loaded, len(first.unreadable)) == (6, 1) and first.unreadable[0][0].endswith("broken.docx")
    assert len(seen) == 7  # the progress bar advanced once per file, as the cluster finished it
    stored = {r.source.sha256: r for r in store.load_reports(_all_ids(store.engine))}
    assert [stored[process(f).report.source.sha256] == process(f).report for f in files] == [True] * 6
    submitted: list[str] = []
    with DaskPool(scheduler) as pool:
        real = pool.map
        pool.map = lambda fn, items, n=0: real(fn, submitted.extend(items) or submitted[:], n)  # type: ignore[method-assign]
        again = ingest([tmp_path], store, pool=pool)
    assert (again.loaded, again.unchanged) == (0, 6)
    assert [Path(p).name for p in submitted] == ["broken.docx"]  # known content is skipped before submitting


def test_map_keeps_at_most_in_flight_tasks_and_reports_a_failed_task(scheduler: str) -> None:
    with DaskPool(scheduler) as pool:
        done = dict(pool.map(_inverse, [1, 2, 0, 4], in_flight=2))
    assert done[4] == 0.25 and "ZeroDivisionError" in str(done[0])


def _inverse(x: int) -> float:
    return 1 / x


def test_cli_cluster_local(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    write_synthetic(tmp_path / "in", range(4))
    run = [*NIANBAO, "ingest", str(tmp_path / "in"), "--db", url]
    done = subprocess.run([*run, "--cluster", "local:2"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "新入库 4 份" in done.stdout
    bad = subprocess.run([*run, "--cluster", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "无法连接 Dask 调度器" in bad.stderr and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_without_dask_one_line_says_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ReportError, match=r"pip install -e '\.\[cluster\]'"):
        DaskPool("local:2")
    with pytest.raises(ReportError, match="local:2"):
        cluster._workers("local:x")
