"""One way to match an agency's reports across years, used by the checker, the store and the web."""

from __future__ import annotations

from nianbao.check.across import consecutive
from nianbao.model import Report, Source
from nianbao.template import agencies
from nianbao.web.pages.agency import chain


def test_same_agency_with_or_without_the_region_prefix() -> None:
    assert agencies.same("北京市西城区城市管理指挥中心", "西城区城市管理指挥中心")
    assert not agencies.same("北京市朝阳区人民政府", "长春市朝阳区人民政府")
    assert not agencies.same("北京市西城区人民政府", None)


def _rows() -> list[dict]:
    return [
        {"id": 1, "agency": "北京市西城区财政局", "year": 2024},
        {"id": 2, "agency": "西城区财政局", "year": 2023},
        {"id": 3, "agency": "北京市西城区财政局", "year": 2021},  # 2022 missing: no pair
        {"id": 4, "agency": "北京市西城区教育委员会", "year": 2022},
        {"id": 5, "agency": None, "year": 2022},
    ]


def test_consecutive_pairs_last_year_with_this_year() -> None:
    pairs = agencies.consecutive(_rows(), lambda r: r["agency"], lambda r: r["year"])
    assert [(a["id"], b["id"]) for a, b in pairs] == [(2, 1)]


def test_checker_and_web_pair_the_same_years() -> None:
    rows = _rows()
    reports = [Report(Source(f"{r['id']}.txt", str(r["id"]), "txt"), agency=r["agency"], year=r["year"]) for r in rows]
    assert [(a.year, b.year) for a, b in consecutive(reports)] == [(2023, 2024)]
    cells = {"table3.carried_forward.total": 5, "table3.carried_over.total": 5}
    links = chain([{**r, "cells": cells} for r in rows])
    assert [(link["from"], link["to"], link["ok"]) for link in links] == [(2023, 2024, True)]


def test_canonical_completes_a_short_prefix_only_when_unambiguous() -> None:
    names = ["北京市甲城区环境监测中心", "甲城区环境监测中心", "丙阳市審計局", "丁山区卫生局", "北京市丁山区教委"]
    found = agencies.canonical(names + ["测试省戊州市丁山区人民政府"], regions=["测试省丙阳市"])
    assert found["甲城区环境监测中心"] == agencies.Canonical("北京市甲城区环境监测中心", ("北京市", "甲城区"))
    assert found["丙阳市審計局"].name == "测试省丙阳市审计局"  # traditional folded, region from a report's region
    assert found["丁山区卫生局"] == agencies.Canonical(
        "丁山区卫生局", ("丁山区",), ("北京市丁山区", "测试省戊州市丁山区")
    )


def test_region_chain_levels() -> None:
    assert agencies.region_chain("北京市甲城区乙镇") == ("北京市", "甲城区", "乙镇")
    assert agencies.region_chain("测试省戊州市丁山区乙街道") == ("测试省", "戊州市", "丁山区", "乙街道")
    assert agencies.region_chain("甲城区") == ("甲城区",)
    assert agencies.canonical(["测试省戊州市丁山区乙镇人民政府"])["测试省戊州市丁山区乙镇人民政府"].chain[-1] == "乙镇"
    assert agencies.is_province("测试省") and not agencies.is_province("戊州市")


def test_a_prefecture_printed_without_its_province_sits_under_it() -> None:
    found = agencies.canonical(["广州市天河区测试局", "宿迁市民政局", "西城区城市管理指挥中心"])
    assert found["广州市天河区测试局"] == agencies.Canonical("广州市天河区测试局", ("广东省", "广州市", "天河区"))
    assert found["宿迁市民政局"].chain == ("江苏省", "宿迁市")
    assert found["西城区城市管理指挥中心"].chain == ("西城区",)  # a district is no prefecture
    assert agencies.region_chain("广州市天河区") == ("广东省", "广州市", "天河区")
    assert agencies.region_chain("北京市西城区") == ("北京市", "西城区")  # a municipality is its own province
    assert agencies.region_chain("延边朝鲜族自治州延吉市") == ("吉林省", "延边朝鲜族自治州", "延吉市")


def test_county_bodies_whose_name_starts_like_a_word() -> None:
    assert agencies.parse("北京市甲城区民政局") == agencies.Agency(("北京市", "甲城区"), "民政局")
    assert agencies.parse("北京市甲城区委宣传部").places == ("北京市", "甲城区")
    assert agencies.level("北京市甲城区民政局") == "county"
    assert agencies.parse("测试省乙州市市场监督管理局").places == ("测试省", "乙州市")  # 市场 is no place
    assert agencies.parse("北京市区级机关事务管理局").places == ("北京市",)


def test_autonomous_prefectures_and_counties_are_places() -> None:
    assert agencies.region_chain("测试省甲乙土家族苗族自治州丙县") == ("测试省", "甲乙土家族苗族自治州", "丙县")
    assert agencies.parse("重庆市丁戊土家族自治县人民政府") == agencies.Agency(("重庆市", "丁戊土家族自治县"), "政府")
    assert agencies.parse("测试自治区己庚盟辛壬市人民政府").places == ("测试自治区", "己庚盟", "辛壬市")


def test_city_bodies_named_after_a_word() -> None:
    assert agencies.parse("测试省乙州市民政局") == agencies.Agency(("测试省", "乙州市"), "民政局")
    assert agencies.parse("测试省乙州市委宣传部").places == ("测试省", "乙州市")


def test_a_place_is_a_run_of_cjk_characters_only() -> None:
    """The place patterns say '.' for a CJK character: they are matched on a name's run of
    [\\u4e00-\\u9fff] only, so a Latin letter, a digit or an Extension-A character ends a place."""
    assert agencies.parse("AB省民政局").places == ()
    assert agencies.parse("㐀㐀省民政局").places == ()
    assert agencies.parse("测试省乙州1市民政局") == agencies.Agency(("测试省",), "乙州1市民政局")
    assert agencies.parse("测试省乙州市2区民政局").places == ("测试省", "乙州市")
    assert agencies.level("测试省乙州市丙区丁戊街道办事处") == "town"
    assert agencies.level("测试省乙州市丙区丁A街道办事处") == "county"
    assert [agencies.is_province(p) for p in ("测试省", "A省", "测试1省", "㐀㐀省")] == [True, False, False, False]
    assert agencies.region_chain("测试省乙州市丙区丁戊街道") == ("测试省", "乙州市", "丙区", "丁戊街道")
    assert agencies.region_chain("测试省乙州市丙区A街道") == ("测试省", "乙州市", "丙区")
