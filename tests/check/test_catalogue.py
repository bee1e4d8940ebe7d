"""The catalogue is complete and documented: every rule of spec/rules.md exists with its
severity, has a pass and a fail case, a 反例/正例 docstring, and docs/rules.md is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from nianbao.check import RULES, catalogue, check_report
from nianbao.check.registry import ORDER
from nianbao.render.rules_doc import rules_markdown, rules_text
from tests.builders import case_report

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO.parent / "shared" / "spec" / "rules.md"
CASES = Path(__file__).parent / "cases"
ROW = re.compile(r"^\| `([A-Z0-9-]+)` \| ([a-z /]+) \|", re.M)


def spec_rules() -> list[tuple[str, str]]:
    if not SPEC.is_file():
        pytest.skip("../shared/spec/rules.md is absent")
    return ROW.findall(SPEC.read_text(encoding="utf-8"))


def test_every_spec_rule_is_implemented_in_spec_order() -> None:
    spec = spec_rules()
    assert [i for i, _ in spec] == list(ORDER)
    assert [r.id for r in catalogue()] == list(ORDER)


def test_severities_match_the_spec() -> None:
    for rid, sev in spec_rules():
        assert RULES[rid].severity == sev.split(" / ")[0], rid


@pytest.mark.parametrize("rid", ORDER)
def test_rule_has_pass_and_fail_cases(rid: str) -> None:
    f = CASES / f"{rid}.yaml"
    assert f.is_file(), f"missing {f}"
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    assert data["rule"] == rid
    names = list(data["cases"])
    assert any(n.startswith("pass_") for n in names), rid
    assert any(n.startswith("fail_") for n in names), rid
    assert all(n.startswith(("pass_", "fail_")) for n in names), names


@pytest.mark.parametrize("rid", ORDER)
def test_rule_docstring_has_summary_counter_example_and_example(rid: str) -> None:
    r = RULES[rid]
    doc = r.doc
    assert doc and not doc.splitlines()[0].startswith(("反例", "正例")), rid
    assert re.search(r"[\u4e00-\u9fff]", r.summary), rid
    assert "反例：" in doc and "正例：" in doc and doc.index("反例：") < doc.index("正例："), rid
    assert r.doc_part("反例：") and r.doc_part("正例："), rid


def test_docs_page_is_current() -> None:
    page = REPO / "docs" / "rules.md"
    assert page.read_text(encoding="utf-8") == rules_markdown(), "run: python -m nianbao.render.rules_doc"


def test_rules_text_lists_every_rule() -> None:
    text = rules_text()
    for rid in ORDER:
        assert f"{rid}  [" in text


def test_consistent_report_gives_nothing() -> None:
    assert check_report(case_report()) == []
    assert check_report(case_report({"edition": "2019", "year": 2020})) == []
