"""/compare, /matrix, /peers, /metrics and their APIs, on SQLite and PostgreSQL, over the
small store of tests/analysis/compare_data.py (numbers worked out by hand there)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from nianbao.store.accounts import add_user
from nianbao.store.db import connect
from nianbao.web.app import create_app
from nianbao.web.pages.matrix import sparkline
from tests.analysis.compare_data import GOV, A, B, C, D, E, fill
from tests.web.conftest import TEST_HOSTS


@pytest.fixture
def app(db_url: str) -> Iterator[tuple[TestClient, dict]]:
    ids = fill(db_url)
    with TestClient(create_app(db_url, hosts=TEST_HOSTS)) as c:
        yield c, ids


def test_compare_page_in_template_layout(app) -> None:
    c, ids = app
    r = c.get("/compare", params=[("agency", A), ("year", "2023"), ("year", "2024")])
    assert r.status_code == 200
    html = r.text
    assert 'id="table3"' in html and 'id="table4"' in html and 'id="table2"' in html
    assert 'class="num differs" data-path="table3.new_received.total"' in html
    assert "▲ +270（+207.7%）" in html  # 400 − 130, ÷ 130
    assert 'class="d up"' not in html and 'class="d down"' not in html  # a change is no good or bad colour
    assert 'class="num" data-path="table3.carried_over.total"' in html
    assert "予以公开率" in html and "指标词典" in html  # the metric table with its definitions
    data = c.get("/compare", params=[("agency", A), ("year", "2023"), ("year", "2024"), ("format", "json")]).json()
    assert [r["id"] for r in data["result"]["reports"]] == [ids[(A, 2023)], ids[(A, 2024)]]
    assert data["result"]["differences"] == 3


def test_compare_api_ids_and_agencies(app) -> None:
    c, ids = app
    old = c.get(f"/api/compare?a={ids[(B, 2024)]}&b={ids[(C, 2024)]}").json()  # the old parameters still work
    assert [r["agency"] for r in old["result"]["reports"]] == [B, C]
    several = c.get("/api/compare", params=[("agency", B), ("agency", C), ("agency", D), ("year", "2024")]).json()
    cells = {x["path"]: x for t in several["result"]["tables"] for x in t["cells"]}
    assert cells["table3.granted.total"]["values"] == [80, 60, 126]
    assert cells["table3.granted.total"]["changes"][2] == {"abs": 46, "pct": 46 / 80}
    prev = c.get(
        "/api/compare", params=[("agency", B), ("agency", C), ("agency", D), ("year", "2024"), ("base", "previous")]
    )
    assert {x["path"]: x for t in prev.json()["result"]["tables"] for x in t["cells"]}["table3.granted.total"][
        "changes"
    ][2] == {"abs": 66, "pct": 66 / 60}
    missing = c.get("/api/compare", params=[("agency", "没有这个机关"), ("agency", B), ("year", "2024")])
    assert missing.status_code == 404 and "没有这个机关" in missing.json()["error"]
    assert c.get("/api/compare").status_code == 400
    gone = c.get("/compare?id=999999&id=1")  # the page says which, as a 404
    assert gone.status_code == 404 and "报告 999999 不存在" in gone.text
    huge = c.get("/compare?id=99999999999&id=1")  # beyond any id: no such report, 404 naming it
    assert huge.status_code == 404 and "报告编号超出范围：99999999999" in huge.text
    bad_id = c.get("/compare?id=abc")  # as on /rollup: 400 naming the value (was FastAPI's 422)
    assert bad_id.status_code == 400 and "报告编号应为数字：abc" in bad_id.text


def test_the_pages_refuse_bad_years_ids_and_formats_alike(app) -> None:
    c, ids = app
    for url in ("/compare", "/api/compare", "/rollup", "/api/rollup", "/peers", "/api/peers"):
        r = c.get(url, params={"agency": A, "year": "abc"})
        assert r.status_code == 400 and "年度应为数字：abc" in r.text, url
    one = c.get("/api/compare", params={"id": ids[(A, 2024)]})
    assert one.status_code == 400 and "只找到一份报告" in one.json()["error"]
    assert c.get("/compare", params={"id": ids[(A, 2024)]}).status_code == 400
    pdf = c.get("/matrix?format=pdf")
    assert pdf.status_code == 400 and "不支持的格式：pdf" in pdf.text and "csv" in pdf.text


def test_matrix_page_json_and_exports(app) -> None:
    c, ids = app
    page = c.get("/matrix?key=new_received_total&sort=2024&order=desc")
    assert page.status_code == 200 and '<svg class="spark"' in page.text and "按此列排序" in page.text
    data = c.get("/matrix?key=new_received_total&sort=2024&order=desc&format=json").json()
    assert [r["agency"] for r in data["rows"]] == [A, E, D, C, B, GOV]
    assert data["metric"]["formula"].startswith("表三")
    api = c.get("/api/matrix", params={"key": "table3.new_received.total", "region": "北京市样例区"}).json()
    assert (api["years"], [(r["agency"], r["values"]) for r in api["rows"]]) == ([2023, 2024], [(B, [80, 100])])
    assert '<option value="北京市样例区" selected>' in c.get("/matrix?region=北京市样例区").text
    csv_text = c.get("/matrix?key=granted_rate&format=csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "机关,地区,2021年（%）,2022年（%）,2023年（%）,2024年（%）"
    assert "予以公开率 = " in csv_text
    rates = [float(x) for line in csv_text.splitlines()[1:7] for x in line.split(",")[2:] if x]
    assert rates and all(x == round(x, 1) for x in rates)  # per cent, one decimal, as the XLSX shows (44.4%)
    xlsx = c.get("/matrix?key=granted_rate&format=xlsx")
    assert "attachment" in xlsx.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws["A1"].value == "机关" and ws.freeze_panes == "B2"
    bad = c.get("/matrix?key=nothing")
    assert bad.status_code == 400 and "既不是指标" in bad.text


def test_metrics_dictionary(app) -> None:
    c, _ = app
    metrics = {m["key"]: m for m in c.get("/api/metrics").json()}
    assert {"new_received_total", "granted_rate", "denied_rate", "review_correction_rate", "completion_rate"} <= set(
        metrics
    )
    assert metrics["granted_rate"]["cells"] == ["table3.granted.total", "table3.total_processed.total"]
    assert metrics["review_correction_rate"]["caveats"]
    assert "办结率" in c.get("/metrics").text


def test_peers_page_api_and_rules(app) -> None:
    c, ids = app
    data = c.get("/api/peers", params={"agency": A, "year": "2024"}).json()["result"]
    assert (data["level"], data["kind"], len(data["members"])) == ("区县", "城管", 5)
    new = next(m for m in data["metrics"] if m["metric"] == "new_received_total")
    assert (new["p25"], new["p50"], new["p75"], new["rank"]) == (120, 140, 160, 1)
    assert "new_received_total" in {j["metric"] for j in data["jumps"]}
    page = c.get("/peers", params={"agency": A, "year": "2024"})
    assert page.status_code == 200 and "异常波动" in page.text and "正常范围" in page.text
    assert c.get("/api/peers", params={"agency": "没有这个机关", "year": "2024"}).status_code == 404
    assert c.get("/api/peers", params={"agency": A, "year": "abc"}).status_code == 400
    assert c.get("/api/peers", params={"agency": B}).status_code == 422  # the API needs the year
    assert "北京市样例区城市管理委员会 2024" in c.get("/peers", params={"agency": B}).text  # the page takes the latest
    untested = c.get("/peers", params={"agency": A, "year": "2023"}).text  # no peer has a 2022 report
    assert "数据不足，未作判断" in untested and "没有超出" not in untested
    block = c.get("/peers/jumps", params={"agency": A})
    assert block.status_code == 200 and block.text.lstrip().startswith("<section") and "新收申请数" in block.text
    alone = c.get("/peers/jumps", params={"agency": GOV}).text  # one year stored: nothing to judge
    assert "数据不足，未作判断" in alone and "没有超出" not in alone
    every = c.get("/api/peers/jumps", params={"agency": A}).json()  # 新收 and （七）总计 are the same numbers here
    assert [(j["year"], j["metric"]) for j in every] == [(2024, "new_received_total"), (2024, "total_processed_total")]

    saved = c.post(
        "/peers/rules",
        data={"dimension": ["kind", "kind"], "pattern": ["测试区城市管理|样例区城市管理", ""], "value": ["甲组", ""]},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert c.get("/api/peers/rules").json() == [
        {"dimension": "kind", "pattern": "测试区城市管理|样例区城市管理", "value": "甲组"}
    ]
    regrouped = c.get("/api/peers", params={"agency": A, "year": "2024"}).json()["result"]
    assert regrouped["kind"] == "甲组" and sorted(m["agency"] for m in regrouped["members"]) == sorted([A, B])
    refused = c.post("/peers/rules", data={"dimension": ["kind"], "pattern": ["x"], "value": [""]})
    assert refused.status_code == 400 and "不能为空" in refused.text
    c.post("/peers/rules", data={"reset": "1"})
    assert len(c.get("/api/peers/rules").json()) > 5


def test_sparkline_points() -> None:
    # years evenly spaced over the width (96 / 3 = 32); values 10 … 30 mapped to y 20 … 2 (22 high, 2 spare)
    assert sparkline([10, None, 30, 20]) == [(0, 20), (64, 2), (96, 11)]
    assert sparkline([None, None]) == []


def test_a_user_limited_to_a_region_sees_only_its_reports(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    ids = fill(url)
    add_user(connect(url), "测试区审核员", "口令-password-1", "审核", "测试区")  # sees A (by name) and GOV (region)
    with TestClient(create_app(url, hosts=TEST_HOSTS, require_login=True)) as c:
        login = {"name": "测试区审核员", "password": "口令-password-1"}
        assert c.post("/login", data=login, headers={"Origin": "http://testserver"}).status_code == 200
        assert c.get("/api/compare", params=[("agency", B), ("agency", C), ("year", "2024")]).status_code == 404
        other = c.get("/api/compare", params=[("id", str(ids[(B, 2024)])), ("id", str(ids[(A, 2024)]))])
        assert other.status_code == 404 and f"报告 {ids[(B, 2024)]} 不存在" in other.json()["error"]
        assert [r["agency"] for r in c.get("/api/matrix").json()["rows"]] == [GOV, A]  # by name
        assert B not in c.get("/compare").text  # not offered in the picker either
        group = c.get("/api/peers", params={"agency": A, "year": "2024"}).json()["result"]
        assert [m["agency"] for m in group["members"]] == [A]
        rules = {"dimension": ["kind"], "pattern": ["x"], "value": ["y"]}
        assert c.post("/peers/rules", data=rules, headers={"Origin": "http://testserver"}).status_code == 403
