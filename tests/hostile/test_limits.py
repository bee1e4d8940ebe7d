"""The settings object and the budget it gives each file read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.limits import Budget, Limits, default
from nianbao.model import ReportError
from nianbao.read import file_bytes, read_bytes
from tests.hostile import hostile_make as make


def test_parse_changes_only_what_is_named() -> None:
    lim = Limits.parse("file_mb=500, ocr_seconds=30.5,text_cells=7")
    assert (lim.file_mb, lim.ocr_seconds, lim.text_cells) == (500, 30.5, 7)
    assert lim.zip_member_mb == Limits().zip_member_mb
    with pytest.raises(ValueError, match="unknown limit"):
        Limits.parse("nonsense=1")
    for bad in ("ocr_pages=0", "file_mb=inf", "file_mb=nan", "file_mb=lots"):
        with pytest.raises(ValueError):
            Limits.parse(bad)


def test_environment_raises_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_LIMITS", "text_cells=200000")
    assert default().text_cells == 200_000
    monkeypatch.setenv("NIANBAO_LIMITS", "file_mb=-1")
    with pytest.raises(ReportError, match="NIANBAO_LIMITS"):
        default()


def test_a_raised_limit_lets_the_file_through() -> None:
    text = make.report_text().encode()
    cells = text.count(b"|") + text.count(b"\t")
    with pytest.raises(ReportError, match="text_cells"):
        read_bytes(text, "r.txt", Limits(text_cells=cells - 1))
    assert read_bytes(text, "r.txt", Limits(text_cells=cells)).blocks


def test_budget_counts_every_frame_and_page() -> None:
    b = Budget(Limits(image_pixels=100, total_pixels=250, ocr_pages=2))
    b.image(10, 10)
    b.image(10, 10)
    with pytest.raises(ReportError, match="total_pixels"):
        b.image(10, 10)
    with pytest.raises(ReportError, match="image_pixels"):
        Budget(Limits(image_pixels=100)).image(11, 10)
    b.ocr_page()
    b.ocr_page()
    with pytest.raises(ReportError, match="ocr_pages"):
        b.ocr_page()


def test_understated_member_stops_at_its_declared_size() -> None:
    data = make.understated("docx", real=64 * make.MB)
    with pytest.raises(ReportError, match="声明"):
        read_bytes(data, "x.docx")


@pytest.mark.parametrize("spelling", sorted(make.MERGE_SPELLINGS.values()))
def test_merged_range_seen_in_any_spelling(spelling: str) -> None:
    with pytest.raises(ReportError, match="合并单元格"):
        read_bytes(make.xlsx(make.merged_sheet(spelling)), "x.xlsx")


def test_merged_range_seen_wherever_the_sheet_is_and_however_encoded() -> None:
    ref = make.MERGE_SPELLINGS["spaces"]
    for data in (make.moved_sheet(make.xlsx(make.merged_sheet(ref))), make.xlsx(make.utf16_sheet(ref))):
        with pytest.raises(ReportError, match="合并单元格"):
            read_bytes(data, "x.xlsx")


def test_corrupt_sheet_is_one_clear_line() -> None:
    with pytest.raises(ReportError, match="文件已损坏：XLSX 中的 xl/worksheets/sheet1.xml"):
        read_bytes(make.corrupt_sheet(), "x.xlsx")


def test_a_file_is_read_in_memory_for_its_size_not_for_the_limit(tmp_path: Path) -> None:
    """Reading took file_mb (200 MB) of address space first, whatever the file's size: a worker
    under --memory-mb 256 with a few MB in use refused an 8 KB text file as over its memory."""
    f = tmp_path / "a.txt"
    f.write_bytes(b"x" * 8000)
    code = (
        "import resource, sys; from nianbao.read import file_bytes; "
        "resource.setrlimit(resource.RLIMIT_AS, (160 << 20, 160 << 20)); print(len(file_bytes(sys.argv[1])))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "8000", out.stderr[-2000:]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_file_longer_than_its_size_said_is_read_to_its_end() -> None:
    """A file that grows while it is read (or says size 0, as /proc's do) is read to its end, up to the limit."""
    assert b"Name:" in file_bytes("/proc/self/status")
