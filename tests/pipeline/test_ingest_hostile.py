"""Ingest among hostile files: workers that die, exhaust memory or hang are replaced and their file
named; killing or interrupting ingest leaves no process behind; only regular files inside the
folder are read (symlinks out, FIFOs and devices are refused with a line)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from nianbao.pipeline.ingest import ingest, scan
from nianbao.pipeline.workers import Bounds, WorkerLost, Workers
from nianbao.store.db import Store, connect
from nianbao.store.schema import reports
from tests.pipeline.hostile_helpers import gone, hold_then_pid, kill_self_on, misbehaving, session, sleep_then
from tests.store.store_helpers import write_synthetic

NIANBAO = [sys.executable, "-c", "from nianbao.cli import main; main()"]
SMALL = Bounds(memory_mb=768, seconds=3)


def test_a_dead_worker_is_replaced_and_its_task_named() -> None:
    with Workers(2, SMALL) as pool:
        got = dict(pool.map(kill_self_on, [1, -1, 2, -2, 3]))
        assert [got[i] for i in (1, 2, 3)] == [2, 4, 6]
        assert all(isinstance(got[i], WorkerLost) and "强制终止" in str(got[i]) for i in (-1, -2))
        assert pool.call(kill_self_on, 5) == 10


def test_every_dead_worker_is_named_as_killed_while_others_start() -> None:
    # a worker started in one thread as another thread looks at one just killed: both read the
    # fork server's pipe of the dead one's exit status, and one got 255 instead of -SIGKILL
    # (24 of 3,500 kills at load 8, so the test above, with two, failed about once in 70 runs)
    with Workers(4, SMALL) as pool:
        got = dict(pool.map(kill_self_on, [(-1) ** k * (k + 1) for k in range(300)]))
    reasons = {str(r) for r in got.values() if isinstance(r, WorkerLost)}
    assert len(reasons) == 1 and "强制终止" in reasons.pop()
    assert all(got[i] == 2 * i for i in got if i > 0)


def test_a_worker_killed_from_outside_is_named_and_the_pool_goes_on() -> None:
    with Workers(1, SMALL) as pool:
        assert pool.call(sleep_then, 0) == 0
        pid = pool.pids()[0]
        threading.Timer(0.3, os.kill, (pid, signal.SIGKILL)).start()
        with pytest.raises(WorkerLost, match="强制终止"):
            pool.call(sleep_then, 50)
        assert pool.call(sleep_then, 1) == 1 and pool.pids() != [pid]


def test_a_worker_left_with_a_large_address_space_retires() -> None:
    with Workers(1, SMALL) as pool:
        first = pool.call(hold_then_pid, 0)
        assert pool.call(hold_then_pid, 0) == first  # a worker is reused while it stays small
        assert pool.call(hold_then_pid, 500) == first  # over half of 768 MB afterwards: it retires
        assert pool.call(hold_then_pid, 0) != first


def test_good_files_are_stored_and_every_bad_one_named(tmp_path: Path) -> None:
    good = write_synthetic(tmp_path, range(4))
    for bad in ("killed", "hog", "spin"):
        shutil.copy(good[0], tmp_path / f"{bad}.txt")
        # another content, so that the good copy's sha256 does not make it "unchanged"
        with (tmp_path / f"{bad}.txt").open("a", encoding="utf-8") as f:
            f.write(f"\n{bad}\n")
    store = Store(connect(f"sqlite:///{tmp_path / 'h.db'}"))
    for _ in range(2):  # a re-run meets the same files and goes on the same way
        summary = ingest([tmp_path], store, process=misbehaving, workers=2, bounds=SMALL)
        reasons = {Path(f).stem: r for f, r in summary.unreadable}
        assert summary.readable == len(good)
        assert set(reasons) == {"killed", "hog", "spin"}
        assert "强制终止" in reasons["killed"]
        assert "内存" in reasons["hog"]
        assert "时间上限" in reasons["spin"]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_stopping_ingest_leaves_no_process_behind(tmp_path: Path, sig: signal.Signals) -> None:
    files = 300  # enough that ingest is still running when the signal comes, even on a busy machine
    write_synthetic(tmp_path / "in", range(files))
    url = f"sqlite:///{tmp_path / 's.db'}"
    proc = subprocess.Popen(
        [*NIANBAO, "ingest", str(tmp_path / "in"), "--db", url, "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while len(session(proc.pid)) < 4 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)  # ingest, the fork server and two workers
    assert proc.poll() is None, "ingest ended before it could be stopped"
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=60)
    assert gone(proc.pid) == []
    if sig != signal.SIGKILL:
        assert proc.returncode == 130 and b"Traceback" not in err, err.decode()[-3000:]
    kept = Store(connect(url)).known_sha256()
    again = ingest([tmp_path / "in"], Store(connect(url)), process=misbehaving, workers=2)
    assert again.unchanged == len(kept) and again.readable == files


def test_folder_symlinks_out_fifos_and_devices_are_refused(tmp_path: Path) -> None:
    inside = tmp_path / "in"
    good = write_synthetic(inside, range(2))
    outside = write_synthetic(tmp_path / "elsewhere", [7])[0]
    (inside / "out.txt").symlink_to(outside)
    (inside / "zero.txt").symlink_to("/dev/zero")
    (inside / "dangling.txt").symlink_to(tmp_path / "nothing.txt")
    (inside / "linked-dir").symlink_to(tmp_path / "elsewhere")
    (inside / "same.txt").symlink_to(good[0])  # stays inside: read (once)
    os.mkfifo(inside / "pipe.txt")
    found = scan([inside])
    assert found.files == good
    refused = {Path(o.file).name: o.reason for o in found.refused}
    assert set(refused) == {"out.txt", "zero.txt", "dangling.txt", "linked-dir", "pipe.txt"}
    assert "文件夹以外" in refused["out.txt"] and "文件夹以外" in refused["linked-dir"]
    summary = ingest([inside], Store(connect(f"sqlite:///{tmp_path / 'l.db'}")), process=misbehaving, workers=1)
    assert summary.loaded == 2 and len(summary.unreadable) == 5


def test_cli_names_each_refused_file_in_one_line_and_exits_2(tmp_path: Path) -> None:
    inside = tmp_path / "in"
    write_synthetic(inside, range(2))
    os.mkfifo(inside / "pipe.txt")
    os.mkfifo(tmp_path / "named.txt")
    (inside / "secret.txt").symlink_to(write_synthetic(tmp_path / "elsewhere", [9])[0])
    url = f"sqlite:///{tmp_path / 'c.db'}"
    done = subprocess.run(
        [*NIANBAO, "ingest", str(inside), str(tmp_path / "named.txt"), "--db", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "新入库 2 份" in done.stdout
    lines = [line for line in done.stderr.splitlines() if line.startswith("nianbao: ")]
    assert sorted(Path(line.split(": ")[1]).name for line in lines) == ["named.txt", "pipe.txt", "secret.txt"]
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_folder_is_named(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "in", range(1))
    locked = tmp_path / "in" / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        found = scan([tmp_path / "in"])
    finally:
        locked.chmod(0o755)
    assert len(found.files) == 1 and [Path(o.file).name for o in found.refused] == ["locked"]


@pytest.mark.slow
def test_ingest_of_good_files_mixed_with_the_hostile_corpus(tmp_path: Path) -> None:
    make = pytest.importorskip("tests.hostile.hostile_make")
    inside = tmp_path / "in"
    good = write_synthetic(inside, range(3))
    hostile = {
        "merge.xlsx": make.xlsx(make.merged_sheet(next(iter(make.MERGE_SPELLINGS.values())))),
        "understated.docx": make.understated("docx"),
        "corrupt.xlsx": make.corrupt_sheet(),
        "page.pdf": make.pdf("0 0 14400 14400", user_unit=75),
        "frames.gif": make.gif_frames(),
        "frames.tif": make.tiff_frames(),
        "headings.txt": make.numbered_headings(),
        "fee.txt": make.huge_fee(),
        "pipes.txt": b"|" * (15 * make.MB),
    }
    for name, data in hostile.items():
        (inside / name).write_bytes(data)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    started = time.monotonic()
    done = subprocess.run(
        [*NIANBAO, "ingest", str(inside), "--db", url, "-j", "1", "--memory-mb", "1536", "--timeout", "60"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert "Traceback" not in done.stderr and done.returncode in (0, 2), done.stderr[-3000:]
    named = {Path(line.split(": ")[1]).name for line in done.stderr.splitlines() if line.startswith("nianbao: ")}
    stored = Store(connect(url)).load_reports(_ids(url))
    files = {Path(r.source.file).name for r in stored}
    assert {p.name for p in good} <= files
    assert set(hostile) <= named | files and not named & files
    assert time.monotonic() - started < 600


def _ids(url: str) -> list[int]:
    with connect(url).connect() as conn:
        return list(conn.execute(sa.select(reports.c.id)).scalars())


def test_cli_limits_reach_the_workers_and_a_bad_one_stops_at_once(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "in", range(2))
    url = f"sqlite:///{tmp_path / 'l.db'}"
    run = [*NIANBAO, "ingest", str(tmp_path / "in"), "--db", url, "--no-cross", "--limits"]
    small = subprocess.run([*run, "text_mb=0.001"], capture_output=True, text=True, timeout=120)
    assert small.returncode == 2 and small.stderr.count("text_mb") == 2 and "Traceback" not in small.stderr
    bad = subprocess.run([*run, "no_such_limit=1"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "NIANBAO_LIMITS" in bad.stderr


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_the_fork_server_ignores_ctrl_c_while_it_imports() -> None:
    """Ctrl-C reaches the terminal's whole process group: the workers' fork server, still importing
    the modules it preloads, printed a traceback; it ignores SIGINT from the start now."""
    code = (
        "from multiprocessing import forkserver; from nianbao.pipeline.workers import SAVING, warm; warm(SAVING); "
        "pid = forkserver._forkserver._forkserver_pid; "
        "print([l for l in open(f'/proc/{pid}/status') if l.startswith('SigIgn')][0].split()[1])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert int(out.stdout.strip(), 16) & (1 << (signal.SIGINT - 1)), out.stderr[-2000:]
