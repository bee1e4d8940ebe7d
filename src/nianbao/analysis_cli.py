"""``nianbao compare | matrix | peers | peer-rules``: the analyses of nianbao.analysis from the
command line (same results as the /compare, /matrix and /peers pages and their JSON)."""

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from nianbao.cli_say import fail, os_reason
from nianbao.cli_store import open_engine
from nianbao.template.names import number

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from nianbao.analysis.groups import Rule

# The analyses (SQLAlchemy, openpyxl) are imported inside the commands, so that ``nianbao parse``
# does not pay for them.


class Format(StrEnum):
    text = "text"
    json = "json"


DbOpt = Annotated[
    str | None,
    typer.Option("--db", envvar="NIANBAO_DB", help="数据库地址（默认 ./.nianbao/nianbao.db；也可 postgresql://…）"),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="输出格式")]
rules_app = typer.Typer(help="同类分组规则（层级、类别）：查看、添加、删除、恢复默认。", no_args_is_help=True)


def _fail(*about: Path | str) -> NoReturn:
    fail(*about)
    raise typer.Exit(2)


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _shown(v: float | None, rate: bool) -> str:
    if v is None:
        return "—"
    return f"{v * 100:.1f}%" if rate else number(round(v, 4))


def _delta(d: dict | None, rate: bool) -> str:
    if not d or d["abs"] is None or d["abs"] == 0:
        return ""
    sign = "+" if d["abs"] > 0 else ""
    if rate:
        return f"（{sign}{d['abs'] * 100:.1f} 个百分点）"
    pct = f"，{sign}{d['pct'] * 100:.1f}%" if d["pct"] is not None else ""
    return f"（{sign}{number(round(d['abs'], 4))}{pct}）"


def compare(
    agency: Annotated[list[str] | None, typer.Option("--agency", "-a", help="机关全称（可多次）")] = None,
    year: Annotated[list[int] | None, typer.Option("--year", "-y", help="年度（可多次；不给则为全部年度）")] = None,
    report_id: Annotated[list[int] | None, typer.Option("--id", help="报告编号（可多次）")] = None,
    base: Annotated[str, typer.Option("--base", help="first：与第一份比；previous：与前一份比")] = "first",
    fmt: FormatOpt = Format.text,
    db: DbOpt = None,
) -> None:
    """两份或多份报告逐格比较：同一机关的几个年度，或几个机关的同一年度。"""
    from nianbao.analysis import compare as comparing

    engine = open_engine(db)
    rows, problems = comparing.pick(engine, agency or [], year or [], report_id or [])
    for p in problems:
        fail(p)
    if len(rows) < 2:
        _fail("至少需要两份报告才能比较")
    result = comparing.compare(engine, rows, base)
    if fmt is Format.json:
        _json(result)
        return
    for i, r in enumerate(result["reports"], 1):
        typer.echo(f"{i}. {r['agency']} {r['year']}（编号 {r['id']}）")
    typer.echo(
        f"共 {result['cells']} 格有数，{result['differences']} 格不同；变化为{comparing.BASES[result['base']]}。"
    )
    typer.echo("\n主要指标")
    for c in result["metrics"]:
        typer.echo(_line(c, c["rate"]))
    typer.echo("\n不同的单元格")
    for c in [c for t in result["tables"] for c in t["cells"]] + result["other"]:
        if c["differs"]:
            typer.echo(_line(c, False))


def _line(c: dict, rate: bool) -> str:
    parts = [_shown(v, rate) + _delta(d, rate) for v, d in zip(c["values"], c["changes"], strict=True)]
    return f"  {c['label']}：" + " → ".join(parts)


def matrix_cmd(
    cell: Annotated[str, typer.Option("--cell", "-c", help="指标（如 granted_rate、予以公开率）或单元格路径")] = "",
    region: Annotated[str | None, typer.Option("--region", help="地区")] = None,
    sort: Annotated[str, typer.Option("--sort", help="agency（机关名）或某一年度")] = "agency",
    desc: Annotated[bool, typer.Option("--desc", help="从大到小")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件：.csv 或 .xlsx")] = None,
    fmt: FormatOpt = Format.text,
    list_metrics: Annotated[bool, typer.Option("--list", help="列出指标词典")] = False,
    db: DbOpt = None,
) -> None:
    """一个指标或单元格：机关 × 年度的矩阵。"""
    from nianbao.analysis.matrix import UnknownKey, export, matrix, notes, table
    from nianbao.analysis.metrics import METRICS

    if list_metrics:
        for m in METRICS.values():
            typer.echo(f"{m.key}\t{m.name}\t{m.formula}")
        return
    if not cell:
        _fail("请用 --cell 指定指标或单元格路径（nianbao matrix --list 列出指标）")
    if output and output.suffix.lower() not in (".csv", ".xlsx"):
        _fail(output, "只能写 .csv 或 .xlsx 文件")
    try:
        result = matrix(open_engine(db), cell, region, sort, desc)
    except UnknownKey as e:
        _fail(str(e))
    head, rows = table(result)
    if output:
        try:
            output.write_bytes(export(result, output.suffix.lower()[1:]))
        except OSError as e:
            _fail(output, f"无法写入（{os_reason(e)}）")
        typer.echo(f"已写入 {output}：{len(rows)} 个机关，{len(result['years'])} 个年度")
        return
    if fmt is Format.json:
        _json(result)
        return
    typer.echo("\t".join(head))
    for row in rows:
        typer.echo("\t".join([*row[:2], *(_shown(v, result["rate"]) for v in row[2:])]))
    for n in notes(result):
        typer.echo(n)


def peers_cmd(
    agency: Annotated[str, typer.Option("--agency", "-a", help="机关全称")],
    year: Annotated[int, typer.Option("--year", "-y", help="年度")],
    fmt: FormatOpt = Format.text,
    db: DbOpt = None,
) -> None:
    """一个机关在同类机关（同层级、同类别）中的位置，以及异常波动提示。"""
    from nianbao.analysis.peers import peers

    result = peers(open_engine(db), agency, year)
    if result is None:
        _fail(f"没有找到“{agency}”{year} 年度的报告")
    if fmt is Format.json:
        _json(result)
        return
    typer.echo(
        f"{result['agency']} {year}：层级 {result['level']}，类别 {result['kind']}，同组 {len(result['members'])} 份报告"
    )
    typer.echo("指标\t本机关\tP25\tP50\tP75\t名次")
    for m in result["metrics"]:
        v = [_shown(m[k], m["rate"]) for k in ("value", "p25", "p50", "p75")]
        typer.echo("\t".join([m["name"], *v, f"{m['rank']}/{m['n']}" if m["rank"] else "—"]))
    for j in result["jumps"]:
        before, after = _shown(j["before"], j["rate"]), _shown(j["after"], j["rate"])
        typer.echo(f"提示 异常波动：{j['name']} {year - 1} 年 {before} → {year} 年 {after}")
    if not result["basis"]["tested"]:
        typer.echo("异常波动：数据不足，未作判断（上年报告、同类机关或本机关以往年度不够）")


def _print_rules(rules: "tuple[Rule, ...]") -> None:
    from nianbao.analysis import groups

    for i, r in enumerate(rules, 1):
        typer.echo(f"{i}\t{groups.DIMENSIONS[r.dimension]}\t{r.pattern}\t{r.value}")


@rules_app.command("list")
def rules_list(db: DbOpt = None) -> None:
    """列出分组规则（按顺序，每个维度取第一条匹配的）。"""
    from nianbao.analysis import groups

    _print_rules(groups.load(open_engine(db)))


@rules_app.command("add")
def rules_add(
    dimension: Annotated[str, typer.Argument(help="level（层级）或 kind（类别）")],
    pattern: Annotated[str, typer.Argument(help="匹配词，用 | 分隔；以 $ 结尾的词须在名称末尾")],
    value: Annotated[str, typer.Argument(help="给出的层级或类别")],
    at: Annotated[int | None, typer.Option("--at", min=1, help="插到第几条（默认最后）")] = None,
    db: DbOpt = None,
) -> None:
    """添加一条分组规则。"""
    from nianbao.analysis import groups

    engine = open_engine(db)
    rules = list(groups.load(engine))
    rules.insert((at or len(rules) + 1) - 1, groups.Rule(dimension, pattern, value))
    _save(engine, rules)


@rules_app.command("remove")
def rules_remove(
    number_: Annotated[int, typer.Argument(metavar="N", help="规则序号（见 list）")], db: DbOpt = None
) -> None:
    """删除第 N 条分组规则。"""
    from nianbao.analysis import groups

    engine = open_engine(db)
    rules = list(groups.load(engine))
    if not 1 <= number_ <= len(rules):
        _fail(f"没有第 {number_} 条规则（共 {len(rules)} 条）")
    del rules[number_ - 1]
    _save(engine, rules)


@rules_app.command("reset")
def rules_reset(db: DbOpt = None) -> None:
    """恢复默认分组规则。"""
    _save(open_engine(db), [])


def _save(engine: "Engine", rules: "list[Rule]") -> None:
    from nianbao.analysis import groups

    try:
        _print_rules(groups.save(engine, rules))
    except groups.RuleError as e:
        _fail(str(e))


def register(app: typer.Typer) -> None:
    """Add the analysis commands to the ``nianbao`` command line."""
    app.command()(compare)
    app.command("matrix")(matrix_cmd)
    app.command("peers")(peers_cmd)
    app.add_typer(rules_app, name="peer-rules")
