"""The screenshots of docs/review.md: the January review cycle walked in Debian's chromium.

    .venv/bin/python -m tests.web.shots            # writes docs/review/*.png

The app runs over a new SQLite store in a temporary folder, with invented reports (``nianbao.synth``);
each picture is one part of a page (an element, not the whole page), so the files stay small."""

from __future__ import annotations

import random
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

from nianbao.synth import synth_cells, synth_report_text
from nianbao.web.app import create_app
from tests.web.test_browser import ARGS, CHROMIUM

OUT = Path(__file__).resolve().parents[2] / "docs" / "review"
AGENCY = "北京市测试区司法局"


def report(year: int, seed: int, broken: bool) -> bytes:
    """An invented report of :data:`AGENCY`; ``broken``: its 表三 balance fails (自然人 +3)."""
    values = synth_cells(random.Random(seed), "2021", scale=40)
    if broken:
        for p in ("table3.carried_forward.natural_person", "table3.carried_forward.total"):
            values[p] = (values[p] or 0) + 3
    return synth_report_text(values, "2021", "tab", AGENCY, year, random.Random(seed)).encode()


def serve(url: str) -> tuple[uvicorn.Server, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def shoot(page: Page, selector: str, name: str, most: int = 640) -> None:
    """The element ``selector`` (its first ``most`` pixels) as ``docs/review/{name}``."""
    box = page.locator(selector).first.evaluate(
        "el => { const r = el.getBoundingClientRect(); return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; }"
    )
    clip = {**box, "height": min(box["height"], most)}
    page.screenshot(path=str(OUT / name), clip=clip, full_page=True, animations="disabled")
    print(OUT / name)


def walk(page: Page, base: str, files: Path) -> None:
    # 1 collect and check only (自检): many files, each file's progress, a summary
    page.goto(f"{base}/upload")
    names = []
    for year, broken in ((2023, True), (2022, False)):
        f = files / f"{AGENCY}{year}年度报告.txt"
        f.write_bytes(report(year, year, broken))
        names.append(str(f))
    (files / "扫描失败.txt").write_bytes(b"  ")
    page.set_input_files("#files", [*names, str(files / "扫描失败.txt")])
    page.click("form#upload button.mode-check")
    page.wait_for_selector("#results .job-summary")
    shoot(page, "#results", "1-check-only.png")
    # 2 the check-only report page, then 入库
    page.locator("#results section.sev-error a.button").first.click()
    page.wait_for_selector("table#table3")
    shoot(page, ".report-head", "2-check-report.png")
    page.click(".checked-only button.store")
    page.wait_for_url("**/reports/*")
    rid = page.url.rstrip("/").split("/")[-1]
    # 3 a finding worked through
    item = page.locator("ol.findings li", has_text="T3-BALANCE").first
    item.locator("select[name=state]").select_option("需整改")
    item.locator("input[name=comment]").fill("结转数与收支不平衡，请单位核对")
    item.locator("button[type=submit]").click()
    page.wait_for_selector("ol.findings li:has-text('核查状态：需整改')")
    shoot(page, "#findings", "3-finding-state.png")
    # 4 a cell corrected from 数字出处 (here only to show the panel; the reviewer would correct a misread number)
    page.locator("#c-table3-carried_forward-natural_person button.v").click()
    page.locator("#source details.fix summary").click()
    page.fill("#source .fix input[name=reason]", "核对原件：原件印作此数")
    shoot(page, "aside#source", "4-correct.png")
    # 5 re-upload: a new version waits; what changed; confirm
    page.goto(f"{base}/upload")
    fixed = files / f"{AGENCY}2023年度报告（修改稿）.txt"
    fixed.write_bytes(report(2023, 2023, False))
    page.set_input_files("#files", str(fixed))
    page.click("form#upload button.mode-store")
    page.wait_for_selector("#results .job-summary")
    page.locator("#results .pending a.button").click()
    page.wait_for_selector("#changed-cells")
    shoot(page, "main", "5-changes.png")
    page.click("form[action$='/confirm'] button")
    page.wait_for_selector("#versions")
    shoot(page, "#versions", "6-versions.png")
    # 6 the same report on a phone
    page.set_viewport_size({"width": 390, "height": 700})
    page.goto(f"{base}/reports/{rid}")
    button = page.locator("#c-table3-new_received-total button.v")
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_selector("#src-text li.lit")
    page.screenshot(path=str(OUT / "7-phone.png"), animations="disabled")
    print(OUT / "7-phone.png")


def main() -> int:
    if not CHROMIUM.exists():
        print("需要 Debian 的 chromium（/usr/bin/chromium）", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server, base = serve(f"sqlite:///{Path(tmp) / 'store.db'}")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
                page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="zh-CN")
                walk(page, base, Path(tmp))
                browser.close()
        finally:
            server.should_exit = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
