"""Every command says what went wrong through ``cli_say.fail``: one line on stderr, ``nianbao:``,
what it is about when there is a subject (the file, 数据库, 机关, 用户, 汇总…), and the reason with
its line breaks joined; the exit code is the command's."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.cli_say import fail, warn
from nianbao.store.db import connect
from tests.read.test_render_cli import _ambiguous_table4


def test_a_line_with_and_without_a_subject(capsys: pytest.CaptureFixture[str]) -> None:
    fail(Path("a.txt"), "第一行\n  第二行")
    fail("至少需要两份报告才能比较")
    fail("数据库", "表", "无法打开")
    assert capsys.readouterr().err == (
        "nianbao: a.txt: 第一行 第二行\nnianbao: 至少需要两份报告才能比较\nnianbao: 数据库: 表: 无法打开\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "line"),
    [
        (["agencies", "merge", "甲", "乙"], 1, "nianbao: 机关: 库中没有机关“甲”"),
        (["users", "remove", "无此人"], 1, "nianbao: 用户: 用户 无此人 不存在"),
        (["compare"], 2, "nianbao: 至少需要两份报告才能比较"),
        (["rollup", "--year", "2024", "--format", "xlsx"], 2, "nianbao: 汇总: --format xlsx 需要用 -o 指定输出文件"),
        (["recheck"], 2, "nianbao: 请给出一个报告编号，或 --all"),
        (["ledger", "template", "{tmp}/nb.db"], 2, "nianbao: {tmp}/nb.db: 文件已存在（要覆盖请加 --force）"),
        (
            ["compose", "--year", "2024", "--ledger", "{tmp}/nb.db", "-o", "{tmp}/x.docx"],
            2,
            "nianbao: 缺少选项 --agency：请给出报告机关（如 --agency 某某县人民政府），或用 --draft 给出写明机关的草稿",
        ),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else "",
)
def test_each_command_module_says_one_line(args: list[str], code: int, line: str, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'nb.db'}"
    connect(db).dispose()
    args = [a.format(tmp=tmp_path) for a in args]
    result = CliRunner().invoke(app, args if args[0] in ("ledger", "compose") else [*args, "--db", db])
    assert (result.exit_code, result.output) == (code, line.format(tmp=tmp_path) + "\n")


def test_a_warning_is_fail_s_line_with_警告(capsys: pytest.CaptureFixture[str]) -> None:
    warn(Path("a.txt"), "表四15格留空：\n 原报告第9行")
    warn("数据库 nianbao 的 LC_CTYPE 为 C")
    assert capsys.readouterr().err == (
        "nianbao: a.txt: 警告: 表四15格留空： 原报告第9行\nnianbao: 警告: 数据库 nianbao 的 LC_CTYPE 为 C\n"
    )


def test_render_warns_through_the_shared_line(tmp_path: Path) -> None:
    src = _ambiguous_table4(tmp_path)
    result = CliRunner().invoke(app, ["render", str(src), "-o", str(tmp_path / "o.docx")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"nianbao: {src}: 警告: 表四15格留空：原报告第")
    assert result.stderr.splitlines()[1:] == [f"已按官方格式写出 {tmp_path / 'o.docx'}，但上述各格留空"]
