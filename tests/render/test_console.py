"""render/console.py: the plain text written without Rich when standard output is no terminal is
byte for byte what Rich writes to a file 160 columns wide — also with TABs in a section's text,
and with what only Rich may render (markup brackets, lines it wraps), which Rich
writes, piece by piece."""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from nianbao.check.length import chars
from nianbao.pipeline import process
from nianbao.render import console

REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports"


def _rich(report) -> str:  # noqa: ANN001
    buf = io.StringIO()
    console.print_report(report, Console(file=buf, width=160, highlight=False, soft_wrap=False, emoji=False))
    return buf.getvalue()


def _piped(report, monkeypatch) -> str:  # noqa: ANN001
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    console.print_report(report)
    out.flush()
    return raw.getvalue().decode("utf-8")


@pytest.mark.parametrize("name", sorted(p.name for p in REPORTS.iterdir()))
def test_plain_text_is_what_rich_writes(name: str, monkeypatch) -> None:
    report = process((REPORTS / name).read_bytes(), name).report
    assert _piped(report, monkeypatch) == _rich(report)


def _written_here(piece: str | console.Grid) -> bool:
    if isinstance(piece, console.Grid):
        return console._plain_grid(piece, cell_len) is not None
    return console._plain_line(piece, cell_len) is not None


def test_a_report_is_written_without_rich() -> None:
    report = process((REPORTS / "xiji-zhen-2023-gb18030.txt").read_bytes(), "xiji.txt").report
    assert all(_written_here(p) for p in console._pieces(report))


@pytest.mark.parametrize(
    "text", ["行政复议\t行政诉讼\t合计", "复议\u200d\t合计", "见[附件1]", "共 3 件:ok:", "很长" * 90, "注" * 79]
)
def test_lines_rich_would_change_read_the_same(text: str, monkeypatch) -> None:
    report = process((REPORTS / "xiji-zhen-2023-gb18030.txt").read_bytes(), "xiji.txt").report
    report.sections["review"] = replace(report.sections["review"], text=text)
    report.notes.append(text)
    assert _piped(report, monkeypatch) == _rich(report)


def test_a_long_file_name_is_wrapped_by_rich(monkeypatch) -> None:
    report = process((REPORTS / "xiji-zhen-2023-gb18030.txt").read_bytes(), "目录/" * 40 + "x.txt").report
    pieces = console._pieces(report)
    assert not _written_here(pieces[1]) and all(_written_here(p) for p in pieces[2:])
    assert _piped(report, monkeypatch) == _rich(report)


def test_rich_decides_when_told_the_output_is_a_terminal(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert console.plain_stdout()
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not console.plain_stdout()


@pytest.mark.parametrize(
    "text", ["[/x]见[red]附件", "[bold]", "共 3 件:ok:", "目录\\", "双\\\\", "a\\[b]c", "\\[/yellow]"]
)
def test_the_reports_text_is_printed_as_it_is(text: str, monkeypatch) -> None:
    report = process((REPORTS / "xicheng-chengzhi-2021-2019ed-tab.txt").read_bytes(), text).report
    report = replace(report, agency=text, region=text, published=text)
    report.sections["review"] = replace(report.sections["review"], text=text)
    report.notes.append(text)
    report.split_items.append({"name": text})
    piped = _piped(report, monkeypatch)
    assert piped == _rich(report)
    lines = piped.splitlines()
    assert lines[0].startswith(f"{text}  ") and lines[1].startswith(f"文件：{text}（")
    assert f"：{chars(text)}字  {text}…" in piped
    assert f"注：{text}\n" in piped
    assert f"│   {text} " in piped


@pytest.mark.parametrize(
    "name", ["  \ufeff\u200b*/\xa0", "  \xad\u2060\xad·_\u200b]\u3000", "  事项\u200d", "  \u200d"]
)
def test_a_cell_ending_in_a_space_or_joiner(name: str) -> None:
    grid = console.Grid("二、主动公开", ["信息内容", "件数"], [[name, "1"]])
    assert console._plain(grid) == console._by_rich(grid)
