"""Fixtures shared by every test folder: databases (SQLite, and a real PostgreSQL server
started here) and files that are slow to make, built once per test run.

The report builders are in tests/builders.py; each folder's own helpers sit beside its tests."""

from __future__ import annotations

import fcntl
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_pg_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server on a temporary data directory and a free port; yields its base URL."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL 15 binaries not installed (/usr/lib/postgresql/15/bin)")
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root but there is no 'postgres' OS user to run the server")
    root = Path(tempfile.mkdtemp(prefix="nianbao-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    port = _free_port()

    def run(cmd: list[str]) -> None:
        subprocess.run(_as_pg_user(cmd), check=True, capture_output=True, text=True)

    try:
        run([str(PG_BIN / "initdb"), "-D", str(data), "-U", "nianbao", "-A", "trust", "-E", "UTF8", "--no-locale"])
        opts = f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off -c full_page_writes=off"
        run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "log"), "-w", "start"])
    except subprocess.CalledProcessError as e:  # installed but broken: fail, do not hide the PostgreSQL tests
        log = (root / "log").read_text(errors="replace")[-2000:] if (root / "log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {e.stderr.strip()[-1000:]}\n{log}")
    try:
        yield f"postgresql://nianbao@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_pg_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]), capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)


_db_numbers = itertools.count()


@pytest.fixture
def pg_database(pg_server: str) -> str:
    """The URL of a new, empty database on the test PostgreSQL server."""
    import psycopg

    name = f"t{os.getpid()}_{next(_db_numbers)}"
    with psycopg.connect(pg_server + "/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE \"{name}\" LC_CTYPE 'C.UTF-8' TEMPLATE template0")  # as deployed: store.md
    return f"{pg_server}/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_database")


@pytest.fixture(scope="session")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, Callable[[Path], None]], Path]:
    """``built_once(name, build)``: a folder filled by ``build(folder)`` once per test run and
    shared by the xdist workers (the first to ask builds it, under a file lock; the others wait)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own

    def get(name: str, build: Callable[[Path], None]) -> Path:
        folder = root / f"once-{name}"
        with open(root / f"once-{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (folder / ".done").exists():
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                build(folder)
                (folder / ".done").touch()
        return folder

    return get
