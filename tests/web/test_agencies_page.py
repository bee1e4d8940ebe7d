"""The list, the region menu, the 机关一览 and an agency's page with merge and split, through the
web app and its JSON API, and ``nianbao agencies`` (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from nianbao.cli import app as cli
from nianbao.model import Diagnostic
from nianbao.store import review
from nianbao.store.accounts import add_user
from nianbao.store.db import Store, connect
from nianbao.web.app import create_app
from tests.builders import numbered_report
from tests.web.auth_helpers import ORIGIN, PASSWORD
from tests.web.conftest import TEST_HOSTS

NAMES = [
    ("北京市甲城区环境监测中心", 2023),
    ("甲城区环境监测中心", 2024),
    ("測試省丙陽市審計局", 2023),
    ("北京市甲城区乙镇人民政府", 2024),
    ("北京市甲城区卫生健康委员会", 2023),
    ("甲城区卫生局", 2024),
]


def fill(url: str) -> None:
    """The reports of NAMES; the first two (one agency, two printed names) share a cross-report warning."""
    store = Store(connect(url))
    for i, (agency, year) in enumerate(NAMES):
        store.save(numbered_report(agency=agency, year=year, seed=i + 1), [])
    files = [f"{a}-{y}-{i + 1}.txt" for i, (a, y) in enumerate(NAMES[:2])]
    store.save_cross(
        [Diagnostic("CARRYOVER", "warning", "结转不符", ("table3.carried_over.total",), files=tuple(files))]
    )


@pytest.fixture
def url(db_url: str) -> str:
    fill(db_url)
    return db_url


@pytest.fixture
def client(url: str) -> Iterator[TestClient]:
    with TestClient(create_app(url, hosts=TEST_HOSTS)) as c:
        yield c


def test_list_counts_filters_and_region_menu(client: TestClient) -> None:
    listed = client.get("/api/reports").json()
    short = next(r for r in listed["reports"] if r["agency"] == "甲城区环境监测中心")
    assert (short["warnings"], short["n_cross_warnings"], short["status"]) == (1, 1, "warning")
    ok = client.get("/api/reports", params={"status": "ok"}).json()
    assert ok["total"] == len(NAMES) - 2
    assert client.get("/api/reports", params={"sort": "warnings"}).json()["reports"][0]["warnings"] == 1
    assert client.get("/api/reports", params={"region": "北京市"}).json()["total"] == 5
    assert client.get("/api/reports", params={"region": "甲城区"}).json()["total"] == 5
    assert client.get("/api/reports", params={"region": "北京市甲城区乙镇"}).json()["total"] == 1
    assert client.get("/api/reports", params={"q": "丙阳"}).json()["total"] == 1
    assert client.get("/api/reports", params={"q": "丙陽"}).json()["total"] == 1
    assert client.get("/api/reports", params={"agency": "环境监测"}).json()["total"] == 2
    page = client.get("/reports").text
    assert "含跨报告 1" in page and "北京市 › 甲城区" in page  # the region column
    assert 'value="北京市"' in page and 'value="北京市甲城区"' not in page  # the menu cascades
    page = client.get("/reports", params={"region": "北京市"}).text
    assert 'value="北京市甲城区"' in page and 'value="甲城区"' not in page
    page = client.get("/reports", params={"region": "北京市甲城区"}).text
    assert 'value="北京市甲城区乙镇"' in page and 'value="北京市甲城区" selected' in page


def test_agency_pages_merge_and_split(client: TestClient) -> None:
    agencies = client.get("/api/agencies", params={"q": "甲城"}).json()["agencies"]
    monitor = next(a for a in agencies if a["canonical"] == "北京市甲城区环境监测中心")
    assert monitor["names"] == ["北京市甲城区环境监测中心", "甲城区环境监测中心"] and monitor["years"] == [2023, 2024]
    assert "北京市甲城区环境监测中心" in client.get("/agencies", params={"q": "甲城"}).text
    one = client.get("/api/agencies/甲城区环境监测中心").json()
    assert one["title"] == "北京市甲城区环境监测中心" and [r["year"] for r in one["reports"]] == [2023, 2024]
    assert one["region"] == ["北京市", "甲城区"] and len(one["chain"]) == 1
    assert "拆出" in client.get("/agencies/甲城区环境监测中心").text

    moved = client.post("/agencies/merge", data={"name": "甲城区卫生局", "into": "北京市甲城区卫生健康委员会"})
    assert (
        moved.status_code == 200 and "北京市甲城区卫生健康委员会" in moved.text
    )  # followed the 303 to the agency page
    assert [r["year"] for r in client.get("/api/agencies/甲城区卫生局").json()["reports"]] == [2023, 2024]
    split = client.post("/api/agencies/split", data={"name": "甲城区卫生局"}).json()
    assert split["canonical"] == "北京市甲城区卫生局"
    refused = client.post("/api/agencies/merge", data={"name": "无此机关", "into": "甲城区卫生局"})
    assert refused.status_code == 400 and "库中没有机关“无此机关”" in refused.json()["error"]


def test_agencies_command(url: str) -> None:
    run = CliRunner().invoke
    listed = run(cli, ["agencies", "list", "--db", url, "--q", "甲城"])
    assert (
        listed.exit_code == 0
        and "北京市甲城区环境监测中心　地区：北京市 › 甲城区　报告 2 份（2023、2024）" in listed.stdout
    )
    assert "别名：甲城区环境监测中心" in listed.stdout
    merged = run(cli, ["agencies", "merge", "甲城区卫生局", "北京市甲城区卫生健康委员会", "--db", url])
    assert merged.exit_code == 0 and "并入“北京市甲城区卫生健康委员会”" in merged.stdout
    aliases = run(cli, ["agencies", "aliases", "甲城区卫生局", "--db", url])
    assert "甲城区卫生局 → 北京市甲城区卫生健康委员会（手工）" in aliases.stdout
    assert run(cli, ["agencies", "split", "甲城区卫生局", "--db", url]).exit_code == 0
    missing = run(cli, ["agencies", "merge", "无此机关", "甲城区卫生局", "--db", url])
    assert missing.exit_code == 1 and "nianbao: 机关: 库中没有机关“无此机关”" in missing.stderr


def test_review_states_filter_and_count(url: str, client: TestClient) -> None:
    rows = client.get("/api/reports", params={"agency": "环境监测"}).json()["reports"]
    assert all(r["review"] == {"待核实": 1} for r in rows)  # the cross-report warning, about both years
    cross = next(f for f in review.findings(connect(url), rows[0]["id"]) if f["cross"])
    # the open-findings XLSX selects as the list does, 核查状态 included
    assert _xlsx_rows(client, {}) == 1 and _xlsx_rows(client, {"review": "误报"}) == 0
    review.set_state(connect(url), cross["id"], "误报", "两年口径不同", "审核员")
    marked = client.get("/api/reports", params={"review": "误报"}).json()
    assert marked["total"] == 2 and all(r["review"] == {"误报": 1} for r in marked["reports"])
    assert client.get("/api/reports", params={"review": "待核实"}).json()["total"] == 0
    page = client.get("/reports", params={"review": "误报"}).text
    assert "误报 1" in page and 'option value="误报" selected' in page
    # the downloads select as the list does; the dashboard by the other filters only: the page says so
    actions = page.split('<div class="actions">')[1].split("</div>")[0]
    assert 'href="/export.csv?review=%E8%AF%AF%E6%8A%A5"' in actions
    assert 'href="/findings.xlsx?review=%E8%AF%AF%E6%8A%A5"' in actions
    assert "仪表盘按上面的其他条件选取，不按核查状态筛选" in actions and "下载" not in actions.split("仪表盘按")[1]
    assert "不按核查状态筛选" not in client.get("/reports").text
    for kind in ("jsonl", "wide.csv", "xlsx"):
        assert _exported(client, kind, {"review": "误报"}) == 2 and _exported(client, kind, {}) == len(NAMES)
        assert _exported(client, kind, {"review": "需整改", "agency": "环境监测"}) == 0
    assert _xlsx_rows(client, {"review": "误报"}) == 0  # its one finding is no longer open


def _exported(client: TestClient, kind: str, params: dict[str, str]) -> int:
    """How many reports a download of the list's selection holds."""
    r = client.get(f"/export.{kind}", params=params)
    assert r.status_code == 200
    if kind == "jsonl":
        return len(r.content.splitlines())
    if kind == "wide.csv":
        return len(r.content.decode("utf-8-sig").splitlines()) - 1
    return load_workbook(io.BytesIO(r.content), read_only=True)["报告"].max_row - 1


def _xlsx_rows(client: TestClient, params: dict[str, str]) -> int:
    r = client.get("/findings.xlsx", params=params)
    assert r.status_code == 200
    return load_workbook(io.BytesIO(r.content), read_only=True).active.max_row - 1


def test_a_scoped_account_lists_only_its_region_and_merging_needs_the_manager(url: str) -> None:
    add_user(connect(url), "甲城审核员", PASSWORD, "审核", "甲城区")
    add_user(connect(url), "管理员", PASSWORD, "管理", None)
    with TestClient(create_app(url, hosts=TEST_HOSTS, require_login=True)) as c:
        assert c.post("/login", data={"name": "甲城审核员", "password": PASSWORD}, headers=ORIGIN).status_code == 200
        mine = c.get("/api/reports").json()
        assert mine["total"] == 5 and "丙阳" not in str(mine["reports"])  # 甲城区's five, at any level
        assert c.get("/api/reports", params={"region": "测试省"}).json()["total"] == 0  # narrows, never widens
        assert "scope" not in c.get("/reports").text.split("<form")[1].split("</form>")[0]  # kept out of the links
        merge = {"name": "甲城区卫生局", "into": "北京市甲城区卫生健康委员会"}
        assert c.post("/api/agencies/merge", data=merge, headers=ORIGIN).status_code == 403
    with TestClient(create_app(url, hosts=TEST_HOSTS, require_login=True)) as c:
        c.post("/login", data={"name": "管理员", "password": PASSWORD}, headers=ORIGIN)
        assert c.post("/api/agencies/merge", data=merge, headers=ORIGIN).status_code == 200
