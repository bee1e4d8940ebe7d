"""``nianbao agencies list|aliases|merge|split``: which printed names are one agency
(registered in ``nianbao.cli``).

Exit codes: 0 done; 1 refused (a name that is not stored, a merge of one agency with itself);
2 the database cannot be opened."""

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from nianbao.cli_say import fail
from nianbao.cli_store import open_engine

agencies_app = typer.Typer(
    help="机关的规范名称与别名：简称、繁体、不带地区前缀的名称归为同一机关；可合并、拆分。",
    no_args_is_help=True,
)

DbOpt = Annotated[str | None, typer.Option("--db", help="数据库地址（默认 NIANBAO_DB 或 ./.nianbao/nianbao.db）")]
NameArg = Annotated[str, typer.Argument(help="机关名称（库中任一写法，或规范名称）", show_default=False)]
WHO = "命令行"  # who made the change, in the audit log


class Out(StrEnum):
    text = "text"
    json = "json"


FormatOpt = Annotated[Out, typer.Option("--format", "-f", help="输出格式")]


def _fail(message: str, code: int = 1) -> None:
    fail("机关", message)
    raise typer.Exit(code)


def _json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@agencies_app.command("list")
def list_(
    q: Annotated[str | None, typer.Option("--q", help="名称或地区（省市县镇任一级）中的词")] = None,
    db: DbOpt = None,
    fmt: FormatOpt = Out.text,
) -> None:
    """列出机关：规范名称、地区、库中各种写法、报告份数与年度；简称对应多个地区的标“待确认”。"""
    from nianbao.store.agencies import listing

    found = listing(open_engine(db), q)
    if fmt is Out.json:
        _json(found)
        return
    for a in found:
        years = "、".join(map(str, a["years"])) or "年度不明"
        typer.echo(f"{a['canonical']}　地区：{' › '.join(a['region']) or '不明'}　报告 {a['reports']} 份（{years}）")
        for name in a["names"]:
            if name != a["canonical"]:
                typer.echo(f"　　别名：{name}")
        if a["candidates"]:
            typer.echo(f"　　待确认：简称可能属于 {'、'.join(a['candidates'])}（用 nianbao agencies merge 指定）")
    typer.echo(f"共 {len(found)} 个机关", err=True)


@agencies_app.command("aliases")
def aliases(name: Annotated[str | None, typer.Argument(help="机关名称；不给则列出全部")] = None,
            db: DbOpt = None, fmt: FormatOpt = Out.text) -> None:  # fmt: skip
    """列出库中每种写法及其归属的机关（手工合并或拆分的标“手工”）。"""
    from nianbao.store.agencies import AgencyError
    from nianbao.store.agencies import aliases as read

    try:
        rows = read(open_engine(db), name)
    except AgencyError as e:
        _fail(str(e))
    if fmt is Out.json:
        _json(rows)
        return
    for r in rows:
        typer.echo(f"{r['name']} → {r['canonical']}{'（手工）' if r['manual'] else ''}")


@agencies_app.command("merge")
def merge(name: NameArg, into: Annotated[str, typer.Argument(help="并入的机关名称", show_default=False)],
          db: DbOpt = None) -> None:  # fmt: skip
    """把机关 NAME 的全部写法并入机关 INTO：历年报告相连，结转、存量按同一机关核对。"""
    from nianbao.store.agencies import AgencyError
    from nianbao.store.agencies import merge as join

    try:
        canonical = join(open_engine(db), name, into, WHO)
    except AgencyError as e:
        _fail(str(e))
    typer.echo(f"已合并：“{name}”并入“{canonical}”")


@agencies_app.command("split")
def split(name: NameArg, db: DbOpt = None) -> None:
    """把一种写法从其机关中拆出，单独成为一个机关。"""
    from nianbao.store.agencies import AgencyError
    from nianbao.store.agencies import split as part

    try:
        canonical = part(open_engine(db), name, WHO)
    except AgencyError as e:
        _fail(str(e))
    typer.echo(f"已拆分：“{name}”单独成为机关“{canonical}”")
