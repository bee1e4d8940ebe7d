"""/rollup in headless Debian Chromium: choose a district and a 本级 report, read the tables, download the XLSX."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from openpyxl import load_workbook

from tests.analysis.test_rollup_select import GOVERNMENT, stored
from tests.web.live import serve
from tests.web.test_browser import browser, page  # noqa: F401 - the chromium fixtures

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('rollup') / 'store.db'}"
    stored(url)
    with serve(url) as base:
        yield base


def test_rollup_page_against_the_own_report(live, page, tmp_path):  # noqa: F811 - page is the fixture
    page.goto(f"{live}/rollup")
    page.fill("input[name=region]", "样例区")
    page.select_option("select[name=year]", "2024")
    page.fill("input[name=against]", GOVERNMENT)
    page.click("form.rollup-form button[type=submit]")
    page.wait_for_selector("table#table3")
    assert "共汇总 3 份现行报告" in page.locator("p.summary").first.inner_text()
    cell = page.locator('table#table3 td[data-path="table3.new_received.total"]')
    assert cell.locator("b").inner_text() == "12" and "3份" in cell.inner_text()
    assert "differs" in cell.get_attribute("class") and cell.is_visible()
    assert "本级 10" in cell.inner_text()
    row = page.locator("table.diffs tr", has_text="一、本年新收政府信息公开申请数量·总计")
    assert "样例区乙局" in row.inner_text() and "-2" in row.inner_text()
    blank = page.locator('table#table4 td[data-path="table4.review.total"]')
    assert blank.locator("b").inner_text() == "—"

    with page.expect_download() as info:
        page.click("a[href^='/rollup.xlsx']")
    path = tmp_path / "汇总.xlsx"
    info.value.save_as(path)
    assert load_workbook(path)["表三"]["J6"].value == 12


def test_the_own_column_stays_readable_on_a_phone(live, page):  # noqa: F811 - page is the fixture
    for width in (390, 700, 1000):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live}/rollup?region=样例区&year=2024&against={GOVERNMENT}")
        own = page.locator("table.diffs thead th").nth(1)
        assert own.inner_text() == "本级"
        lines = own.evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }"
        )
        assert lines == 1, width  # 本级 on one line, not one character a line
