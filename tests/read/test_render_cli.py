"""`nianbao render FILE --to docx -o OUT.docx`: a report rewritten in the official layout."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.pipeline import process
from nianbao.synth import synth_cells, synth_report_text
from nianbao.template import cell_paths, edition


def test_render_text_report_to_docx(tmp_path: Path) -> None:
    rng = random.Random(7)
    cells = synth_cells(rng, "2021")
    src = tmp_path / "report.txt"
    src.write_text(synth_report_text(cells, "2021", "tab", "某某区人民政府", 2024, rng), encoding="utf-8")
    out = tmp_path / "official.docx"
    result = CliRunner().invoke(app, ["render", str(src), "--to", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    back = process(out).report
    assert back.source.format == "docx"
    assert {p: back.value(p) for p in cell_paths(edition("2021"))} == cells


def test_render_unreadable_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = CliRunner().invoke(app, ["render", str(bad), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 2
    assert "bad.docx" in result.output and "损坏" in result.output
    assert not (tmp_path / "x.docx").exists()


def _ambiguous_table4(folder: Path) -> Path:
    """A Markdown report whose 表四 row prints 5 blanks then 10 numbers: read either way, left blank."""
    rng = random.Random(7)
    cells = {p: None if p.startswith("table4.review.") else v for p, v in synth_cells(rng, "2021").items()}
    src = folder / "report.md"
    src.write_text(synth_report_text(cells, "2021", "markdown", "某某区人民政府", 2024, rng), encoding="utf-8")
    return src


def test_render_names_the_cells_it_leaves_blank(tmp_path: Path) -> None:
    """A report read with cells left blank (two readings of 表四) is written, the blanks named
    with where and why, and the exit code says so (1)."""
    src, out = _ambiguous_table4(tmp_path), tmp_path / "official.docx"
    assert "TABLE-AMBIGUOUS" in {f.rule for f in process(src).findings}
    result = CliRunner().invoke(app, ["render", str(src), "--to", "docx", "-o", str(out)])
    assert result.exit_code == 1, result.output
    warned = [line for line in result.output.splitlines() if "警告" in line]
    assert len(warned) == 1, result.output
    assert "表四15格留空" in warned[0] and "不止一种读法" in warned[0] and "TABLE-AMBIGUOUS" in warned[0]
    assert "行" in warned[0].split("原报告")[1]  # where in the report
    assert "已按官方格式写出" in result.output and "留空" in result.output.splitlines()[-1]
    back = process(out).report
    assert all(back.value(p) is None for p in cell_paths(edition("2021")) if p.startswith("table4."))


def test_render_of_the_seed_with_an_ambiguous_table4_says_so(tmp_path: Path) -> None:
    seed = Path(__file__).parents[2].parent / "shared" / "seeds" / "001_b74bd164639ed1bc.txt"
    if not seed.exists():
        pytest.skip("../shared/seeds absent")
    result = CliRunner().invoke(app, ["render", str(seed), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 1 and "表四15格留空" in result.output, result.output
