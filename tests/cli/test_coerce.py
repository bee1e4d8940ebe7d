"""``cli_coerce``'s quick path gives, for every parameter of every command, what typer's own
coercion gives: the same value, or the same error (it uses typer 0.29's internals: a typer that
changes them fails here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer import _click as click
from typer import _coercion
from typer._click.exceptions import BadParameter
from typer.core import _TyperParameter

from nianbao import cli_coerce
from nianbao.cli import app


def parameters() -> list[tuple[click.Command, _TyperParameter]]:
    found: list[tuple[click.Command, _TyperParameter]] = []

    def walk(command: click.Command) -> None:
        found.extend((command, p) for p in command.params if isinstance(p, _TyperParameter))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(app))
    return found


def outcome(runtime: _coercion.RuntimeParam, value: Any, param: _TyperParameter, ctx: click.Context) -> Any:
    try:
        out = runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as e:
        return ("error", e.format_message())
    return ("value", out, type(out), [type(v) for v in out] if isinstance(out, (list, tuple)) else None)


def samples(tmp_path: Path) -> list[str]:
    (tmp_path / "有.txt").write_text("x", encoding="utf-8")
    (tmp_path / "夹").mkdir(exist_ok=True)
    return ["1", "0", "-3", "2024", "05", "+2", " 7", "1.5", "x", "", "中文", "json", "JSON", "text", "csv", "xlsx",
            "open", "docx", "1e3", str(tmp_path / "有.txt"), str(tmp_path / "夹"), str(tmp_path / "无.txt"), "-"]  # fmt: skip


def test_the_quick_path_converts_and_fails_as_typer_does(tmp_path: Path) -> None:
    found = parameters()
    assert len(found) > 100  # every command's parameters, not a few
    values = samples(tmp_path)
    quick_taken = 0
    for command, param in found:
        if param.type_descriptor.file_annotation is not None or param.type_descriptor.annotation is bool:
            continue
        ctx = click.Context(command)
        quick, typer_own = (
            cli_coerce._build(param.type_descriptor),
            _coercion.build_runtime_param(param.type_descriptor),
        )
        assert isinstance(quick, cli_coerce.QuickParam)
        multi = param.multiple or param.nargs == -1
        for v in values:
            given: Any = (v, values[0]) if multi else v
            assert outcome(quick, given, param, ctx) == outcome(typer_own, given, param, ctx), (
                command.name,
                param.name,
                v,
            )
            try:
                cli_coerce._leaf(v, param.type_descriptor.annotation, param.type_descriptor.parameter_info, param, ctx)
                quick_taken += 1
            except Exception:
                pass
    assert quick_taken > 100  # the quick path is taken, not always left to typer


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["peers", "--agency", "某局", "--year", "1.5"], "--year / -y 的值不对：应为整数。"),
        (["export", "--to", "pdf", "-o", "x.pdf"], "pdf"),
        (["parse", "没有这个文件.txt"], "没有这个文件.txt"),
    ],
)
def test_a_bad_value_is_a_chinese_usage_error(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "300")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
