"""/rollup and /api/rollup: the 汇总 page in the template's layout, its JSON and downloads, on SQLite and PostgreSQL."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from lxml import html
from openpyxl import load_workbook

from nianbao.store.accounts import add_user
from nianbao.web.app import create_app
from tests.analysis.test_rollup_select import GOVERNMENT, stored

Q = {"region": "样例区", "year": "2024", "against": GOVERNMENT}


def test_page_and_api(db_url: str) -> None:
    _, ids = stored(db_url)
    with TestClient(create_app(db_url, hosts=["testserver"])) as client:
        api = client.get("/api/rollup", params=Q).json()
        assert [r["id"] for r in api["result"]["reports"]] == [ids["a"], ids["b"], ids["c"]]
        cell = api["result"]["cells"]["table3.new_received.commercial"]
        assert (cell["sum"], cell["count"], cell["blanks"]) == (3, 2, 1)  # 2 + 1, 丙 blank
        assert api["result"]["cells"]["table4.review.total"]["sum"] is None  # blank in all three
        diff = {d["path"]: d for d in api["result"]["against"]["differences"]}
        total = diff["table3.new_received.total"]
        assert (total["own"], total["total"], total["diff"]) == (10, 12, -2)
        assert [u["agency"] for u in total["units"]] == ["样例区乙局", "样例区甲局"]
        assert client.get("/rollup", params={**Q, "format": "json"}).json() == api
        assert api["result"]["years"] == [2024]
        both = client.get("/rollup", params={"agency": "样例区甲局"})  # 2023 and 2024
        assert "所选报告跨 2 个年度（2023、2024）" in html.fromstring(both.text).xpath("string(//p[@role='alert'])")

        page = client.get("/rollup", params=Q)
        assert page.status_code == 200
        doc = html.fromstring(page.text)
        td = doc.xpath('//table[@id="table3"]//td[@data-path="table3.new_received.total"]')[0]
        assert td.xpath("string(b)") == "12" and "3份" in td.xpath("string(small)")
        assert "differs" in td.get("class") and "本级 10" in td.text_content()
        assert doc.xpath('//table[@id="table3"]/thead//th[text()="申请人情况"]/@colspan') == ["7"]
        assert "北京市" in doc.xpath("//datalist[@id='rollup-regions']/option/@value")  # the region menu's levels
        blank = doc.xpath('//td[@data-path="table4.review.total"]')[0]
        assert "blank" in blank.get("class") and blank.xpath("string(b)") == "—"
        assert "样例区乙局" in doc.xpath('string(//table[contains(@class,"diffs")])')

        xlsx = client.get("/rollup.xlsx", params=Q)
        assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
        assert load_workbook(io.BytesIO(xlsx.content))["表三"]["J6"].value == 12
        assert client.get("/rollup.docx", params={"id": f"{ids['a']},{ids['b']}"}).status_code == 200


def test_bad_selections(db_url: str) -> None:
    stored(db_url)
    with TestClient(create_app(db_url, hosts=["testserver"])) as client:
        assert client.get("/rollup").status_code == 200  # the form alone
        assert client.get("/api/rollup").json()["error"] == "请指定地区、机关或报告编号"
        assert client.get("/api/rollup", params={"region": "东区"}).json()["error"] == "库中没有地区“东区”的现行报告"
        assert client.get("/api/rollup", params={"id": "1,x"}).status_code == 400
        assert client.get("/api/rollup", params={"id": str(2**40)}).status_code == 400
        assert client.get("/api/rollup", params={"region": "样例区", "year": "1999"}).status_code == 404
        missing = client.get("/rollup", params={"agency": "样例区戊局"})  # the form stays, the reason above it
        assert missing.status_code == 404
        assert (
            html.fromstring(missing.text).xpath("string(//p[@role='alert'])")
            == "所选范围内没有这些现行报告：样例区戊局"
        )
        assert html.fromstring(missing.text).xpath("//textarea[@name='agency']/text()") == ["样例区戊局"]


def test_a_user_limited_to_a_region_sums_only_its_reports(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    store, ids = stored(url)
    add_user(store.engine, "他区审核员", "口令-password-1", "审核", "他区")
    with TestClient(create_app(url, hosts=["testserver"], require_login=True)) as client:
        login = {"name": "他区审核员", "password": "口令-password-1"}
        assert client.post("/login", data=login, headers={"Origin": "http://testserver"}).status_code == 200
        mine = client.get("/api/rollup", params={"region": "北京市", "year": "2024"}).json()["result"]
        assert [r["id"] for r in mine["reports"]] == [ids["elsewhere"]]  # not 样例区's four
        assert client.get("/api/rollup", params={"region": "样例区"}).status_code == 404
        assert client.get("/api/rollup", params={"region": "北京市", "against": GOVERNMENT}).status_code == 404
