"""``nianbao check`` in the terminal: findings grouped by file, errors first, then the
cross-report findings and a summary line. Coloured with Rich on a terminal, plain otherwise."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from nianbao.check import Checked, by_severity
from nianbao.model import Diagnostic, Location, Report
from nianbao.render.console import console
from nianbao.template.names import SEVERITY_NAMES

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def where(loc: Location | None) -> str:
    """'第101行', '第3页第5行', '表格1第2行第3列' (the file's first table, not the template's 表一) — or '' when unknown."""
    if loc is None:
        return ""
    parts = []
    if loc.page is not None:
        parts.append(f"第{loc.page}页")
    if loc.table is not None:
        parts.append(f"表格{loc.table}")
    if loc.row is not None:
        parts.append(f"第{loc.row}行")
    elif loc.line is not None:
        parts.append(f"第{loc.line}行")
    if loc.col is not None:
        parts.append(f"第{loc.col}列")
    return "".join(parts)


def counts(diagnostics: list[Diagnostic]) -> str:
    n = {s: sum(d.severity == s for d in diagnostics) for s in STYLE}
    return "，".join(f"{SEVERITY_NAMES[s]}{n[s]}" for s in STYLE)


def print_check(results: list[Checked], cross: list[Diagnostic], out: Console | None = None) -> None:
    c = out or console()
    for res in results:
        r = res.report
        about = f"  {_about(r)}" if r else ""
        c.print(f"[bold]{escape(res.file)}[/bold]{escape(about)}  （{counts(res.diagnostics)}）", soft_wrap=True)
        _lines(c, res.diagnostics)
        c.print()
    if cross:
        c.print("[bold]多份报告之间[/bold]")
        _lines(c, cross)
        c.print()
    every = [d for res in results for d in res.diagnostics] + cross
    c.print(f"共{len(results)}个文件：{counts(every)}")


def _about(r: Report) -> str:
    year = f"{r.year}年度" if r.year else "年度不详"
    ed = f"{r.edition}年版" if r.edition in ("2021", "2019") else "版本不详"
    return f"{r.agency or '机关不详'} {year} {ed}"


def _lines(c: Console, diagnostics: list[Diagnostic]) -> None:
    if not diagnostics:
        c.print("  未发现问题")
    for d in by_severity(diagnostics):
        at = where(d.location)
        at = f"（{at}）" if at else ""
        unnamed = [f for f in d.files if f not in d.message]
        files = f"（{'、'.join(unnamed)}）" if unnamed else ""
        name, style = SEVERITY_NAMES[d.severity], STYLE[d.severity]
        c.print(f"  [{style}]{name} {d.rule}[/{style}]{escape(at)} {escape(d.message)}{escape(files)}", soft_wrap=True)
