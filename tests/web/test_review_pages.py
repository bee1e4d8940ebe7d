"""The review cycle from the report page and the JSON API, on SQLite and PostgreSQL: review states,
corrections (checks run again), readings, versions confirmed, discarded, withdrawn and restored."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from lxml import html

from nianbao.synth import synth_cells, synth_report_text
from nianbao.web.app import create_app
from tests.web.web_helpers import broken_report_text


@pytest.fixture
def app(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, hosts=["testserver"])) as c:
        yield c


def upload(client: TestClient, name: str, data: bytes) -> dict:
    (got,) = client.post("/api/upload", files=[("files", (name, data))], data={"mode": "store"}).json()["results"]
    assert got["ok"], got
    return got


def balanced_text(year: int = 2023) -> bytes:
    """The report of :func:`broken_report_text` with its 表三 balance right (the +3 taken away)."""
    values = synth_cells(random.Random(7), "2021", scale=40)
    return synth_report_text(values, "2021", "tab", "北京市测试区司法局", year, random.Random(7)).encode()


def test_a_finding_gets_a_state_with_comment_who_and_when(app):
    rid = upload(app, "a.txt", broken_report_text())["id"]
    found = app.get(f"/api/reports/{rid}").json()["findings"]
    assert {f["state"] for f in found} == {"待核实"}
    bad = next(f for f in found if f["rule"] == "T3-BALANCE")
    r = app.post(
        f"/reports/{rid}/findings/{bad['id']}",
        data={"state": "需整改", "comment": "请核对结转数"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/reports/{rid}#findings"
    now = next(f for f in app.get(f"/api/reports/{rid}").json()["findings"] if f["id"] == bad["id"])
    assert (now["state"], now["comment"], now["who"]) == ("需整改", "请核对结转数", "本机") and now["at"]
    page = html.fromstring(app.get(f"/reports/{rid}").text)
    li = page.get_element_by_id(now["anchor"])
    assert "核查状态：需整改" in li.text_content() and "请核对结转数" in li.text_content()
    assert li.cssselect("select[name=state] option[selected]")[0].text == "需整改"
    assert app.post(f"/api/reports/{rid}/findings/{bad['id']}", data={"state": "随便"}).status_code == 400
    assert app.post(f"/api/reports/{rid}/findings/999999", data={"state": "误报"}).status_code == 404


def test_a_corrected_cell_keeps_its_printed_value_and_the_checks_run_again(app):
    rid = upload(app, "a.txt", broken_report_text())["id"]
    cells = app.get(f"/api/reports/{rid}").json()["cells"]
    path = "table3.carried_forward.natural_person"
    printed = cells[path]["value"]
    for p in (path, "table3.carried_forward.total"):
        fix = {"path": p, "value": str(cells[p]["value"] - 3), "reason": "核对原件"}
        assert app.post(f"/api/reports/{rid}/corrections", data=fix).status_code == 200
    data = app.get(f"/api/reports/{rid}").json()
    assert data["cells"][path]["value"] == printed - 3 and data["cells"][path]["corrected"]
    assert data["cells"][path]["printed"] == str(printed) and data["corrections"][path]["reason"] == "核对原件"
    assert data["cells"][path]["raw"] == cells[path]["raw"]  # 数字出处's 报告中印作: the text as printed, not the fix
    assert "T3-BALANCE" not in {f["rule"] for f in data["findings"]}  # checked again on the corrected values
    td = html.fromstring(app.get(f"/reports/{rid}").text).get_element_by_id(data["cells"][path]["anchor"])
    assert "corrected" in td.get("class") and td.cssselect("s.printed")[0].text == str(printed)
    assert (
        app.post(f"/api/reports/{rid}/corrections", data={"path": path, "value": "x", "reason": "r"}).status_code == 400
    )
    assert (
        app.post(f"/api/reports/{rid}/corrections", data={"path": path, "value": "1", "reason": ""}).status_code == 400
    )
    assert app.post(f"/api/reports/{rid}/corrections/undo", data={"path": path}).status_code == 200
    assert app.get(f"/api/reports/{rid}").json()["cells"][path]["value"] == printed


def test_a_version_is_withdrawn_with_a_reason_and_restored(app):
    rid = upload(app, "a.txt", broken_report_text())["id"]
    assert app.post(f"/api/reports/{rid}/withdraw", data={"reason": " "}).status_code == 400
    r = app.post(f"/reports/{rid}/withdraw", data={"reason": "误传"}, follow_redirects=False)
    assert r.status_code == 303
    assert app.get("/api/reports").json()["total"] == 0
    page = html.fromstring(app.get(f"/reports/{rid}").text)
    assert "已撤回" in page.cssselect(".checked-only")[0].text_content() and "误传" in page.text_content()
    app.post(f"/reports/{rid}/restore")
    assert app.get("/api/reports").json()["total"] == 1
    assert [v["status"] for v in app.get(f"/api/reports/{rid}").json()["versions"]] == ["current"]


def test_what_changed_is_shown_before_a_new_version_becomes_current(app):
    one = upload(app, "v1.txt", broken_report_text())
    two = upload(app, "v2.txt", balanced_text())
    assert two["outcome"] == "pending"
    changes = app.get(f"/api/reports/{two['id']}/changes").json()
    assert (changes["old"]["id"], changes["new"]["id"]) == (one["id"], two["id"])
    changed = {c["path"] for c in changes["cells"]}
    assert "table3.carried_forward.natural_person" in changed
    assert "T3-BALANCE" in {f["rule"] for f in changes["removed"]}
    page = html.fromstring(app.get(f"/reports/{two['id']}/changes").text)
    assert len(page.cssselect("#changed-cells tbody tr")) == len(changes["cells"])
    assert page.cssselect(f'form[action="/reports/{two["id"]}/confirm"]')
    r = app.post(f"/reports/{two['id']}/discard", follow_redirects=False)
    assert r.headers["location"] == f"/reports/{one['id']}"
    assert app.get(f"/api/reports/{two['id']}").status_code == 404
    assert [r["id"] for r in app.get("/api/reports").json()["reports"]] == [one["id"]]


def test_the_problem_list_and_the_open_findings_download(app):
    import io

    import docx
    from openpyxl import load_workbook

    rid = upload(app, "a.txt", broken_report_text())["id"]
    found = app.get(f"/api/reports/{rid}").json()["findings"]
    done = next(f for f in found if f["rule"] != "T3-BALANCE")
    app.post(f"/api/reports/{rid}/findings/{done['id']}", data={"state": "误报"})
    r = app.get(f"/reports/{rid}/notice.docx")
    assert r.status_code == 200 and "filename*=UTF-8''" in r.headers["content-disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "北京市测试区司法局2023年政府信息公开工作年度报告问题清单" in text
    assert "表三“自然人”列" in text and done["message"] not in text  # 误报 is not sent back
    page = html.fromstring(app.get(f"/reports/{rid}").text)
    assert page.cssselect(f'a[href="/reports/{rid}/notice.docx"]')
    book = load_workbook(io.BytesIO(app.get("/findings.xlsx", params={"year": "2023"}).content), read_only=True)
    rows = list(book["问题"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(found) - 1 and all("北京市测试区司法局" in str(r) for r in rows[1:])
    assert (
        len(list(load_workbook(io.BytesIO(app.get("/findings.xlsx", params={"year": "2020"}).content))["问题"].rows))
        == 1
    )


def test_one_reading_of_an_ambiguous_table_is_chosen(app):
    from tests.web.web_helpers import FIXTURES

    name = "xicheng-qu-2022-blank-review-markdown.md"  # its 表四 row can be read two ways
    rid = upload(app, name, (FIXTURES / name).read_bytes())["id"]
    (offered,) = app.get(f"/api/reports/{rid}").json()["readings"]
    assert offered["table"] == "table4" and len(offered["options"]) == 2
    page = html.fromstring(app.get(f"/reports/{rid}").text)
    assert len(page.cssselect("#readings form button")) == 2
    second = offered["options"][1]["cells"]
    assert "TABLE-AMBIGUOUS" in {f["rule"] for f in app.get(f"/api/reports/{rid}").json()["findings"]}
    r = app.post(f"/reports/{rid}/readings", data={"table": "table4", "index": "1"}, follow_redirects=False)
    assert r.status_code == 303
    data = app.get(f"/api/reports/{rid}").json()
    for c in second:
        assert data["cells"][c["path"]]["shown"] == c["shown"], c["path"]
    assert "TABLE-AMBIGUOUS" not in {f["rule"] for f in data["findings"]}  # a reading chosen: no longer 置空
    assert app.post(f"/api/reports/{rid}/readings", data={"table": "table4", "index": "5"}).status_code == 400


def test_with_login_only_reviewers_change_and_their_name_is_kept(db_url):
    from tests.web.auth_helpers import ORIGIN, PASSWORD, fill_accounts

    ids = fill_accounts(db_url)

    def client(name: str) -> TestClient:
        c = TestClient(create_app(db_url, hosts=["testserver"], require_login=True)).__enter__()
        login = {"name": name, "password": PASSWORD}
        assert c.post("/login", data=login, headers=ORIGIN, follow_redirects=False).status_code == 303
        return c

    reader, reviewer, scoped = client("读者"), client("审核员"), client("甲区审核员")
    try:
        files = [("files", ("a.txt", broken_report_text()))]
        assert reader.post("/api/uploads", files=files, data={"mode": "store"}, headers=ORIGIN).status_code == 403
        (up,) = reviewer.post("/api/upload", files=files, data={"mode": "store"}, headers=ORIGIN).json()["results"]
        rid = up["id"]
        finding = next(f for f in reader.get(f"/api/reports/{rid}").json()["findings"] if f["rule"] == "T3-BALANCE")
        assert reader.post(f"/api/reports/{rid}/withdraw", data={"reason": "x"}, headers=ORIGIN).status_code == 403
        url = f"/api/reports/{rid}/findings/{finding['id']}"
        assert reader.post(url, data={"state": "误报"}, headers=ORIGIN).status_code == 403
        assert reviewer.post(url, data={"state": "已核实"}, headers=ORIGIN).json()["who"] == "审核员"
        assert (
            scoped.post(f"/api/reports/{ids['away']}/withdraw", data={"reason": "x"}, headers=ORIGIN).status_code == 404
        )
        assert (
            reviewer.post(f"/api/reports/{ids['away']}/withdraw", data={"reason": "重复"}, headers=ORIGIN).status_code
            == 200
        )
        (kept,) = scoped.post("/api/upload", files=files, data={"mode": "store"}, headers=ORIGIN).json()["results"]
        assert kept["outcome"] == "checked" and "超出本账户的地区范围（甲区）" in kept["refused"]
        again = scoped.post("/api" + kept["check_url"] + "/store", headers=ORIGIN)
        assert again.status_code == 403 and "不能入库" in again.json()["error"]
        (version,) = reviewer.get(f"/api/reports/{ids['away']}").json()["versions"]
        assert (version["status"], version["who"], version["reason"]) == ("withdrawn", "审核员", "重复")
    finally:
        for c in (reader, reviewer, scoped):
            c.__exit__(None, None, None)


def test_a_check_only_job_then_stored(app):
    files = [("files", ("a.txt", broken_report_text())), ("files", ("b.txt", b" "))]
    job = app.post("/api/uploads", files=files, data={"mode": "check"}).json()["job"]
    for _ in range(300):
        done = app.get(f"/api/uploads/{job}").json()
        if done["done"]:
            break
        time.sleep(0.05)
    assert (done["summary"]["checked"], done["summary"]["unreadable"]) == (1, 1)
    assert app.get("/api/reports").json()["total"] == 0
    stored = app.post(f"/api/uploads/{job}/0/store").json()
    assert stored["status"] == "loaded" and app.get("/api/reports").json()["total"] == 1
    assert app.get(f"/api/reports/{stored['id']}").json()["versions"][0]["original"]
