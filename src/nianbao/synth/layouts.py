"""Text layouts: a table grid → the lines real reports print it as (template.md §4.2)."""

from __future__ import annotations

from nianbao.synth import columns
from nianbao.synth.grids import GridCell, place
from nianbao.template import Edition

LAYOUTS = (
    "tab",
    "paragraph",
    "pipe",
    "pipe_noleading",
    "cell_bar",
    "markdown",
    "tabbed",
    "spaced",
    "layout",
    "plumber",
    "html_md",
)
# html_md: Markdown whose tables are HTML <table> blocks (MinerU), written by report.py.
# Layouts copied from web pages, where full-width punctuation usually turned half-width.
WEB_LAYOUTS = ("paragraph", "pipe", "pipe_noleading", "cell_bar")
HALFWIDTH_PUNCT = str.maketrans("（）：，", "():,")


def _lay_tab(rows: list[list[GridCell]]) -> list[str]:
    out: list[str] = [""]
    for slots in place(rows):
        for kind, cell in slots:
            if kind == "cell":
                first, *rest = cell.text.split("\n")
                out += ["\t" + first] + rest
            elif kind == "down":
                out.append("\t")
        out.append("")
    return out


def _lay_paragraph(rows: list[list[GridCell]]) -> list[str]:
    out: list[str] = [""]
    for row in rows:
        for cell in row:
            for part in cell.text.split("\n"):
                out += [part, ""]
    return out


def _lay_pipe(rows: list[list[GridCell]]) -> list[str]:
    """``| a | b | c | `` rows; merged slots trail as ``|||`` (wild_12); cells
    continuing from above print as empty cells."""
    out: list[str] = []
    for slots in place(rows):
        texts = [cell.text.replace("\n", " ") if kind == "cell" else "" for kind, cell in slots if kind != "right"]
        extra = sum(1 for kind, _ in slots if kind == "right")
        out.append("| " + " | ".join(texts) + " | " + "|" * extra)
    return [""] + out + [""]


def _lay_pipe_noleading(rows: list[list[GridCell]]) -> list[str]:
    """``a | b | c |`` with merged cells collapsed: rows vary in length (wild_13/14)."""
    out = [" | ".join(c.text.replace("\n", " ") for c in row) + " |" for row in rows]
    return [""] + out + [""]


def _lay_cell_bar(rows: list[list[GridCell]]) -> list[str]:
    """Every cell on its own line ending in `` |``; a row's merged slots trail
    its last cell as ``||`` (wild_17)."""
    out: list[str] = []
    for row in rows:
        out += [c.text.replace("\n", " ") + " |" for c in row]
        extra = sum(c.colspan - 1 for c in row)
        out[-1] += " " + "|" * extra if extra else ""
    return [""] + out + [""]


def _md_rows(rows: list[list[GridCell]]) -> list[list[str]]:
    return [[cell.text.replace("\n", " ") if kind == "cell" else "" for kind, cell in slots] for slots in place(rows)]


def _md(grid: list[list[str]]) -> list[str]:
    width = len(grid[0])
    lines = ["| " + " | ".join(grid[0]) + " |", "|" + "|".join("-" * w for w in _widths(grid[0])) + "|"]
    lines += ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in grid[1:]]
    return lines


def _widths(row: list[str]) -> list[int]:
    return [max(3, min(12, len(t) * 2)) for t in row]


def _lay_markdown_plain(rows: list[list[GridCell]]) -> list[str]:
    return [""] + _md(_md_rows(rows)) + [""]


def markdown_t3(rows: list[list[GridCell]], ed: Edition) -> list[str]:
    """表三 as two markdown tables split by a page break inside a long label, and
    one row that lost its leading empty cells (seed 001)."""
    grid = _md_rows(rows)
    keys = [r.key for r in ed.table3]
    body0 = 3  # header rows
    brk = body0 + keys.index("other.no_correction" if ed.name == "2021" else "not_processed.excessive")
    lost = body0 + keys.index("not_processed.confirmation")
    row = grid[lost]
    lead = next(i for i, t in enumerate(row) if t)
    grid[lost] = row[lead:] + [""] * lead
    label_col = next(i for i, t in enumerate(grid[brk]) if t and not t.startswith("（六）") and i > 0)
    label = grid[brk][label_col]
    cut = len(label) - 2
    grid[brk][label_col] = label[:cut]
    cont = [""] * len(grid[0])
    cont[label_col] = label[cut:]
    first, second = grid[: brk + 1], [[""] * len(grid[0]), cont] + grid[brk + 1 :]
    return [""] + _md(first) + [""] + _md(second) + [""]


LAYOUT_FUNCS = {
    "tab": _lay_tab,
    "paragraph": _lay_paragraph,
    "pipe": _lay_pipe,
    "pipe_noleading": _lay_pipe_noleading,
    "cell_bar": _lay_cell_bar,
    "markdown": _lay_markdown_plain,
    "tabbed": columns.lay_tabbed,
    "spaced": columns.lay_spaced,
    "layout": columns.lay_layout,
    "plumber": columns.lay_plumber,
}
