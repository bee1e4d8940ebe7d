"""An XLSX export past Excel's last row (``render.workbook.MAX_ROWS``, lowered here so a few
reports reach it): every row is kept, going on in ``title (2)``, … under the same headers, and the
sheet 说明, which the workbook opens on, says so. Read back with openpyxl."""

from __future__ import annotations

import io

import openpyxl
import pytest

from nianbao.render import workbook
from nianbao.store.db import Store, connect
from nianbao.store.exports import stream
from tests.builders import numbered_report
from tests.store.store_helpers import findings

SHEETS = ["报告", "表二 主动公开", "表三 申请办理", "表四 复议诉讼", "问题"]
DEPTHS = {"报告": 1, "表二 主动公开": 3, "表三 申请办理": 4, "表四 复议诉讼": 3, "问题": 1}


def export(engine) -> openpyxl.Workbook:  # noqa: ANN001
    return openpyxl.load_workbook(io.BytesIO(b"".join(stream(engine, "xlsx"))))


def head(ws, depth: int) -> list[tuple]:  # noqa: ANN001
    return [tuple(c.value for c in row) for row in ws.iter_rows(max_row=depth)]


def body(ws, depth: int) -> list[tuple]:  # noqa: ANN001
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=depth + 1)]


def test_rows_past_the_last_go_on_in_a_next_sheet_and_the_workbook_says_so(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = connect(db_url)
    store = Store(engine)
    for seed in range(1, 6):
        report = numbered_report(agency=f"某县{seed}局", seed=seed)
        store.save(report, findings(report))  # two findings each: ten rows of 问题
    whole = export(engine)
    assert whole.sheetnames == SHEETS  # under the limit: as ever, no 说明

    monkeypatch.setattr(workbook, "MAX_ROWS", 6)  # 5 rows of 报告 and 问题, 2 of 表三, 3 of 表二, 表四
    split = export(engine)
    assert (
        split.sheetnames
        == [  # in the order they were begun
            *SHEETS[:4],
            "表三 申请办理 (2)",  # at the third report
            "表二 主动公开 (2)",
            "表四 复议诉讼 (2)",
            "表三 申请办理 (3)",
            "问题",
            "问题 (2)",
            "说明",
        ]
    )
    for title in SHEETS:
        depth = DEPTHS[title]
        parts = [split[t] for t in split.sheetnames if t == title or t.startswith(f"{title} (")]
        assert all(ws.max_row <= 6 for ws in parts)
        assert [r for ws in parts for r in body(ws, depth)] == body(whole[title], depth)  # none lost
        for ws in parts:  # each part as ready to read as the first: headers, frozen, filtered
            assert head(ws, depth) == head(whole[title], depth)
            assert sorted(map(str, ws.merged_cells.ranges)) == sorted(map(str, whole[title].merged_cells.ranges))
            assert ws.freeze_panes == f"C{depth + 1}"
            assert ws.auto_filter.ref.startswith(f"A{depth}:") and ws.auto_filter.ref.endswith(str(ws.max_row))
    notes = split["说明"]
    assert split.active.title == "说明"
    lines = [row[0] for row in notes.iter_rows(values_only=True)]
    assert lines[0].startswith("「表二 主动公开」共 5 行，超过 Excel 每张工作表 6 行")
    assert "「表三 申请办理 (3)」1 行" in lines[1]
    assert lines[-2].startswith("「问题」共 10 行") and "「问题 (2)」5 行" in lines[-2]
    assert "CSV" in lines[-1] and "JSON Lines" in lines[-1]
