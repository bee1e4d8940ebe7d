"""A report in the terminal: the three tables laid out as in the template, in Chinese.

Rich tables and colours on a terminal; the same layout as plain text otherwise."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from nianbao import template as T
from nianbao.model import Number, Report, Value
from nianbao.template.names import number, table_heading

EDITION_NAMES = {"2021": "2021年版（国办公开办函〔2021〕30号）", "2019": "2019年试行版（国办公开办函〔2019〕60号）"}
BLANK = "空"


def console() -> Console:
    c = Console(highlight=False, soft_wrap=False)
    return c if c.is_terminal else Console(highlight=False, soft_wrap=False, width=160)


def fmt(v: Number | None) -> str:
    return number(v, BLANK)


def _cell(v: Value | None) -> str:
    if v is None or v.value is None:
        return f"[dim]{BLANK}[/dim]"
    mark = "*" if v.note else ""
    return f"{fmt(v.value)}{mark}"


def print_report(report: Report, out: Console | None = None) -> None:
    c = out or console()
    ed = T.edition(report.edition if report.edition in T.BY_NAME else None)
    c.print(f"[bold]{report.agency or '（未识别机关）'}[/bold]  {report.year or '？'}年度政府信息公开工作年度报告")
    c.print(
        f"文件：{report.source.file}（{report.source.format}）  地区：{report.region or '—'}  "
        f"版本：{EDITION_NAMES.get(report.edition or '', report.edition or '未识别')}  落款日期：{report.published or '—'}"
    )
    for name, draw in (
        ("table2", lambda: _table2(report, T.edition(report.table_editions.get("table2", ed.name)))),
        ("table3", lambda: _table3(report, T.edition(report.table_editions.get("table3", ed.name)))),
        ("table4", lambda: _table4(report)),
    ):
        c.print(draw() if name in report.tables_found else f"[red]{table_heading(name)}：未找到[/red]")
    f = report.fees
    c.print(
        f"信息处理费：发出收费通知 {fmt(f.notices)} 件，总金额 {fmt(f.notice_amount_yuan)} 元，"
        f"实际收取 {fmt(f.collected_yuan)} 元"
    )
    for spec in T.SECTIONS:
        s = report.sections.get(spec.key)
        text = (
            "（缺）"
            if s is None
            else (f"{len(s.text)}字  {s.text[:40].replace(chr(10), ' ')}…" if s.text else "（只有表格）")
        )
        c.print(f"{spec.number}、{spec.title}：{text}")
    for fact in report.narrative:
        c.print(f"正文数字：{fact.text} → {T.path_label(fact.cell) if fact.cell.count('.') > 1 else fact.cell}")
    notes = [n for n in report.notes] + [f"{T.path_label(p)}：{v.note}" for p, v in report.cells.items() if v.note]
    for n in notes:
        c.print(f"[yellow]注：{n}[/yellow]")
    c.print()


def _grid(title: str, headers: list[str]) -> Table:
    t = Table(title=title, box=box.SQUARE, show_lines=False, title_justify="left")
    for i, h in enumerate(headers):
        t.add_column(h, justify="left" if i == 0 else "right", no_wrap=i > 0)
    return t


def _table2(report: Report, ed: T.Edition) -> Table:
    width = max(len(r.columns) for r in ed.table2)
    t = _grid(table_heading("table2"), [T.T2_HEADER_LABELS[0], *[""] * width])
    group = None
    for r in ed.table2:
        if r.group != group:
            group = r.group
            t.add_row(
                f"[bold]{group}[/bold]",
                *[f"[bold]{c.label}[/bold]" for c in r.columns],
                *[""] * (width - len(r.columns)),
            )
        cells = [_cell(report.cells.get(f"table2.{r.key}.{c.key}")) for c in r.columns]
        t.add_row(r.label, *cells, *[""] * (width - len(cells)))
        if r.key == T.SPLIT_ROW:
            for it in report.split_items:
                vals = [_cell(it.get(c.key)) for c in r.columns]  # type: ignore[arg-type]
                t.add_row(f"  {it['name']}", *vals, *[""] * (width - len(vals)))
    return t


def _table3(report: Report, ed: T.Edition) -> Table:
    t = _grid(table_heading("table3"), ["", *[c.label for c in T.T3_COLUMNS]])
    group = None
    for r in ed.table3:
        if r.group and r.group != group:
            t.add_row(f"[bold]{r.group}[/bold]", *[""] * len(T.T3_COLUMNS))
        group = r.group
        label = ("  " if r.group else "") + T.short_label(r.label)
        t.add_row(label, *[_cell(report.cells.get(f"table3.{r.key}.{c.key}")) for c in T.T3_COLUMNS])
    return t


def _table4(report: Report) -> Table:
    headers = [""] + [c.label for c in T.T4_COLUMNS]
    t = _grid(table_heading("table4"), headers)
    for g, label in T.T4_GROUPS:
        name = label if g == "review" else f"{T.T4_LITIGATION}·{label}"
        t.add_row(name, *[_cell(report.cells.get(f"table4.{g}.{c.key}")) for c in T.T4_COLUMNS])
    return t
