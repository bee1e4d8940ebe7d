"""A report in the terminal: the three tables laid out as in the template, in Chinese.

Rich tables and colours on a terminal; the same layout as plain text otherwise, 160 columns
wide. The plain text is written without Rich (a report in well under a millisecond, and Rich's
console is not imported), but for a line or table holding something Rich would change — markup
brackets, control characters, a line it wraps at 160 columns — which Rich writes. Rich's emoji
codes are off: a report's or a file's ':ok:' is printed as it is."""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from nianbao import template as T
from nianbao.check.length import COUNTED, chars
from nianbao.model import Number, Report, Value
from nianbao.template.names import number, table_heading

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

EDITION_NAMES = {"2021": "2021年版（国办公开办函〔2021〕30号）", "2019": "2019年试行版（国办公开办函〔2019〕60号）"}
BLANK = "空"
WIDTH = 160  # the page width when not a terminal
_TAGS = re.compile(r"\[/?(?:bold|dim|red|yellow)\]")  # the markup this module writes
_RICH_WOULD_CHANGE = re.compile(r"[\[\\\x00-\x1f\x7f-\x9f]")  # markup, escapes, control characters


class Grid(NamedTuple):
    """A table to print: cells in Rich markup, the first column left-aligned, the others right."""

    title: str
    headers: list[str]
    rows: list[list[str]]


def console() -> Console:
    from rich.console import Console

    c = Console(highlight=False, soft_wrap=False, emoji=False)
    return c if c.is_terminal else Console(highlight=False, soft_wrap=False, emoji=False, width=WIDTH)


def fmt(v: Number | None) -> str:
    return number(v, BLANK)


def _cell(v: Value | None) -> str:
    if v is None or v.value is None:
        return f"[dim]{BLANK}[/dim]"
    mark = "*" if v.note else ""
    return f"{fmt(v.value)}{mark}"


def print_report(report: Report, out: Console | None = None) -> None:
    pieces = _pieces(report)
    if out is None and plain_stdout():
        sys.stdout.write("".join(_plain(p) for p in pieces) + "\n")
        return
    c = out or console()
    for p in pieces:
        c.print(_rich_table(p) if isinstance(p, Grid) else p)
    c.print()


def _pieces(report: Report) -> list[str | Grid]:
    """What is printed, line by line (tables whole), in Rich markup."""
    ed = T.edition(report.edition if report.edition in T.BY_NAME else None)
    out: list[str | Grid] = [
        f"[bold]{_markup(report.agency or '（未识别机关）', True)}[/bold]  {report.year or '？'}年度政府信息公开工作年度报告",
        f"文件：{_markup(str(report.source.file))}（{report.source.format}）  地区：{_markup(report.region or '—')}  "
        f"版本：{EDITION_NAMES.get(report.edition or '', report.edition or '未识别')}  "
        f"落款日期：{_markup(report.published or '—')}",
    ]
    for name, draw in (
        ("table2", lambda: _table2(report, T.edition(report.table_editions.get("table2", ed.name)))),
        ("table3", lambda: _table3(report, T.edition(report.table_editions.get("table3", ed.name)))),
        ("table4", lambda: _table4(report)),
    ):
        out.append(draw() if name in report.tables_found else f"[red]{table_heading(name)}：未找到[/red]")
    f = report.fees
    out.append(
        f"信息处理费：发出收费通知 {fmt(f.notices)} 件，总金额 {fmt(f.notice_amount_yuan)} 元，"
        f"实际收取 {fmt(f.collected_yuan)} 元"
    )
    out.append(f"各部分字数{COUNTED}：")
    for spec in T.SECTIONS:
        s = report.sections.get(spec.key)
        text = (
            "（缺）"
            if s is None
            else (f"{chars(s.text)}字  {_markup(s.text[:40].replace(chr(10), ' '))}…" if s.text else "（只有表格）")
        )
        out.append(f"{spec.number}、{spec.title}：{text}")
    for fact in report.narrative:
        out.append(
            f"正文数字：{_markup(fact.text)} → {T.path_label(fact.cell) if fact.cell.count('.') > 1 else fact.cell}"
        )
    notes = [n for n in report.notes] + [f"{T.path_label(p)}：{v.note}" for p, v in report.cells.items() if v.note]
    out.extend(f"[yellow]注：{_markup(n, True)}[/yellow]" for n in notes)
    return out


def _markup(text: str, closed: bool = False) -> str:
    """The report's ``text`` as Rich markup that prints it as it is: what would read as a tag
    escaped (Rich's escape, imported only then), and its trailing backslashes doubled when a tag
    follows (``closed``; Rich's escape doubles one), kept as they are when none does."""
    if "[" not in text and not (closed and text.endswith("\\")):
        return text
    from rich.markup import escape

    body = text.rstrip("\\")
    return escape(body) + "\\" * ((2 if closed else 1) * (len(text) - len(body)))


def plain_stdout() -> bool:
    """Standard output is no terminal to Rich either, and takes UTF-8 (Rich draws ASCII boxes else)."""
    if "FORCE_COLOR" in os.environ or "TTY_COMPATIBLE" in os.environ:
        return False
    isatty = getattr(sys.stdout, "isatty", None)
    encoding = getattr(sys.stdout, "encoding", None) or ""
    return isatty is not None and not isatty() and encoding.lower().replace("-", "").startswith("utf")


def _plain(piece: str | Grid) -> str:
    """A piece as Rich writes it to a file 160 columns wide: written here when Rich would
    change nothing in it, else by Rich."""
    from rich.cells import cell_len

    text = _plain_grid(piece, cell_len) if isinstance(piece, Grid) else _plain_line(piece, cell_len)
    return _by_rich(piece) if text is None else text


def _plain_line(piece: str, cell_len: Callable[[str], int], soft_wrap: bool = False) -> str | None:
    line = _TAGS.sub("", piece)
    line = _expand_tabs(line, cell_len) if "\t" in line else line
    if _RICH_WOULD_CHANGE.search(line) or (not soft_wrap and cell_len(line) >= WIDTH):
        return None  # markup, a control character, a line Rich wraps
    return line + "\n"


def plain_text(text: str, soft_wrap: bool = False) -> str:
    """A line of ``text`` (no markup) as Rich writes it to a file 160 columns wide (``soft_wrap``:
    not wrapped), written here unless Rich would change something in it."""
    from rich.cells import cell_len

    if "[" not in text and "\\" not in text and (line := _plain_line(text, cell_len, soft_wrap)) is not None:
        return line  # a "[" or "\\" is the text's own: Rich escapes and writes it
    from rich.markup import escape

    return _by_rich(escape(text), soft_wrap)


def _by_rich(piece: str | Grid, soft_wrap: bool = False) -> str:
    from rich.console import Console

    buf = io.StringIO()
    Console(file=buf, highlight=False, soft_wrap=False, emoji=False, width=WIDTH).print(
        _rich_table(piece) if isinstance(piece, Grid) else piece, soft_wrap=soft_wrap
    )
    return buf.getvalue()


def _expand_tabs(line: str, cell_len: Callable[[str], int]) -> str:
    """Tabs as Rich expands them: the TAB becomes a space, then spaces up to the next stop of 8 cells
    (the part is measured with its space: a zero-width joiner before the TAB joins it)."""
    out, pos = [], 0
    *parts, last = line.split("\t")
    for part in parts:
        pos += cell_len(part + " ")
        pad = -pos % 8
        pos += pad
        out.append(part + " " * (1 + pad))
    return "".join(out) + last


def _plain_grid(grid: Grid, cell_len: Callable[[str], int]) -> str | None:
    rows = [[_TAGS.sub("", c) if "[" in c else c for c in row] for row in [grid.headers, *grid.rows]]
    if _RICH_WOULD_CHANGE.search(" ".join(" ".join(row) for row in rows)):
        return None
    if any(c[-1:].isspace() or c.endswith("\u200d") for row in rows for c in row):
        return None  # Rich strips a cell's trailing spaces, and measures a last joiner with the padding
    lens = [[len(c) if c.isascii() else cell_len(c) for c in row] for row in rows]
    widths = [max(col) + 2 for col in zip(*lens, strict=True)]
    total = sum(widths) + len(widths) + 1
    if total >= WIDTH or cell_len(grid.title) > total:
        return None
    lines = [grid.title + " " * (total - cell_len(grid.title))]
    lines.append("┌" + "┬".join("─" * w for w in widths) + "┐")
    for i, (row, ls) in enumerate(zip(rows, lens, strict=True)):
        cells = [
            f" {c}{' ' * (w - n - 2)} " if j == 0 else f" {' ' * (w - n - 2)}{c} "
            for j, (c, n, w) in enumerate(zip(row, ls, widths, strict=True))
        ]
        lines.append("│" + "│".join(cells) + "│")
        if i == 0:
            lines.append("├" + "┼".join("─" * w for w in widths) + "┤")
    lines.append("└" + "┴".join("─" * w for w in widths) + "┘")
    return "\n".join(lines) + "\n"


def _rich_table(grid: Grid) -> Table:
    from rich import box
    from rich.table import Table

    t = Table(title=grid.title, box=box.SQUARE, show_lines=False, title_justify="left")
    for i, h in enumerate(grid.headers):
        t.add_column(h, justify="left" if i == 0 else "right", no_wrap=i > 0)
    for row in grid.rows:
        t.add_row(*row)
    return t


def _table2(report: Report, ed: T.Edition) -> Grid:
    width = max(len(r.columns) for r in ed.table2)
    rows = []
    group = None
    for r in ed.table2:
        if r.group != group:
            group = r.group
            rows.append(
                [
                    f"[bold]{group}[/bold]",
                    *[f"[bold]{c.label}[/bold]" for c in r.columns],
                    *[""] * (width - len(r.columns)),
                ]
            )
        cells = [_cell(report.cells.get(f"table2.{r.key}.{c.key}")) for c in r.columns]
        rows.append([r.label, *cells, *[""] * (width - len(cells))])
        if r.key == T.SPLIT_ROW:
            for it in report.split_items:
                vals = [_cell(it.get(c.key)) for c in r.columns]  # type: ignore[arg-type]
                rows.append([f"  {_markup(it['name'])}", *vals, *[""] * (width - len(vals))])
    return Grid(table_heading("table2"), [T.T2_HEADER_LABELS[0], *[""] * width], rows)


def _table3(report: Report, ed: T.Edition) -> Grid:
    rows = []
    group = None
    for r in ed.table3:
        if r.group and r.group != group:
            rows.append([f"[bold]{r.group}[/bold]", *[""] * len(T.T3_COLUMNS)])
        group = r.group
        label = ("  " if r.group else "") + T.short_label(r.label)
        rows.append([label, *[_cell(report.cells.get(f"table3.{r.key}.{c.key}")) for c in T.T3_COLUMNS]])
    return Grid(table_heading("table3"), ["", *[c.label for c in T.T3_COLUMNS]], rows)


def _table4(report: Report) -> Grid:
    rows = []
    for g, label in T.T4_GROUPS:
        name = label if g == "review" else f"{T.T4_LITIGATION}·{label}"
        rows.append([name, *[_cell(report.cells.get(f"table4.{g}.{c.key}")) for c in T.T4_COLUMNS]])
    return Grid(table_heading("table4"), ["", *[c.label for c in T.T4_COLUMNS]], rows)
