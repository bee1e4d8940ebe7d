"""``nianbao check`` in the terminal: findings grouped by file, errors first, then the
cross-report findings and a summary line. Coloured with Rich on a terminal; otherwise the plain
text, written without importing Rich's console as ``render.console`` writes a report's."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from nianbao.check import Checked, by_severity
from nianbao.model import Diagnostic, Location, Report
from nianbao.render.console import console, plain_stdout, plain_text
from nianbao.template.names import SEVERITY_NAMES

if TYPE_CHECKING:
    from rich.console import Console

Line = tuple[list[tuple[str, str | None]], bool]  # (text, Rich style or None) pieces; soft_wrap (not wrapped)

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
    lines = list(_check_lines(results, cross))
    if out is None and plain_stdout():
        sys.stdout.write("".join(plain_text("".join(t for t, _ in pieces), soft) for pieces, soft in lines))
        return
    from rich.markup import escape

    c = out or console()
    for pieces, soft in lines:
        c.print("".join(f"[{s}]{escape(t)}[/{s}]" if s else escape(t) for t, s in pieces), soft_wrap=soft)


def _check_lines(results: list[Checked], cross: list[Diagnostic]) -> Iterator[Line]:
    for res in results:
        r = res.report
        about = f"  {_about(r)}" if r else ""
        yield [(res.file, "bold"), (f"{about}  （{counts(res.diagnostics)}）", None)], True
        yield from _lines(res.diagnostics)
        yield [], False
    if cross:
        yield [("多份报告之间", "bold")], False
        yield from _lines(cross)
        yield [], False
    every = [d for res in results for d in res.diagnostics] + cross
    yield [(f"共{len(results)}个文件：{counts(every)}", None)], False


def _about(r: Report) -> str:
    year = f"{r.year}年度" if r.year else "年度不详"
    ed = f"{r.edition}年版" if r.edition in ("2021", "2019") else "版本不详"
    return f"{r.agency or '机关不详'} {year} {ed}"


def _lines(diagnostics: list[Diagnostic]) -> Iterator[Line]:
    if not diagnostics:
        yield [("  未发现问题", None)], False
    for d in by_severity(diagnostics):
        at = where(d.location)
        at = f"（{at}）" if at else ""
        unnamed = [f for f in d.files if f not in d.message]
        files = f"（{'、'.join(unnamed)}）" if unnamed else ""
        name, style = SEVERITY_NAMES[d.severity], STYLE[d.severity]
        yield [("  ", None), (f"{name} {d.rule}", style), (f"{at} {d.message}{files}", None)], True
