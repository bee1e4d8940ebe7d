"""A console that cannot encode Chinese (``PYTHONIOENCODING=ascii``, a C locale without UTF-8)
gets every command's output with ``\\uXXXX`` escapes, never a UnicodeEncodeError traceback, and the
same exit code; JSON output stays JSON that decodes to the same data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.cli_say import ESCAPE

REPORT = str(Path(__file__).parents[1] / "fixtures" / "reports" / "xicheng-chengzhi-2024-tab.txt")
NIANBAO = [sys.executable, "-m", "nianbao"]
ASCII = {"PYTHONIOENCODING": "ascii"}
C_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
COMMANDS = [
    ["rules"],
    ["rules", "-f", "json"],
    ["parse", REPORT],
    ["parse", REPORT, "-f", "json"],
    ["check", REPORT],
    ["check", REPORT, "-f", "json"],
    ["check", REPORT, "--ignore", "CELL-BLANK", "-f", "json"],  # through typer
    ["parse", "no-such-file.txt"],
    ["check", REPORT, "no-such-file.txt", "-f", "json"],
    ["--help"],
    ["ingest", "--help"],
    ["bogus"],
]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONIO", "LC_", "LANG", "PYTHONUTF8"))}
    return subprocess.run([*NIANBAO, *args], env=base | env, capture_output=True, check=False)


@pytest.mark.parametrize("console", [ASCII, C_LOCALE], ids=["ascii", "C"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_traceback_on_a_console_without_chinese(args: list[str], console: dict[str, str]) -> None:
    done = run(args, console)
    utf8 = run(args, {"PYTHONIOENCODING": "utf-8"})
    assert b"Traceback" not in done.stderr, done.stderr.decode("ascii", "replace")
    assert done.returncode == utf8.returncode
    done.stdout.decode("ascii")  # everything escaped
    if "json" in args and done.stdout:
        assert json.loads(done.stdout) == json.loads(utf8.stdout)


def test_a_file_name_in_a_c_locale_comes_back_as_given() -> None:
    done = run(["check", REPORT, "无此文件.txt", "-f", "json"], C_LOCALE)
    assert done.returncode == 2
    assert json.loads(done.stdout)["reports"][1]["file"] == "无此文件.txt"
    assert done.stderr.decode().startswith("nianbao: 无此文件.txt: \\u6587\\u4ef6")


def test_a_character_beyond_the_bmp_is_a_json_escape() -> None:
    text = json.dumps({"机关": "𠮷野乡"}, ensure_ascii=False)
    escaped = text.encode("ascii", ESCAPE)
    assert b"\\ud842\\udfb7" in escaped
    assert json.loads(escaped) == {"机关": "𠮷野乡"}
