"""The three tables as grids of merged cells (template.md §1.3–1.5, both editions).

A grid is rows of :class:`Slot`: header and label slots carry text, number slots a cell
path. The web page, the DOCX/HTML writer and the synthetic generator all draw these
grids, so the merged cells and the 表三 corner note are spelled once, here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from nianbao.template.editions import (
    SPLIT_ROW,
    T2_HEADER_LABELS,
    T3_COLUMNS,
    T3_HEADER_LABELS,
    T3_OUTCOME_LABEL,
    T4_COLUMNS,
    T4_GROUPS,
    T4_LITIGATION,
    edition,
)
from nianbao.template.names import section_heading

T2_WIDTH = 4  # 信息内容 + at most three value columns
T3_LABEL_WIDTH = 3
T3_NOTE = f"（{T3_HEADER_LABELS[2]}：第一项加第二项之和，等于第三项加第四项之和）"
ITEMS = f"table2.{SPLIT_ROW}.items"  # + ".{i}.{column}": a sub-row of 其他对外管理服务事项


@dataclass(frozen=True)
class Slot:
    kind: str  # "head" | "label" | "num"
    text: str = ""
    path: str = ""
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Grid:
    key: str  # "table2" | "table3" | "table4"
    title: str
    head: tuple[tuple[Slot, ...], ...]
    body: tuple[tuple[Slot, ...], ...]

    @property
    def rows(self) -> tuple[tuple[Slot, ...], ...]:
        return self.head + self.body


def _head(text: str, rowspan: int = 1, colspan: int = 1) -> Slot:
    return Slot("head", text, rowspan=rowspan, colspan=colspan)


def _label(text: str, rowspan: int = 1, colspan: int = 1) -> Slot:
    return Slot("label", text, rowspan=rowspan, colspan=colspan)


def split_item(path: str) -> tuple[int, str] | None:
    """(sub-row index, column key) of a sub-row cell path, else None."""
    head, _, rest = path.rpartition(".")
    n = head.removeprefix(ITEMS + ".")
    return (int(n), rest) if head != n and n.isdigit() else None


def _nums(cols: tuple[tuple[str, int], ...], prefix: str) -> tuple[Slot, ...]:
    """Number slots of a 表二 row: (column key, width) each."""
    return tuple(Slot("num", path=f"{prefix}.{key}", colspan=w) for key, w in cols)


@cache
def table2(name: str | None, split: tuple[str, ...] = (), nested: bool = False) -> Grid:
    """Stacked blocks: a full-width 第二十条 row, a header row, the data rows.

    ``split`` names the sub-rows a 2019 report printed under 其他对外管理服务事项: listed as
    "其中：" rows after it, or, ``nested``, in a second label column beside its merged label
    (as printed)."""
    ed = edition(name)
    lead = 2 if nested and split else 1  # label columns
    body: list[tuple[Slot, ...]] = []
    block = None
    for row in ed.table2:
        spare = T2_WIDTH - 1 - len(row.columns)  # the last column takes the spare width
        widths = [1 + (spare if i == len(row.columns) - 1 else 0) for i in range(len(row.columns))]
        if row.group != block:
            block = row.group
            body.append((_head(row.group, colspan=lead + T2_WIDTH - 1),))
            heads = (_head(c.label, colspan=w) for c, w in zip(row.columns, widths, strict=True))
            body.append((_head(T2_HEADER_LABELS[0], colspan=lead), *heads))
        cols = tuple(zip((c.key for c in row.columns), widths, strict=True))
        if row.key == SPLIT_ROW and split and nested:
            for i, n in enumerate(split):
                first = (_label(row.label, rowspan=len(split)),) if i == 0 else ()
                body.append((*first, _label(n), *_nums(cols, f"{ITEMS}.{i}")))
            continue
        body.append((_label(row.label, colspan=lead), *_nums(cols, f"table2.{row.key}")))
        if row.key == SPLIT_ROW:
            body += [(_label(f"其中：{n}"), *_nums(cols, f"{ITEMS}.{i}")) for i, n in enumerate(split)]
    return Grid("table2", section_heading("table2"), (), tuple(body))


@cache
def table3(name: str | None) -> Grid:
    """申请人情况 header (3 rows) and 一/二/三（一…七）/四 rows with the group labels merged."""
    ed = edition(name)
    parts = T3_COLUMNS[1:-1]
    head = (
        (_head(T3_NOTE, rowspan=3, colspan=T3_LABEL_WIDTH), _head(T3_HEADER_LABELS[0], colspan=len(T3_COLUMNS))),
        (
            _head(T3_COLUMNS[0].label, rowspan=2),
            _head(T3_HEADER_LABELS[1], colspan=len(parts)),
            _head(T3_COLUMNS[-1].label, rowspan=2),
        ),
        tuple(_head(c.label) for c in parts),
    )
    keys = [r.key for r in ed.table3]
    outcome = keys[keys.index("granted") : keys.index("carried_forward")]  # 三、本年度办理结果 …（七）总计
    body: list[tuple[Slot, ...]] = []
    seen_groups: set[str] = set()
    for row in ed.table3:
        lead: list[Slot] = []
        if row.key == outcome[0]:
            lead.append(_label(T3_OUTCOME_LABEL, rowspan=len(outcome)))
        if row.key not in outcome:
            lead.append(_label(row.label, colspan=T3_LABEL_WIDTH))
        elif row.group:
            if row.group not in seen_groups:
                seen_groups.add(row.group)
                lead.append(_label(row.group, rowspan=sum(1 for r in ed.table3 if r.group == row.group)))
            lead.append(_label(row.label))
        else:
            lead.append(_label(row.label, colspan=T3_LABEL_WIDTH - 1))
        body.append((*lead, *(Slot("num", path=f"table3.{row.key}.{c.key}") for c in T3_COLUMNS)))
    return Grid("table3", section_heading("table3"), head, tuple(body))


@cache
def table4() -> Grid:
    """行政复议 (5) | 行政诉讼 (10 = 未经复议直接起诉 5 + 复议后起诉 5), one data row."""
    n = len(T4_COLUMNS)
    groups = dict(T4_GROUPS)
    head = (
        (_head(groups["review"], colspan=n), _head(T4_LITIGATION, colspan=2 * n)),
        (
            *(_head(c.label, rowspan=2) for c in T4_COLUMNS),
            _head(groups["litigation_direct"], colspan=n),
            _head(groups["litigation_after_review"], colspan=n),
        ),
        tuple(_head(c.label) for _ in range(2) for c in T4_COLUMNS),
    )
    body = (tuple(Slot("num", path=f"table4.{g}.{c.key}") for g, _ in T4_GROUPS for c in T4_COLUMNS),)
    return Grid("table4", section_heading("table4"), head, body)


def grids(name: str | None, split: tuple[str, ...] = (), nested: bool = False) -> tuple[Grid, Grid, Grid]:
    return table2(name, split, nested), table3(name), table4()


def grid(table: str, name: str | None, split: tuple[str, ...] = (), nested: bool = False) -> Grid:
    """The grid of ``table`` ("table2" | "table3" | "table4")."""
    return dict(zip(("table2", "table3", "table4"), grids(name, split, nested), strict=True))[table]
