"""The five seed reports give what spec/rules.md lists under "What the five seeds must
give", and no error. Skips when ../shared is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.check import check_across, check_report
from nianbao.pipeline import process

SEEDS = Path(__file__).parents[2] / "../shared/seeds"

# (rule, severity) of every finding, in catalogue order. 004 also prints "2、 主动公开政府信息情况"
# (line 19), so it gets HEADING-NUMBERING too, although rules.md lists only LABEL-VARIANT for it.
EXPECTED = {
    "000": [("HEADING-NUMBERING", "info"), ("HEADING-NUMBERING", "info"), ("FEE-STATEMENT", "warning")],
    "001": [("TABLE-AMBIGUOUS", "warning")],
    "002": [("HEADING-NUMBERING", "info"), ("TEXT-TABLE", "info")],
    "003": [("VALUE-AMBIGUOUS", "warning"), ("EDITION-YEAR", "warning"), ("FEE-STATEMENT", "warning")],
    "004": [("HEADING-NUMBERING", "info"), ("LABEL-VARIANT", "info")],
}
FEES = {"001": (2, 6400, 0), "002": (1, 140, 140), "004": (0, 0, 0)}


def seed(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip("../shared/seeds is absent")
    return found[0]


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_gives_what_rules_md_lists(prefix: str) -> None:
    found = check_report(process(seed(prefix)).report)
    assert [(d.rule, d.severity) for d in found] == EXPECTED[prefix], [d.message for d in found]


def test_seed_messages_say_what_rules_md_says() -> None:
    msgs = {p: " ".join(d.message for d in check_report(process(seed(p)).report)) for p in EXPECTED}
    assert "“2、”应为“二、”" in msgs["000"] and "“（4）”应为“（四）”" in msgs["000"]
    assert "行政事业性收费" in msgs["000"]
    assert "读法一" in msgs["001"] and "读法二" in msgs["001"]
    assert "148=（七）总计185−二、上年结转37" in msgs["002"]
    assert "2019年试行格式" in msgs["003"] and "“491,5000”，读作491.5" in msgs["003"]
    assert "（二）部分公开" in msgs["004"]


@pytest.mark.parametrize("prefix", sorted(FEES))
def test_seed_fee_statement_present(prefix: str) -> None:
    f = process(seed(prefix)).report.fees
    assert (f.notices, f.notice_amount_yuan, f.collected_yuan) == FEES[prefix]


def test_seeds_together_give_no_cross_finding() -> None:
    reports = [process(seed(p)).report for p in sorted(EXPECTED)]
    assert check_across(reports) == []
