"""The command line speaks Chinese: help, usage, panels, the help option and usage errors, with
no English framework words; option help is never cut when the output is not a terminal."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.cli_zh import in_chinese

ENGLISH = (
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "Show this message",
    "Missing",
    "No such",
    "Try ",
    "Error",
    "Invalid value",
    "required",
    "default:",
    "env var",
    "OPTIONS",
    "COMMAND",
    "ARGS",
    "<str>",
    "<int>",
    "<bool>",
    "<path>",
    "Got unexpected",
    "requires an argument",
    "Aborted",
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), prog_name="nianbao")
    return result.exit_code, result.output


def english_in(text: str) -> list[str]:
    return [w for w in ENGLISH if w in text]


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        (),
        ("check", "--help"),
        ("export", "--help"),
        ("serve", "--help"),
        ("ingest", "--help"),
        ("ledger",),
    ],
)
def test_help_is_chinese(args: tuple[str, ...]) -> None:
    code, out = run(*args)
    assert code in (0, 2)
    assert "用法：nianbao" in out and "显示本帮助并退出。" in out and "选项" in out
    assert not english_in(out), english_in(out)


def test_root_help_lists_commands_under_chinese_panels() -> None:
    _, out = run("--help")
    assert "命令" in out and "check" in out and "export" in out


def test_check_help_shows_arguments_and_defaults_in_chinese() -> None:
    _, out = run("check", "--help")
    assert "参数" in out and "[必填]" in out and "[默认：text]" in out and "<开关>" in out


def flat(text: str) -> str:
    return re.sub(r"[\s│╭╮╰╯─]+", "", text)


def test_option_help_is_not_cut() -> None:
    _, out = run("serve", "--help")
    assert "…" not in out.replace("postgresql://…", "")
    whole = (
        "接受的主机名（浏览器地址栏中的名字，可多次给出；默认本机名 localhost、127.0.0.1、::1 及监听地址；* 为任意）"
    )
    assert flat(whole) in flat(out)
    _, out = run("export", "--help")
    assert "…" not in out.replace("postgresql://…", "")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("check",), "缺少参数 files。"),
        (("check", "--bogus", "a.txt"), "没有选项 --bogus"),
        (("nosuch",), "没有命令 nosuch"),
        (("pars",), "没有命令 pars（是不是 'parse'"),
        (("export", "--to"), "选项 --to 需要一个值。"),
        (("export", "--to", "pdf", "-o", "x"), "--to 的值不对：'pdf' 不是可选的值"),
        (("export", "--to", "csv", "-o", "x", "--year", "abc"), "--year 的值不对：应为整数。"),
        (("serve", "--port", "1", "2"), "多余的参数：2"),
        (("ingest", "--workers", "0", "x"), "应不小于 1。"),
        (("export", "-o", "x"), "缺少选项 --to"),
    ],
)
def test_usage_errors_are_chinese(args: tuple[str, ...], expected: str) -> None:
    code, out = run(*args)
    assert code == 2
    assert expected in out, out
    assert "错误" in out and "查看帮助" in out or "需要一个值" in out
    assert not english_in(out), english_in(out)


def test_our_own_messages_pass_through() -> None:
    assert in_chinese("文件不存在") == "文件不存在"
    assert in_chinese("No such command 'x'.").startswith("没有命令 x")
