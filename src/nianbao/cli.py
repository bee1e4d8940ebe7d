"""The command line: each command runs files through the pipeline (read → extract → check) into the store or a renderer.

Exit codes (cli.md): 0 done; 1 ``check`` found an error; 2 usage error or an
input that could not be read as a report."""

import errno
import json
import os
import signal
import socket
import sys
import warnings
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nianbao.agencies_cli import agencies_app
from nianbao.analysis_cli import register as add_analysis_commands
from nianbao.cli_coerce import install as install_quick_values
from nianbao.cli_say import escaping_streams, fail, flushed, os_reason, unwritable, warn, warning_line
from nianbao.cli_store import check_folder, open_engine
from nianbao.cli_zh import ChineseGroup
from nianbao.cli_zh import install as install_chinese
from nianbao.ledger_cli import compose, ledger_app
from nianbao.model import ReportError
from nianbao.review_cli import register as add_review_commands
from nianbao.rollup_cli import rollup
from nianbao.users_cli import users_app

app = typer.Typer(
    help="nianbao：政府信息公开工作年度报告的读取、核对、存储与比较。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=ChineseGroup,
)
install_chinese(app)
install_quick_values()
app.add_typer(ledger_app, name="ledger")
app.add_typer(users_app, name="users")
app.add_typer(agencies_app, name="agencies")
app.command()(compose)
app.command()(rollup)
add_analysis_commands(app)
add_review_commands(app)


class Format(StrEnum):
    text = "text"
    json = "json"


@app.callback()
def _group() -> None:
    """nianbao：政府信息公开工作年度报告的读取、核对、存储与比较。"""


FilesArg = Annotated[list[Path], typer.Argument(help="报告文件（txt/md/html/docx/pdf/图片/xlsx）", show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="输出格式")]


@app.command()
def parse(files: FilesArg, fmt: FormatOpt = Format.text) -> None:
    """读取报告，输出三张统计表的每个单元格及其出处。"""
    from nianbao.cli_parse import parse_files  # nianbao.__main__ runs its plain forms without typer

    raise typer.Exit(parse_files(files, fmt is Format.json))


MemoryOpt = Annotated[
    int | None,
    typer.Option("--memory-mb", min=64, help="每个读取进程的内存上限（MB；默认 NIANBAO_WORKER_MB 或 1536）"),
]
SecondsOpt = Annotated[
    int | None,
    typer.Option(
        "--timeout", min=1, help="每个文件的 CPU 时间上限（秒，墙钟时间为其两倍；默认 NIANBAO_WORKER_SECONDS 或 120）"
    ),
]


LimitsOpt = Annotated[
    str | None,
    typer.Option(
        "--limits",
        help="读取限额，如 ocr_seconds=1800,file_mb=500（同环境变量 NIANBAO_LIMITS；见 docs/limits.md）",
        show_default=False,
    ),
]


def check_limits(spec: str | None) -> None:
    """``--limits`` becomes ``NIANBAO_LIMITS`` (which the worker processes inherit); an invalid
    one stops ``ingest`` and ``serve`` at once, in one line, not once per file."""
    from nianbao.limits import default

    if spec is not None:
        os.environ["NIANBAO_LIMITS"] = spec
    try:
        default()
    except ReportError as e:
        fail("设置", str(e))
        raise typer.Exit(2) from None


BIND_REASONS = {  # why serve cannot listen, in Chinese (else the system's text, os_reason)
    errno.EADDRINUSE: "已被占用，请用 --port 指定其他端口，或先停止占用它的程序",
    errno.EADDRNOTAVAIL: "本机没有这个地址（--host 应是本机的地址，如 127.0.0.1，或 0.0.0.0 表示全部）",
    errno.EACCES: "没有权限（1024 以下的端口须管理员权限，请用 --port 指定其他端口）",
}


@app.command()
def serve(
    db: Annotated[
        str | None, typer.Option("--db", help="数据库地址（默认 NIANBAO_DB 或 ./.nianbao/nianbao.db）")
    ] = None,
    host: Annotated[str, typer.Option("--host", help="监听地址；默认只允许本机访问")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="端口（0：任一空闲端口）")] = 8000,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            envvar="NIANBAO_ALLOWED_HOSTS",
            help="接受的主机名（浏览器地址栏中的名字，可多次给出；默认本机名 localhost、127.0.0.1、::1 及监听地址；* 为任意）",
            show_default=False,
        ),
    ] = None,
    memory_mb: MemoryOpt = None,
    timeout: SecondsOpt = None,
    limits: LimitsOpt = None,
    login: Annotated[bool, typer.Option("--login", help="本机访问也要求登录（监听本机以外的地址时总是要求）")] = False,
) -> None:
    """启动网页版：上传核对、报告列表、报告页、机关历年对照、逐格比较、仪表盘、导出。"""
    check_folder(db)  # a new store in a mistyped folder is said, not made (as ingest), before the web app loads
    import uvicorn

    from nianbao.pipeline.workers import Bounds
    from nianbao.store.accounts import count_users
    from nianbao.store.db import StoreError
    from nianbao.web.app import allowed_hosts, create_app
    from nianbao.web.auth import login_needed

    check_limits(limits)
    names = [n.strip() for h in allow_host or [] for n in h.split(",") if n.strip()]
    hosts = allowed_hosts(names or None) + ([] if host in ("0.0.0.0", "::", "") else [host])
    try:
        bounds = Bounds.from_env(memory_mb, timeout)
        web = create_app(db, hosts=hosts, bounds=bounds, require_login=login_needed(host, login))
    except StoreError as e:
        fail("数据库", str(e))  # the URL may hold a password
        raise typer.Exit(2) from None
    if web.state.require_login and not count_users(web.state.engine):
        fail("账户", f"监听 {host} 时须登录使用，但还没有用户：请先运行 nianbao users add 姓名 --role 管理")
        raise typer.Exit(2)
    try:  # bound here, so that a port in use is one line, not uvicorn's English after our address
        sock = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except OSError as e:  # socket.gaierror too: a host name that cannot be resolved
        why = "无法解析主机名" if isinstance(e, socket.gaierror) else BIND_REASONS.get(e.errno, os_reason(e))
        fail("端口", f"无法在 {host}:{port} 监听：{why}")
        raise typer.Exit(2) from None
    port = sock.getsockname()[1]  # the one the system chose for --port 0
    need = "须登录；" if web.state.require_login else ""
    typer.echo(f"nianbao 网页版：http://{host}:{port}/  （{need}按 Ctrl+C 停止）")
    uvicorn.Server(uvicorn.Config(web, host=host, port=port, log_level="warning")).run(sockets=[sock])


# ------------------------------------------------------ store: ingest, export --
# The store modules are imported inside the commands so that ``parse`` does not pay for SQLAlchemy.

DbOpt = Annotated[
    str | None,
    typer.Option("--db", envvar="NIANBAO_DB", help="数据库地址（默认 ./.nianbao/nianbao.db；也可 postgresql://…）"),
]


class ExportFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    wide_csv = "wide.csv"
    jsonl = "jsonl"
    json = "json"


class Status(StrEnum):
    error = "error"
    warning = "warning"
    ok = "ok"


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="报告文件、文件夹（递归查找）或通配符", show_default=False)],
    db: DbOpt = None,
    workers: Annotated[int | None, typer.Option("--workers", "-j", min=1, help="并行进程数（默认：全部核心）")] = None,
    cross: Annotated[bool, typer.Option("--cross/--no-cross", help="入库后对库内全部现行报告运行跨报告规则")] = True,
    memory_mb: MemoryOpt = None,
    timeout: SecondsOpt = None,
    limits: LimitsOpt = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            help="在 Dask 集群上读取：tcp://调度器:8786，或 local:N（本机 N 个工作进程）；需安装可选组件 cluster"
        ),
    ] = None,
) -> None:
    """把报告批量载入数据库：解析、核对，相同文件跳过，同一机关同一年度的新文件存为新版本；
    最后对库内全部现行报告运行跨报告规则。每个文件在受内存与时间限制的进程中读取。"""
    from nianbao.pipeline.workers import SAVING, warm

    check_limits(limits)  # in the environment before the workers' fork server starts: they get its own
    if cluster is None:
        warm(SAVING)  # the fork server imports beside this process's imports, connection and scan
    from nianbao.pipeline.cluster import DaskPool
    from nianbao.pipeline.ingest import ingest as load_all
    from nianbao.pipeline.ingest import scan, summary_lines
    from nianbao.pipeline.progress import IngestProgress
    from nianbao.pipeline.workers import Bounds
    from nianbao.store.db import Store, StoreError

    store = Store(open_engine(db, create=True))
    found = scan(paths)
    bounds = Bounds.from_env(memory_mb, timeout)
    try:
        pool = DaskPool(cluster) if cluster else None
    except ReportError as e:
        fail(str(e))
        raise typer.Exit(2) from None
    previous = signal.signal(signal.SIGTERM, _interrupt)  # a polite kill stops the workers like Ctrl-C
    try:
        with IngestProgress(len(found.files) + len(found.refused)) as bar:
            summary = load_all(
                found, store, workers, on_file=bar.advance, cross=cross, bounds=bounds, who="命令行", pool=pool
            )
    except KeyboardInterrupt:
        typer.echo("已中断：已入库的报告都已保存，再次运行同一命令会跳过它们继续。", err=True)
        raise typer.Exit(130) from None
    except StoreError as e:  # a batch could not be written: it is rolled back, the batches before it kept
        fail("数据库", f"{e}（此前已入库的报告都已保存，排除故障后再次运行同一命令会跳过它们继续）")
        raise typer.Exit(2) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    for line in summary_lines(summary):
        typer.echo(line)
    for path, reason in summary.unreadable:
        fail(path, reason)
    raise typer.Exit(2 if summary.unreadable else 0)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@app.command()
def export(
    to: Annotated[ExportFormat, typer.Option("--to", help="导出格式")],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件（- 为标准输出）", show_default=False)],
    db: DbOpt = None,
    region: Annotated[str | None, typer.Option(help="地区")] = None,
    agency: Annotated[str | None, typer.Option(help="报告机关")] = None,
    year: Annotated[int | None, typer.Option(help="报告年度")] = None,
    edition: Annotated[str | None, typer.Option(help="模板版本（2021/2019）")] = None,
    status: Annotated[Status | None, typer.Option(help="error：有错误；warning：有警告无错误；ok：均无")] = None,
    q: Annotated[str | None, typer.Option("--q", help="机关、地区或文件名中包含的文字")] = None,
) -> None:
    """把库中的现行报告导出：xlsx（每表一页，表头按模板分组合并，冻结表头、筛选、A4 打印）、csv（长表，每个单元格一行）、wide.csv（宽表，每份报告一行、每个单元格一列）、jsonl（每行一份报告）或 json（与 parse --format json 相同）。边读边写，内存不随报告数增长；输出文件为 - 时写到标准输出。"""
    from nianbao.store import exports

    engine = open_engine(db)  # a store that does not exist is said so, not made empty
    filters = {"region": region, "agency": agency, "year": year, "edition": edition, "q": q}
    filters["status"] = status.value if status else None
    n = exports.count(engine, **filters)
    pieces = exports.stream(engine, to.value, **filters)
    try:
        if str(output) == "-":
            sys.stdout.buffer.writelines(pieces)
            sys.stdout.flush()  # a reader that has gone is met here, before 已导出 is said
        else:
            with output.open("wb") as out:
                out.writelines(pieces)
    except BrokenPipeError:
        raise  # piped into head & co.: typer's main ends quietly with 1
    except OSError as e:
        fail(output, f"无法写入：{os_reason(e)}")
        raise typer.Exit(2) from None
    typer.echo(f"已导出 {n} 份报告到 {'标准输出' if str(output) == '-' else output}", err=True)


# ------------------------------------------------------------ check, rules --

IgnoreOpt = Annotated[str, typer.Option("--ignore", help="不运行的规则，逗号分隔，如 HEADING-NUMBERING,LABEL-VARIANT")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="有警告也算不通过（退出码1）")]


@app.command()
def check(files: FilesArg, fmt: FormatOpt = Format.text, strict: StrictOpt = False, ignore: IgnoreOpt = "") -> None:
    """核对报告：逐条规则检查每份报告，再对同时给出的各份报告做跨报告检查（结转、雷同、重复等）。"""
    from nianbao.cli_check import check_files  # nianbao.__main__ runs its plain forms without typer

    raise typer.Exit(check_files(files, fmt is Format.json, strict, ignore))


@app.command()
def rules(fmt: FormatOpt = Format.text) -> None:
    """列出全部核对规则：编号、严重程度、说明、反例与正例。"""
    from nianbao.render.rules_doc import rules_json, rules_text

    if fmt is Format.json:
        sys.stdout.write(json.dumps(rules_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(rules_text())


# ------------------------------------------------------------------ render --


class RenderFormat(StrEnum):
    docx = "docx"


@app.command()
def render(
    file: Annotated[Path, typer.Argument(help="报告文件（任何可读取的格式）", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件", show_default=False)],
    to: Annotated[RenderFormat, typer.Option("--to", help="输出格式")] = RenderFormat.docx,
) -> None:
    """读取报告，按官方格式（六个部分、三张统计表及其合并单元格）写成 Word 文件。原报告有读不准而留空的格时逐处说明，退出码为 1。"""
    from nianbao.pipeline import process
    from nianbao.render.docx import render_docx
    from nianbao.render.uncertain import left_blank

    try:
        processed = process(file)
    except ReportError as e:
        fail(file, str(e))
        raise typer.Exit(2) from None
    try:
        output.write_bytes(render_docx(processed.report))
    except OSError as e:
        fail(output, f"无法写入：{os_reason(e)}")
        raise typer.Exit(2) from None
    blanks = left_blank(processed.report, processed.findings)
    for line in blanks:
        warn(file, line)
    typer.echo(f"已按官方格式写出 {output}" + ("，但上述各格留空" if blanks else ""), err=True)
    if blanks:
        raise typer.Exit(1)


def main() -> None:
    """The app, its output escaping what the console cannot encode, nianbao's warnings in Chinese.
    Output into a pipe whose reader has gone (``| head``) ends quietly with 1: typer's ``main``
    sees it while the command writes, ``flushed`` when what was buffered is written at the end.
    Output that stdout cannot take (a full disk) is one line and 2, while writing or at the end."""
    escaping_streams()
    warnings.showwarning = warning_line
    try:
        app()
    except OSError as e:
        raise SystemExit(unwritable(e)) from None
    finally:
        if code := flushed(0):
            raise SystemExit(code)
