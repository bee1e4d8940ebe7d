"""The Markdown conversions in ../shared/real (when present): every graded cell as
its expected file says, and no structural error. Measured against, never copied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nianbao.check import check_report
from nianbao.pipeline import process

REAL = Path(__file__).resolve().parents[3] / "shared" / "real"
NAMES = ("shuyang_2025.txt", "shanghai_kewei_2024.md")


def _flat(node: object, prefix: str) -> dict[str, object]:
    if not isinstance(node, dict):
        return {prefix: node}
    return {k: v for key, sub in node.items() for k, v in _flat(sub, f"{prefix}.{key}").items()}


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is not here")
@pytest.mark.parametrize("name", NAMES)
def test_real_conversion(name: str) -> None:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{name} is not here")
    want = json.loads((REAL / (path.stem + ".expected.json")).read_text(encoding="utf-8"))
    report = process(path).report
    for table in ("table2", "table3", "table4"):
        for cell, value in _flat(want[table], table).items():
            assert report.value(cell) == value, cell
    assert report.edition == want["edition"]
    structural = {"SECTION-MISSING", "TABLE-MISSING"}
    assert [d for d in check_report(report) if d.rule in structural and d.severity == "error"] == []
