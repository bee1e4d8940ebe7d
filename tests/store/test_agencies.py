"""Agency identity and the truthful list (SQLite and PostgreSQL): canonical names (a short name
completed with its region, a traditional name folded), merge and split, the region hierarchy,
partial search, and list counts that include cross-report findings."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from nianbao.model import Diagnostic, Report
from nianbao.store import agencies, audit, queries
from nianbao.store.db import Store, connect
from tests.builders import numbered_report

NAMES = [
    ("北京市甲城区环境监测中心", 2023),
    ("甲城区环境监测中心", 2024),  # the same agency without its city
    ("測試省丙陽市審計局", 2023),  # traditional characters
    ("北京市甲城区人民政府", 2024),
    ("测试省戊州市丁山区人民政府", 2024),
    ("北京市丁山区人民政府", 2024),
    ("丁山区卫生局", 2024),  # 丁山区 of 北京市 or of 测试省戊州市: left as printed
    ("测试省戊州市丁山区乙镇人民政府", 2023),
    ("北京市丁山区卫生健康委员会", 2023),
]


def _report(agency: str, year: int, seed: int) -> Report:
    r = numbered_report(agency=agency, year=year, seed=seed)
    r.region = None
    return r


@pytest.fixture
def engine(db_url: str) -> sa.Engine:
    engine = connect(db_url)
    store = Store(engine)
    for i, (agency, year) in enumerate(NAMES):
        store.save(_report(agency, year, i + 1), [])
    return engine


def _agencies(engine: sa.Engine, **filters: object) -> list[tuple[str, int]]:
    rows, total = queries.list_reports(engine, limit=100, **filters)  # type: ignore[arg-type]
    assert total == len(rows)
    return sorted((r["agency"], r["year"]) for r in rows)


def test_canonical_names_and_aliases(engine: sa.Engine) -> None:
    by_name = {r["name"]: r for r in agencies.aliases(engine)}
    assert by_name["甲城区环境监测中心"]["canonical"] == "北京市甲城区环境监测中心"
    assert by_name["甲城区环境监测中心"]["region_path"] == "/北京市/甲城区/"
    assert by_name["測試省丙陽市審計局"]["canonical"] == "测试省丙阳市审计局"  # simplified
    short = by_name["丁山区卫生局"]
    assert short["canonical"] == "丁山区卫生局"
    assert short["candidates"] == ["北京市丁山区", "测试省戊州市丁山区"]
    town = by_name["测试省戊州市丁山区乙镇人民政府"]
    assert town["region_path"] == "/测试省/戊州市/丁山区/乙镇/"
    listed = {a["canonical"]: a for a in agencies.listing(engine)}
    assert listed["北京市甲城区环境监测中心"]["names"] == ["北京市甲城区环境监测中心", "甲城区环境监测中心"]
    assert listed["北京市甲城区环境监测中心"]["years"] == [2023, 2024]
    assert [a["canonical"] for a in agencies.listing(engine, q="丙陽")] == ["测试省丙阳市审计局"]


def test_years_of_one_agency_are_linked(engine: sa.Engine) -> None:
    for name in ("甲城区环境监测中心", "北京市甲城区环境监测中心", "北京市甲城区环境监测中心 "):
        years = queries.agency_reports(engine, name)
        assert [(r["year"], r["canonical"]) for r in years] == [
            (2023, "北京市甲城区环境监测中心"),
            (2024, "北京市甲城区环境监测中心"),
        ]
        assert years[1]["carryover"]["previous_year"] == 2023 and years[1]["carryover"]["expected"] is not None
    assert queries.agency_reports(engine, "环境监测") == []  # a part of a name is no agency
    assert queries.agency_reports(engine, "北京市甲城区环境监测") == []
    found = agencies.canonical_reports(engine, [_report("甲城区环境监测中心", 2024, 2)])
    assert found[0].agency == "北京市甲城区环境监测中心"


def test_region_hierarchy_filters_and_menu(engine: sa.Engine) -> None:
    beijing = [("北京市丁山区人民政府", 2024), ("北京市丁山区卫生健康委员会", 2023), ("北京市甲城区人民政府", 2024)]
    beijing += [("北京市甲城区环境监测中心", 2023), ("甲城区环境监测中心", 2024)]
    assert _agencies(engine, region="北京市") == beijing
    assert _agencies(engine, region="北京市甲城区") == [x for x in beijing if "甲城区" in x[0]]
    assert _agencies(engine, region="甲城区") == [x for x in beijing if "甲城区" in x[0]]
    assert len(_agencies(engine, region="测试省")) == 3
    assert _agencies(engine, region="测试省戊州市丁山区乙镇") == [("测试省戊州市丁山区乙镇人民政府", 2023)]
    assert len(_agencies(engine, region="丁山区")) == 5  # 北京市丁山区 ×2, 戊州市丁山区 ×2, and the short 丁山区
    menu = queries.regions(engine)
    values = [m["value"] for m in menu]
    assert "甲城区" not in values and values.count("北京市甲城区") == 1
    assert {"value": "北京市甲城区", "name": "甲城区", "depth": 1, "chain": ["北京市", "甲城区"]} in menu
    assert "测试省戊州市丁山区乙镇" in values
    assert values.index("北京市") < values.index("北京市甲城区")


def test_a_prefecture_without_its_province_is_found_under_it(engine: sa.Engine) -> None:
    Store(engine).save(_report("广州市天河区测试局", 2024, 40), [])
    assert _agencies(engine, region="广东省") == [("广州市天河区测试局", 2024)]
    assert _agencies(engine, region="广州市") == _agencies(engine, region="广东省广州市天河区")
    assert _agencies(engine, region="广州市") == [("广州市天河区测试局", 2024)]
    values = [m["value"] for m in queries.regions(engine)]
    assert "广东省广州市天河区" in values and "广州市" not in values


def test_partial_search_at_any_level(engine: sa.Engine) -> None:
    assert _agencies(engine, q="丙阳") == [("測試省丙陽市審計局", 2023)]
    assert _agencies(engine, q="丙陽") == [("測試省丙陽市審計局", 2023)]
    assert len(_agencies(engine, q="测试")) == 3
    assert len(_agencies(engine, q="戊州")) == 2
    assert _agencies(engine, agency="环境监测") == [("北京市甲城区环境监测中心", 2023), ("甲城区环境监测中心", 2024)]
    assert _agencies(engine, agency="甲城区环境监测中心") == _agencies(engine, agency="环境监测")
    assert _agencies(engine, agency="北京市甲城区人民政府") == [("北京市甲城区人民政府", 2024)]  # exact, not a part


def test_merge_and_split(engine: sa.Engine) -> None:
    assert (
        agencies.merge(engine, "丁山区卫生局", "北京市丁山区卫生健康委员会", "审核员") == "北京市丁山区卫生健康委员会"
    )
    years = queries.agency_reports(engine, "丁山区卫生局")
    assert [r["year"] for r in years] == [2023, 2024]
    assert ("丁山区卫生局", 2024) in _agencies(engine, region="北京市丁山区")
    Store(engine).save(_report("北京市庚区审计局", 2024, 30), [])  # a new name: the table is filled again
    assert [r["year"] for r in queries.agency_reports(engine, "北京市丁山区卫生健康委员会")] == [2023, 2024]
    with pytest.raises(agencies.AgencyError, match="已是同一机关"):
        agencies.merge(engine, "丁山区卫生局", "北京市丁山区卫生健康委员会")
    with pytest.raises(agencies.AgencyError, match="库中没有机关"):
        agencies.merge(engine, "无此机关", "北京市丁山区卫生健康委员会")
    with pytest.raises(agencies.AgencyError, match="规范名称"):
        agencies.split(engine, "北京市丁山区卫生健康委员会")
    assert agencies.split(engine, "丁山区卫生局", "审核员") == "丁山区卫生局"
    assert [r["year"] for r in queries.agency_reports(engine, "丁山区卫生局")] == [2024]
    logged = [(e["action"], e["who"]) for e in audit.entries(engine) if e["action"] in ("merge", "split")]
    assert logged == [("split", "审核员"), ("merge", "审核员")]


def test_list_counts_cross_report_findings(engine: sa.Engine) -> None:
    store = Store(engine)
    files = [r["source_file"] for r in queries.agency_reports(engine, "甲城区环境监测中心")]
    warning = Diagnostic("CARRYOVER", "warning", "结转不符", ("table3.carried_over.total",), files=tuple(files))
    store.save_cross([warning])
    rows = {r["agency"]: r for r in queries.list_reports(engine, limit=100)[0]}
    short = rows["甲城区环境监测中心"]
    assert (short["n_warnings"], short["n_cross_warnings"], short["warnings"], short["status"]) == (0, 1, 1, "warning")
    assert short["canonical"] == "北京市甲城区环境监测中心" and short["region_chain"] == ["北京市", "甲城区"]
    clean = _agencies(engine, status="ok")
    assert ("甲城区环境监测中心", 2024) not in clean and len(clean) == len(NAMES) - 2
    assert _agencies(engine, status="warning") == [("北京市甲城区环境监测中心", 2023), ("甲城区环境监测中心", 2024)]
    first = queries.list_reports(engine, sort="warnings", limit=2)[0]
    assert {r["agency"] for r in first} == {"北京市甲城区环境监测中心", "甲城区环境监测中心"}
    with pytest.raises(ValueError):
        queries.list_reports(engine, sort="bad")


def test_names_stored_after_a_list_are_found_by_canonical_name_and_region(engine: sa.Engine) -> None:
    """ensure() looks again only when a report brings a name agency_names lacks (a trigger marks
    it): one saved after a first list, one under a deleted report's reused id, one renamed."""
    assert _agencies(engine, region="测试省戊州市")  # agency_names made, marked in step
    store = Store(engine)
    store.save(_report("测试省戊州市丁山区丙镇人民政府", 2024, 50), [])
    assert ("测试省戊州市丁山区丙镇人民政府", 2024) in _agencies(engine, region="测试省戊州市丁山区")
    with engine.begin() as conn:
        last = conn.execute(sa.select(sa.func.max(agencies.reports.c.id))).scalar_one()
        conn.execute(agencies.reports.delete().where(agencies.reports.c.id == last))
    _agencies(engine)
    store.save(_report("测试省戊州市丁山区丁镇人民政府", 2024, 51), [])
    assert ("测试省戊州市丁山区丁镇人民政府", 2024) in _agencies(engine, region="测试省戊州市丁山区")
    with engine.begin() as conn:
        conn.execute(
            agencies.reports.update()
            .where(agencies.reports.c.agency == "北京市甲城区人民政府")
            .values(agency="测试省戊州市戊镇人民政府", agency_key="测试省戊州市戊镇人民政府")
        )
    assert ("测试省戊州市戊镇人民政府", 2024) in _agencies(engine, region="测试省戊州市")
    assert {a["name"] for a in agencies.aliases(engine)} >= {
        "测试省戊州市戊镇人民政府",
        "测试省戊州市丁山区丁镇人民政府",
    }


def test_a_name_that_folds_to_nothing_denotes_no_agency(engine: sa.Engine) -> None:
    nameless = numbered_report(agency="", year=2022, seed=99)
    nameless.agency = None
    Store(engine).save(nameless, [])
    for name in ('"', " ", "\u3000"):  # not every agency (LIKE '%%'), nor the reports without one (IS NULL)
        assert _agencies(engine, agency=name) == [], name


def test_names_lacking_are_found_by_an_anti_join(engine: sa.Engine) -> None:
    """``ensure``'s look for names ``agency_names`` lacks is an anti-join on PostgreSQL and an
    index lookup per key on SQLite: a ``NOT IN (subquery)`` ran per row on PostgreSQL when the
    names did not fit in work_mem (over 11 minutes at 1M reports)."""
    query = agencies._unknown().limit(1)
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET work_mem = '64kB'")
            plan = "\n".join(conn.exec_driver_sql("EXPLAIN " + sql).scalars())
            assert "Anti Join" in plan and "SubPlan" not in plan, plan
        else:
            plan = "\n".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
            assert "SEARCH agency_names USING" in plan and "SCAN agency_names" not in plan, plan
    assert len(agencies.aliases(engine)) == len(NAMES)  # and ensure found them all
