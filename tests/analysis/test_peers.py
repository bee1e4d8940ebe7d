"""Peer groups, percentiles, ranks and 异常波动 over tests/analysis/compare_data.py; the
expected quartiles, ranks and fences are computed by hand in the tests."""

from __future__ import annotations

import pytest

from nianbao.analysis import groups
from nianbao.analysis.peers import jumps, peers, percentile, rank
from nianbao.store.db import connect
from tests.analysis.compare_data import GOV, A, B, C, D, E, fill


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    url = f"sqlite:///{tmp_path_factory.mktemp('peers') / 'store.db'}"
    fill(url)
    return connect(url)


def test_percentile_and_rank_by_hand() -> None:
    assert percentile([4, 1, 3, 2], 0.25) == 1.75  # position 0.75 between 1 and 2
    assert percentile([4, 1, 3, 2], 0.5) == 2.5
    assert percentile([10], 0.75) == 10 and percentile([], 0.5) is None
    assert rank(0.5, [0.25, 0.5, 0.5, 0.8, 0.9]) == 3  # two higher; ties share the rank
    assert rank(0.9, [0.25, 0.9]) == 1


def test_level_and_kind_from_the_name() -> None:
    rules = groups.DEFAULT_RULES
    assert groups.classify(A, rules) == ("区县", "城管")
    assert groups.classify(GOV, rules) == ("区县", "人民政府")
    assert groups.classify("北京市测试区宋庄镇人民政府", rules) == ("乡镇街道", "人民政府")
    assert groups.classify("北京市审计局", rules) == ("省", "审计")
    assert groups.classify("样例市教育局", rules) == ("市", "教育")
    assert groups.classify("某某协会", rules) == ("层级不明", "其他")
    assert groups.classify("北京市样例区民政局", rules) == ("区县", "民政")
    assert groups.classify("北京市样例区委宣传部", rules) == ("区县", "部门")
    assert groups.classify("北京市样例区新街口街道办事处", rules) == ("乡镇街道", "人民政府")
    own = (groups.Rule("level", "测试区$|测试区城市", "特区"), groups.Rule("kind", "委员会$", "委员会"))
    assert groups.classify(A, own) == ("特区", "委员会")


def test_rules_are_stored_checked_and_reset(tmp_path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 'r.db'}")
    assert groups.load(engine) == groups.DEFAULT_RULES
    saved = groups.save(engine, [groups.Rule(" kind ", "城管|城市管理", " 城管 ")])
    assert saved == (groups.Rule("kind", "城管|城市管理", "城管"),)
    with pytest.raises(groups.RuleError, match="规则维度"):
        groups.save(engine, [groups.Rule("size", "x", "y")])
    with pytest.raises(groups.RuleError, match="不能为空"):
        groups.save(engine, [groups.Rule("kind", " | ", "y")])
    assert groups.load(engine) == saved  # a refused save changes nothing
    assert groups.save(engine, []) == groups.DEFAULT_RULES


def test_standing_in_the_group(engine) -> None:
    p = peers(engine, A, 2024)
    assert (p["level"], p["kind"]) == ("区县", "城管")
    assert sorted(m["agency"] for m in p["members"]) == sorted([A, B, C, D, E])  # not the government
    new = next(m for m in p["metrics"] if m["metric"] == "new_received_total")
    # 2024 新收 of the group: 100 120 140 160 400 → P25 = 120, P50 = 140, P75 = 160; A the highest
    assert (new["value"], new["p25"], new["p50"], new["p75"], new["rank"], new["n"]) == (400, 120, 140, 160, 1, 5)
    rate = next(m for m in p["metrics"] if m["metric"] == "granted_rate")
    # 予以公开率: 0.25 0.5 0.5 0.8 0.9 → P25 = P50 = 0.5, P75 = 0.8; A (0.5) shares the 3rd place with C
    assert (rate["value"], rate["p25"], rate["p50"], rate["p75"], rate["rank"]) == (0.5, 0.5, 0.5, 0.8, 3)
    assert peers(engine, A, 2019) is None


def test_jump_beyond_history_and_group(engine) -> None:
    p = peers(engine, A, 2024)
    jumps = {j["metric"]: j for j in p["jumps"]}
    j = jumps["new_received_total"]
    assert (j["flag"], j["level"], j["before"], j["after"]) == ("异常波动", "info", 130, 400)
    assert j["change"] == pytest.approx(270 / 130)
    # A's own past changes: 2022 (110 − 100) / 100 = 0.1, 2023 (130 − 110) / 110 = 2/11;
    # spread 2/11 − 0.1 → band 0.1 − spread … 2/11 + spread
    spread = 2 / 11 - 0.1
    assert j["own"]["changes"] == pytest.approx([0.1, 2 / 11])
    assert (j["own"]["low"], j["own"]["high"]) == pytest.approx((0.1 - spread, 2 / 11 + spread))
    # the group's changes 2023 → 2024: B 20/80, C 20/100, D 20/120, E 30/130; sorted 1/6, 0.2, 3/13, 0.25
    q1 = 1 / 6 + 0.75 * (0.2 - 1 / 6)
    q3 = 3 / 13 + 0.25 * (0.25 - 3 / 13)
    assert j["group"]["n"] == 4
    assert (j["group"]["low"], j["group"]["high"]) == pytest.approx((q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)))
    assert "granted_rate" not in jumps  # 0.5 every year: its own history explains it
    # B: no history before 2023, and its change (0.25) lies inside the group's fence (with A's 270/130 in it)
    assert "new_received_total" not in {j["metric"] for j in peers(engine, B, 2024)["jumps"]}


def test_jumps_of_every_year(engine) -> None:
    # 2023: A's only earlier change (2022) is too few for its own range, and no peer has a 2022 report: no test, no flag
    every = jumps(engine, A)
    assert every == [{"year": 2024, **j} for j in peers(engine, A, 2024)["jumps"]]
    assert jumps(engine, "没有这个机关") == []


def test_no_jump_is_not_claimed_without_the_data_to_judge(engine) -> None:
    # A 2024: 4 peers (B C D E) with a 2023 report and 2 earlier changes of its own: judged
    assert peers(engine, A, 2024)["basis"] == {"previous": True, "peers": 4, "past": 2, "tested": True}
    # A 2023: no peer has a 2022 report and A has one earlier change only: nothing could be judged
    assert peers(engine, A, 2023)["basis"] == {"previous": True, "peers": 0, "past": 1, "tested": False}
    # B 2023: no 2022 report of its own
    assert peers(engine, B, 2023)["basis"]["previous"] is False
