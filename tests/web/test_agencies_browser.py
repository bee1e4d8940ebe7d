"""The region menu, partial search and merging two names of one agency, in headless Debian
Chromium (the app served by uvicorn). Skipped when /usr/bin/chromium is absent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.live import serve
from tests.web.test_agencies_page import fill
from tests.web.test_browser import browser, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('agencies-live') / 'store.db'}"
    fill(url)
    with serve(url) as base:
        yield base


def _filter(page, **fields: str) -> None:  # noqa: F811
    for name, value in fields.items():
        if name in ("region", "status", "review"):
            page.select_option(f"form.filters select[name={name}]", value)
        else:
            page.fill(f"form.filters input[name={name}]", value)
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()


def test_region_menu_cascades_and_status_counts_cross_findings(live, page) -> None:  # noqa: F811
    page.goto(f"{live}/reports")
    assert "共 6 份" in page.locator("h1").inner_text()
    _filter(page, region="北京市")
    assert "共 5 份" in page.locator("h1").inner_text()
    options = page.locator("form.filters select[name=region] option").all_inner_texts()
    assert any("北京市 › 甲城区" in o for o in options) and not any(o.strip() == "甲城区" for o in options)
    _filter(page, region="北京市甲城区", status="ok")
    rows = page.locator("table.list tbody tr").all_inner_texts()
    assert rows and not any("环境监测" in r for r in rows)  # both years carry a cross-report warning
    _filter(page, status="warning")
    warned = page.locator("table.list tbody tr").all_inner_texts()
    assert len(warned) == 2 and all("含跨报告 1" in r for r in warned)


def test_partial_search_and_merge_on_the_agency_page(live, page) -> None:  # noqa: F811
    page.goto(f"{live}/reports")
    _filter(page, q="丙陽")
    assert page.locator("table.list tbody tr").count() == 1
    assert "测试省丙阳市审计局" in page.locator("table.list tbody").inner_text()
    page.goto(f"{live}/agencies?q=卫生")
    assert page.locator("table.agencies tbody tr").count() == 2
    page.click("text=北京市甲城区卫生健康委员会")
    page.fill("#names input[name=name]:not([type=hidden])", "甲城区卫生局")
    page.click("#names button:has-text('并入本机关')")
    page.wait_for_load_state()
    assert "历年报告对照（2 份）" in page.locator("h1").inner_text()
    assert "甲城区卫生局" in page.locator("#names").inner_text()
