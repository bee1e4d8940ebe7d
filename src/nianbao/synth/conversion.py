"""A 2021 report as third-party PDF→Markdown converters write it.

Traits, each an option: 表三 as one pipe table per group under a ``###``
caption, with placeholder header rows (``类别 | 数据1 … 数据6 | 总计``) and its
last rows under a wrong header row; page footers (``— 5 —``) inside tables;
value rows printed apart from their labels, the labels as loose lines;
section headings as Markdown headings, with spaces between the glyphs, in other
wording, or (五) not printed at all; and 表三's group （六） printed as the single
2019 row （六）其他处理 (a mixed-edition table).

``expected_cells`` gives what a reader must find: the cells as printed."""

from __future__ import annotations

import random
from dataclasses import dataclass

from nianbao.synth.grids import Style, formatter
from nianbao.synth.prose import blocks, published_date
from nianbao.synth.values import Cells, edition_of
from nianbao.template import (
    SECTIONS,
    T2_BLOCK_HEADERS,
    T2_HEADER_LABELS,
    T3_COLUMNS,
    T3_GROUPS,
    T3_HEADER_LABELS,
    T4_COLUMNS,
    T4_GROUPS,
    T4_LITIGATION,
    Row,
)
from nianbao.template.layout import T3_NOTE

HEADINGS = ("markdown", "spaced", "reworded", "unnumbered")
OTHER_ITEMS = ("other.no_correction", "other.fee_unpaid", "other.other")
_REWORDED = {"problems": "存在的主要问题及整改措施", "other": "其他事项"}
_WRONG_HEADER = "| 事项 | 新收件数 | 结转件数 | 公开 | 部分公开 | 不予公开 | 转下年度 | 合计 |"
_PLACEHOLDER = ["| (数据项目) | 数量 |", "|---|---|", "| - | - |"]


@dataclass(frozen=True)
class Conversion:
    """Which converter traits a synthetic Markdown report shows."""

    headings: str = "markdown"  # one of HEADINGS
    per_group: bool = True  # 表三 one table per group; else one table with ``detached`` rows
    detached: tuple[str, ...] = ()  # 表三 rows whose values are printed apart from their label
    footers: bool = True
    mixed: bool = False  # （六） as the 2019 single row

    def __post_init__(self) -> None:
        if self.headings not in HEADINGS:
            raise ValueError(f"unknown headings {self.headings!r}")


def expected_cells(cells: Cells, conv: Conversion) -> Cells:
    """The cells of a 2021 report as the conversion prints them."""
    if not conv.mixed:
        return dict(cells)
    out = {p: v for p, v in cells.items() if p.split(".")[1] != "other"}
    for c in T3_COLUMNS:
        vals = [cells[f"table3.{k}.{c.key}"] for k in OTHER_ITEMS]
        out[f"table3.other.total.{c.key}"] = None if any(v is None for v in vals) else sum(v for v in vals if v)
    return out


def synth_report_conversion(cells: Cells, agency: str, year: int, rng: random.Random, conv: Conversion) -> str:
    """A complete 2021 report (``cells`` from ``synth_cells(rng, "2021")``) as a converter's Markdown."""
    ed = edition_of("2021")
    fmt = formatter(expected_cells(cells, conv), Style(), rng)
    written = blocks(cells, ed, agency, year, rng, None, "template", published_date(year, rng))
    page = iter(range(rng.randint(2, 4), 99))
    lines: list[str] = []
    for b in written:
        if b.kind == "table":
            table = {"table2": _table2, "table3": _table3, "table4": _table4}[b.table]
            lines += table(fmt, conv, lambda: f"— {next(page)} —")
        elif b.kind == "h":
            lines += _heading(b.text, conv)
        else:
            lines += [b.text, ""]
    return "\n".join(lines) + "\n"


def _heading(text: str, conv: Conversion) -> list[str]:
    spec = next((s for s in SECTIONS if text == f"{s.number}、{s.title}"), None)
    if spec is None:
        return [("### " if conv.headings == "markdown" else "") + text, ""]
    if conv.headings == "markdown":
        return [f"## {text}", ""]
    if conv.headings == "spaced":
        return [" ".join(text), ""]
    if spec.key == "problems" and conv.headings == "unnumbered":
        return ["（一）主要问题", ""]
    if spec.key in _REWORDED:
        return [f"{spec.number}、{_REWORDED[spec.key]}", ""]
    return [text, ""]


def _md(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(r) + " |" for r in rows]


def _values(fmt, path: str, columns) -> list[str]:
    return [fmt(f"{path}.{c.key}") for c in columns]


def _table2(fmt, conv: Conversion, footer) -> list[str]:
    ed = edition_of("2021")
    out: list[str] = []
    for head in T2_BLOCK_HEADERS[:4]:
        rows = [r for r in ed.table2 if r.group == head]
        out += [f"### {head}"]
        out += _md(
            [T2_HEADER_LABELS[0], *(c.label for c in rows[0].columns)],
            [[r.label, *_values(fmt, f"table2.{r.key}", r.columns)] for r in rows],
        )
        out += [""]
    return out


def _t3_rows(conv: Conversion) -> list[Row]:
    rows = list(edition_of("2021").table3)
    if conv.mixed:
        at = next(i for i, r in enumerate(rows) if r.key == OTHER_ITEMS[0])
        rows[at : at + 3] = [next(r for r in edition_of("2019").table3 if r.key == "other.total")]
    return rows


def _label(r: Row) -> str:
    """A label as converters print it: numbering spaced, the single rows without their numbering."""
    if r.key in ("new_received", "carried_over", "granted", "partially_granted"):
        return r.label.split("、", 1)[-1].split("）", 1)[-1]
    return r.label.replace(".", ". ", 1)


def _table3(fmt, conv: Conversion, footer) -> list[str]:
    rows = _t3_rows(conv)
    if not conv.per_group:
        return _table3_detached(fmt, conv, rows, footer)
    out = [T3_NOTE, ""]
    out += [f"### {T3_HEADER_LABELS[0]} ({T3_COLUMNS[0].label})", *_PLACEHOLDER, ""]
    header = ["类别", *(f"数据{i}" for i in range(1, 7)), "总计"]
    groups: list[tuple[str, list[Row]]] = []
    for r in rows:
        g = r.key.split(".")[0] if r.group else r.key
        if not groups or groups[-1][0] != g:
            groups.append((g, []))
        groups[-1][1].append(r)
    tail = [r for g, rs in groups if g in ("total_processed", "carried_forward") for r in rs]
    for g, rs in groups:
        if g in ("total_processed", "carried_forward"):
            continue
        caption = T3_GROUPS.get(g) or rs[0].label
        body = [[_label(r), *_values(fmt, f"table3.{r.key}", T3_COLUMNS)] for r in rs]
        table = _md(header, body)
        if conv.footers and len(table) > 3:
            table.insert(3, footer())
        out += [f"### {caption}", *table, ""]
    body = [[_label(r), *_values(fmt, f"table3.{r.key}", T3_COLUMNS)] for r in tail]
    out += [_WRONG_HEADER, "|---|---|---|---|---|---|---|---|"] + ["| " + " | ".join(b) + " |" for b in body] + [""]
    return out


def _table3_detached(fmt, conv: Conversion, rows: list[Row], footer) -> list[str]:
    """One table; each detached row's values form a table of their own and its
    label follows as two loose lines (a wrapped label cell the converter lost)."""
    header = ["", *(c.label for c in T3_COLUMNS)]
    out = [T3_NOTE, ""]
    piece: list[list[str]] = []

    def flush() -> list[str]:
        table = _md(header, piece) if piece else []
        if conv.footers and len(piece) > 3:
            table.insert(2 + len(piece) // 2, footer())
        piece.clear()
        return table + [""] if table else []

    for r in rows:
        values = _values(fmt, f"table3.{r.key}", T3_COLUMNS)
        if r.key not in conv.detached:
            piece.append([r.label, *values])
            continue
        out += flush()
        cut = len(r.label) // 2
        out += [*_md(values, []), "", r.label[:cut], r.label[cut:], ""]
    return out + flush()


def _table4(fmt, conv: Conversion, footer) -> list[str]:
    out: list[str] = []
    for g, label in T4_GROUPS:
        out += [f"### {f'{T4_LITIGATION}（{label}）' if g != 'review' else label}"]
        out += _md([c.label for c in T4_COLUMNS], [_values(fmt, f"table4.{g}", T4_COLUMNS)]) + [""]
    return out
