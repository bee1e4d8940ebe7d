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


@app.command()
def serve(
    db: Annotated[str | None, typer.Option("--db", help="数据库地址（默认 NIANBAO_DB 或 ./.nianbao/nianbao.db）")] = None,
    host: Annotated[str, typer.Option("--host", help="监听地址；默认只允许本机访问")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
) -> None:
    """启动网页版：上传核对、报告列表、报告页、机关历年对照、逐格比较、仪表盘、导出。"""
    import uvicorn

    from nianbao.store.db import StoreError
    from nianbao.web.app import create_app

    try:
        web = create_app(db)
    except StoreError as e:
        fail(db or "数据库", str(e))
        raise typer.Exit(2) from None
    typer.echo(f"nianbao 网页版：http://{host}:{port}/  （按 Ctrl+C 停止）")
    uvicorn.run(web, host=host, port=port, log_level="warning")


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        raise SystemExit(0) from None
