"""The web app over a real PostgreSQL store (the server the store tests start)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from nianbao.web.app import create_app
from tests.web.web_helpers import AGENCY, broken_report_text, fill

pytestmark = pytest.mark.postgres


def test_pages_and_upload_on_postgresql(pg_database):
    url = pg_database
    ids = fill(url)
    with TestClient(create_app(url, hosts=["testserver"])) as client:
        assert client.get("/api/reports").json()["total"] == len(ids)
        report = client.get(f"/api/reports/{ids['a2023']}").json()
        assert report["report"]["agency"] == AGENCY
        assert any(f["rule"] == "T3-BALANCE" for f in report["findings"])
        assert client.get(f"/reports/{ids['a2023']}").status_code == 200
        src = client.get(f"/reports/{ids['xuhui-scjgj-2024.html']}/source?format=json").json()
        assert src["available"] and any(b["kind"] == "table" for b in src["blocks"])
        assert client.get("/api/dashboard", params={"agency": AGENCY}).json()["count"] == 3
        assert client.get("/api/reports", params={"q": "测试", "status": "error"}).json()["total"] >= 1
        (up,) = client.post("/api/upload", files=[("files", ("x.txt", broken_report_text(2021)))]).json()["results"]
        assert up["ok"] and up["status"] == "loaded"
        assert client.get("/export.xlsx").status_code == 200
        assert client.get(f"/compare?a={ids['a2022']}&b={ids['a2023']}").status_code == 200


def test_numbers_out_of_range_and_nul_bytes_on_postgresql(pg_database):
    url = pg_database
    fill(url)
    with TestClient(create_app(url, hosts=["testserver"])) as client:
        assert client.get(f"/api/reports/{2**31}").status_code == 404
        assert client.get(f"/api/compare?a=1&b={2**40}").status_code == 404
        assert client.get("/api/reports", params={"year": str(2**31)}).status_code == 400
        assert client.get("/api/reports", params={"q": "a\x00b"}).status_code == 400
        assert client.get("/api/reports").status_code == 200  # the connection was not reset
