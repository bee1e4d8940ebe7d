"""The compare and matrix pages in headless Debian Chromium (the app served by uvicorn over the
store of tests/analysis/compare_data.py). Skipped when /usr/bin/chromium is absent."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from tests.analysis.compare_data import GOV, A, B, E, fill
from tests.web.live import serve
from tests.web.test_browser import browser, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('cmp-live') / 'store.db'}"
    fill(url)
    with serve(url) as base:
        yield base


def test_compare_highlights_a_differing_cell_and_hides_same_rows(live, page) -> None:  # noqa: F811
    page.goto(f"{live}/compare")
    page.fill("input[name=agency] >> nth=0", A)
    page.check("input[name=year][value='2023']")
    page.check("input[name=year][value='2024']")
    page.click("#compare-form button[type=submit]")
    cell = page.locator("table#table3 td[data-path='table3.new_received.total']")
    cell.wait_for()
    assert "differs" in cell.get_attribute("class")
    assert cell.evaluate("td => getComputedStyle(td).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    assert "+270" in cell.inner_text()
    same_row = page.locator("table#table3 td[data-path='table3.carried_over.total']")
    assert same_row.is_visible()
    page.check("#only-diff")  # acts at once, without sending the form
    assert not same_row.is_visible() and cell.is_visible()
    page.locator("table.compare-metrics details.metric-def summary").first.click()
    assert "指标词典" in page.locator("table.compare-metrics details.metric-def[open]").inner_text()


def test_matrix_sorts_by_a_year_column(live, page) -> None:  # noqa: F811
    page.goto(f"{live}/matrix?{urlencode({'key': 'new_received_total'})}")
    first = page.locator("table#matrix tbody tr >> nth=0 >> th")
    assert first.inner_text() == E  # by name: 假想区 first
    page.click("table#matrix thead a:has-text('2024年')")
    page.wait_for_url("**sort=2024**")
    assert first.inner_text() == A  # 400, the largest, first
    assert page.locator("table#matrix tbody tr >> nth=-1 >> th").inner_text() == GOV  # 50, the smallest, last
    page.click("table#matrix thead a:has-text('2024年')")
    page.wait_for_url("**order=asc**")
    assert page.locator("table#matrix tbody tr >> nth=0 >> th").inner_text() == GOV
    assert page.locator("table#matrix tbody tr >> nth=1 >> th").inner_text() == B  # 100
    assert page.locator("table#matrix svg.spark").count() >= 1


def test_peers_shows_the_jump_and_a_rule_edited_in_the_page_regroups(live, page) -> None:  # noqa: F811
    page.goto(f"{live}/peers?{urlencode({'agency': A, 'year': 2024})}")
    jump = page.locator("#jumps tbody tr").first
    assert "新收申请数" in jump.inner_text() and "+207.7%" in jump.inner_text()
    assert "类别 城管" in page.locator("p.summary").inner_text()
    page.locator("table.rules input[name=pattern]").first.fill("测试区城市管理")
    page.locator("table.rules input[name=value]").first.fill("甲组")
    page.click("#rules button[type=submit]:has-text('保存规则')")
    page.wait_for_url("**saved=1**")
    page.goto(f"{live}/peers?{urlencode({'agency': A, 'year': 2024})}")
    assert "类别 甲组" in page.locator("p.summary").inner_text()
    page.click("#rules button:has-text('恢复默认规则')")
    page.wait_for_url("**saved=1**")
