"""The three tables as grids of merged cells, built from ``nianbao.template``.

A grid is a list of rows; a row is a list of :class:`Slot`. Header and label
slots carry text; number slots carry a cell path. The Jinja partial
``_grid.html`` draws any grid, so the merged cells of template.md §1.3–1.5 are
spelled once, here, from the template data (both editions).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from nianbao.template import (
    SPLIT_ROW,
    T2_HEADER_LABELS,
    T3_COLUMNS,
    T3_HEADER_LABELS,
    T3_OUTCOME_LABEL,
    T4_COLUMNS,
    T4_GROUPS,
    edition,
)

T2_WIDTH = 4  # 信息内容 + at most three value columns
T3_LABEL_WIDTH = 3
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


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


def _head(text: str, rowspan: int = 1, colspan: int = 1) -> Slot:
    return Slot("head", text, rowspan=rowspan, colspan=colspan)


def _label(text: str, rowspan: int = 1, colspan: int = 1) -> Slot:
    return Slot("label", text, rowspan=rowspan, colspan=colspan)


@cache
def table2(name: str | None, split: tuple[str, ...] = ()) -> Grid:
    """Stacked blocks: a full-width 第二十条 row, a header row, the data rows.

    ``split`` names the sub-rows a 2019 report printed under 其他对外管理服务事项."""
    ed = edition(name)
    body: list[tuple[Slot, ...]] = []
    block = None
    for row in ed.table2:
        spare = T2_WIDTH - 1 - len(row.columns)  # the last column takes the spare width
        widths = [1 + (spare if i == len(row.columns) - 1 else 0) for i in range(len(row.columns))]
        if row.group != block:
            block = row.group
            body.append((_head(row.group, colspan=T2_WIDTH),))
            body.append(
                (
                    _head(T2_HEADER_LABELS[0]),
                    *(_head(c.label, colspan=w) for c, w in zip(row.columns, widths, strict=True)),
                )
            )
        prefixes = [(row.label, f"table2.{row.key}")]
        if row.key == SPLIT_ROW:
            prefixes += [(f"其中：{n}", f"table2.{row.key}.items.{i}") for i, n in enumerate(split)]
        for label, prefix in prefixes:
            nums = (Slot("num", path=f"{prefix}.{c.key}", colspan=w) for c, w in zip(row.columns, widths, strict=True))
            body.append((_label(label), *nums))
    return Grid("table2", "二、主动公开政府信息情况", (), tuple(body))


def _t3_row(key: str) -> tuple[Slot, ...]:
    return tuple(Slot("num", path=f"table3.{key}.{c.key}") for c in T3_COLUMNS)


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
        body.append((*lead, *_t3_row(row.key)))
    return Grid("table3", "三、收到和处理政府信息公开申请情况", head, tuple(body))


@cache
def table4() -> Grid:
    """行政复议 (5) | 行政诉讼 (10 = 未经复议直接起诉 5 + 复议后起诉 5), one data row."""
    n = len(T4_COLUMNS)
    groups = dict(T4_GROUPS)
    head = (
        (_head(groups["review"], colspan=n), _head("行政诉讼", colspan=2 * n)),
        (
            *(_head(c.label, rowspan=2) for c in T4_COLUMNS),
            _head(groups["litigation_direct"], colspan=n),
            _head(groups["litigation_after_review"], colspan=n),
        ),
        tuple(_head(c.label) for _ in range(2) for c in T4_COLUMNS),
    )
    body = (tuple(Slot("num", path=f"table4.{g}.{c.key}") for g, _ in T4_GROUPS for c in T4_COLUMNS),)
    return Grid("table4", "四、政府信息公开行政复议、行政诉讼情况", head, body)


def grids(name: str | None, split: tuple[str, ...] = ()) -> tuple[Grid, Grid, Grid]:
    return table2(name, split), table3(name), table4()
