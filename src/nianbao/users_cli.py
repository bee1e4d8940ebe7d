"""``nianbao users add|list|remove|passwd``: the accounts of the web app when it is served beyond
this computer (registered in ``nianbao.cli``).

Exit codes: 0 done; 1 refused (a user that exists or does not, a short password, an unknown
role); 2 the database cannot be opened."""

import json
import sys
from datetime import datetime
from typing import Annotated

import typer

from nianbao.cli_say import fail
from nianbao.cli_store import open_engine

users_app = typer.Typer(
    help="网页版的用户：对本机以外的地址开放（nianbao serve --host 0.0.0.0）时须登录。",
    no_args_is_help=True,
)

DbOpt = Annotated[str | None, typer.Option("--db", help="数据库地址（默认 NIANBAO_DB 或 ./.nianbao/nianbao.db）")]
NameArg = Annotated[str, typer.Argument(help="用户名", show_default=False)]
StdinOpt = Annotated[bool, typer.Option("--password-stdin", help="从标准输入读取密码（一行），不提示")]
WHO = "命令行"  # who made the change, in the audit log


def _fail(message: str, code: int = 1):
    fail("用户", message)
    raise typer.Exit(code)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("密码", hide_input=True, confirmation_prompt="再输入一次密码")


def _run(change) -> None:
    from nianbao.store.accounts import AccountError

    try:
        change()
    except AccountError as e:
        _fail(str(e))


@users_app.command("add")
def add(
    name: NameArg,
    role: Annotated[str, typer.Option("--role", help="角色：查看、审核 或 管理")] = "查看",
    region: Annotated[str | None, typer.Option("--region", help="限定地区：只看得到、改得了该地区的单位")] = None,
    password_stdin: StdinOpt = False,
    db: DbOpt = None,
) -> None:
    """添加用户（密码提示输入两次，或 --password-stdin）。"""
    from nianbao.store.accounts import add_user, check_role

    _run(lambda: check_role(role))
    engine = open_engine(db, create=True)
    _run(lambda: add_user(engine, name, _password(password_stdin), role, region, who=WHO))
    typer.echo(f"已添加用户 {name}（{role}{'，限定地区 ' + region if region else ''}）")


@users_app.command("list")
def list_(
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text 或 json")] = "text",
    db: DbOpt = None,
) -> None:
    """列出用户。"""
    from nianbao.store.accounts import list_users

    rows = list_users(open_engine(db, create=True))
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("还没有用户：nianbao users add 姓名 --role 管理")
    for r in rows:
        created = datetime.fromisoformat(r["created_at"]).astimezone()  # local time, as the machine shows it
        typer.echo(f"{r['name']}\t{r['role']}\t{r['region'] or '全部地区'}\t{created:%Y-%m-%d %H:%M}")


@users_app.command("remove")
def remove(name: NameArg, db: DbOpt = None) -> None:
    """删除用户（其登录会话随之结束）。"""
    from nianbao.store.accounts import remove_user

    engine = open_engine(db, create=True)
    _run(lambda: remove_user(engine, name, who=WHO))
    typer.echo(f"已删除用户 {name}")


@users_app.command("passwd")
def passwd(name: NameArg, password_stdin: StdinOpt = False, db: DbOpt = None) -> None:
    """修改用户密码（其登录会话随之结束）。"""
    from nianbao.store.accounts import set_password

    engine = open_engine(db, create=True)
    _run(lambda: set_password(engine, name, _password(password_stdin), who=WHO))
    typer.echo(f"已修改 {name} 的密码")
