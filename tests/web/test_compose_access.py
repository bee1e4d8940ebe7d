"""The 新建年报 page with login on: a 查看 user composes nothing (every POST is a change to the
gate); a user limited to a region writes, reads and sums only the drafts and reports within it."""

from __future__ import annotations

from nianbao.pipeline.compose import composed
from nianbao.store.db import connect
from nianbao.store.drafts import save_draft
from tests.web.auth_helpers import AWAY, HOME, ORIGIN, fill_accounts
from tests.web.test_auth import as_user


def test_roles_and_region_scope(db_url: str) -> None:
    fill_accounts(db_url)
    away_draft = save_draft(connect(db_url), composed(AWAY[0], 2024, {}, {})[0])
    form = {"agency": HOME[0], "year": "2024", "section.overview": "总体情况。"}

    reader = as_user(db_url, "读者")
    refused = reader.post("/api/compose/drafts", data=form, headers=ORIGIN)
    assert refused.status_code == 403 and "只能查看" in refused.json()["error"]
    assert reader.get("/api/compose/drafts", params={"agency": HOME[0], "year": 2024}).status_code == 200
    reader.__exit__(None, None, None)

    scoped = as_user(db_url, "甲区审核员")
    assert scoped.post("/api/compose/drafts", data=form, headers=ORIGIN).json()["saved"]["version"] == 1
    away = scoped.post("/api/compose/drafts", data={**form, "agency": AWAY[0]}, headers=ORIGIN)
    assert away.status_code == 403 and "不在你的地区范围内" in away.json()["error"]
    assert scoped.get(f"/api/compose/drafts/{away_draft['id']}").status_code == 404
    assert scoped.get("/api/compose/drafts", params={"agency": AWAY[0], "year": 2024}).json()["versions"] == []
    both = "\n".join((HOME[0], AWAY[0]))
    start = {"agency": "北京市甲区汇总", "year": "2024", "start": "units", "units": both}
    page = scoped.post("/compose", data=start, headers=ORIGIN)
    assert page.status_code == 200 and f"由1份下属单位的报告汇总：{HOME[0]} 2024年。" in page.text
    scoped.__exit__(None, None, None)
