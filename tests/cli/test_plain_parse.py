"""``nianbao parse FILE… [-f text|json]`` runs without typer (``nianbao.__main__``), and says and
prints exactly what the typer app says and prints for the same arguments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.__main__ import plain_parse

REPORTS = Path(__file__).parents[1] / "fixtures" / "reports"
TEXT = str(REPORTS / "xicheng-chengzhi-2024-tab.txt")
HTML = str(REPORTS / "dizhang-jiedao-2020-2019ed.html")
PLAIN = [sys.executable, "-c", "import sys; from nianbao.__main__ import main; sys.argv[0] = 'nianbao'; main()"]
TYPER = [sys.executable, "-c", "import sys; from nianbao.cli import main; sys.argv[0] = 'nianbao'; main()"]


def test_the_plain_forms() -> None:
    assert plain_parse(["parse", "a.txt"]) == (["a.txt"], False)
    assert plain_parse(["parse", "a.txt", "b.html", "-f", "json"]) == (["a.txt", "b.html"], True)
    assert plain_parse(["parse", "--format", "text", "a.txt"]) == (["a.txt"], False)
    assert plain_parse(["parse", "--format=json", "a.txt"]) == (["a.txt"], True)


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
        ["check", "a.txt"],
    ],
)
def test_every_other_form_goes_to_typer(args: list[str]) -> None:
    assert plain_parse(args) is None


@pytest.mark.parametrize(
    "args",
    [[TEXT], [TEXT, "-f", "json"], [TEXT, HTML], [TEXT, "missing.txt", "-f", "json"], ["missing.txt"]],
    ids=["text", "json", "two", "json-with-missing", "missing"],
)
def test_the_same_output_as_typer(args: list[str], tmp_path: Path) -> None:
    plain, typer = (subprocess.run([*cmd, "parse", *args], capture_output=True, cwd=tmp_path) for cmd in (PLAIN, TYPER))
    assert (plain.returncode, plain.stdout, plain.stderr) == (typer.returncode, typer.stdout, typer.stderr)
    assert plain.stdout or plain.returncode == 2


def test_neither_typer_nor_the_store_is_imported() -> None:
    heavy = (
        "('typer', 'rich.console', 'sqlalchemy', 'nianbao.store', 'nianbao.web', 'nianbao.analysis', 'nianbao.ledger')"
    )
    shown = f"import atexit, sys; atexit.register(lambda: print(sorted(set({heavy}) & set(sys.modules))));"
    done = subprocess.run(
        [sys.executable, "-c", shown + PLAIN[2], "parse", TEXT, "-f", "json"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("}\n[]\n")
