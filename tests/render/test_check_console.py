"""render/check_console.py: the findings written without Rich when standard output is no terminal
are byte for byte what Rich writes to a file 160 columns wide — for every fixture report, several
at once (cross-report findings), and for what only Rich may render (markup brackets,
TABs, control characters, long lines), which Rich writes."""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from nianbao.check import Checked, check_across, unreadable
from nianbao.model import Diagnostic, Location
from nianbao.pipeline import process
from nianbao.render.check_console import print_check

REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports"


def _checked(name: str) -> Checked:
    done = process((REPORTS / name).read_bytes(), name)
    return Checked(name, done.report, done.findings)


def _rich(results: list[Checked], cross: list[Diagnostic]) -> str:
    buf = io.StringIO()
    print_check(results, cross, Console(file=buf, width=160, highlight=False, soft_wrap=False, emoji=False))
    return buf.getvalue()


def _piped(results: list[Checked], cross: list[Diagnostic], monkeypatch: pytest.MonkeyPatch) -> str:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    print_check(results, cross)
    out.flush()
    return raw.getvalue().decode("utf-8")


@pytest.mark.parametrize("name", sorted(p.name for p in REPORTS.iterdir()))
def test_plain_findings_are_what_rich_writes(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    results = [_checked(name)]
    assert _piped(results, [], monkeypatch) == _rich(results, [])


def test_several_reports_and_their_cross_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    names = sorted(p.name for p in REPORTS.iterdir())
    results = [_checked(n) for n in names] + [_checked(names[0])]
    results.append(Checked("missing.txt", None, [unreadable("missing.txt", "文件不存在")]))
    cross = check_across([c.report for c in results if c.report is not None])
    assert cross
    assert _piped(results, cross, monkeypatch) == _rich(results, cross)


@pytest.mark.parametrize(
    "text",
    [
        "见[附件1]",
        "[bold]不是标记",
        "共 3 件:ok:",
        "行政复议\t合计",
        "控制\x07字符",
        "很长" * 90,
        "末尾\\",
        "a[b",
        "[/red]",
    ],
)
def test_what_rich_would_change_reads_the_same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    odd = Diagnostic("CELL-BLANK", "warning", text, file=text, location=Location(line=3))
    results = [Checked(text, None, [odd]), Checked("目录/" * 50 + text, None, [replace(odd, message="短")])]
    assert _piped(results, [odd], monkeypatch) == _rich(results, [odd])
