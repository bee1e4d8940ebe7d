"""The real app (uvicorn on a free port) driven in headless Debian Chromium through Playwright.

Skipped when /usr/bin/chromium is absent. ``NIANBAO_SCREENSHOTS=docs`` also writes
``docs/screenshot-report.png`` and ``docs/screenshot-dashboard.png`` for the README."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from nianbao.pipeline import process
from nianbao.store.db import Store, connect
from tests.web.live import serve
from tests.web.web_helpers import AGENCY, broken_report_text, fill

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int]]]:
    """The app over a filled SQLite store, served by uvicorn in a thread: its base URL and the report ids."""
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'store.db'}"
    ids = fill(url, script_in_name=False)  # the pictures for the README show plain names
    on_disk = tmp_path_factory.mktemp("files") / "北京市测试区司法局2023年度报告.txt"
    on_disk.write_bytes(broken_report_text())
    done = process(on_disk)
    ids["on_disk"] = Store(connect(url)).save(done.report, done.findings, done.source()).report_id
    with serve(url) as base:
        yield base, ids


@pytest.fixture(scope="module")
def live(served: tuple[str, dict[str, int]]) -> str:
    return served[0]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (/usr/bin/chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN")
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield p
    context.close()
    assert not errors, errors  # no script errors and no blocked (CSP) or missing assets


def shot(page, name: str, tmp_path: Path, **kw) -> None:
    page.screenshot(path=str(tmp_path / name), **kw)
    if os.environ.get("NIANBAO_SCREENSHOTS") == "docs":
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / name), **kw)


def test_upload_then_report_page_with_findings_and_sources(live, page, tmp_path):
    page.goto(f"{live}/upload")
    report = tmp_path / "北京市测试区司法局2022年报告.txt"
    report.write_bytes(broken_report_text(2022))
    page.set_input_files("#files", str(report))
    page.click("form#upload button[type=submit]")
    card = page.wait_for_selector("#results section.upload-result.readable")
    assert "T3-BALANCE" in card.inner_text() and "错误" in card.inner_text()
    assert page.url.endswith("/upload")  # htmx swapped the results in; no reload

    page.click("#results a.button")
    page.wait_for_selector("table#table3")
    bad = page.locator("table#table3 td.sev-error").first
    assert bad.is_visible()
    bad.locator("a.flag").first.click()
    target = page.locator("ol.findings li:target")
    assert "T3-BALANCE" in target.inner_text()

    bad.locator("button.v").click()
    source = page.locator("aside#source .src-body")
    assert source.is_visible()
    assert "表三" in page.locator("aside#source .src-label").inner_text()
    assert page.locator("aside#source .src-where span").inner_text().startswith("第")
    assert page.locator("aside#source .src-raw mark").inner_text() == bad.locator("button.v").inner_text()
    assert page.locator("aside#source .src-findings li").count() >= 1

    new = page.locator("#c-table3-new_received-total button.v")
    new.click()
    assert page.locator('mark.fact[data-cell="table3.new_received.total"]').count() >= 1  # 共收到…件 in the text
    assert page.locator("mark.fact.lit").count() >= 1
    # the uploaded bytes were never written to disk, yet the panel shows the file's own line, the number marked
    lit = page.locator("#src-text li.lit")
    lit.first.wait_for()
    assert lit.first.locator("mark").inner_text() == new.inner_text()


def test_drag_and_drop_uploads(live, page):
    page.goto(f"{live}/upload")
    text = broken_report_text(2024).decode()
    page.evaluate(
        """text => {
            const dt = new DataTransfer();
            dt.items.add(new File([text], "dropped.txt", {type: "text/plain"}));
            document.getElementById("zone").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
        }""",
        text,
    )
    card = page.wait_for_selector("#results section.upload-result")
    assert "dropped.txt" in card.inner_text()


def test_dashboard_draws_charts_and_exports_xlsx(live, page, tmp_path):
    from openpyxl import load_workbook

    page.goto(f"{live}/dashboard")
    page.wait_for_selector("#chart-years canvas")
    page.wait_for_selector("#chart-outcomes canvas")
    assert page.locator(".rate").count() == 5
    assert "予以公开率" in page.locator(".rates").inner_text()
    page.wait_for_timeout(600)  # let the chart animation finish before the picture
    shot(page, "screenshot-dashboard.png", tmp_path, full_page=True)

    with page.expect_download() as info:
        page.click("a[href^='/export.xlsx']")
    data = Path(info.value.path()).read_bytes()
    wb = load_workbook(io.BytesIO(data), read_only=True)
    assert "表三 申请办理" in wb.sheetnames
    assert len(list(wb["报告"].iter_rows(values_only=True))) > 1


def test_list_filters_and_script_stays_text(live, page):
    page.goto(f"{live}/reports")
    page.select_option("select[name=status]", "error")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**status=error**")
    rows = page.locator("table.list tbody tr")
    assert rows.count() >= 1
    page.goto(f"{live}/reports?q=测试街道")
    page.click("table.list tbody tr a >> nth=1")
    page.wait_for_selector("table#table3")
    assert "<script>alert('x')</script><b>粗体</b>" in page.locator("#s-overview .para").inner_text()
    assert page.evaluate("document.querySelectorAll('main script').length") == 0


def test_a_capped_list_pages_on_without_a_page_count(served, page, monkeypatch):
    from nianbao.store import queries
    from nianbao.web.pages import reports as reports_page

    live, ids = served
    monkeypatch.setattr(queries, "CAP", 1)  # the search counts up to 1, shows "1+"
    monkeypatch.setattr(reports_page, "PAGE_SIZE", 1)
    page.goto(f"{live}/reports?q={AGENCY}")
    assert page.locator("h1 small").inner_text() == "共 1+ 份"
    assert page.locator("nav.pager span").inner_text() == "第 1 页"
    page.click("nav.pager a:has-text('下一页')")
    page.wait_for_url("**page=2**")
    assert page.locator("nav.pager span").inner_text() == "第 2 页"
    assert page.locator("table.list tbody tr").count() == 1
    seen = 2
    while page.locator("nav.pager a:has-text('下一页')").count():
        page.click("nav.pager a:has-text('下一页')")
        page.wait_for_url(f"**page={seen + 1}**")
        seen += 1
    assert page.locator("table.list tbody tr").count() in (0, 1)  # the end: an empty page past a full last one
    monkeypatch.setattr(reports_page, "PAGE_SIZE", 50)  # one page: the exact total, with the page count
    page.goto(f"{live}/reports?q={AGENCY}")
    assert page.locator("h1 small").inner_text() == f"共 {page.locator('table.list tbody tr').count()} 份"
    assert page.locator("nav.pager span").count() == 0 or "/" in page.locator("nav.pager span").inner_text()


def test_a_number_is_shown_where_the_report_printed_it(served, page):
    base, ids = served
    page.goto(f"{base}/reports/{ids['songzhuang-zhen-2024-pipe.txt']}")
    button = page.locator("#c-table2-licensing-decisions button.v")
    button.click()
    line = page.wait_for_selector("#src-text li.lit")
    assert line.get_attribute("data-key") == button.get_attribute("data-key")
    assert line.query_selector("mark").inner_text() == button.inner_text()
    assert page.locator("#src-text li.lit").count() == 1


def test_report_page_picture(served, page, tmp_path):
    """A report read from a file: the marked cells, a clicked number and the line it came from."""
    base, ids = served
    page.set_viewport_size({"width": 1400, "height": 1720})
    page.goto(f"{base}/reports/{ids['on_disk']}")
    button = page.locator("#c-table3-carried_forward-natural_person button.v")
    button.click()
    page.wait_for_selector("#src-text li.lit")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "screenshot-report.png", tmp_path)


def test_too_large_an_upload_is_refused_in_the_page(live, page, tmp_path):
    page.goto(f"{live}/upload")
    page.evaluate("document.getElementById('upload').dataset.maxBytes = '1000'")  # pretend a 1 KB limit
    big = tmp_path / "big.txt"
    big.write_bytes(broken_report_text())
    page.set_input_files("#files", str(big))
    page.click("form#upload button[type=submit]")
    assert "超过" in page.wait_for_selector("#results p.unreadable").inner_text()


def test_many_files_show_progress_then_a_summary(live, page, tmp_path):
    page.goto(f"{live}/upload")
    files = []
    for year in (2019, 2020, 2021):
        f = tmp_path / f"北京市测试区司法局{year}年报告.txt"
        f.write_bytes(broken_report_text(year))
        files.append(str(f))
    empty = tmp_path / "空白.txt"
    empty.write_bytes(b"  ")
    page.set_input_files("#files", [*files, str(empty)])
    page.click("form#upload button.mode-check")
    summary = page.wait_for_selector("#results .job-summary", timeout=60_000)
    assert (
        "仅核对 3" in summary.inner_text()
        and "无法读取 1" in summary.inner_text()
        and "空白.txt：文件为空" in summary.inner_text()
    )
    assert page.locator("#results section.upload-result.sev-error").count() == 3
    assert page.locator("#results section.upload-result.bad").count() == 1
    # one of them stored after all, from its card
    page.locator("#results section.upload-result.sev-error form button.store").first.click()
    page.wait_for_url("**/reports/*")
    assert page.locator("table#table3").is_visible() and "待确认" not in page.locator(".report-head").inner_text()


def test_a_reviewer_marks_a_finding_and_corrects_a_cell(served, page):
    base, ids = served
    rid = ids["on_disk"]
    page.goto(f"{base}/reports/{rid}")
    item = page.locator("ol.findings li", has_text="T3-BALANCE").first
    item.locator("select[name=state]").select_option("已核实")
    item.locator("input[name=comment]").fill("与原件一致")
    item.locator("button[type=submit]").click()
    page.wait_for_selector("ol.findings li:has-text('核查状态：已核实')")
    assert "与原件一致" in page.locator("ol.findings li", has_text="T3-BALANCE").first.inner_text()

    cell = page.locator("#c-table3-carried_forward-natural_person")
    printed = cell.locator("button.v").inner_text()
    cell.locator("button.v").click()
    page.locator("#source details.fix summary").click()
    page.wait_for_selector("#source details.fix[open] input[name=value]")
    page.fill("#source .fix input[name=value]", str(int(printed) - 3))
    page.fill("#source .fix input[name=reason]", "核对原件")
    page.click("#source .fix button[type=submit]")
    page.wait_for_selector("#c-table3-carried_forward-natural_person.corrected")
    cell = page.locator("#c-table3-carried_forward-natural_person")
    assert cell.locator("s.printed").inner_text() == printed
    cell.locator("button.v").click()
    assert page.locator("#source .src-fixed").is_visible()
    assert printed in page.locator("#source .src-fixed s").inner_text()
    # 报告所载 / 报告中印作 say what the report printed, not the correction
    assert page.locator("#source .src-value").inner_text() == f"报告所载：{printed}"
    assert page.locator("#source .src-raw mark").inner_text() == printed


def test_a_phone_sees_the_report_without_panning_and_the_panel_beside_the_number(served, browser):
    base, ids = served
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for url in (f"/reports/{ids['on_disk']}", "/reports", "/upload"):
            page.goto(base + url)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        page.goto(f"{base}/reports/{ids['on_disk']}")
        button = page.locator("#c-table3-carried_forward-natural_person button.v")
        button.scroll_into_view_if_needed()
        button.tap()
        panel = page.locator("aside#source")
        page.wait_for_selector("aside#source.overlay")
        cell, box = button.bounding_box(), panel.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844  # on screen, where the finger is
        assert abs(box["y"] - (cell["y"] + cell["height"])) < 12 or abs(box["y"] + box["height"] - cell["y"]) < 12
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
    assert not errors, errors


def test_a_new_version_is_confirmed_after_its_changes_are_seen(live, page, tmp_path):
    first, second = tmp_path / "北京市测试区司法局2018年报告.txt", tmp_path / "北京市测试区司法局2018年报告（改）.txt"
    first.write_bytes(broken_report_text(2018))
    second.write_bytes(broken_report_text(2018).replace("全年".encode(), "本年".encode()) + b"\n")
    for f in (first, second):
        page.goto(f"{live}/upload")
        page.set_input_files("#files", str(f))
        page.click("form#upload button.mode-store")
        page.wait_for_selector("#results .job-summary")
    assert "新版本待确认 1" in page.locator("#results .job-summary").inner_text()
    page.locator("#results .pending a.button").click()
    page.wait_for_selector("#changed-cells")
    assert "第 1 版 → 第 2 版" in page.locator("h1").inner_text()
    page.click("form[action$='/confirm'] button")
    page.wait_for_selector("#versions")
    items = page.locator("#versions li")
    assert "旧版" in items.nth(0).inner_text() and "现行" in items.nth(1).inner_text()
    items.nth(0).locator("input[name=reason]").fill("重复上传")
    items.nth(0).locator("button").click()
    page.wait_for_selector("#versions li.v-withdrawn")
    assert "重复上传" in page.locator("#versions li.v-withdrawn").inner_text()
