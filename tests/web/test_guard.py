"""Hostile requests: other sites' posts, foreign Host names, numbers out of range, NUL bytes,
and uploads whose reading dies in its worker — refused with 4xx, never a 500, and the server goes on."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nianbao.pipeline.workers import Bounds
from nianbao.web.app import create_app
from nianbao.web.limits import host_name
from tests.web.web_helpers import FIXTURES

GOOD = (FIXTURES / "songzhuang-zhen-2023-tab.txt").read_bytes()


def post(client: TestClient, headers: dict[str, str] | None = None, name: str = "a.txt", data: bytes = GOOD):
    return client.post("/api/upload", files=[("files", (name, data, "text/plain"))], headers=headers or {})


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "null"},
        {"Origin": "https://evil.example"},
        {"Origin": "http://testserver.evil.example"},
        {"Origin": "http://testserver:9999"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_changes_from_another_site_are_refused(fresh_client: TestClient, headers: dict[str, str]) -> None:
    r = post(fresh_client, headers)
    assert r.status_code == 403 and "其他网站" in r.text
    assert fresh_client.get("/api/reports").json()["total"] == 0


def test_changes_from_the_app_itself_or_without_origin_pass(fresh_client: TestClient) -> None:
    assert post(fresh_client, {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}).json()["results"][0][
        "ok"
    ]
    assert post(fresh_client).status_code == 200  # curl & co. send no Origin


def test_only_allowed_host_names_are_answered(tmp_path: Path) -> None:
    with TestClient(create_app(f"sqlite:///{tmp_path / 'h.db'}")) as client:  # the default: local names only
        r = client.get("/reports", headers={"Host": "rebind.evil.example"})
        assert r.status_code == 400 and "--allow-host" in r.text
        assert client.get("/reports").status_code == 400  # "testserver" is not a local name
        for host in ("localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000"):
            assert client.get("/api/reports", headers={"Host": host}).status_code == 200, host
    with TestClient(create_app(f"sqlite:///{tmp_path / 'h.db'}", hosts=["nianbao.example.org"])) as client:
        assert client.get("/api/reports", headers={"Host": "NIANBAO.example.org"}).status_code == 200
        assert client.get("/api/reports", headers={"Host": "localhost"}).status_code == 400


def test_host_name() -> None:
    assert [host_name(h) for h in ("A.org:80", "[::1]:8000", "::1", "localhost")] == [
        "a.org",
        "::1",
        "::1",
        "localhost",
    ]


@pytest.mark.parametrize(
    "url",
    [
        f"/api/reports/{2**63}",
        f"/reports/{2**64 + 5}",
        f"/reports/{2**31}/export.xlsx",
        f"/api/compare?a=1&b={2**63}",
        f"/compare?a={2**70}&b=1",
        f"/api/reports/{'9' * 5000}",
    ],
)
def test_ids_out_of_range_are_not_found(client: TestClient, url: str) -> None:
    assert client.get(url).status_code in (404, 422)


@pytest.mark.parametrize("year", [str(2**31), str(2**63), "9" * 5000])
def test_years_out_of_range_are_refused(client: TestClient, year: str) -> None:
    for url in ("/api/reports", "/reports", "/dashboard", "/export.csv"):
        r = client.get(url, params={"year": year})
        assert r.status_code == 400, url
    assert client.get("/api/reports", params={"year": "²"}).status_code == 200  # not a number: no filter


def test_far_pages_are_empty(client: TestClient) -> None:
    r = client.get("/api/reports", params={"page": str(2**62)})
    assert r.status_code in (200, 422) and not (r.status_code == 200 and r.json()["reports"])


@pytest.mark.parametrize(
    "url", ["/api/reports?q=a%00b", "/api/reports?region=%00", "/agencies/a%00b", "/reports?agency=x%00&year=2023"]
)
def test_nul_bytes_are_refused(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 400 and "空字符" in r.text


def test_an_upload_whose_worker_dies_fails_alone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    with TestClient(create_app(url, hosts=["testserver"], bounds=Bounds(memory_mb=16, seconds=5))) as starved:
        # a few MB, so that the starved worker must map new memory whatever the fork server holds free
        (got,) = post(starved, data=GOOD + b"\n" * 4_000_000).json()["results"]
        assert not got["ok"] and ("内存超过上限（16 MB）" in got["error"] or "读取进程" in got["error"])
        assert starved.get("/api/reports").json()["total"] == 0
    with TestClient(create_app(url, hosts=["testserver"])) as client:
        assert post(client).json()["results"][0]["ok"]


@pytest.mark.slow
def test_hostile_uploads_fail_alone_and_the_server_goes_on(fresh_client: TestClient) -> None:
    make = pytest.importorskip("tests.hostile.hostile_make")
    hostile = {
        "merge.xlsx": make.xlsx(make.merged_sheet(next(iter(make.MERGE_SPELLINGS.values())))),
        "corrupt.xlsx": make.corrupt_sheet(),
        "page.pdf": make.pdf("0 0 14400 14400", user_unit=75),
        "frames.gif": make.gif_frames(),
        "headings.txt": make.numbered_headings(),
    }
    for name, data in hostile.items():
        r = post(fresh_client, name=name, data=data)
        assert r.status_code == 200, name
        (got,) = r.json()["results"]
        assert got["ok"] or got["error"], name
    assert post(fresh_client).json()["results"][0]["ok"]
