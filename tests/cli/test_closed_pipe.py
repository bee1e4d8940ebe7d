"""Output into a pipe whose reader has gone (``nianbao … | head -1``) ends quietly with exit code 1,
in the plain forms (``nianbao.__main__``) as through typer (its own ``main`` catches the broken
pipe: ``nianbao.cli.main`` has nothing to add): no traceback, no "Exception ignored" at exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.store.db import connect

REPORTS = sorted((Path(__file__).parents[1] / "fixtures" / "reports").glob("*.txt"))
REPORT = str(REPORTS[0])
NIANBAO = [sys.executable, "-m", "nianbao"]
# buffered as a user's shell runs it (unbuffered, Python's text layer drops what a pipe did not take)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


@pytest.mark.parametrize(
    "args",
    [
        ["rules"],
        ["rules", "-f", "json"],
        ["--help"],
        ["parse", REPORT],
        ["parse", REPORT, "-f", "json"],
        ["check", REPORT],
        ["check", REPORT, "-f", "json"],
        ["check", REPORT, "--ignore", "CELL-BLANK"],  # through typer
    ],
    ids=lambda a: " ".join(a).replace(REPORT, "a.txt"),
)
def test_a_pipe_closed_before_the_output(args: list[str]) -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([*NIANBAO, *args], stdout=write, stderr=subprocess.PIPE, env=ENV, check=False)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (1, b"")


@pytest.mark.parametrize("json", [["-f", "json"], ["-fjson"]], ids=["plain", "typer"])
def test_a_reader_that_stops_after_the_first_line(json: list[str]) -> None:
    """``| head -1`` on more output than a pipe holds (64 KiB): the writer meets the closed pipe
    in the middle of the output."""
    files = [str(p) for p in REPORTS]
    with subprocess.Popen(
        [*NIANBAO, "parse", *files, *json], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV
    ) as p:
        assert p.stdout is not None and p.stderr is not None
        assert p.stdout.readline() == b"[\n"
        p.stdout.close()
        err = p.stderr.read()
    assert (p.returncode, err) == (1, b"")


def test_export_to_a_pipe_closed_says_nothing_was_exported(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'nb.db'}"
    connect(db, create=True).dispose()
    test_a_pipe_closed_before_the_output(["export", "--to", "csv", "-o", "-", "--db", db])


@pytest.mark.parametrize(
    ("args", "code"),
    [(["rules"], 0), (["parse", REPORT, "-f", "json"], 0), (["check", REPORT, "--ignore", "CELL-BLANK"], 0)],
    ids=["typer", "plain", "typer-check"],
)
def test_a_stdout_closed_before_the_start_writes_nowhere(args: list[str], code: int) -> None:
    """``nianbao … >&-`` (cron, a service): Python makes sys.stdout None; the output goes nowhere and
    the command's own exit code stands. It was an AttributeError traceback at the last flush."""
    done = subprocess.run(
        [*NIANBAO, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=ENV,
        close_fds=True,
        pass_fds=(),
        preexec_fn=lambda: os.close(1),
        check=False,
    )
    assert (done.returncode, done.stderr) == (code, b"")
