"""Output that stdout cannot take (a full disk; ``> /dev/full``) is one Chinese line and exit code 2,
as ``export -o -`` says it, in the plain forms (``nianbao.__main__``) as through typer, whether it
is met while the command writes or at the last flush: never an OSError traceback."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.cli_say import unwritable
from nianbao.store.db import Store, connect
from tests.builders import numbered_report

REPORT = str(sorted((Path(__file__).parents[1] / "fixtures" / "reports").glob("*.txt"))[0])
NIANBAO = [sys.executable, "-m", "nianbao"]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as a shell runs it
FULL = "/dev/full"
pytestmark = pytest.mark.skipif(not os.path.exists(FULL), reason="no /dev/full on this system")


def said(args: list[str]) -> tuple[int, str]:
    with open(FULL, "w") as full:
        done = subprocess.run([*NIANBAO, *args], stdout=full, stderr=subprocess.PIPE, env=ENV, check=False)
    return done.returncode, done.stderr.decode()


@pytest.mark.parametrize(
    "args",
    [
        ["parse", REPORT],
        ["parse", REPORT, "-f", "json"],
        ["parse", REPORT, "-fjson"],  # through typer
        ["check", REPORT],
        ["check", REPORT, "-f", "json"],
        ["check", REPORT, "--ignore", "CELL-BLANK"],  # through typer
        ["rules"],
        ["rules", "-f", "json"],
        ["--help"],
    ],
    ids=lambda a: " ".join(a).replace(REPORT, "a.txt"),
)
def test_a_full_stdout_is_one_line(args: list[str]) -> None:
    assert said(args) == (2, "nianbao: -: 无法写入：磁盘已满\n")


@pytest.mark.parametrize(
    "args",
    [["findings"], ["compare", "-a", "某县甲局"], ["compare", "-a", "某县甲局", "-f", "json"], ["agencies", "list"]],
    ids=" ".join,
)
def test_a_full_stdout_is_one_line_for_the_store_commands(args: list[str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'nb.db'}"
    store = Store(connect(db, create=True))
    for i, year in enumerate((2023, 2024)):
        store.save(numbered_report(agency="某县甲局", year=year, seed=i), [])
    assert said([*args, "--db", db]) == (2, "nianbao: -: 无法写入：磁盘已满\n")


def test_an_error_about_a_file_is_not_said_as_stdout_s() -> None:
    """An OSError that names a file, or one no write fails with, escaped a command: a bug to see,
    not a full stdout."""
    with pytest.raises(FileNotFoundError):
        unwritable(FileNotFoundError(errno.ENOENT, "No such file", "a.txt"))
    with pytest.raises(ConnectionRefusedError):
        unwritable(ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"))
