"""Login beyond this computer: a logged-out request gets only the login page (every route, walked
from the app), roles and region scope are enforced, sessions survive a restart and end at logout,
changes need this site's Origin, password guessing is slowed down — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Route
from typer.testing import CliRunner

from nianbao.cli import app as cli
from nianbao.store.accounts import add_user, authenticate, count_users, list_users, open_session, session_user
from nianbao.store.db import connect
from nianbao.web.app import create_app
from nianbao.web.auth import login_needed
from tests.web.auth_helpers import AWAY, HOME, ORIGIN, PASSWORD, fill_accounts
from tests.web.web_helpers import FIXTURES

HOSTS = ["testserver"]
UPLOAD = (FIXTURES / "songzhuang-zhen-2023-tab.txt").read_bytes()


@pytest.fixture
def served(db_url: str) -> tuple[str, dict[str, int]]:
    return db_url, fill_accounts(db_url)


def gated(url: str, **kw) -> TestClient:
    return TestClient(create_app(url, hosts=HOSTS, require_login=True), **kw)


@pytest.fixture
def anon(served: tuple[str, dict[str, int]]) -> Iterator[TestClient]:
    with gated(served[0]) as c:
        yield c


def login(client: TestClient, name: str, password: str = PASSWORD, **kw):
    data = {"name": name, "password": password, **kw}
    return client.post("/login", data=data, headers=ORIGIN, follow_redirects=False)


def as_user(url: str, name: str) -> TestClient:
    client = gated(url).__enter__()
    assert login(client, name).status_code == 303
    return client


def upload(client: TestClient):
    return client.post("/api/upload", files=[("files", ("a.txt", UPLOAD, "text/plain"))], headers=ORIGIN)


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def http_routes(routes: list) -> Iterator[tuple[str, str]]:
    """(method, path) of every HTTP route, inside included routers too."""
    for route in routes:
        if (router := getattr(route, "original_router", None)) is not None:
            yield from http_routes(router.routes)
        elif isinstance(route, Route):
            yield from ((m, route.path) for m in route.methods - {"HEAD"})


def test_a_logged_out_request_gets_only_the_login_page_on_every_route(anon: TestClient) -> None:
    routes = sorted(set(http_routes(anon.app.routes)))
    assert len(routes) > 30 and ("GET", "/reports/{report_id}") in routes and ("POST", "/api/upload") in routes
    for method, path in routes:
        if path == "/login":
            continue
        r = anon.request(method, concrete(path), headers=ORIGIN, follow_redirects=False)
        where = f"{method} {path}"
        if path.startswith("/api/") or path == "/openapi.json":
            assert r.status_code == 401 and r.json() == {"error": "请先登录", "status": 401}, where
        else:
            assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), where
            assert r.content == b"", where
            json = anon.request(method, concrete(path) + "?format=json", headers=ORIGIN, follow_redirects=False)
            assert json.status_code == 401 and json.json()["error"] == "请先登录", where
    for path in ("/docs", "/openapi.json", "/", "/reports/1/source"):
        assert anon.get(path, follow_redirects=False).status_code in (303, 401), path
    page = anon.get("/reports?region=x")  # followed: the login page, coming back after
    assert page.status_code == 200 and "登录" in page.text and "next=%2Freports%3Fregion%3Dx" in str(page.url)
    assert 'name="next" value="/reports?region=x"' in page.text
    assert 'href="/dashboard"' not in page.text  # no menu before login
    assert anon.get("/static/app.css").status_code == 200  # the login page's own styles
    htmx = anon.get("/reports", headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/login")


def test_login_sets_a_safe_cookie_and_logout_ends_the_session(served: tuple[str, dict[str, int]]) -> None:
    url, ids = served
    with gated(url) as c:
        bad = login(c, "审核员", "wrong-password")
        assert bad.status_code == 200 and "用户名或密码不正确" in bad.text and "set-cookie" not in bad.headers
        unknown = c.post("/login?format=json", data={"name": "没有这个人", "password": PASSWORD}, headers=ORIGIN)
        assert unknown.status_code == 401 and unknown.json()["error"] == "用户名或密码不正确"
        r = login(c, "审核员", next=f"/reports/{ids['home']}")
        assert r.status_code == 303 and r.headers["location"] == f"/reports/{ids['home']}"
        cookie = r.headers["set-cookie"].lower()
        assert (
            "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie and "max-age=43200" in cookie
        )
        me = c.get("/api/me").json()
        assert me == {"name": "审核员", "role": "审核", "region": None, "login": True}
        page = c.get("/reports").text
        assert "审核员（审核）" in page and 'action="/logout"' in page
        token = c.cookies["nianbao_session"]
        assert c.post("/logout", headers=ORIGIN, follow_redirects=False).headers["location"] == "/login"
        c.cookies.set("nianbao_session", token)  # the old cookie, kept by a thief, no longer works
        assert c.get("/api/me").status_code == 401


def test_the_cookie_is_secure_over_https(served: tuple[str, dict[str, int]]) -> None:
    with gated(served[0], base_url="https://testserver") as c:
        r = c.post("/login", data={"name": "读者", "password": PASSWORD}, headers={"Origin": "https://testserver"})
        assert "secure" in r.history[0].headers["set-cookie"].lower()


def test_after_login_only_paths_of_this_site(anon: TestClient) -> None:
    for target in ("//evil.example/x", "https://evil.example", "/\\evil.example", "reports"):
        assert login(anon, "读者", next=target).headers["location"] == "/reports", target


def test_changes_need_this_sites_origin_when_login_is_on(served: tuple[str, dict[str, int]]) -> None:
    client = as_user(served[0], "审核员")
    no_origin = client.post("/api/upload", files=[("files", ("a.txt", UPLOAD, "text/plain"))])
    assert no_origin.status_code == 403 and "来源不明" in no_origin.text
    evil = client.post("/logout", headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403
    referer = client.post("/logout", headers={"Referer": "http://testserver/reports"}, follow_redirects=False)
    assert referer.status_code == 303
    client.__exit__(None, None, None)


def test_roles(served: tuple[str, dict[str, int]]) -> None:
    url, ids = served
    reader = as_user(url, "读者")
    assert reader.get("/api/reports").json()["total"] == 2
    assert reader.get(f"/reports/{ids['away']}").status_code == 200
    refused = upload(reader)
    assert refused.status_code == 403 and "只能查看" in refused.json()["error"]
    assert reader.get("/users").status_code == 403 and reader.get("/api/audit").status_code == 403
    nav = reader.get("/reports").text
    assert "/users" not in nav and 'href="/upload"' not in nav and 'href="/dashboard"' in nav
    reviewer = as_user(url, "审核员")
    assert upload(reviewer).status_code == 200
    denied = reviewer.get("/api/users")
    assert denied.status_code == 403 and "需要“管理”权限" in denied.json()["error"]
    admin = as_user(url, "管理员")
    assert {u["name"] for u in admin.get("/api/users").json()["users"]} >= {"读者", "管理员"}
    assert 'href="/users"' in admin.get("/reports").text and admin.get("/audit").status_code == 200
    for c in (reader, reviewer, admin):
        c.__exit__(None, None, None)


def test_a_scoped_user_sees_only_its_region(served: tuple[str, dict[str, int]]) -> None:
    url, ids = served
    scoped = as_user(url, "甲区审核员")
    assert scoped.get(f"/api/reports/{ids['home']}").status_code == 200
    for path in (f"/api/reports/{ids['away']}", f"/reports/{ids['away']}", f"/reports/{ids['away']}/source"):
        r = scoped.get(path)
        assert r.status_code == 404, path
    assert "找不到这个页面" in scoped.get(f"/reports/{ids['away']}").text
    assert "北京市乙区" not in scoped.get(f"/reports/{ids['away']}").text
    assert scoped.get("/api/reports/99999").status_code == 404  # no such report: its own 404
    assert scoped.get(f"/agencies/{HOME[0]}").status_code == 200
    assert scoped.get(f"/agencies/{AWAY[0]}").status_code == 404
    assert scoped.get(f"/api/agencies/{AWAY[0]}").json()["error"] == "找不到这个页面"
    assert "甲区审核员（审核 · 甲区）" in scoped.get("/reports").text
    scoped.__exit__(None, None, None)


def test_a_scoped_users_lists_dashboard_and_exports_hold_only_its_region(served: tuple[str, dict[str, int]]) -> None:
    url, ids = served
    scoped = as_user(url, "甲区审核员")
    listed = scoped.get("/api/reports").json()
    assert [r["id"] for r in listed["reports"]] == [ids["home"]] and listed["total"] == 1
    assert scoped.get("/api/reports", params={"region": AWAY[1]}).json()["total"] == 0  # narrows, never widens
    assert scoped.get("/api/dashboard").json()["count"] == 1
    csv = scoped.get("/export.wide.csv").text
    assert HOME[0] in csv and AWAY[0] not in csv
    assert "scope=" not in scoped.get("/reports").text  # the scope is the account's, never in a link
    reviewer = as_user(url, "审核员")  # no scope: everything
    assert reviewer.get("/api/reports").json()["total"] == 2
    for c in (scoped, reviewer):
        c.__exit__(None, None, None)


def test_sessions_survive_a_restart(served: tuple[str, dict[str, int]]) -> None:
    url, _ = served
    with gated(url) as first:
        login(first, "管理员")
        token = first.cookies["nianbao_session"]
    with gated(url) as second:  # a new app over the same database
        second.cookies.set("nianbao_session", token)
        assert second.get("/api/me").json()["name"] == "管理员"


def test_sessions_expire_and_tokens_are_stored_hashed(db_url: str) -> None:
    fill_accounts(db_url)
    engine = connect(db_url)
    expired = open_session(engine, "读者", hours=-1)
    assert session_user(engine, expired) is None
    token = open_session(engine, "读者")
    assert session_user(engine, token).name == "读者"
    with engine.connect() as conn:
        stored = [r[0] for r in conn.exec_driver_sql("SELECT token_hash FROM sessions")]
    assert token not in stored and all(len(h) == 64 for h in stored)
    with engine.connect() as conn:
        digest = conn.exec_driver_sql("SELECT password_hash FROM users").scalars().first()
    assert digest.startswith("$argon2id$") and PASSWORD not in digest
    assert authenticate(engine, "读者", PASSWORD).role == "查看"
    engine.dispose()


def test_password_guessing_is_slowed_down(served: tuple[str, dict[str, int]]) -> None:
    with gated(served[0]) as c:
        for _ in range(5):
            assert "用户名或密码不正确" in login(c, "管理员", "guess-guess").text
        r = login(c, "管理员")  # the right password, too late
        assert r.status_code == 200 and "登录失败次数过多" in r.text and "分钟后再试" in r.text
        late = c.post("/login?format=json", data={"name": "管理员", "password": PASSWORD}, headers=ORIGIN)
        assert late.status_code == 429 and "set-cookie" not in late.headers
        assert login(c, "读者").status_code == 303  # another name is not held back
        failed = as_user(served[0], "管理员")  # a new app (a restart) forgets the count
        entries = failed.get("/api/audit", params={"action": "login-failed"}).json()["entries"]
        assert len(entries) == 7 and entries[0]["target"] == "管理员" and entries[0]["who"] == ""
        failed.__exit__(None, None, None)


def test_users_page_adds_changes_and_removes(served: tuple[str, dict[str, int]]) -> None:
    admin = as_user(served[0], "管理员")
    add = {"name": "新人", "password": "newpassword", "role": "审核", "region": "甲区"}
    r = admin.post("/users", data=add, headers=ORIGIN)
    assert r.status_code == 200 and "已添加用户 新人" in r.text and "甲区" in r.text
    again = admin.post("/users", data=add, headers=ORIGIN)
    assert again.status_code == 400 and "用户 新人 已存在" in again.text
    short = admin.post("/users", data={**add, "name": "短", "password": "short"}, headers=ORIGIN)
    assert short.status_code == 400 and "密码太短" in short.text
    role = admin.post("/users?format=json", data={**add, "name": "某", "role": "大王"}, headers=ORIGIN)
    assert role.status_code == 400 and "角色“大王”不存在" in role.json()["error"]
    assert admin.post("/users/新人/password", data={"password": "another-one"}, headers=ORIGIN).status_code == 200
    with gated(served[0]) as c:
        assert login(c, "新人", "another-one").status_code == 303
    assert "不能删除自己" in admin.post("/users/管理员/remove", headers=ORIGIN).text
    assert admin.post("/users/新人/remove", headers=ORIGIN).status_code == 200
    assert "新人" not in {u["name"] for u in admin.get("/api/users").json()["users"]}
    log = admin.get("/api/audit").json()["entries"]
    assert [e["action"] for e in log[:4]] == ["user-remove", "login", "password", "user-add"]
    assert log[0]["who"] == "管理员" and log[0]["target"] == "新人"
    admin.__exit__(None, None, None)


def test_audit_page_filters_and_exports_csv(served: tuple[str, dict[str, int]]) -> None:
    admin = as_user(served[0], "管理员")
    page = admin.get("/audit", params={"action": "login"})
    assert page.status_code == 200 and "管理员" in page.text and "登录" in page.text
    today = date.today()
    assert admin.get("/api/audit", params={"until": str(today - timedelta(days=2))}).json()["entries"] == []
    assert admin.get("/api/audit", params={"since": str(today - timedelta(days=1)), "who": "管理员"}).json()["entries"]
    csv = admin.get("/audit.csv", params={"action": "login"})
    assert csv.headers["content-type"].startswith("text/csv") and "attachment" in csv.headers["content-disposition"]
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("编号,时间,操作人") and len(lines) >= 2 and all(",管理员," in x for x in lines[1:])
    admin.__exit__(None, None, None)


def test_local_app_stays_open(tmp_path: Path) -> None:
    with TestClient(create_app(f"sqlite:///{tmp_path / 'o.db'}", hosts=HOSTS)) as c:
        assert c.get("/api/me").json() == {"name": "本机", "role": "管理", "region": None, "login": False}
        assert c.get("/login", follow_redirects=False).headers["location"] == "/reports"
        assert c.get("/api/reports").status_code == 200 and 'href="/audit"' in c.get("/reports").text


def test_login_needed_when_bound_beyond_this_computer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIANBAO_REQUIRE_LOGIN", raising=False)
    assert [login_needed(h) for h in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::", "192.168.1.20")] == [
        False,
        False,
        False,
        True,
        True,
        True,
    ]
    assert login_needed("127.0.0.1", forced=True)
    monkeypatch.setenv("NIANBAO_REQUIRE_LOGIN", "1")
    assert login_needed("127.0.0.1")


def test_serve_beyond_this_computer_requires_login(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    monkeypatch.delenv("NIANBAO_REQUIRE_LOGIN", raising=False)
    url = f"sqlite:///{tmp_path / 's.db'}"
    fill_accounts(url)
    started: list[tuple[str, bool]] = []

    def run(server: uvicorn.Server, sockets: list | None = None) -> None:  # serve binds its socket, then runs
        started.append((server.config.host, server.config.app.state.require_login))
        for s in sockets or []:
            s.close()

    monkeypatch.setattr(uvicorn.Server, "run", run)
    for args in (["--host", "0.0.0.0"], ["--host", "127.0.0.1"], ["--host", "127.0.0.1", "--login"], []):
        r = CliRunner().invoke(cli, ["serve", "--db", url, "--port", "0", *args])  # any free port
        assert r.exit_code == 0, r.output
        assert ("须登录" in r.output) == (args[-1:] in (["0.0.0.0"], ["--login"])), args
    assert started == [("0.0.0.0", True), ("127.0.0.1", False), ("127.0.0.1", True), ("127.0.0.1", False)]


def test_users_list_shows_when_each_was_added_alike_on_every_database(db_url: str) -> None:
    add_user(connect(db_url), "主任", PASSWORD, "管理")
    (line,) = CliRunner().invoke(cli, ["users", "list", "--db", db_url]).output.splitlines()
    assert re.fullmatch(r"主任\t管理\t全部地区\t\d{4}-\d\d-\d\d \d\d:\d\d", line)
    (user,) = list_users(connect(db_url))
    assert user["created_at"].endswith("+00:00")


def test_users_cli_and_serve_refuses_without_users(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    run = CliRunner().invoke
    r = run(cli, ["serve", "--host", "0.0.0.0", "--db", url])
    assert r.exit_code == 2 and "还没有用户" in r.output and "nianbao users add" in r.output
    r = run(cli, ["users", "add", "主任", "--role", "管理", "--db", url], input="password-1\npassword-1\n")
    assert r.exit_code == 0 and "已添加用户 主任（管理）" in r.output
    r = run(
        cli,
        ["users", "add", "科员", "--role", "审核", "--region", "甲区", "--password-stdin", "--db", url],
        input="pw-12345678\n",
    )
    assert r.exit_code == 0
    assert run(cli, ["users", "add", "某", "--role", "大王", "--db", url]).exit_code == 1
    r = run(cli, ["users", "add", "某", "--password-stdin", "--db", url], input="short\n")
    assert r.exit_code == 1 and "密码太短" in r.output
    listed = run(cli, ["users", "list", "--db", url]).output
    assert "主任\t管理\t全部地区" in listed and "科员\t审核\t甲区" in listed
    # created_at: local time to the minute, the same on SQLite and PostgreSQL (SQLite gave no zone, PostgreSQL +00:00)
    assert all(re.fullmatch(r".+\t\d{4}-\d\d-\d\d \d\d:\d\d", line) for line in listed.splitlines())
    users = json.loads(run(cli, ["users", "list", "--format", "json", "--db", url]).output)
    assert all(u["created_at"].endswith("+00:00") for u in users)
    assert run(cli, ["users", "passwd", "科员", "--password-stdin", "--db", url], input="new-password\n").exit_code == 0
    engine = connect(url)
    assert authenticate(engine, "科员", "new-password") is not None
    assert run(cli, ["users", "remove", "科员", "--db", url]).exit_code == 0
    r = run(cli, ["users", "remove", "科员", "--db", url])
    assert r.exit_code == 1 and "用户 科员 不存在" in r.output
    assert count_users(engine) == 1
    engine.dispose()
