"""The command line: each command wires read → extract → check → store/render.

Exit codes (cli.md): 0 done; 1 ``check`` found an error; 2 usage error or an
input that could not be read as a report."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nianbao.extract import read_report
from nianbao.model import Report, ReportError
from nianbao.render.console import print_report
from nianbao.render.json import report_json

app = typer.Typer(
    help="nianbao：政府信息公开工作年度报告的读取、核对、存储与比较。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    text = "text"
    json = "json"


@app.callback()
def _group() -> None:
    """nianbao：政府信息公开工作年度报告的读取、核对、存储与比较。"""


FilesArg = Annotated[list[Path], typer.Argument(help="报告文件（txt/md/html/docx/pdf/图片/xlsx）", show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="输出格式")]


def fail(path: Path | str, reason: str) -> None:
    """One clear line on stderr naming the file and the reason."""
    typer.echo(f"nianbao: {path}: {reason}", err=True)


def load(paths: list[Path]) -> tuple[list[tuple[Path, Report]], list[tuple[Path, str]]]:
    """Read every file; unreadable ones are returned with their reason, in order."""
    good: list[tuple[Path, Report]] = []
    bad: list[tuple[Path, str]] = []
    for p in paths:
        try:
            good.append((p, read_report(p)))
        except ReportError as e:
            bad.append((p, str(e)))
    return good, bad


@app.command()
def parse(files: FilesArg, fmt: FormatOpt = Format.text) -> None:
    """读取报告，输出三张统计表的每个单元格及其出处。"""
    code = 0
    out: list[dict] = []
    for p in files:
        try:
            report = read_report(p)
        except ReportError as e:
            fail(p, str(e))
            code = 2
            continue
        if fmt is Format.json:
            out.append(report_json(report))
        else:
            print_report(report)
    if fmt is Format.json and out:
        data: object = out[0] if len(files) == 1 else out
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    raise typer.Exit(code)


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        raise SystemExit(0) from None
