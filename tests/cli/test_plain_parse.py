"""``nianbao parse FILE… [-f text|json]`` and ``nianbao check FILE… [-f text|json] [--strict]`` run
without typer (``nianbao.__main__``), and say and print exactly what the typer app says and prints
for the same arguments, with the same exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.__main__ import plain_form

REPORTS = Path(__file__).parents[1] / "fixtures" / "reports"
TEXT = str(REPORTS / "xicheng-chengzhi-2024-tab.txt")
HTML = str(REPORTS / "dizhang-jiedao-2020-2019ed.html")
PLAIN = [sys.executable, "-c", "import sys; from nianbao.__main__ import main; sys.argv[0] = 'nianbao'; main()"]
TYPER = [sys.executable, "-c", "import sys; from nianbao.cli import main; sys.argv[0] = 'nianbao'; main()"]


def test_the_plain_forms() -> None:
    assert plain_form(["parse", "a.txt"]) == ("parse", ["a.txt"], False, set())
    assert plain_form(["parse", "a.txt", "b.html", "-f", "json"]) == ("parse", ["a.txt", "b.html"], True, set())
    assert plain_form(["parse", "--format", "text", "a.txt"]) == ("parse", ["a.txt"], False, set())
    assert plain_form(["parse", "--format=json", "a.txt"]) == ("parse", ["a.txt"], True, set())
    assert plain_form(["check", "a.txt", "--strict", "-f", "json"]) == ("check", ["a.txt"], True, {"--strict"})


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["rules"],
        ["parse"],
        ["parse", "--help"],
        ["parse", "a.txt", "-f"],
        ["parse", "a.txt", "-f", "xml"],
        ["parse", "a.txt", "-f", "JSON"],
        ["parse", "a.txt", "-f", "json", "-f", "text"],
        ["parse", "a.txt", "-fjson"],
        ["parse", "--", "a.txt"],
        ["parse", ""],
        ["parse", "a.txt", "--strict"],
        ["parse", "-a.txt"],
        ["parse", "-"],
        ["parse", "a.txt", "--format="],
        ["check", "a.txt", "-f", "json", "--format", "json"],
        ["check", "a.txt", "--ignore", "CELL-BLANK"],
        ["check", "a.txt", "--strict", "--strict"],
        ["check", "--help"],
        ["rules", "-f", "json"],
    ],
)
def test_every_other_form_goes_to_typer(args: list[str]) -> None:
    assert plain_form(args) is None


@pytest.mark.parametrize("command", ["parse", "check"])
@pytest.mark.parametrize(
    "args",
    [
        [TEXT],
        [TEXT, "-f", "json"],
        [TEXT, HTML],
        [TEXT, "missing.txt", "-f", "json"],
        ["missing.txt"],
        [TEXT, "--strict"],
    ],
    ids=["text", "json", "two", "json-with-missing", "missing", "strict"],
)
def test_the_same_output_as_typer(command: str, args: list[str], tmp_path: Path) -> None:
    plain, typer = (subprocess.run([*cmd, command, *args], capture_output=True, cwd=tmp_path) for cmd in (PLAIN, TYPER))
    assert (plain.returncode, plain.stdout, plain.stderr) == (typer.returncode, typer.stdout, typer.stderr)
    assert plain.stdout or plain.returncode == 2


@pytest.mark.parametrize("command", ["parse", "check"])
def test_a_file_named_like_markup_or_an_option(command: str, tmp_path: Path) -> None:
    odd = ["[red]x[b]:ok:.txt", "-a.txt", "目录\\"]
    for name in odd:
        (tmp_path / name).write_bytes(Path(TEXT).read_bytes())
    plain, typer = (
        subprocess.run(
            [*cmd, command, "--", *odd], capture_output=True, cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"}
        )
        for cmd in (PLAIN, TYPER)
    )
    assert (plain.returncode, plain.stdout, plain.stderr) == (typer.returncode, typer.stdout, typer.stderr)
    assert plain.returncode == 0 and "[red]x[b]:ok:.txt" in plain.stdout.decode()


@pytest.mark.parametrize("command", ["parse", "check"])
def test_neither_typer_nor_the_store_is_imported(command: str) -> None:
    heavy = (
        "('typer', 'rich.console', 'sqlalchemy', 'nianbao.store', 'nianbao.web', 'nianbao.analysis', 'nianbao.ledger')"
    )
    shown = f"import atexit, sys; atexit.register(lambda: print(sorted(set({heavy}) & set(sys.modules))));"
    done = subprocess.run(
        [sys.executable, "-c", shown + PLAIN[2], command, TEXT, "-f", "json"], capture_output=True, text=True
    )
    assert done.returncode in (0, 1), done.stderr
    assert done.stdout.endswith("}\n[]\n")
