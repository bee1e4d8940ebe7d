"""``nianbao ledger …``: the blank ledger, its check and its tally; and ``nianbao compose``: the
report from the ledger's tallies or from the units' reports (本级政府), published and read back
(both registered in ``nianbao.cli``).

Exit codes as for ``nianbao check``: 0 done; 1 an error found (``--strict``: a
warning too), or a tally refused because the ledger has errors; 2 a file that
cannot be read or written."""

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from nianbao.cli_say import fail, os_reason, why_unwritable
from nianbao.model import Report, ReportError

# The ledger modules (openpyxl, chinese-calendar) are imported inside the commands: they load
# only when a ledger command runs.

T = TypeVar("T")

ledger_app = typer.Typer(
    help="依申请公开台账：生成空白台账，核对（规则与答复期限），统计表三、表四和信息处理费。",
    no_args_is_help=True,
)

FileArg = Annotated[Path, typer.Argument(help="台账文件（XLSX）", show_default=False)]


class Out(StrEnum):
    text = "text"
    json = "json"


FormatOpt = Annotated[Out, typer.Option("--format", "-f", help="输出格式")]


def _or_exit(read: Callable[[Path], T], path: Path) -> T:
    """``read(path)`` (a ledger, or a report through :func:`nianbao.pipeline.process`); a file
    that cannot be read: its reason on stderr, exit 2."""
    try:
        return read(path)
    except ReportError as e:
        fail(path, str(e))
        raise typer.Exit(2) from None


@ledger_app.command("template")
def template(
    output: Annotated[Path, typer.Argument(help="要写出的空白台账（XLSX）", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="文件已存在时覆盖")] = False,
) -> None:
    """写出空白台账：“申请”“复议诉讼”两张表（下拉列表、日期格）和填写说明。"""
    from nianbao.ledger import template_bytes

    if output.exists() and not force:
        fail(output, "文件已存在（要覆盖请加 --force）")
        raise typer.Exit(2)
    try:
        output.write_bytes(template_bytes())
    except OSError as e:
        fail(output, f"无法写入：{os_reason(e)}")
        raise typer.Exit(2) from None
    typer.echo(f"已写出空白台账 {output}", err=True)


@ledger_app.command("check")
def check(
    file: FileArg,
    year: Annotated[int | None, typer.Option("--year", help="只看这一年及以前收到的申请、立案的案件")] = None,
    fmt: FormatOpt = Out.text,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也算不通过（退出码1）")] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="机关自填的本年度报告（任何可读取的格式），与台账统计逐格比较")
    ] = None,
) -> None:
    """核对台账：必填项、日期、办理结果、收费，逾期答复和逾期未答复的申请；给了 --report 时列出与台账统计不符的格。"""
    from nianbao.check import Checked
    from nianbao.ledger import check_ledger, read_ledger
    from nianbao.render.check_console import print_check
    from nianbao.render.check_json import check_json

    if report is not None and year is None:
        fail(report, "与报告比较须给出 --year")
        raise typer.Exit(2)
    ledger, typed = _or_exit(read_ledger, file), _draft(report)
    results = [Checked(str(file), None, check_ledger(ledger, year, typed=typed))]
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
    from nianbao.ledger import check_ledger, read_ledger, tally
    from nianbao.render.console import print_report
    from nianbao.render.json import report_json
    from nianbao.template import path_label

    ledger = _or_exit(read_ledger, file)
    _refuse_errors(file, check_ledger(ledger, year), year)
    t = tally(ledger, year, agency)
    if fmt is Out.json:
        out = report_json(t.report) | {"ledger": t.provenance()}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    print_report(t.report)
    typer.echo("出处（台账行号）：")
    for path, where in t.provenance().items():
        typer.echo(f"  {path_label(path)}：「{where['sheet']}」第{'、'.join(map(str, where['rows']))}行")


@ledger_app.command("open")
def open_command(
    file: FileArg,
    on: Annotated[str | None, typer.Option("--on", help="哪一天（YYYY-MM-DD，默认今天）", show_default=False)] = None,
    fmt: FormatOpt = Out.text,
) -> None:
    """列出当天仍未答复的申请及其答复期限、剩余工作日（负数为已逾期），期限最近的在前。"""
    from datetime import date

    from nianbao.ledger import open_on, read_ledger
    from nianbao.ledger.read import as_date

    day = as_date(on) if on else date.today()
    if day is None:
        fail(file, f"--on 不是日期：{on}")
        raise typer.Exit(2)
    rows = [o.as_dict() for o in open_on(_or_exit(read_ledger, file), day)]
    if fmt is Out.json:
        sys.stdout.write(json.dumps({"on": str(day), "open": rows}, ensure_ascii=False, indent=2) + "\n")
        return
    typer.echo(f"{day}仍未答复的申请：{len(rows)}件")
    for r in rows:
        left = r["note"] or (
            f"逾期{-r['working_days_left']}个工作日"
            if r["working_days_left"] < 0
            else f"剩{r['working_days_left']}个工作日"
        )
        typer.echo(
            f"  第{r['row']}行 {r['id']}  收到{r['received']}  {r['applicant'] or ''}  期限{r['due'] or '—'}  {left}"
        )


def _refuse_errors(file: Path, found: list, year: int) -> None:
    """Tables are made only from a ledger without errors: name them and stop (exit 1)."""
    errors = [d for d in found if d.severity == "error"]
    for d in errors:
        fail(file, f"{d.rule} {d.message}")
    if errors:
        fail(file, f"台账有{len(errors)}处错误，改正后再统计（nianbao ledger check {file} --year {year}）")
        raise typer.Exit(1)


def _draft(path: Path | None) -> Report | None:
    from nianbao.pipeline import process

    return None if path is None else _or_exit(process, path).report


WRITERS = {".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def compose(
    year: Annotated[int, typer.Option("--year", help="报告年度", show_default=False)],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="输出文件：.docx、.html 或 .pdf（须装有 LibreOffice）", show_default=False),
    ],
    ledger_file: Annotated[
        Path | None,
        typer.Option("--ledger", help="依申请公开台账（XLSX）：表三、表四和信息处理费由它统计", show_default=False),
    ] = None,
    units: Annotated[
        list[str] | None,
        typer.Option("--units", help="本级政府报告由这些下属单位的报告（库中没有的用其最新草稿）汇总；可重复"),
    ] = None,
    region: Annotated[str | None, typer.Option("--region", help="本级政府报告由库中这一地区各单位的报告汇总")] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="报告机关（默认取草稿中的）")] = None,
    draft: Annotated[
        Path | None, typer.Option("--draft", help="机关写好的草稿（任何可读取的格式）：取其表二、六个部分和落款")
    ] = None,
    previous_db: Annotated[
        str | None,
        typer.Option("--previous-db", "--db", help="数据库：上一年度的报告（补上结转和表二存量）、下属单位的报告"),
    ] = None,
) -> None:
    """生成年度报告：表三、表四和信息处理费由台账统计，或由下属单位的报告汇总；表二和文字取自草稿；按官方格式写成 Word、网页或 PDF。"""
    from dataclasses import replace

    from nianbao.check import Checked, check_across
    from nianbao.ledger import check_ledger, compose, read_ledger, tally
    from nianbao.ledger.compose import prefill
    from nianbao.pipeline.compose import UNITS_DIFFER, publish
    from nianbao.render.check_console import print_check
    from nianbao.render.office import OfficeError

    kind = WRITERS.get(output.suffix.lower())
    if kind is None:
        fail(output, "只能写出 .docx、.html 或 .pdf")
        raise typer.Exit(2)
    if (ledger_file is None) == (not units and not region):
        fail(output, "请给出 --ledger（由台账统计）或 --units/--region（由下属单位汇总），二者选一")
        raise typer.Exit(2)
    if why := why_unwritable(output):  # before the draft is read and the ledger summed
        fail(output, f"无法写入：{why}")
        raise typer.Exit(2)
    typed, found = _draft(draft), []
    agency = agency or (typed.agency if typed else None)
    if not agency:
        fail("缺少选项 --agency：请给出报告机关（如 --agency 某某县人民政府），或用 --draft 给出写明机关的草稿")
        raise typer.Exit(2)
    if ledger_file is not None:
        ledger = _or_exit(read_ledger, ledger_file)
        found = check_ledger(ledger, year, typed=typed)
        _refuse_errors(ledger_file, found, year)
        report = compose(tally(ledger, year, agency).report, typed)
    else:
        report, found = _rolled_up(previous_db, year, units or [], region, agency, typed)
        report = compose(replace(report, agency=agency), typed)
    # the units' store holds last year's report too: 上年结转 and the stocks come from it, never the units
    previous = _previous(previous_db, agency, year) if previous_db or ledger_file is None else None
    if previous is not None:
        prefill(previous, report)
    try:
        done = publish(report, kind, str(output))
        output.write_bytes(done.data)
    except OfficeError as e:
        fail(output, str(e))
        raise typer.Exit(2) from None
    except OSError as e:
        fail(output, f"无法写入：{os_reason(e)}")
        raise typer.Exit(2) from None
    back = done.back.report  # what a reader of the published file gets
    mine = done.back.findings + [d for d in found if d.rule in ("LEDGER-DIFFERS", UNITS_DIFFER)]
    mine += _lost(done.lost, output)
    cross = check_across([previous, back]) if previous is not None else []
    print_check([Checked(str(output), back, mine)], cross)
    typer.echo(f"已写出 {output}", err=True)
    raise typer.Exit(1 if any(d.severity == "error" for d in mine + cross) else 0)


def _rolled_up(
    url: str | None, year: int, units: list[str], region: str | None, agency: str, typed: Report | None
) -> tuple[Report, list]:
    """The 汇总 of the units' reports (``agency``'s own left out) as the 本级 report to publish; a
    warning per unit missing, and where the draft's own tables differ from the 汇总, the cell and
    the units behind it. Said on stderr: the units summed."""
    from nianbao.analysis.select import SelectionError
    from nianbao.model import Diagnostic
    from nianbao.pipeline.compose import UNITS_DIFFER, unit_difference, unit_differences, units_report, units_rollup
    from nianbao.store.db import StoreError, connect

    try:
        total, missing = units_rollup(connect(url, create=False), year, units, region, agency)
    except (SelectionError, StoreError) as e:
        fail("数据库", str(e))
        raise typer.Exit(2) from None
    names = "、".join(m.name + ("（草稿）" if isinstance(m.id, str) else "") for m in total.members)
    typer.echo(f"由{len(total.members)}份下属单位的报告汇总：{names}", err=True)
    found = [
        Diagnostic(UNITS_DIFFER, "warning", f"下属单位“{name}”没有{year}年度的报告或草稿，未计入汇总")
        for name in missing
    ]
    if typed is not None:
        typed_cells = unit_differences(total, typed)  # cells the draft fills
        found += [Diagnostic(UNITS_DIFFER, "info", unit_difference(d), (d.path,)) for d in typed_cells]
    report, own_cells = units_report(total, None, year)
    typer.echo(own_cells, err=True)
    return report, found


def _lost(lost: list[str], output: Path) -> list:
    """An error for every cell the written file does not read back to (a writer bug, never expected)."""
    from nianbao.model import Diagnostic

    if not lost:
        return []
    msg = f"{output}读回后有{len(lost)}格与所写的数不符，请勿发布并报告此问题"
    return [Diagnostic("LEDGER-ROUNDTRIP", "error", msg, tuple(lost), file=str(output))]


def _previous(url: str, agency: str, year: int) -> Report | None:
    """The agency's current stored report of ``year - 1``, or None (said on stderr)."""
    from nianbao.store.db import StoreError, connect
    from nianbao.store.drafts import previous_report

    try:
        found = previous_report(connect(url, create=False), agency, year)
    except StoreError as e:
        fail("数据库", str(e))
        raise typer.Exit(2) from None
    if found is None:
        typer.echo(f"数据库中没有{agency}{year - 1}年度的报告：上年结转、表二存量不作比较，空着的请自行填写", err=True)
    return found
