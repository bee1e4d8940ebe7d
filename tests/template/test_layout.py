"""The span grids of nianbao.template.layout: whole rectangles, every printed cell once, and
the same grid in the web page, the DOCX/HTML writer and the synthetic generator."""

from __future__ import annotations

import pytest

from nianbao import template as T
from nianbao.model import Report, Source, Value
from nianbao.render.docx import layouts
from nianbao.synth.grids import Style, grid_for
from nianbao.template.layout import ITEMS, T3_NOTE, Grid, grids, split_item

SPLIT = ("行政检查", "行政确认")


def cover(g: Grid) -> dict[tuple[int, int], int]:
    """Grid position -> index of the slot covering it; fails on an overlap."""
    taken: dict[tuple[int, int], int] = {}
    n = 0
    for r, row in enumerate(g.rows):
        c = 0
        for s in row:
            while (r, c) in taken:
                c += 1
            for dr in range(s.rowspan):
                for dc in range(s.colspan):
                    assert (r + dr, c + dc) not in taken
                    taken[(r + dr, c + dc)] = n
            n += 1
            c += s.colspan
    return taken


@pytest.mark.parametrize("name", ["2021", "2019"])
@pytest.mark.parametrize("split", [(), SPLIT])
@pytest.mark.parametrize("nested", [False, True])
def test_each_grid_is_a_full_rectangle(name: str, split: tuple[str, ...], nested: bool) -> None:
    widths = {"table2": 5 if nested and split else 4, "table3": 10, "table4": 15}  # nested sub-rows: a 2nd label column
    for g in grids(name, split, nested):
        taken = cover(g)
        rows = len(g.rows)
        assert set(taken) == {(r, c) for r in range(rows) for c in range(widths[g.key])}, g.key


@pytest.mark.parametrize("name", ["2021", "2019"])
def test_every_printed_cell_is_one_number_slot(name: str) -> None:
    ed = T.edition(name)
    t2, t3, t4 = grids(name)
    for g, paths in ((t2, T.t2_paths(ed)), (t3, T.t3_paths(ed)), (t4, T.t4_paths())):
        nums = [s.path for row in g.rows for s in row if s.kind == "num"]
        assert nums == paths


def test_table3_head_hand_checked() -> None:
    g = grids("2021")[1]
    corner, applicants = g.head[0]
    assert (corner.text, corner.rowspan, corner.colspan) == (T3_NOTE, 3, 3)
    assert T3_NOTE == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert (applicants.text, applicants.colspan) == ("申请人情况", 7)
    assert [s.text for s in g.head[1]] == ["自然人", "法人或其他组织", "总计"]
    assert [s.text for s in g.head[2]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    outcome = g.body[2][0]
    assert (outcome.text, outcome.rowspan) == ("三、本年度办理结果", 22)  # （一）…（七）总计 in 2021
    assert [g.title for g in grids("2021")] == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_table4_head_hand_checked() -> None:
    g = grids("2021")[2]
    assert [(s.text, s.colspan) for s in g.head[0]] == [("行政复议", 5), ("行政诉讼", 10)]
    assert [s.text for s in g.head[1]][5:] == ["未经复议直接起诉", "复议后起诉"]
    assert len(g.head[2]) == 10


def test_sub_rows_listed_or_nested() -> None:
    listed = grids("2019", SPLIT)[0]
    labels = [row[0].text for row in listed.body if row[0].kind == "label"]
    assert "其中：行政检查" in labels and "其他对外管理服务事项" in labels
    nested = grids("2019", SPLIT, nested=True)[0]
    first = next(row for row in nested.body if row[0].text == "其他对外管理服务事项")
    assert (first[0].rowspan, first[1].text, first[2].path) == (2, "行政检查", f"{ITEMS}.0.prev_items")
    assert split_item(f"{ITEMS}.1.decisions") == (1, "decisions")
    assert split_item("table2.licensing.decisions") is None


def _spans(rows) -> list[list[tuple[int, int]]]:
    """(colspan, rowspan) of each slot or cell."""
    return [[(c.colspan, c.rowspan) for c in row] for row in rows]


@pytest.mark.parametrize("name", ["2021", "2019"])
def test_docx_and_synth_draw_the_same_grid(name: str) -> None:
    ed = T.edition(name)
    items = [{"name": n, **{c.key: i for c in T.EDITION_2019.t2_row(T.SPLIT_ROW).columns}} for i, n in enumerate(SPLIT)]
    cells = {p: Value(i) for i, p in enumerate(T.cell_paths(ed))}
    report = Report(Source("a.txt", "0", "txt"), edition=name, cells=cells, split_items=items if name == "2019" else [])
    drawn = layouts(report)
    split = SPLIT if name == "2019" else ()
    for g in grids(name, split, nested=True):
        assert [[(cs, rs) for _, cs, rs in row] for row in drawn[g.key]] == _spans(g.rows)
        synth = grid_for(g.key, ed, items if split else None, lambda p, v=None: "", Style())
        assert _spans(synth) == _spans(g.rows)
    # the DOCX writer prints the report's numbers in the number slots
    assert drawn["table4"][-1] == [(str(cells[p].value), 1, 1) for p in T.t4_paths()]
