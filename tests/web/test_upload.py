"""Uploads: findings at once, many files, size limit, content sniffing, names that are never paths;
check only (自检) or store (入库), a job polled file by file, a new version waiting for confirmation."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pytest
from lxml import html
from openpyxl import load_workbook

from nianbao.web.uploading import label
from tests.web.web_helpers import FIXTURES, broken_report_text


def post(client, *files: tuple[str, bytes], url: str = "/api/upload", mode: str = "store", **kw):
    parts = [("files", (name, data, "application/octet-stream")) for name, data in files]
    return client.post(url, files=parts, data={"mode": mode}, **kw)


def test_upload_shows_the_findings_and_stores_the_report(fresh_client):
    r = post(fresh_client, ("测试区-2023.txt", broken_report_text()))
    assert r.status_code == 200
    (got,) = r.json()["results"]
    assert got["ok"] and got["status"] == "loaded" and got["year"] == 2023
    rules = {f["rule"]: f for f in got["findings"]}
    assert rules["T3-BALANCE"]["severity"] == "error" and got["counts"]["error"] >= 1
    report = fresh_client.get(f"/api/reports/{got['id']}").json()
    assert report["report"]["source_file"] == "测试区-2023.txt"
    assert [f["rule"] for f in report["findings"]] == [f["rule"] for f in got["findings"]]
    # the uploaded bytes were never written to disk, yet the 原文 panel shows them as read
    src = fresh_client.get(f"/reports/{got['id']}/source?format=json").json()
    assert src["available"] and [x["text"] for x in src["lines"]] == broken_report_text().decode().splitlines()


def test_upload_many_files_in_one_form_with_one_unreadable(fresh_client):
    good = (FIXTURES / "songzhuang-zhen-2023-tab.txt").read_bytes()
    r = post(
        fresh_client, ("a.txt", good), ("empty.txt", b"   "), ("b.txt", good), url="/upload"
    )  # without htmx: waits
    page = html.fromstring(r.text)
    cards = page.cssselect("section.upload-result")
    assert len(cards) == 3
    assert "文件为空" in cards[1].text_content()
    assert "未变化（库中已有相同文件）" in cards[2].text_content()  # same content again: a no-op
    assert fresh_client.get("/api/reports").json()["total"] == 1
    summary = page.cssselect(".job-summary")[0].text_content()
    # the same file twice is stored once: counted as 未变化, as `nianbao ingest` says (it was 入库 2)
    assert (
        "入库 1" in summary and "未变化 1" in summary and "无法读取 1" in summary and "empty.txt：文件为空" in summary
    )


def test_upload_htmx_returns_only_the_results(fresh_client):
    good = (FIXTURES / "songzhuang-zhen-2024-pipe.txt").read_bytes()
    r = post(fresh_client, ("x.txt", good), url="/upload", headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.text and "upload-result" in r.text


def test_upload_form_works_without_javascript(fresh_client):
    page = html.fromstring(fresh_client.get("/upload").text)
    (form,) = page.cssselect("form#upload")
    assert form.get("method") == "post" and form.get("action") == "/upload"
    assert form.get("enctype") == "multipart/form-data"
    assert form.cssselect('input[type="file"][name="files"][multiple]')


def test_upload_over_the_limit_is_refused(fresh_client):
    big = b"x" * (1024 * 1024 + 10)  # the test app allows 1 MB
    r = post(fresh_client, ("big.txt", big))
    assert r.status_code == 413 and "上传内容过大" in r.text
    assert fresh_client.get("/api/reports").json()["total"] == 0


def test_upload_over_the_limit_without_content_length_is_refused(fresh_client):
    def chunks():
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\n'
        for _ in range(20):
            yield b"y" * 100_000

    r = fresh_client.post("/api/upload", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert r.status_code == 413


def test_format_comes_from_the_content_not_the_name(fresh_client):
    good = (FIXTURES / "songzhuang-zhen-2023-tab.txt").read_bytes()
    (got,) = post(fresh_client, ("report.pdf", good)).json()["results"]
    assert got["ok"] and got["format"] == "txt"
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("hello.txt", "不是报告")
    (bad,) = post(fresh_client, ("report.docx", fake.getvalue())).json()["results"]
    assert not bad["ok"] and "既不是 DOCX 也不是 XLSX" in bad["error"]
    (png,) = post(fresh_client, ("report.txt", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)).json()["results"]
    assert png["format"] == "image"
    # neither a PDF nor text: no format is claimed for it (it was reported as txt)
    (broken,) = post(fresh_client, ("report.pdf", bytes(range(256)) * 8)).json()["results"]
    assert not broken["ok"] and broken["format"] is None and "不是有效的 PDF 文件" in broken["error"]


def test_file_names_never_become_paths(fresh_client, tmp_path):
    before = set(os.listdir(tmp_path))
    good = (FIXTURES / "songzhuang-zhen-2023-tab.txt").read_bytes()
    (got,) = post(fresh_client, ("../../../../tmp/evil\x00<script>.txt", good)).json()["results"]
    assert got["file"].endswith("<script>.txt") and got["file"].startswith("evil") and "/" not in got["file"]
    assert not os.path.exists("/tmp/evil<script>.txt") and not os.path.exists("/tmp/evil")
    assert set(os.listdir(tmp_path)) - before <= {"up.db-wal", "up.db-shm"}
    page = fresh_client.get(f"/reports/{got['id']}").text
    assert "<script>.txt" not in page and "&lt;script&gt;.txt" in page


def test_label_keeps_only_the_last_part_of_a_name():
    assert label("C:\\Users\\x\\报告.docx") == "报告.docx"
    assert label("../../etc/passwd") == "passwd"
    assert label("a\x00b\x1fc.txt") == "abc.txt"
    assert label("") == label(None) == "未命名文件"
    assert len(label("长" * 500)) == 120


SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def test_the_seed_reports_upload_browse_and_export(fresh_client):
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not here")
    files = sorted(SEEDS.glob("*.txt"))
    results = post(fresh_client, *((f.name, f.read_bytes()) for f in files)).json()["results"]
    assert [r["ok"] for r in results] == [True] * len(files), [r.get("error") for r in results]
    for r in results:
        page = fresh_client.get(f"/reports/{r['id']}")
        assert page.status_code == 200 and 'id="table3"' in page.text
        data = fresh_client.get(f"/api/reports/{r['id']}").json()
        assert data["cells"]["table3.new_received.total"]["value"] is not None
        assert data["cells"]["table3.new_received.total"]["where"]
    wb = load_workbook(io.BytesIO(fresh_client.get("/export.xlsx").content), read_only=True)
    assert len(list(wb["报告"].iter_rows(values_only=True))) == len(files) + 1
    assert fresh_client.get("/dashboard").status_code == 200


def test_upload_shows_the_carry_over_against_last_year(fresh_client):
    for name in ("songzhuang-zhen-2023-tab.txt", "songzhuang-zhen-2024-pipe.txt"):
        (got,) = post(fresh_client, (name, (FIXTURES / name).read_bytes())).json()["results"]
    cross = [f for f in got["findings"] if f["cross"]]
    assert {f["rule"] for f in cross} >= {"DUPLICATE-TEXT"}  # the 2024 text repeats 2023's
    report = fresh_client.get(f"/api/reports/{got['id']}").json()["cells"]
    earlier = fresh_client.get("/api/reports", params={"year": "2023"}).json()["reports"][0]["id"]
    forward = fresh_client.get(f"/api/reports/{earlier}").json()["cells"]["table3.carried_forward.total"]["value"]
    # 2023 结转下年度 总计 2, 2024 上年结转 总计 2 (read in the two files): the chain holds
    assert (forward, report["table3.carried_over.total"]["value"]) == (2, 2)
    assert "CARRYOVER" not in {f["rule"] for f in cross}
    assert all("songzhuang-zhen-2023-tab.txt" in f["files"] for f in cross)


def test_a_changed_file_waits_as_a_new_version_until_confirmed(fresh_client):
    first = broken_report_text(2023)
    (one,) = post(fresh_client, ("v1.txt", first)).json()["results"]
    (two,) = post(fresh_client, ("v2.txt", first.replace("全年".encode(), "本年".encode()) + b"\n")).json()["results"]
    assert (one["status"], two["status"], two["outcome"], two["version"]) == ("loaded", "pending", "pending", 2)
    listed = fresh_client.get("/api/reports").json()["reports"]
    assert [r["id"] for r in listed] == [one["id"]]  # version 1 stays current until version 2 is confirmed
    page = html.fromstring(fresh_client.get(f"/reports/{two['id']}").text)
    items = [li.text_content() for li in page.cssselect("#versions li")]
    assert len(items) == 2 and "待确认" in items[1] and "（本页）" in items[1] and "现行" in items[0]
    assert page.cssselect(f'form[action="/reports/{two["id"]}/confirm"]')
    r = fresh_client.post(f"/reports/{two['id']}/confirm", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/reports/{two['id']}"
    assert [r["id"] for r in fresh_client.get("/api/reports").json()["reports"]] == [two["id"]]
    statuses = [v["status"] for v in fresh_client.get(f"/api/reports/{two['id']}").json()["versions"]]
    assert statuses == ["earlier", "current"]


def test_posts_from_another_site_are_refused(fresh_client):
    good = (FIXTURES / "songzhuang-zhen-2023-tab.txt").read_bytes()
    r = post(fresh_client, ("a.txt", good), url="/upload", headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "其他网站" in r.text
    assert fresh_client.get("/api/reports").json()["total"] == 0
    assert post(fresh_client, ("a.txt", good), headers={"Origin": "http://testserver"}).status_code == 200


def wait(client, job: str) -> dict:
    for _ in range(300):
        got = client.get(f"/api/uploads/{job}").json()
        if got["done"]:
            return got
        time.sleep(0.05)
    raise AssertionError("the upload job did not finish")


def test_check_only_stores_nothing_yet_gives_the_full_report_and_can_be_stored(fresh_client):
    (got,) = post(fresh_client, ("自检.txt", broken_report_text()), mode="check").json()["results"]
    assert got["ok"] and got["outcome"] == "checked" and "id" not in got
    assert fresh_client.get("/api/reports").json()["total"] == 0  # nothing stored
    report = fresh_client.get("/api" + got["check_url"]).json()
    assert report["report"]["agency"] == "北京市测试区司法局" and report["report"]["id"] is None
    assert report["cells"]["table3.new_received.total"]["where"]
    assert "T3-BALANCE" in {f["rule"] for f in report["findings"]}
    page = html.fromstring(fresh_client.get(got["check_url"]).text)
    assert (
        page.cssselect("table#table3 td.sev-error") and "尚未入库" in page.cssselect(".checked-only")[0].text_content()
    )
    assert page.cssselect("#src-text")[0].get("data-url") == got["check_url"] + "/source"
    src = fresh_client.get(got["check_url"] + "/source?format=json").json()
    assert [x["text"] for x in src["lines"]] == broken_report_text().decode().splitlines()
    assert fresh_client.get("/api/reports").json()["total"] == 0

    stored = fresh_client.post("/api" + got["check_url"] + "/store").json()
    assert stored["status"] == "loaded" and stored["url"] == f"/reports/{stored['id']}"
    assert fresh_client.get("/api/reports").json()["total"] == 1
    (version,) = fresh_client.get(f"/api/reports/{stored['id']}").json()["versions"]
    assert version["original"]  # the uploaded bytes are kept
    assert fresh_client.get(got["check_url"]).status_code == 404  # stored: the kept reading is gone


def test_a_job_tells_each_file_and_ends_with_a_summary(fresh_client):
    good = (FIXTURES / "songzhuang-zhen-2023-tab.txt").read_bytes()
    files = [("a.txt", good), ("empty.txt", b"  "), ("b.txt", broken_report_text())]
    r = post(fresh_client, *files, url="/api/uploads", mode="check")
    assert r.status_code == 202
    started = r.json()
    assert [f["file"] for f in started["files"]] == ["a.txt", "empty.txt", "b.txt"]
    done = wait(fresh_client, started["job"])
    assert [f["state"] for f in done["files"]] == ["done"] * 3
    summary = done["summary"]
    assert (summary["total"], summary["checked"], summary["stored"], summary["unreadable"]) == (3, 2, 0, 1)
    assert summary["reasons"] == [{"file": "empty.txt", "error": "文件为空"}]
    page = html.fromstring(fresh_client.get(f"/uploads/{started['job']}").text)
    cards = page.cssselect("section.upload-result")
    assert [c.get("class").split()[-2:] for c in cards[::2]] == [
        ["sev-clean", "outcome-checked"],
        ["sev-error", "outcome-checked"],
    ]
    assert "bad" in cards[1].get("class")
    assert fresh_client.get("/api/uploads/nope").status_code == 404


def test_the_htmx_fragment_polls_until_the_job_is_done(fresh_client):
    r = post(fresh_client, ("x.txt", broken_report_text()), url="/upload", mode="check", headers={"HX-Request": "true"})
    job = html.fromstring(r.text).get_element_by_id("job").get("data-job")
    wait(fresh_client, job)
    done = html.fromstring(fresh_client.get(f"/uploads/{job}", headers={"HX-Request": "true"}).text)
    assert done.get_element_by_id("job").get("hx-trigger") is None  # no more polling
    assert "仅核对 1" in done.cssselect(".job-summary")[0].text_content()


def test_the_limit_stated_is_the_limit_enforced(fresh_client):
    page = html.fromstring(fresh_client.get("/upload").text)
    assert "一次上传的文件合计不超过 1 MB" in page.cssselect("p.lead")[0].text_content()
    half = b"x" * (600 * 1024)  # two files under 1 MB each, 1.2 MB together: refused as one upload
    assert post(fresh_client, ("a.txt", half), ("b.txt", half)).status_code == 413


def test_storing_needs_an_explicit_mode(fresh_client):
    assert post(fresh_client, ("a.txt", b"x"), mode="maybe").status_code == 422
    good = (FIXTURES / "songzhuang-zhen-2023-tab.txt").read_bytes()
    files = [("files", ("a.txt", good, "text/plain"))]
    r = fresh_client.post("/upload", files=files)  # the page's default (a dropped file): check only
    assert "仅核对" in r.text and fresh_client.get("/api/reports").json()["total"] == 0


def test_check_only_is_checked_against_the_agencys_stored_years(fresh_client):
    post(fresh_client, ("2023.txt", (FIXTURES / "songzhuang-zhen-2023-tab.txt").read_bytes()))
    name = "songzhuang-zhen-2024-pipe.txt"
    (got,) = post(fresh_client, (name, (FIXTURES / name).read_bytes()), mode="check").json()["results"]
    cross = [f for f in got["findings"] if f["cross"]]
    assert {f["rule"] for f in cross} >= {"DUPLICATE-TEXT"} and all("2023.txt" in f["files"] for f in cross)
    page = fresh_client.get("/api" + got["check_url"]).json()
    assert {f["rule"] for f in page["findings"] if f["cross"]} == {f["rule"] for f in cross}
    assert fresh_client.get("/api/reports").json()["total"] == 1


def test_check_only_shows_what_would_change_against_the_current_version(fresh_client):
    (one,) = post(fresh_client, ("v1.txt", broken_report_text())).json()["results"]
    again = broken_report_text().replace("全年".encode(), "本年".encode()) + b"\n"
    (got,) = post(fresh_client, ("v2.txt", again), mode="check").json()["results"]
    assert got["changes"]["against"]["id"] == one["id"] and got["changes"]["cells"] == 0
    changes = fresh_client.get("/api" + got["check_url"] + "/changes").json()
    assert changes["old"]["id"] == one["id"] and changes["new"]["id"] is None and changes["cells"] == []
    page = html.fromstring(fresh_client.get(got["check_url"] + "/changes").text)
    assert "这份文件（仅核对）" in page.cssselect("h1")[0].text_content()
    assert page.cssselect(f'form[action="{got["check_url"]}/store"]')
    assert fresh_client.get("/api/reports").json()["total"] == 1
    (first,) = post(fresh_client, ("other.txt", broken_report_text(2019)), mode="check").json()["results"]
    assert first["changes"] is None and fresh_client.get(first["check_url"] + "/changes").status_code == 404
