"""``nianbao notice | findings | recheck | audit | versions | withdraw | restore | confirm | discard``:
the review cycle on the command line (registered in ``nianbao.cli``).

Exit codes: 0 done; 1 refused (no such report, a withdrawal without a reason, …); 2 the
database cannot be opened, a date that cannot be read, or a file that cannot be written."""

import json
import sys
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from nianbao.cli_say import fail, os_reason
from nianbao.cli_store import open_engine

# The store, the pipeline and the writers are imported inside the commands: only these commands load them.

DbOpt = Annotated[str | None, typer.Option("--db", help="数据库地址（默认 NIANBAO_DB 或 ./.nianbao/nianbao.db）")]
WhoOpt = Annotated[str, typer.Option("--who", help="操作人（记入操作记录）")]
WHO = "命令行"


class AuditFormat(StrEnum):
    csv = "csv"
    json = "json"


class Kind(StrEnum):
    list_ = "问题清单"
    notice = "整改通知"


def _fail(message: str, code: int = 1) -> None:
    fail(message)
    raise typer.Exit(code)


def _write(path: Path, data: bytes, what: str) -> None:
    try:
        path.write_bytes(data)
    except OSError as e:
        _fail(f"{path}: 无法写出：{os_reason(e)}", 2)
    typer.echo(f"已写出{what}：{path}", err=True)


def notice(
    agency: Annotated[str, typer.Option("--agency", help="机关名称（库中任一写法）", show_default=False)],
    year: Annotated[int, typer.Option("--year", help="报告年度", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="要写出的 DOCX 文件", show_default=False)],
    kind: Annotated[Kind, typer.Option("--kind", help="问题清单 或 整改通知")] = Kind.list_,
    sender: Annotated[str, typer.Option("--sender", help="落款（发文单位）")] = "",
    due: Annotated[str, typer.Option("--due", help="整改期限，如 2025年3月31日")] = "",
    db: DbOpt = None,
) -> None:
    """写出一个机关某年度报告的问题清单或整改通知（DOCX，公文格式）：未解决的问题（需整改、待核实）逐条列出。"""
    from nianbao.render.notice_docx import notice_docx
    from nianbao.store import queries, review

    engine = open_engine(db)
    found = queries.list_reports(engine, agency=agency, year=year)[0]
    if not found:
        _fail(f"库中没有“{agency}”{year}年度的现行报告")
    names = sorted({r.get("canonical") or r["agency"] for r in found})
    if len(names) > 1:
        _fail(f"“{agency}”对应多个机关：{'、'.join(names[:5])}，请写出全称")
    report = found[0]
    findings = review.open_findings(engine, agency=agency, year=year)
    values = queries.report_cells(engine, [report["id"]])[report["id"]]
    name = report.get("canonical") or report["agency"]
    data = notice_docx(name, year, findings, values, kind.value, sender, due=due)
    _write(output, data, f"{kind.value}（{len(findings)} 个问题）")


def findings(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写出 XLSX；不给出时以 JSON 输出")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="只列未解决的问题（待核实、需整改）")] = False,
    agency: Annotated[str | None, typer.Option("--agency", help="机关名称")] = None,
    year: Annotated[int | None, typer.Option("--year", help="报告年度")] = None,
    region: Annotated[str | None, typer.Option("--region", help="地区，任一级")] = None,
    db: DbOpt = None,
) -> None:
    """列出现行报告的问题及其核查状态（本报告的和跨报告的），可按机关、年度、地区选取。"""
    from nianbao.render.notice_docx import findings_xlsx
    from nianbao.store import review

    engine = open_engine(db)
    states = review.OPEN_STATES if open_only else review.STATES
    rows = review.open_findings(engine, states, agency=agency, year=year, region=region)
    if output is None:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    _write(output, findings_xlsx(rows), f"问题表（{len(rows)} 个问题）")


def recheck(
    report_id: Annotated[int | None, typer.Argument(help="报告编号", show_default=False)] = None,
    all_: Annotated[bool, typer.Option("--all", help="重新核对库中保存了原文件的全部报告")] = False,
    who: WhoOpt = WHO,
    db: DbOpt = None,
) -> None:
    """用本版 nianbao 重新读取并核对库中保存的原文件，结果替换原记录（编号、版本、核查状态、更正保留）。"""
    from nianbao.pipeline.review import recheck as recheck_one
    from nianbao.pipeline.review import recheck_all
    from nianbao.store.db import Store
    from nianbao.store.schema import StoreError

    if (report_id is None) == (not all_):
        _fail("请给出一个报告编号，或 --all", 2)
    store = Store(open_engine(db))
    try:
        results = recheck_all(store, who, _say) if all_ else [recheck_one(store, report_id, who)]  # type: ignore[arg-type]
    except StoreError as e:
        _fail(str(e))
    if not all_:
        _say(results[0])
    failed = sum("error" in r for r in results)
    typer.echo(f"重新核对 {len(results) - failed} 份，无法重新核对 {failed} 份", err=True)


def _say(r: dict) -> None:
    if "error" in r:
        typer.echo(f"{r['report']}：无法重新核对：{r['error']}", err=True)
        return
    b, a = r["before"], r["after"]
    typer.echo(
        f"{r['report']}：错误 {b['error']}→{a['error']}，警告 {b['warning']}→{a['warning']}，提示 {b['info']}→{a['info']}"
    )


def audit(
    since: Annotated[str | None, typer.Option("--since", help="起始日期或时间（UTC），如 2025-01-01")] = None,
    until: Annotated[str | None, typer.Option("--until", help="截止日期或时间（UTC，不含）")] = None,
    who: Annotated[str | None, typer.Option("--who", help="只看此操作人")] = None,
    fmt: Annotated[AuditFormat, typer.Option("--format", "-f", help="输出格式")] = AuditFormat.csv,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写出到文件（默认标准输出）")] = None,
    db: DbOpt = None,
) -> None:
    """导出操作记录（入库、撤回、恢复、核查状态、更正、合并等）：谁、何时、做了什么。"""
    from nianbao.store import audit as log

    rows = log.entries(open_engine(db), since=_when(since, "--since"), until=_when(until, "--until"), who=who)
    text = log.to_csv(rows) if fmt is AuditFormat.csv else json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text.lstrip("\ufeff"))
    else:
        _write(output, text.encode(), f"操作记录（{len(rows)} 条）")


def _when(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text) if "T" in text or " " in text else _midnight(date.fromisoformat(text))
    except ValueError:
        _fail(f"{option} {text}：无法识别的日期（应如 2025-01-31 或 2025-01-31T08:00）", 2)
        raise


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def withdraw(
    report_id: Annotated[int, typer.Argument(help="报告编号", show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="撤回原因（必填）", show_default=False)],
    who: WhoOpt = WHO,
    db: DbOpt = None,
) -> None:
    """撤回一个版本（保留，不再列出和统计）；同一机关年度的上一个版本成为现行版本。"""
    from nianbao.store import versions

    _change(db, lambda engine: versions.withdraw(engine, report_id, reason, who), f"已撤回报告 {report_id}")


def restore(
    report_id: Annotated[int, typer.Argument(help="报告编号", show_default=False)],
    who: WhoOpt = WHO,
    db: DbOpt = None,
) -> None:
    """恢复一个已撤回的版本。"""
    from nianbao.store import versions

    _change(db, lambda engine: versions.restore(engine, report_id, who), f"已恢复报告 {report_id}")


def _change(db: str | None, run: Any, done: str) -> None:
    from nianbao.pipeline.ingest import refresh_cross
    from nianbao.store.db import Store
    from nianbao.store.schema import StoreError

    store = Store(open_engine(db))
    try:
        run(store.engine)
    except StoreError as e:
        _fail(str(e))
    refresh_cross(store)
    typer.echo(done, err=True)


class Out(StrEnum):
    text = "text"
    json = "json"


def versions(
    report_id: Annotated[int, typer.Argument(help="报告编号（该机关该年度的任一版本）", show_default=False)],
    fmt: Annotated[Out, typer.Option("--format", "-f", help="输出格式")] = Out.text,
    db: DbOpt = None,
) -> None:
    """列出一个机关某年度的各个版本（现行、旧版、待确认、已撤回），及最新版本相对前一版本改动的单元格和问题。"""
    from nianbao.store import versions as store_versions
    from nianbao.store.schema import StoreError

    engine = open_engine(db)
    try:
        history = store_versions.history(engine, report_id)
    except StoreError as e:
        _fail(str(e))
    live = [v for v in history if v["status"] != "withdrawn"]
    change = store_versions.diff(engine, live[-2]["id"], live[-1]["id"]) if len(live) > 1 else None
    if fmt is Out.json:
        sys.stdout.write(json.dumps({"versions": history, "diff": change}, ensure_ascii=False, indent=2) + "\n")
        return
    for v in history:
        why = f"（{v['reason']}，{v['who']}）" if v["status"] == "withdrawn" else ""
        typer.echo(f"第 {v['version']} 版  编号 {v['id']}  {v['status_name']}{why}  {Path(v['source_file']).name}")
    if change is not None:
        same = "" if change["cells"] or change["added"] or change["removed"] else "单元格和问题均无改动"
        typer.echo(f"第 {change['new']['version']} 版相对第 {change['old']['version']} 版：{same}")
        for c in change["cells"]:
            typer.echo(f"  {c['label']}：{_shown(c['old'])} → {_shown(c['new'])}")
        for sign, key in (("+", "added"), ("-", "removed")):
            for f in change[key]:
                typer.echo(f"  {sign} {f['message']}")


def _shown(v: float | None) -> str:
    from nianbao.template.names import number

    return number(v, "空白")


def confirm(
    report_id: Annotated[int, typer.Argument(help="待确认版本的报告编号", show_default=False)],
    who: WhoOpt = WHO,
    db: DbOpt = None,
) -> None:
    """把待确认的版本设为现行版本。"""
    from nianbao.store import versions as store_versions

    _change(db, lambda engine: store_versions.confirm(engine, report_id, who), f"报告 {report_id} 已成为现行版本")


def discard(
    report_id: Annotated[int, typer.Argument(help="待确认版本的报告编号", show_default=False)],
    who: WhoOpt = WHO,
    db: DbOpt = None,
) -> None:
    """放弃待确认的版本（删除；原文件仍保存）。"""
    from nianbao.store import versions as store_versions

    _change(db, lambda engine: store_versions.discard(engine, report_id, who), f"已放弃报告 {report_id}")


def register(app: typer.Typer) -> None:
    """Add the review commands to the ``nianbao`` command line."""
    for command in (notice, findings, recheck, audit, versions, withdraw, restore, confirm, discard):
        app.command()(command)
