"""Download buttons: XLSX read back with openpyxl, CSV with a BOM, JSON in the cli.md format."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from tests.web.web_helpers import AGENCY


def test_xlsx_of_the_selection(client, ids):
    r = client.get("/export.xlsx", params={"agency": AGENCY})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert r.headers["content-disposition"].startswith("attachment;")
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    assert wb.sheetnames == ["报告", "表二 主动公开", "表三 申请办理", "表四 复议诉讼", "问题"]
    rows = list(wb["报告"].iter_rows(values_only=True))
    assert rows[0][:2] == ("报告编号", "报告机关")
    assert sorted(r[0] for r in rows[1:]) == sorted(ids[n] for n in ("a2022", "a2023", "a2024"))
    problems = list(wb["问题"].iter_rows(values_only=True))
    assert any(p[3] == "T3-BALANCE" and p[0] == ids["a2023"] for p in problems[1:])


def test_csv_and_json_of_the_selection(client, ids):
    r = client.get("/export.csv", params={"year": "2024"})
    assert r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["报告编号", "报告机关", "年度"]
    assert {row[2] for row in rows[1:]} == {"2024"}
    docs = json.loads(client.get("/export.json", params={"year": "2024"}).content)
    assert {d["year"] for d in docs} == {2024} and all("table3" in d for d in docs)


def test_one_report_export(client, ids):
    rid = ids["a2023"]
    wb = load_workbook(io.BytesIO(client.get(f"/reports/{rid}/export.xlsx").content), read_only=True)
    # four header rows (the template's grouping), then the report
    assert [r[0] for r in list(wb["表三 申请办理"].iter_rows(values_only=True))[4:]] == [rid]
    (one,) = json.loads(client.get(f"/reports/{rid}/export.json").content)
    assert one["agency"] == AGENCY and one["year"] == 2023


def test_wide_csv_and_json_lines_of_the_selection(client, ids):
    r = client.get("/export.wide.csv", params={"agency": AGENCY})
    assert r.headers["content-disposition"].endswith('.wide.csv"')
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 4 and len(rows[0]) > 200 and len(set(len(x) for x in rows)) == 1
    assert sorted(int(x[0]) for x in rows[1:]) == sorted(ids[n] for n in ("a2022", "a2023", "a2024"))
    lines = client.get("/export.jsonl", params={"agency": AGENCY}).content.decode().splitlines()
    assert sorted(json.loads(x)["year"] for x in lines) == [2022, 2023, 2024]
    rid = ids["a2023"]
    (one,) = client.get(f"/reports/{rid}/export.jsonl").content.decode().splitlines()
    assert json.loads(one)["year"] == 2023


def test_unknown_report_or_kind(client):
    assert client.get("/reports/999999/export.xlsx").status_code == 404
    assert client.get("/reports/99999999999/export.csv").status_code == 404
    assert client.get("/export.exe").status_code == 422


def test_download_buttons_are_on_the_pages(client, ids):
    for url, href in (
        ("/reports", "/export.xlsx"),
        ("/dashboard", "/export.xlsx"),
        ("/dashboard", "/export.wide.csv"),
        ("/dashboard", "/export.jsonl"),
        (f"/reports/{ids['a2022']}", f"/reports/{ids['a2022']}/export.xlsx"),
    ):
        assert f'href="{href}' in client.get(url).text


def test_streamed_in_many_batches_on_sqlite_and_postgresql(db_url, monkeypatch):
    """Batches of two through the web app (the response streams from a worker thread) on both databases."""
    from fastapi.testclient import TestClient

    from nianbao.store import exports
    from nianbao.store.db import Store, connect
    from nianbao.web.app import create_app
    from tests.builders import numbered_report

    monkeypatch.setattr(exports, "BATCH", 2)
    monkeypatch.setattr(exports, "DOCUMENT_BATCH", 2)
    store = Store(connect(db_url))
    for i in range(7):
        store.save(numbered_report(agency=f"某县第{i}局", year=2020 + i % 3, seed=i), [])
    with TestClient(create_app(db_url, hosts=["testserver"])) as c:
        lines = c.get("/export.jsonl").content.decode().splitlines()
        assert sorted(json.loads(x)["agency"] for x in lines) == sorted(f"某县第{i}局" for i in range(7))
        rows = list(csv.reader(io.StringIO(c.get("/export.wide.csv").content.decode("utf-8-sig"))))
        assert len(rows) == 8 and [int(r[3]) for r in rows[1:]] == sorted((int(r[3]) for r in rows[1:]), reverse=True)
        wb = load_workbook(io.BytesIO(c.get("/export.xlsx", params={"year": "2021"}).content))
        assert len(list(wb["报告"].iter_rows(values_only=True))) == 1 + 2
