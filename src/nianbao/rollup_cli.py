"""``nianbao rollup``: the 汇总 of stored reports, compared with a 本级 report, written as
text, JSON, or the template's tables in XLSX/DOCX (registered in ``nianbao.cli``).

Exit codes: 0 done (differences from the 本级 report are information, not failure); 2 a
selection that names nothing, a database that cannot be opened, or a file that cannot be written."""

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nianbao.cli_say import fail, os_reason
from nianbao.model import Report
from nianbao.template import TABLE_NAMES, path_label
from nianbao.template.names import number

if TYPE_CHECKING:
    from nianbao.analysis.rollup import Difference, Rollup

# The store, the analysis and the renderers are imported inside the command: only `rollup` loads them.


class Out(StrEnum):
    text = "text"
    json = "json"
    xlsx = "xlsx"  # a file (-o) in the template's layout
    docx = "docx"


FILES = (Out.xlsx, Out.docx)


def rollup(
    region: Annotated[str | None, typer.Option("--region", help="地区，任一级（北京市、西城区、某街道）")] = None,
    year: Annotated[int | None, typer.Option("--year", help="报告年度")] = None,
    agency: Annotated[list[str] | None, typer.Option("--agency", help="机关名称，可多次给出")] = None,
    report_id: Annotated[list[int] | None, typer.Option("--id", help="报告编号，可多次给出")] = None,
    against: Annotated[str | None, typer.Option("--against", help="与之比较的本级报告：机关名称或报告编号")] = None,
    fmt: Annotated[Out, typer.Option("--format", "-f", help="输出格式；xlsx/docx 写入 -o 文件")] = Out.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="汇总表文件（模板版式）：.xlsx 或 .docx，或按 --format", show_default=False
        ),
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", envvar="NIANBAO_DB", help="数据库地址（默认 ./.nianbao/nianbao.db）")
    ] = None,
) -> None:
    """汇总库中的现行报告（按地区和年度、机关或编号选择）：三张表逐格相加，标明每格有几份报告有值、几份空白；
    给出 --against 时与本级报告逐格比较，列出不同的格和构成汇总数的单位。"""
    from nianbao.analysis.rollup import Member, differences, differences_json, member_json, rollup_json
    from nianbao.analysis.rollup import rollup as sum_up
    from nianbao.analysis.select import SelectionError, own_report, select
    from nianbao.store.db import StoreError, connect

    kind = _kind(fmt, output)
    try:
        engine = connect(db, create=False)
        own = own_report(engine, against, year) if against else None
        chosen = select(engine, region, year, agency or (), report_id or (), exclude=[own[0]] if own else ())
    except (SelectionError, StoreError) as e:
        fail("汇总", str(e))
        raise typer.Exit(2) from None
    if not chosen:
        fail("汇总", "所选范围内没有现行报告")
        raise typer.Exit(2)
    total = sum_up(chosen)
    found = differences(total, own[1]) if own else None
    if output is not None:
        _write(output, kind, total, region, year)
    if fmt in FILES:
        return
    if fmt is Out.json:
        out = rollup_json(total)
        if own:
            out["against"] = {**member_json(Member.of(*own)), "differences": differences_json(found or [])}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for line in text_lines(total, own, found):
            typer.echo(line)


def _kind(fmt: Out, output: Path | None) -> str:
    """The kind of file to write: ``--format xlsx|docx`` (which needs ``-o``), else ``-o``'s suffix."""
    if fmt in FILES:
        if output is None:
            fail("汇总", f"--format {fmt.value} 需要用 -o 指定输出文件")
            raise typer.Exit(2)
        return fmt.value
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    if output is not None and suffix not in FILES:
        fail(output, "只能写出 .xlsx 或 .docx 文件")
        raise typer.Exit(2)
    return suffix


def _write(output: Path, kind: str, total: "Rollup", region: str | None, year: int | None) -> None:
    from nianbao.analysis.rollup_files import rollup_file

    data = rollup_file(total, kind, region, year)
    try:
        output.write_bytes(data)
    except OSError as e:
        fail(output, f"无法写入：{os_reason(e)}")
        raise typer.Exit(2) from None
    typer.echo(f"已写出汇总表到 {output}", err=True)


def text_lines(total: "Rollup", own: tuple[int, Report] | None, found: "list[Difference] | None") -> list[str]:
    """The 汇总 as the terminal shows it: the reports, every non-zero cell, then the differences."""
    from nianbao.analysis.rollup import Member

    lines = [f"汇总：{len(total.members)}份报告"]
    lines += [f"  编号{m.id} {m.name}" for m in total.members]
    if len(total.years) > 1:
        lines.append(
            f"注意：所选报告跨{len(total.years)}个年度（{'、'.join(map(str, total.years))}），同一机关的不同年度会相加"
        )
    zero = blank = 0
    for table, name in TABLE_NAMES.items():
        lines.append(name)
        for p, c in total.cells.items():
            if not p.startswith(table + "."):
                continue
            if c.sum is None or c.sum == 0:
                blank, zero = blank + (c.sum is None), zero + (c.sum == 0)
                continue
            more = f"（{c.count}份有值，{len(c.blanks)}份空白）" if c.blanks else ""
            lines.append(f"  {path_label(p)}：{number(c.sum)}{more}")
    lines.append(f"其余：{zero}格合计为0，{blank}格在所有报告中都空白。")
    if own is not None and found is not None:
        lines.append(f"与本级报告“{Member.of(*own).name}”（编号{own[0]}）逐格比较：{len(found)}格不同")
        for d in found:
            units = "、".join(f"{m.agency}{number(v)}" for m, v in d.units)
            gap = f"，差{number(d.diff)}" if d.diff is not None else ""
            source = f"；汇总来自：{units}" if units else ""
            lines.append(
                f"  {path_label(d.path)}：本级{number(d.own, '空白')}，汇总{number(d.total, '空白')}{gap}{source}"
            )
    return lines
