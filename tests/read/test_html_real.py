"""The saved government pages in ../shared/real (when present): every graded cell, the
metadata and the 信息处理费 figures as their expected files say, and no error the file does
not call for. Measured against, never copied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nianbao.check import check_report
from nianbao.pipeline import process

REAL = Path(__file__).resolve().parents[3] / "shared" / "real"
PAGES = sorted(REAL.glob("*.html")) if REAL.is_dir() else []


def _flat(node: object, prefix: str) -> dict[str, object]:
    if not isinstance(node, dict):
        return {prefix: node}
    return {k: v for key, sub in node.items() for k, v in _flat(sub, f"{prefix}.{key}").items()}


@pytest.mark.skipif(not PAGES, reason="../shared/real is not here")
@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_saved_page(path: Path) -> None:
    want = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    report = process(path).report
    for table in ("table2", "table3", "table4"):
        for cell, value in _flat(want[table], table).items():
            assert report.value(cell) == value, cell
    assert (report.year, report.edition) == (want["year"], want["edition"])
    names = [want["agency"], *want.get("agency_aliases", [])]
    assert report.agency and any(n in report.agency for n in names), report.agency
    fees = report.fees
    assert (fees.notices, fees.notice_amount_yuan, fees.collected_yuan) == tuple(
        want["fees_info"][k] for k in ("notices", "notice_amount_yuan", "collected_yuan")
    )
    allowed = {r for rule in want.get("rules_required", []) for r in ([rule] if isinstance(rule, str) else rule)}
    assert [d.message for d in check_report(report) if d.severity == "error" and d.rule not in allowed] == []
