"""The dashboard page and its JSON over SQLite and PostgreSQL: counts and years behind each
figure, rankings per year with a year choice, errors and warnings both shown, drill-down data,
the export buttons."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from lxml import html

from nianbao.model import Diagnostic
from nianbao.store.db import Store, connect
from nianbao.web.app import create_app
from nianbao.web.pages.dashboard import years_text
from tests.builders import numbered_report


def warning(report) -> Diagnostic:  # noqa: ANN001
    return Diagnostic("LABEL-VARIANT", "warning", "标签写法不同", ("table3.granted.total",))


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    """Three agencies over two years; warnings only, no error."""
    store = Store(connect(db_url))
    for i, (agency, region, year) in enumerate(
        [("某市甲局", "某市", 2023), ("某市甲局", "某市", 2024), ("某县乙局", "某县", 2024)]
    ):
        r = numbered_report(agency=agency, year=year, seed=i)
        r.region = region
        store.save(r, [warning(r)] * (i + 1))
    with TestClient(create_app(db_url, hosts=["testserver"])) as c:
        yield c


def test_counts_years_and_coverage(client: TestClient) -> None:
    d = client.get("/api/dashboard").json()
    assert d == client.get("/dashboard?format=json").json()
    assert d["count"] == 3 and d["years"] == [2023, 2024] and d["years_text"] == "2023、2024 年"
    assert [(y["year"], y["reports"], y["new_received_reports"]) for y in d["per_year"]] == [(2023, 1, 1), (2024, 2, 2)]
    assert d["coverage"]["years"] == [2023, 2024]
    bands = {g["region"]: g["counts"] for g in d["coverage"]["regions"]}
    assert bands == {"某市": [1, 1], "某县": [0, 1]}
    assert all(r["reports"] == 3 for r in d["rates"] if r["key"] == "granted_rate")


def test_rankings_are_per_year_with_a_choice(client: TestClient) -> None:
    d = client.get("/api/dashboard").json()
    assert d["rank_year"] == 2024 and d["rank_years"] == [2024, 2023]
    assert sorted(a["agency"] for a in d["agencies"]) == ["某县乙局", "某市甲局"]
    assert all(a["reports"] == 1 for a in d["agencies"])  # never two years added together
    old = client.get("/api/dashboard", params={"rank_year": "2023"}).json()
    assert [a["agency"] for a in old["agencies"]] == ["某市甲局"]
    assert client.get("/api/dashboard", params={"rank_year": "1999"}).json()["rank_year"] == 2024
    assert client.get("/api/dashboard", params={"rank_year": "x" * 30}).status_code == 200
    page = html.fromstring(client.get("/dashboard", params={"rank_year": "2023"}).text)
    links = page.cssselect("nav.year-choice a")
    assert [a.text for a in links] == ["2024", "2023"]
    assert links[1].get("aria-current") == "true" and "rank_year=2023" in links[1].get("href")
    assert "2023 年" in page.cssselect("#ranking h2")[0].text_content()


def test_warnings_are_shown_and_no_false_all_clear(client: TestClient) -> None:
    d = client.get("/api/dashboard").json()
    assert d["most_errors"] == [] and [r["n_warnings"] for r in d["most_warnings"]] == [3, 2, 1]
    assert d["severity"] == {
        "errors": 0,
        "warnings": 6,
        "infos": 0,
        "reports_with_errors": 0,
        "reports_with_warnings_only": 3,
        "reports_clean": 0,
    }
    page = html.fromstring(client.get("/dashboard").text)
    errors = page.cssselect("#most-errors")[0].text_content()
    assert "没有错误，但有 6 条警告" in errors and "都没有错误" not in errors
    assert len(page.cssselect("#most-warnings tbody tr")) == 3
    totals = " ".join(page.cssselect("#severity-totals")[0].text_content().split())
    assert "错误 0 条" in totals and "警告 6 条" in totals


def test_page_carries_chart_data_counts_and_export_buttons(client: TestClient) -> None:
    page = html.fromstring(client.get("/dashboard", params={"region": "某市"}).text)
    assert "所选 2 份报告，2023、2024 年" in page.cssselect("#coverage-note")[0].text_content()
    for chart in ("chart-years", "chart-coverage", "chart-outcomes", "chart-severity"):
        assert page.cssselect(f"#{chart}")
    assert page.cssselect('script[src="/static/dashboard.js"]')
    hrefs = [a.get("href") for a in page.cssselect(".actions a")]
    for kind in ("xlsx", "csv", "wide.csv", "jsonl", "json"):
        assert f"/export.{kind}?region=%E6%9F%90%E5%B8%82" in hrefs
    assert all("涵盖" in x.text_content() for x in page.cssselect(".rate-reports"))


def test_years_text() -> None:
    assert years_text([2021, 2022, 2023, 2025, None]) == "2021–2023、2025 年及年度不明"
    assert years_text([None]) == "年度不明"
    assert years_text([]) == ""
