"""`nianbao render FILE --to docx -o OUT.docx`: a report rewritten in the official layout."""

from __future__ import annotations

import random
from pathlib import Path

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
