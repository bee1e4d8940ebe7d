"""``nianbao ledger …``: the blank ledger, its check and its tally (registered in ``nianbao.cli``).

Exit codes as for ``nianbao check``: 0 done; 1 an error found (``--strict``: a
warning too), or a tally refused because the ledger has errors; 2 a file that
cannot be read or written."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nianbao.model import ReportError

if TYPE_CHECKING:  # the ledger modules (openpyxl, chinese-calendar) load only when a ledger command runs
    from nianbao.ledger import Ledger, Tally

ledger_app = typer.Typer(
    help="依申请公开台账：生成空白台账，核对（规则与答复期限），统计表三、表四和信息处理费。",
    no_args_is_help=True,
)

FileArg = Annotated[Path, typer.Argument(help="台账文件（XLSX）", show_default=False)]


class Out(StrEnum):
    text = "text"
    json = "json"


FormatOpt = Annotated[Out, typer.Option("--format", "-f", help="输出格式")]


def _fail(path: Path, reason: str) -> None:
    typer.echo(f"nianbao: {path}: {reason}", err=True)


def _read(path: Path) -> Ledger:
    from nianbao.ledger import read_ledger

    try:
        return read_ledger(path)
    except ReportError as e:
        _fail(path, str(e))
        raise typer.Exit(2) from None


@ledger_app.command("template")
def template(
    output: Annotated[Path, typer.Argument(help="要写出的空白台账（XLSX）", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="文件已存在时覆盖")] = False,
) -> None:
    """写出空白台账：“申请”“复议诉讼”两张表（下拉列表、日期格）和填写说明。"""
    from nianbao.ledger import template_bytes

    if output.exists() and not force:
        _fail(output, "文件已存在（要覆盖请加 --force）")
        raise typer.Exit(2)
    try:
        output.write_bytes(template_bytes())
    except OSError as e:
        _fail(output, f"无法写入：{e.strerror or e}")
        raise typer.Exit(2) from None
    typer.echo(f"已写出空白台账 {output}", err=True)


@ledger_app.command("check")
def check(
    file: FileArg,
    year: Annotated[int | None, typer.Option("--year", help="只看这一年及以前收到的申请、立案的案件")] = None,
    fmt: FormatOpt = Out.text,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也算不通过（退出码1）")] = False,
) -> None:
    """核对台账：必填项、日期、办理结果、收费，以及逾期答复和逾期未答复的申请。"""
    from nianbao.check import Checked
    from nianbao.ledger import check_ledger
    from nianbao.render.check_console import print_check
    from nianbao.render.check_json import check_json

    results = [Checked(str(file), None, check_ledger(_read(file), year))]
    if fmt is Out.json:
        sys.stdout.write(json.dumps(check_json(results, []), ensure_ascii=False, indent=2) + "\n")
    else:
        print_check(results, [])
    found = {d.severity for d in results[0].diagnostics}
    raise typer.Exit(1 if "error" in found or (strict and "warning" in found) else 0)


@ledger_app.command("tally")
def tally_command(
    file: FileArg,
    year: Annotated[int, typer.Option("--year", help="报告年度", show_default=False)],
    agency: Annotated[str | None, typer.Option("--agency", help="报告机关")] = None,
    fmt: FormatOpt = Out.text,
) -> None:
    """统计某一年度的表三、表四和第六部分信息处理费，每个格注明由台账哪几行数出。"""
    from nianbao.ledger import check_ledger, tally
    from nianbao.render.console import print_report
    from nianbao.render.json import report_json
    from nianbao.template import path_label

    ledger = _read(file)
    errors = [d for d in check_ledger(ledger, year) if d.severity == "error"]
    for d in errors:
        _fail(file, f"{d.rule} {d.message}")
    if errors:
        _fail(file, f"台账有{len(errors)}处错误，改正后再统计（nianbao ledger check {file} --year {year}）")
        raise typer.Exit(1)
    t = tally(ledger, year, agency)
    if fmt is Out.json:
        out = report_json(t.report) | {"ledger": provenance(t)}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    print_report(t.report)
    typer.echo("出处（台账行号）：")
    for path, where in provenance(t).items():
        typer.echo(f"  {path_label(path)}：「{where['sheet']}」第{'、'.join(map(str, where['rows']))}行")


def provenance(t: Tally) -> dict[str, dict[str, Any]]:
    """Cell path → the sheet and the rows it counts (cells of 0 are left out)."""
    return {p: {"sheet": rows[0][0], "rows": [r for _, r in rows]} for p, rows in t.rows.items()}
