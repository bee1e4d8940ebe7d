"""Logging in through the form in headless Debian Chromium, on a server that requires login: the
login page first, back to the page asked for, the user in the header, logout, a wrong password."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.auth_helpers import PASSWORD, fill_accounts
from tests.web.live import serve
from tests.web.test_browser import browser, page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def gated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int]]]:
    """The app served with login required: its base URL and the report ids."""
    url = f"sqlite:///{tmp_path_factory.mktemp('gated') / 'store.db'}"
    ids = fill_accounts(url)
    with serve(url, require_login=True) as base:
        yield base, ids


def test_login_through_the_form_and_out(gated, page) -> None:  # noqa: F811
    base, ids = gated
    page.goto(f"{base}/reports/{ids['home']}")
    assert page.url.startswith(f"{base}/login?next=")
    page.fill("#name", "审核员")
    page.fill("#password", "wrong-password")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").inner_text() == "用户名或密码不正确"
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/reports/{ids['home']}")
    assert "审核员（审核）" in page.locator("header .who").inner_text()
    assert page.locator("table.tpl").count() >= 3  # the report page itself
    page.click("header .who button")
    page.wait_for_url(f"{base}/login")
    page.goto(f"{base}/dashboard")
    assert "/login?next=%2Fdashboard" in page.url


def test_a_reader_cannot_see_the_admin_pages(gated, page) -> None:  # noqa: F811
    base, _ = gated
    page.goto(f"{base}/login")
    page.fill("#name", "读者")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/reports")
    assert page.locator("header a[href='/users']").count() == 0
    assert page.request.get(f"{base}/users").status == 403  # the same cookie, outside the page
