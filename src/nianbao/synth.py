"""Synthetic annual reports for tests and benchmarks.

``synth_cells`` draws a value for every printed cell of an edition such that
every template identity holds (表三 勾稽关系 per column, the results summing to
（七）总计, row totals, 表四 totals). ``synth_report_text`` and
``synth_report_html`` render a complete report from those values in the text
layouts real reports come in (template.md §4.2) and as a web page with the
template's merged cells. Everything is deterministic given the ``rng``.

The values fed in are the expected output of the parser: a test compares what
was read with what was generated, never with what was parsed before.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from nianbao.template import (
    SECTION_NUMBERS,
    SECTIONS,
    SPLIT_ROW,
    T3_COLUMNS,
    T3_OUTCOME_LABEL,
    T3_PART_COLUMNS,
    T4_COLUMNS,
    T4_GROUPS,
    T4_PARTS,
    Edition,
    cell_paths,
    edition,
    t3_result_rows,
)

Number = int | float
Cells = dict[str, Number | None]
Fees = dict[str, Number | None]

LAYOUTS = ("tab", "paragraph", "pipe", "pipe_noleading", "cell_bar", "markdown")
# Layouts copied from web pages, where full-width punctuation usually turned half-width.
_WEB_LAYOUTS = ("paragraph", "pipe", "pipe_noleading", "cell_bar")
T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
SPLIT_NAMES = ("行政检查", "行政确认", "行政奖励", "行政给付")

# ------------------------------------------------------------------ values --


def synth_cells(
    rng: random.Random, edition: str = "2021", scale: int | None = None, carried_over: Cells | None = None
) -> Cells:
    """A value for every cell path of ``edition``, consistent with every template sum.

    ``scale`` is roughly the number of applications a natural person files in a
    year (default: drawn from 0 to a few thousand). ``carried_over`` chains a
    year to the one before: pass the previous year's cells and this year's
    二、上年结转 equals its 四、结转下年度继续办理, column by column."""
    ed = _edition(edition)
    scale = rng.choice((0, 3, 12, 40, 150, 1400)) if scale is None else scale
    cells: Cells = {}
    cells.update(_table2(rng, ed))
    carry = None if carried_over is None else [carried_over[f"table3.carried_forward.{c}"] for c in T3_PART_COLUMNS]
    cells.update(_table3(rng, ed, scale, carry))
    cells.update(_table4(rng, scale))
    assert list(cells) == cell_paths(ed)
    return cells


def synth_fees(rng: random.Random) -> Fees:
    """信息处理费 figures for section 六 (元): notices, their amount, amount collected."""
    notices = rng.choice((0, 0, 0, 1, 2, 3))
    amount = sum(rng.choice((100, 140, 200, 3200)) for _ in range(notices))
    collected = rng.choice((0, amount)) if notices else 0
    return {"notices": notices, "notice_amount_yuan": amount, "collected_yuan": collected}


def split_other_services(rng: random.Random, cells: Cells, n: int = 2) -> list[dict[str, object]]:
    """Split the 2019 row 其他对外管理服务事项 into ``n`` named sub-rows summing to it."""
    cols = ("prev_items", "change", "decisions")
    parts = {c: _parts(rng, cells[f"table2.{SPLIT_ROW}.{c}"], n) for c in cols}
    return [{"name": SPLIT_NAMES[i], **{c: parts[c][i] for c in cols}} for i in range(n)]


def _edition(name: str) -> Edition:
    if name not in ("2021", "2019"):
        raise ValueError(f"unknown edition {name!r}")
    return edition(name)


def _wan(rng: random.Random, top: float, places: int = 2) -> Number:
    if rng.random() < 0.3:
        return 0
    v = round(rng.uniform(0.01, top), places)
    return int(v) if v == int(v) else v


def _table2(rng: random.Random, ed: Edition) -> Cells:
    out: Cells = {}
    for row in ed.table2:
        for col in row.columns:
            path = f"table2.{row.key}.{col.key}"
            if col.decimal:
                out[path] = _wan(rng, 40000, rng.choice((2, 2, 4)))
            elif col.signed:
                out[path] = rng.randint(-30, 40)
            elif row.key == "regulations":
                out[path] = rng.choice((0, 0, 0, 1, 2))
            else:
                out[path] = rng.choice((0, rng.randint(0, 30), rng.randint(0, 500), rng.randint(0, 50000)))
    if ed.name == "2021":
        nd = "table2.normative_documents"
        out[f"{nd}.in_force"] = max(out[f"{nd}.in_force"] or 0, out[f"{nd}.issued"] or 0)
    return out


def _parts(rng: random.Random, total: Number | None, n: int) -> list[Number | None]:
    """``n`` random integers of one sign summing to ``total`` (which may be negative)."""
    if total is None:
        return [None] * n
    sign, left = (-1 if total < 0 else 1), abs(int(total))
    out: list[Number | None] = []
    for _ in range(n - 1):
        share = rng.randint(0, left)
        out.append(sign * share)
        left -= share
    return out + [sign * left]


def _table3(rng: random.Random, ed: Edition, scale: int, carry: list | None) -> Cells:
    results = t3_result_rows(ed)
    weights = {
        k: (40 if k == "granted" else 12 if k.startswith("unable.not_held") else rng.choice((0, 0, 1, 2, 5)))
        for k in results
    }
    rows: dict[str, dict[str, int]] = {k: {} for k in [r.key for r in ed.table3]}
    for i, col in enumerate(T3_PART_COLUMNS):
        top = scale if i == 0 else rng.choice((0, 0, max(1, scale // 20), max(1, scale // 5)))
        new = rng.randint(0, top) if top else 0
        old = rng.randint(0, max(0, top // 10)) if carry is None else int(carry[i] or 0)
        forward = rng.randint(0, (new + old) // 6) if new + old else 0
        processed = new + old - forward
        split = _spread(rng, processed, [weights[k] for k in results])
        rows["new_received"][col], rows["carried_over"][col] = new, old
        rows["carried_forward"][col], rows["total_processed"][col] = forward, processed
        for k, v in zip(results, split, strict=True):
            rows[k][col] = v
    out: Cells = {}
    for row in ed.table3:
        vals = rows[row.key]
        vals["total"] = sum(vals[c] for c in T3_PART_COLUMNS)
        out.update({f"table3.{row.key}.{c.key}": vals[c.key] for c in T3_COLUMNS})
    return out


def _spread(rng: random.Random, n: int, weights: list[int]) -> list[int]:
    """Split ``n`` into len(weights) counts, roughly in proportion to the weights."""
    w = [float(x) for x in weights]
    if not sum(w):
        w[0] = 1.0
    counts = [0] * len(w)
    for _ in range(min(n, 60)):
        counts[rng.choices(range(len(w)), w)[0]] += 1
    if n > 60:  # large counts: proportional share, remainder to the first rows
        base = [int((n - 60) * x / sum(w)) for x in w]
        base[0] += n - 60 - sum(base)
        counts = [a + b for a, b in zip(counts, base, strict=True)]
    return counts


def _table4(rng: random.Random, scale: int) -> Cells:
    out: Cells = {}
    top = rng.choice((0, 0, 1, 3, max(3, scale // 10)))
    for g, _ in T4_GROUPS:
        parts = [rng.randint(0, top) if top and rng.random() < 0.5 else 0 for _ in T4_PARTS]
        out.update({f"table4.{g}.{c}": v for c, v in zip(T4_PARTS, parts, strict=True)})
        out[f"table4.{g}.total"] = sum(parts)
    return {f"table4.{g}.{c.key}": out[f"table4.{g}.{c.key}"] for g, _ in T4_GROUPS for c in T4_COLUMNS}


# ------------------------------------------------------------ table grids --


@dataclass
class _C:
    """A cell of a table as printed: text (may contain line breaks) and its span."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    path: str | None = None  # set for value cells


@dataclass(frozen=True)
class _Style:
    thousands: bool = False
    fullwidth: bool = False
    slash: bool = False
    noise: bool = False
    decimal_comma: bool = False


def _fmt(v: Number | None, style: _Style, rng: random.Random, path: str = "") -> str:
    if v is None:
        return "/" if style.slash else ""
    if style.decimal_comma and path.endswith("procurement.amount_wan"):
        whole, _, frac = f"{Decimal(str(v)):.4f}".partition(".")
        s = f"{whole},{frac}"
    else:
        s = str(v) if isinstance(v, int) else format(Decimal(repr(v)), "f")
        if style.thousands and abs(v) >= 1000:
            whole, dot, frac = s.partition(".")
            s = f"{int(whole):,}" + dot + frac
    if style.fullwidth:
        s = s.translate(_FULLWIDTH)
    if style.noise and rng.random() < 0.12:
        s = rng.choice(("\u00a0", "\u00a0\u3000", "\u3000\u3000")) + s if rng.random() < 0.5 else s + "\u00a0"
    return s


_FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _wrap(label: str) -> str:
    """Four-character header labels break after two characters, as in the template."""
    return label[:2] + "\n" + label[2:] if len(label) == 4 else label


def _grid2(ed: Edition, split: list[dict[str, object]] | None, fmt, style: _Style) -> list[list[_C]]:
    lead = 2 if split else 1  # label columns
    rows: list[list[_C]] = []
    group = None
    for row in ed.table2:
        cols = row.columns
        if row.group != group:
            group = row.group
            rows.append([_C(group, colspan=lead + 3)])
            labels = [c.label for c in cols]
            if row.key == "procurement" and style.decimal_comma:
                labels[-1] = "采购总金额（万元，保留四位小数）"
            head = [_C("信息内容", colspan=lead)] + [_C(lb) for lb in labels]
            head[-1].colspan = 4 - len(cols)
            rows.append(head)
        values = [_C(fmt(f"table2.{row.key}.{c.key}"), path=f"table2.{row.key}.{c.key}") for c in cols]
        values[-1].colspan = 4 - len(cols)
        if split and row.key == SPLIT_ROW:
            for i, item in enumerate(split):
                first = [_C(row.label, rowspan=len(split))] if i == 0 else []
                vals = [_C(fmt(None, item[c.key]), path=f"split.{i}.{c.key}") for c in cols]
                rows.append(first + [_C(str(item["name"]))] + vals)
            continue
        rows.append([_C(row.label, colspan=lead)] + values)
    return rows


def _grid3(ed: Edition, fmt) -> list[list[_C]]:
    head = [
        [_C(T3_CORNER, rowspan=3, colspan=3), _C("申请人情况", colspan=7)],
        [_C("自然人", rowspan=2), _C("法人或其他组织", colspan=5), _C("总计", rowspan=2)],
        [_C("商业\n企业"), _C("科研\n机构"), _C("社会公益组织"), _C("法律服务机构"), _C("其他")],
    ]
    outcome = t3_result_rows(ed)
    rows = []
    seen_groups: set[str] = set()
    for row in ed.table3:
        vals = [_C(fmt(f"table3.{row.key}.{c.key}"), path=f"table3.{row.key}.{c.key}") for c in T3_COLUMNS]
        if row.key not in outcome and row.key != "total_processed":
            rows.append([_C(row.label, colspan=3)] + vals)
            continue
        lead = [_C(T3_OUTCOME_LABEL, rowspan=len(outcome) + 1)] if row.key == "granted" else []
        if row.group:
            g = row.key.split(".")[0]
            if g not in seen_groups:
                seen_groups.add(g)
                lead.append(_C(row.group, rowspan=len(ed.group_items(g))))
            rows.append(lead + [_C(row.label)] + vals)
        else:
            rows.append(lead + [_C(row.label, colspan=2)] + vals)
    return head + rows


def _grid4(fmt) -> list[list[_C]]:
    return [
        [_C("行政复议", colspan=5), _C("行政诉讼", colspan=10)],
        # as in seeds 000/002/004: the first header cell is not broken, the others are
        [_C(c.label if i == 0 else _wrap(c.label), rowspan=2) for i, c in enumerate(T4_COLUMNS)]
        + [_C(label, colspan=5) for _, label in T4_GROUPS[1:]],
        [_C(_wrap(c.label)) for _ in T4_GROUPS[1:] for c in T4_COLUMNS],
        [_C(fmt(f"table4.{g}.{c.key}"), path=f"table4.{g}.{c.key}") for g, _ in T4_GROUPS for c in T4_COLUMNS],
    ]


def _slots(rows: list[list[_C]]) -> list[list[tuple[str, _C]]]:
    """Place cells on the grid: each slot is ("cell"|"down"|"right", cell).

    "down" marks the leftmost slot of a cell continuing from a row above (Word
    prints an empty cell there), "right" any slot covered horizontally."""
    grid: dict[tuple[int, int], tuple[str, _C]] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    kind = "cell" if dr == dc == 0 else "down" if dc == 0 else "right"
                    grid[(r + dr, c + dc)] = (kind, cell)
            c += cell.colspan
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), ("right", _C(""))) for c in range(width)] for r in range(len(rows))]


# ------------------------------------------------------------ text layouts --


def _lay_tab(rows: list[list[_C]]) -> list[str]:
    out: list[str] = [""]
    for slots in _slots(rows):
        for kind, cell in slots:
            if kind == "cell":
                first, *rest = cell.text.split("\n")
                out += ["\t" + first] + rest
            elif kind == "down":
                out.append("\t")
        out.append("")
    return out


def _lay_paragraph(rows: list[list[_C]]) -> list[str]:
    out: list[str] = [""]
    for row in rows:
        for cell in row:
            for part in cell.text.split("\n"):
                out += [part, ""]
    return out


def _lay_pipe(rows: list[list[_C]]) -> list[str]:
    """``| a | b | c | `` rows; merged slots trail as ``|||`` (wild_12); cells
    continuing from above print as empty cells."""
    out: list[str] = []
    for slots in _slots(rows):
        texts = [cell.text.replace("\n", " ") if kind == "cell" else "" for kind, cell in slots if kind != "right"]
        extra = sum(1 for kind, _ in slots if kind == "right")
        out.append("| " + " | ".join(texts) + " | " + "|" * extra)
    return [""] + out + [""]


def _lay_pipe_noleading(rows: list[list[_C]]) -> list[str]:
    """``a | b | c |`` with merged cells collapsed: rows vary in length (wild_13/14)."""
    out = [" | ".join(c.text.replace("\n", " ") for c in row) + " |" for row in rows]
    return [""] + out + [""]


def _lay_cell_bar(rows: list[list[_C]]) -> list[str]:
    """Every cell on its own line ending in `` |``; a row's merged slots trail
    its last cell as ``||`` (wild_17)."""
    out: list[str] = []
    for row in rows:
        out += [c.text.replace("\n", " ") + " |" for c in row]
        extra = sum(c.colspan - 1 for c in row)
        out[-1] += " " + "|" * extra if extra else ""
    return [""] + out + [""]


def _md_rows(rows: list[list[_C]]) -> list[list[str]]:
    return [[cell.text.replace("\n", " ") if kind == "cell" else "" for kind, cell in slots] for slots in _slots(rows)]


def _md(grid: list[list[str]]) -> list[str]:
    width = len(grid[0])
    lines = ["| " + " | ".join(grid[0]) + " |", "|" + "|".join("-" * w for w in _widths(grid[0])) + "|"]
    lines += ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in grid[1:]]
    return lines


def _widths(row: list[str]) -> list[int]:
    return [max(3, min(12, len(t) * 2)) for t in row]


def _lay_markdown_plain(rows: list[list[_C]]) -> list[str]:
    return [""] + _md(_md_rows(rows)) + [""]


def _lay_markdown_t3(rows: list[list[_C]], ed: Edition) -> list[str]:
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


_LAYOUT_FUNCS = {
    "tab": _lay_tab,
    "paragraph": _lay_paragraph,
    "pipe": _lay_pipe,
    "pipe_noleading": _lay_pipe_noleading,
    "cell_bar": _lay_cell_bar,
    "markdown": _lay_markdown_plain,
}

# -------------------------------------------------------------- the report --

_OVERVIEW_PARTS = (
    (
        "加强组织领导",
        "{short}坚持把政府信息公开工作摆在重要位置，明确主要负责同志负总责、分管领导具体抓、业务科室抓落实的工作机制，定期研究部署年度重点任务。",
    ),
    (
        "深化主动公开",
        "围绕群众关切，及时通过政府门户网站公开机构职能、政策文件、财政预决算、“三公”经费等信息，全年主动公开各类政府信息{active}条。",
    ),
    (
        "规范依申请公开",
        "严格落实依申请公开受理、登记、审核、答复各环节要求，{year}年共收到政府信息公开申请{new}件，均在法定期限内答复。",
    ),
    ("加强政府信息管理", "严格执行政府信息发布保密审查制度，动态调整政务公开全清单，对已公开信息定期开展清理和更新。"),
    ("强化平台建设", "持续优化政府网站政府信息公开专栏，做好政务新媒体信息同步发布，确保信息准确、及时、便于查阅。"),
    (
        "做好监督保障",
        "将政府信息公开工作纳入年度考核，组织工作人员参加专题培训{train}次，本年度未发生需要责任追究的情形。",
    ),
)
_PROBLEMS = (
    "{year}年，{short}政府信息公开工作取得一定成效，但仍存在主动公开内容不够丰富、政策解读形式较为单一、"
    "依申请公开答复规范性有待提升等问题。下一步，一是聚焦群众关切，拓展主动公开的深度和广度；"
    "二是丰富政策解读形式，提升解读质量；三是加强业务培训，进一步规范依申请公开办理流程。"
)


def _fees_sentence(fees: Fees | None, year: int, rng: random.Random) -> str:
    if fees is None:
        return f"{year}年度本机关无其他需要报告的事项。"
    n, a, c = fees["notices"], fees["notice_amount_yuan"], fees["collected_yuan"]
    if not n and not a and not c:
        return "本机关未收取信息处理费，发出收费通知的件数和总金额以及实际收取的总金额均为0。"
    if rng.random() < 0.35:
        wan = lambda y: format(Decimal(str(y)) / 10000, "f").rstrip("0").rstrip(".") or "0"  # noqa: E731
        return (
            f"本机关依据《政府信息公开信息处理费管理办法》收取信息处理费，{year}年发出收费通知的件数{n}件，"
            f"总金额{wan(a)}万元。实际收取的总金额{wan(c)}万元。"
        )
    return f"{year}年度发出收费通知的件数为{n}件，总金额为{a}元，实际收取的总金额为{c}元。"


NUMBERINGS = ("template", "arabic", "arabic_all", "broken")


def _section_mark(number: str, numbering: str) -> str:
    """Section numbering as printed: the template's ``二、``; ``2、 `` for 二/三 only
    (seeds 000/002/004); ``1、 `` throughout (wild_18); or template marks with broken sub-heads."""
    arabic = f"{SECTION_NUMBERS.index(number) + 1}、 "
    if numbering == "arabic_all" or (numbering == "arabic" and number in "二三"):
        return arabic
    return f"{number}、"


def _sub_mark(i: int, numbering: str) -> str:
    """Sub-heading numbering: ``（一）``; ``（4）`` from the fourth on (seed 000);
    ``1、`` (wild_18); ``一)`` (wild_20)."""
    if numbering == "arabic":
        return f"（{SECTION_NUMBERS[i]}）" if i < 3 else f"（{i + 1}） "
    if numbering == "arabic_all":
        return f"{i + 1}、 "
    return f"{SECTION_NUMBERS[i]})" if numbering == "broken" else f"（{SECTION_NUMBERS[i]}）"


@dataclass(frozen=True)
class _Block:
    kind: str  # "p" | "h" | "table"
    text: str = ""
    table: str = ""  # table2/3/4


def _blocks(
    cells: Cells,
    ed: Edition,
    agency: str,
    year: int,
    rng: random.Random,
    fees: Fees | None,
    numbering: str,
    published: str,
    long_headings: bool = False,
) -> list[_Block]:
    short = "本机关"
    new = cells["table3.new_received.total"]
    one_line = rng.random() < 0.5
    out = (
        [_Block("p", f"{agency}{year}年政府信息公开工作年度报告")]
        if one_line
        else [_Block("p", agency), _Block("p", f"{year}年政府信息公开工作年度报告")]
    )
    out.append(
        _Block(
            "p",
            "依据《中华人民共和国政府信息公开条例》（以下简称《政府信息公开条例》）第五十条规定，编制本报告。"
            f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        )
    )
    for spec in SECTIONS:
        title = spec.variants[0] if long_headings and spec.key in ("review", "problems") else spec.title
        out.append(_Block("h", _section_mark(spec.number, numbering) + title))
        if spec.key == "overview":
            out.append(
                _Block("p", f"{year}年，{short}深入贯彻落实《政府信息公开条例》，扎实做好政府信息公开各项工作。")
            )
            for i, (head, body) in enumerate(_OVERVIEW_PARTS):
                out.append(_Block("h", _sub_mark(i, numbering) + head))
                out.append(
                    _Block(
                        "p",
                        body.format(
                            short=short, year=year, new=new, active=rng.randint(20, 900), train=rng.randint(1, 6)
                        ),
                    )
                )
        elif spec.key == "active":
            out.append(_Block("table", table="table2"))
        elif spec.key == "requests":
            out.append(
                _Block(
                    "p",
                    f"本年度，本机关共收到政府信息公开申请{new}件，上年结转"
                    f"{cells['table3.carried_over.total']}件，办结{cells['table3.total_processed.total']}件，"
                    f"结转下年度继续办理{cells['table3.carried_forward.total']}件。",
                )
            )
            out.append(_Block("table", table="table3"))
        elif spec.key == "review":
            out.append(_Block("table", table="table4"))
        elif spec.key == "problems":
            out.append(_Block("p", _PROBLEMS.format(year=year, short=short)))
        else:
            out.append(_Block("p", _fees_sentence(fees, year, rng)))
    out += [_Block("p", agency), _Block("p", published)]
    return out


def _formatter(cells: Cells, style: _Style, rng: random.Random):
    def fmt(path: str | None, value: Number | None = None) -> str:
        return _fmt(cells[path] if path else value, style, rng, path or "")

    return fmt


def published_date(year: int, rng: random.Random) -> str:
    return f"{year + 1}年{rng.choice((1, 1, 1, 2, 3))}月{rng.randint(5, 28)}日"


def synth_report_text(
    cells: Cells,
    edition: str,
    layout: str,
    agency: str,
    year: int,
    rng: random.Random,
    *,
    fees: Fees | None = None,
    published: str | None = None,
    split: list[dict[str, object]] | None = None,
    traditional: bool = False,
    fullwidth: bool = False,
    thousands: bool = False,
    slash: bool = False,
    noise: bool = False,
    decimal_comma: bool = False,
    numbering: str = "template",
    long_headings: bool = False,
    page_break: bool = False,
) -> str:
    """A complete report as text in ``layout`` (one of :data:`LAYOUTS`).

    ``fees`` (元) become the 信息处理费 sentence of section 六 (None: no such
    sentence); ``split`` the named sub-rows of the 2019 其他对外管理服务事项;
    ``published`` the 落款 date. Options: traditional characters, full-width
    digits, thousands separators, ``/`` for blank cells, NBSP/U+3000 noise, a
    decimal comma in the 2019 采购总金额 (``491,5000``), a heading numbering of
    :data:`NUMBERINGS`, the long 条例 forms of headings 四/五, a page break
    inside 表三 (page-number line, header rows repeated)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    ed = _edition(edition)
    style = _Style(thousands, fullwidth, slash, noise, decimal_comma)
    fmt = _formatter(cells, style, rng)
    published = published or published_date(year, rng)
    lines: list[str] = []
    if numbering not in NUMBERINGS:
        raise ValueError(f"unknown numbering {numbering!r}")
    for b in _blocks(cells, ed, agency, year, rng, fees, numbering, published, long_headings):
        if b.kind != "table":
            prefix = "\u00a0 " if noise and b.kind == "h" and rng.random() < 0.3 else ""
            lines += [prefix + b.text] + ([""] if layout in ("paragraph", "markdown") else [])
            continue
        grid = _grid_for(b.table, ed, split, fmt, style)
        if layout == "markdown" and b.table == "table3":
            lines += _lay_markdown_t3(grid, ed)
        elif page_break and b.table == "table3":
            # a PDF page ends after 二、上年结转 (no merged cell crosses there); the next
            # page starts with a page-number line and the repeated header rows (V5/V6)
            page = rng.randint(2, 9)
            lines += _LAYOUT_FUNCS[layout](grid[:5]) + [f"- {page} -"] + _LAYOUT_FUNCS[layout](grid[:3] + grid[5:])
        else:
            lines += _LAYOUT_FUNCS[layout](grid)
    text = "\n".join(lines) + "\n"
    if layout in _WEB_LAYOUTS:
        text = text.translate(_HALFWIDTH_PUNCT)
    return to_traditional(text) if traditional else text


_HALFWIDTH_PUNCT = str.maketrans("（）：，", "():,")


def _grid_for(table: str, ed: Edition, split, fmt, style: _Style) -> list[list[_C]]:
    if table == "table2":
        return _grid2(ed, split, fmt, style)
    return _grid3(ed, fmt) if table == "table3" else _grid4(fmt)


# -------------------------------------------------------------------- HTML --

_NAV = ("首页", "政务公开", "政务服务", "互动交流", "走进{region}")


def synth_report_html(
    cells: Cells,
    edition: str,
    agency: str,
    year: int,
    rng: random.Random,
    *,
    fees: Fees | None = None,
    published: str | None = None,
    split: list[dict[str, object]] | None = None,
    traditional: bool = False,
    fullwidth: bool = False,
    thousands: bool = False,
    slash: bool = False,
    noise: bool = False,
    decimal_comma: bool = False,
    numbering: str = "template",
    long_headings: bool = False,
    charset: str = "utf-8",
) -> str:
    """A government web page carrying the report: site header, navigation,
    breadcrumbs, the article with tables merged as in template.md §1.3–1.5
    (``rowspan``/``colspan``, ``<br />`` in headers, ``&nbsp;`` for blanks), a
    related-links list and a footer."""
    ed = _edition(edition)
    style = _Style(thousands, fullwidth, slash, noise, decimal_comma)
    fmt = _formatter(cells, style, rng)
    published = published or published_date(year, rng)
    region = agency[:3]
    e = html.escape
    body: list[str] = []
    title = f"{agency}{year}年政府信息公开工作年度报告"
    for b in _blocks(cells, ed, agency, year, rng, fees, numbering, published, long_headings):
        if b.kind == "table":
            body.append(_html_table(_grid_for(b.table, ed, split, fmt, style)))
        elif b.kind == "h":
            body.append(f"<p><strong>{e(b.text)}</strong></p>")
        else:
            body.append(f'<p style="text-indent:2em">{e(b.text)}</p>')
    nav = "".join(f'<li><a href="/{i}/">{e(n.format(region=region))}</a></li>' for i, n in enumerate(_NAV))
    links = "".join(
        f'<li><a href="/gknb/{year - k}.html">{e(agency)}{year - k}年政府信息公开工作年度报告</a></li>'
        for k in (1, 2, 3)
    )
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<title>{e(title)}_{e(region)}人民政府网站</title>
<link rel="stylesheet" href="/css/main.css">
<script>var _hmt = _hmt || []; var siteId = "1101020001";</script>
</head>
<body>
<div class="top-bar">欢迎访问{e(region)}人民政府网站 | <a href="/wza/">无障碍</a> | <a href="/en/">English</a></div>
<header class="header"><div class="logo"><img src="/images/logo.png" alt="{e(region)}人民政府"></div>
<form class="search" action="/search"><input name="q" placeholder="请输入关键字"><button>搜索</button></form></header>
<nav class="nav"><ul>{nav}</ul></nav>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/gknb/">政府信息公开年报</a></div>
<div class="article">
<h1 class="title">{e(title)}</h1>
<div class="info"><span>发布日期：{year + 1}-01-{rng.randint(10, 31):02d}</span><span>来源：{e(agency)}</span>
<span>浏览次数：{rng.randint(50, 9000)}</span><span>字号：<a>大</a> <a>中</a> <a>小</a></span></div>
<div class="content TRS_Editor">
{chr(10).join(body)}
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a> <a href="javascript:window.print()">打印本页</a> <a>关闭窗口</a></div>
</div>
<div class="related"><h3>相关链接</h3><ul>{links}</ul></div>
<footer class="footer"><p>主办：{e(region)}人民政府办公室　承办：{e(region)}政务服务数据管理局</p>
<p>网站标识码：1101020001　京ICP备05060933号　京公网安备11010202000001号</p>
<p>地址：{e(region)}行政中心1号楼　邮编：100032　联系电话：010-12345678</p></footer>
</body>
</html>
"""
    return to_traditional(page) if traditional else page


def _html_table(rows: list[list[_C]]) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="0" style="width:100%;border-collapse:collapse">', "<tbody>"]
    for row in rows:
        tds = []
        for c in row:
            attrs = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            )
            text = "&nbsp;" if not c.text.strip() else "<br />".join(html.escape(p) for p in c.text.split("\n"))
            inner = f"<p>{text}</p>" if c.path is None else text
            tds.append(f'<td{attrs} style="border:1px solid #000">{inner}</td>')
        out.append("<tr>" + "".join(tds) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


# ------------------------------------------------------------ traditional --


# Where the reversed map would pick a rare form: the usual traditional spelling,
# or the character itself where that is also the traditional form in these texts.
_PREFERRED = {
    "干": "幹",
    "台": "臺",
    "里": "裡",
    "后": "後",
    "发": "發",
    "复": "復",
    "当": "當",
    "苏": "蘇",
    "采": "採",
}
_PREFERRED |= {"镇": "鎮"} | {c: c for c in "出升卷合同家局布志扎查核秘制系逾群只面"}


@lru_cache(maxsize=1)
def _s2t() -> dict[int, str]:
    text = resources.files("nianbao").joinpath("data/t2s.txt").read_text(encoding="utf-8")
    trad, simp = text.splitlines()[1:3]
    table: dict[int, str] = {}
    for t, s in zip(trad, simp, strict=True):
        if t != s and ord(s) not in table:
            table[ord(s)] = t
    for s, t in _PREFERRED.items():
        if s != t:
            table[ord(s)] = t
        else:
            table.pop(ord(s), None)
    return table


def to_traditional(text: str) -> str:
    """Simplified → traditional by reversing the OpenCC map (test input only:
    the reversal of a many-to-one map picks one traditional form)."""
    return text.translate(_s2t())
