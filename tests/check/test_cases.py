"""Runs every case of tests/check/cases/<RULE-ID>.yaml: build the report(s), check, compare.

A case: ``input`` (one report, see tests/builders.py:case_report) or ``reports`` (a list, for the
cross-report rules), and ``expect``: the findings of the file's rule (or of the rules
named in the case's ``rules``), each ``{rule, cells?, severity?, message?}`` — ``cells``
exact, ``message`` a fragment the message must contain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from nianbao.check import check_across, check_report
from nianbao.render.check_json import diagnostic_json
from tests.builders import case_report

CASES = Path(__file__).parent / "cases"


def load_cases() -> list[tuple[str, str, dict]]:
    out = []
    for f in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for name, case in data["cases"].items():
            out.append((data["rule"], name, case))
    return out


ALL = load_cases()


@pytest.mark.parametrize(("rule", "name", "case"), ALL, ids=[f"{r}:{n}" for r, n, _ in ALL])
def test_case(rule: str, name: str, case: dict) -> None:
    if "reports" in case:
        found = check_across([case_report(s) for s in case["reports"]])
    else:
        found = check_report(case_report(case.get("input")))
    scope = set(case.get("rules", [rule]))
    found = [d for d in found if d.rule in scope]
    expect = case.get("expect") or []
    unmatched = list(found)
    for e in expect:
        hit = next((d for d in unmatched if _matches(d, e)), None)
        assert hit is not None, f"expected {e}, found {[(d.rule, d.cells, d.message) for d in found]}"
        unmatched.remove(hit)
    assert not unmatched, f"unexpected {[(d.rule, d.cells, d.message) for d in unmatched]}"
    json.dumps([diagnostic_json(d, cross="reports" in case) for d in found], ensure_ascii=False)  # JSON-able
    if name.startswith("pass_"):
        assert not any(d.severity in ("error", "warning") for d in found if d.rule == rule)


def _matches(d, e: dict) -> bool:
    return (
        d.rule == e["rule"]
        and ("cells" not in e or list(d.cells) == e["cells"])
        and ("severity" not in e or d.severity == e["severity"])
        and ("message" not in e or e["message"] in d.message)
    )
