"""pipeline.process: one file through read → extract → check, from its path or its bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.check import check_report
from nianbao.model import ReportError
from nianbao.pipeline import process
from nianbao.render.json import report_from_json, report_json

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reports"


def test_a_path_and_its_bytes_give_the_same_report_and_findings() -> None:
    path = FIXTURES / "songzhuang-zhen-2023-tab.txt"
    by_path, by_bytes = process(path), process(path.read_bytes(), str(path))
    assert by_path.report == by_bytes.report and by_path.report.source.file == str(path)
    assert by_path.findings == by_bytes.findings == check_report(by_path.report)
    assert by_path.document.source == by_path.report.source
    assert by_path.report.value("table3.new_received.total") is not None


def test_a_text_file_keeps_its_own_lines_for_the_source_panel() -> None:
    path = FIXTURES / "songzhuang-zhen-2024-pipe.txt"
    assert process(path).source() == {"lines": path.read_text("utf-8").splitlines()}


def test_other_formats_keep_the_readers_paragraphs_and_table_grids() -> None:
    done = process(FIXTURES / "xuhui-scjgj-2024.html")
    blocks = done.source()["blocks"]
    assert len(blocks) == len(done.document.blocks)
    tables = [b for b in blocks if b["kind"] == "table"]
    assert tables and all("bbox" not in c["location"] for t in tables for r in t["rows"] for c in r)
    where = done.report.cells["table3.new_received.total"].location
    cells = [c for t in tables for r in t["rows"] for c in r if c["location"] == where.as_dict()]
    assert [c["text"].strip() for c in cells] == [done.report.cells["table3.new_received.total"].raw]


@pytest.mark.parametrize(
    "name", ["dalong-xiang-2021-cell-bar.txt", "xuhui-scjgj-2024.html", "xicheng-qu-2024-markdown.md"]
)
def test_the_full_json_gives_the_report_back(name: str) -> None:
    report = process(FIXTURES / name).report
    assert report_from_json(report_json(report, full=True)) == report


def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="文件为空"):
        process(b"  ", "empty.txt")
    with pytest.raises(ReportError, match="文件不存在"):
        process(tmp_path / "missing.txt")
