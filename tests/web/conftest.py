"""Web fixtures: a temporary SQLite store filled with the fixture reports, and the app over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nianbao.web.app import create_app
from tests.web.web_helpers import fill

TEST_HOSTS = ["testserver"]  # the Host header of Starlette's TestClient


@pytest.fixture(scope="session")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, int]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'store.db'}"
    return url, fill(url)


@pytest.fixture(scope="session")
def ids(filled: tuple[str, dict[str, int]]) -> dict[str, int]:
    return filled[1]


@pytest.fixture(scope="session")
def client(filled: tuple[str, dict[str, int]]) -> Iterator[TestClient]:
    with TestClient(create_app(filled[0], max_upload_mb=1, hosts=TEST_HOSTS)) as c:
        yield c


@pytest.fixture
def fresh_client(tmp_path: Path) -> Iterator[TestClient]:
    """An app over an empty store (uploads change it)."""
    with TestClient(create_app(f"sqlite:///{tmp_path / 'up.db'}", max_upload_mb=1, hosts=TEST_HOSTS)) as c:
        yield c
