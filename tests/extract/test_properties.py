"""Robustness: whatever the bytes, reading either gives a Report or raises
ReportError with a one-line message; the CLI exits 0 or 2 with one line on
stderr and never a traceback."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.model import Report, ReportError
from nianbao.synth import LAYOUTS, NUMBERINGS, synth_cells, synth_fees, synth_report_html, synth_report_text

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
LABELS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "\t行政许可",
    "\t0",
    "| 规章 | 1 | 2 |",
    "（七）总计",
    "\t",
    "",
    "2024年",
]


def _report(seed: int, layout: str | None = None) -> str:
    rng = random.Random(seed)
    ed = rng.choice(("2021", "2019"))
    cells = synth_cells(rng, ed)
    layout = layout or rng.choice(LAYOUTS + ("html",))
    if layout == "html":
        return synth_report_html(cells, ed, "某市某区某局", 2023, rng)
    return synth_report_text(cells, ed, layout, "某市某区某局", 2023, rng)


def _read(data: bytes, name: str) -> None:
    from nianbao.pipeline import process

    try:
        out = process(data, name).report
    except ReportError as e:
        msg = str(e)
        assert msg and "\n" not in msg, repr(msg)
        return
    assert isinstance(out, Report)


@FAST
@given(st.text(max_size=3000))
def test_random_text(text: str) -> None:
    _read(text.encode("utf-8", "surrogatepass"), "x.txt")


@FAST
@given(st.lists(st.sampled_from(LABELS) | st.text(max_size=20), max_size=200))
def test_report_like_lines(lines: list[str]) -> None:
    _read("\n".join(lines).encode(), "x.txt")


@FAST
@given(st.binary(max_size=4000), st.sampled_from(["x.txt", "x.html", "x.md", "x", "x.pdf", "x.docx"]))
def test_random_bytes(data: bytes, name: str) -> None:
    _read(data, name)


@FAST
@given(st.integers(0, 10_000), st.floats(0, 1))
def test_truncated_reports(seed: int, cut: float) -> None:
    data = _report(seed).encode("utf-8")
    _read(data[: int(len(data) * cut)], "cut.html" if data.startswith(b"<!DOCTYPE") else "cut.txt")


@FAST
@given(st.integers(0, 10_000), st.randoms(use_true_random=False))
def test_shuffled_lines(seed: int, rnd: random.Random) -> None:
    lines = _report(seed, rnd.choice(LAYOUTS)).splitlines()
    rnd.shuffle(lines)
    _read("\n".join(lines).encode("utf-8"), "shuffled.txt")


@FAST
@given(st.integers(0, 10_000), st.lists(st.integers(0, 10**9), max_size=20), st.binary(min_size=1, max_size=8))
def test_corrupted_reports(seed: int, spots: list[int], junk: bytes) -> None:
    data = bytearray(_report(seed).encode("gb18030"))
    for s in spots:
        data[s % len(data)] = junk[s % len(junk)]
    _read(bytes(data), "corrupt.txt")


# ----------------------------------------------------------------- the CLI --


@pytest.fixture(scope="module")
def cli():
    from typer.testing import CliRunner

    from nianbao.cli import app

    return CliRunner(), app


def _check_cli(cli, tmp_path, data: bytes, name: str, fmt: str) -> None:
    runner, app = cli
    path = tmp_path / name
    path.write_bytes(data)
    result = runner.invoke(app, ["parse", str(path), "--format", fmt])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert name in lines[0]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000) | st.text(max_size=1000).map(str.encode), st.sampled_from(["json", "text"]))
def test_cli_random_input(cli, tmp_path, data: bytes, fmt: str) -> None:
    _check_cli(cli, tmp_path, data, "input.txt", fmt)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 10_000), st.floats(0, 1), st.sampled_from(["json", "text"]))
def test_cli_truncated_report(cli, tmp_path, seed: int, cut: float, fmt: str) -> None:
    data = _report(seed).encode("utf-8")
    _check_cli(cli, tmp_path, data[: int(len(data) * cut)], "report.txt", fmt)


def test_cli_empty_and_missing(cli, tmp_path) -> None:
    _check_cli(cli, tmp_path, b"", "empty.txt", "text")
    runner, app = cli
    result = runner.invoke(app, ["parse", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------ round trip --


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 10**6),
    st.sampled_from(LAYOUTS + ("html",)),
    st.sampled_from(["2021", "2019"]),
    st.fixed_dictionaries(
        {
            "noise": st.booleans(),
            "thousands": st.booleans(),
            "fullwidth": st.booleans(),
            "traditional": st.booleans(),
            "numbering": st.sampled_from(NUMBERINGS),
            "long_headings": st.booleans(),
        }
    ),
    st.booleans(),
)
def test_synthetic_report_reads_back_exactly(seed: int, layout: str, ed: str, options: dict, page_break: bool) -> None:
    """Any generated report, in any layout and with any option, reads back to the values it was made from."""
    from nianbao.pipeline import process

    rng = random.Random(seed)
    cells = synth_cells(rng, ed)
    fees = synth_fees(rng)
    if layout == "html":
        data, name = synth_report_html(cells, ed, "某市某区某局", 2023, rng, fees=fees, **options), "r.html"
    else:
        brk = page_break and layout != "markdown"  # Markdown has its own page break
        text = synth_report_text(cells, ed, layout, "某市某区某局", 2023, rng, fees=fees, page_break=brk, **options)
        data, name = text, "r.txt"
    report = process(data.encode("utf-8"), name).report
    wrong = {p: (v, report.value(p)) for p, v in cells.items() if report.value(p) != v}
    assert not wrong, wrong
    assert (report.year, report.edition) == (2023, ed)
    assert (report.fees.notices, report.fees.notice_amount_yuan, report.fees.collected_yuan) == (
        fees["notices"],
        fees["notice_amount_yuan"],
        fees["collected_yuan"],
    )


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from(LAYOUTS + ("html",)), st.sampled_from(["2021", "2019"]))
def test_blank_marks_read_as_null(seed: int, layout: str, ed: str) -> None:
    """Cells printed as "/" (or left empty in a web page, where positions are exact) read as null,
    and only those: the mark holds the cell's place, so the rest of the row is still read."""
    from nianbao.pipeline import process

    rng = random.Random(seed)
    cells = synth_cells(rng, ed)
    for path in rng.sample(sorted(cells), 4):
        cells[path] = None
    if layout == "html":
        data, name = synth_report_html(cells, ed, "某市某区某局", 2023, rng), "r.html"
    else:
        data, name = synth_report_text(cells, ed, layout, "某市某区某局", 2023, rng, slash=True), "r.txt"
    report = process(data.encode("utf-8"), name).report
    wrong = {p: (v, report.value(p)) for p, v in cells.items() if report.value(p) != v}
    assert not wrong, wrong


def test_cli_bad_file_among_good_ones(cli, tmp_path) -> None:
    """An unreadable file is named on stderr; the other files are still processed."""
    runner, app = cli
    good = tmp_path / "good.txt"
    good.write_text(_report(3, "tab"), encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\xff" * 300)
    result = runner.invoke(app, ["parse", str(bad), str(good), "--format", "json"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.txt" in lines[0] and "Traceback" not in result.stderr
    out = json.loads(result.stdout)
    reports = out if isinstance(out, list) else [out]
    good_out = [r for r in reports if r["file"].endswith("good.txt")]
    assert len(good_out) == 1 and "error" not in good_out[0] and "table3" in good_out[0]
    assert all("error" in r for r in reports if r["file"].endswith("bad.txt"))
