"""The dashboard in headless Debian Chromium: the counts behind every chart, a click on a bar
opens the reports behind it, charts download as PNG and SVG. Skipped when /usr/bin/chromium is
absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.test_browser import browser, live, page, served  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

CHART = "echarts.getInstanceByDom(document.getElementById('{id}'))"


def click_bar(page, chart_id: str, series: int, index: int, value: float) -> None:  # noqa: F811
    """Clicks the middle of one bar, found through the chart's own coordinates."""
    page.locator(f"#{chart_id}").scroll_into_view_if_needed()
    x, y = page.evaluate(
        f"() => {CHART.format(id=chart_id)}.convertToPixel({{seriesIndex: {series}}}, [{index}, {value}])"
    )
    box = page.locator(f"#{chart_id}").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def ready(page, chart_id: str) -> None:  # noqa: F811
    page.wait_for_selector(f"#{chart_id}[data-ready] canvas")
    page.wait_for_timeout(700)  # the bars grow in; click once they stand


def test_every_figure_says_how_many_reports_it_covers(live, page) -> None:  # noqa: F811
    data = page.request.get(f"{live}/api/dashboard").json()
    page.goto(f"{live}/dashboard")
    ready(page, "chart-years")
    assert f"所选 {data['count']} 份报告" in page.locator("#coverage-note").inner_text()
    assert "年" in page.locator("#coverage-note").inner_text()
    labels = page.evaluate(
        f"""() => {{
            const c = {CHART.format(id="chart-years")};
            const s = c.getOption().series.find((x) => x.label && x.label.show);
            return c.getOption().xAxis[0].data.map((_, i) => s.label.formatter({{dataIndex: i}}));
        }}"""
    )
    assert labels == [f"{y['reports']} 份报告" for y in data["per_year"]]
    reports_text = page.locator(".rate-reports").all_inner_texts()
    assert reports_text == [f"涵盖 {r['reports']} 份报告" for r in data["rates"]]
    assert (
        "份报告填写" in page.locator("#outcomes-note").inner_text()
        or "份" in page.locator("#outcomes-note").inner_text()
    )
    assert page.locator("#most-errors").is_visible() and page.locator("#most-warnings").is_visible()
    assert f"{data['rank_year']} 年" in page.locator("#ranking h2").inner_text()


def test_a_click_on_a_year_bar_opens_that_years_reports(live, page) -> None:  # noqa: F811
    data = page.request.get(f"{live}/api/dashboard").json()
    i, year = next((i, y) for i, y in enumerate(data["per_year"]) if y["year"] and y["new_received"])
    page.goto(f"{live}/dashboard")
    ready(page, "chart-years")
    click_bar(page, "chart-years", 0, i, year["new_received"] / 2)
    page.wait_for_url(f"**/reports?year={year['year']}")
    rows = page.locator("table.list tbody tr")
    assert rows.count() == year["reports"]


def test_coverage_and_severity_bars_drill_down(live, page) -> None:  # noqa: F811
    data = page.request.get(f"{live}/api/dashboard").json()
    cov = data["coverage"]
    s, band = next((s, g) for s, g in enumerate(cov["regions"]) if g["region"] and not g["others"])
    i = next(i for i, n in enumerate(band["counts"]) if n)
    page.goto(f"{live}/dashboard")
    ready(page, "chart-coverage")
    below = sum(g["counts"][i] for g in cov["regions"][:s])
    click_bar(page, "chart-coverage", s, i, below + band["counts"][i] / 2)
    page.wait_for_url("**/reports?**")
    assert f"year={cov['years'][i]}" in page.url and "region=" in page.url

    page.goto(f"{live}/dashboard")
    ready(page, "chart-severity")
    n = data["severity"]["reports_with_errors"]
    assert n > 0
    click_bar(page, "chart-severity", 0, n / 2, 0)
    page.wait_for_url("**/reports?status=error")


def test_charts_download_as_png_and_svg(live, page) -> None:  # noqa: F811
    page.goto(f"{live}/dashboard")
    ready(page, "chart-outcomes")
    features = page.evaluate(f"() => Object.keys({CHART.format(id='chart-outcomes')}.getOption().toolbox[0].feature)")
    assert set(features) >= {"saveAsImage", "mySvg"}
    with page.expect_download() as info:
        page.evaluate(f"() => {CHART.format(id='chart-outcomes')}.getOption().toolbox[0].feature.mySvg.onclick()")
    assert info.value.suggested_filename == "办理结果构成.svg"
    svg = Path(info.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "<path" in svg
    png = page.evaluate(f"() => {CHART.format(id='chart-outcomes')}.getDataURL({{type: 'png'}})")
    assert png.startswith("data:image/png;base64,")
