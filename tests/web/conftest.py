"""Web fixtures: a temporary SQLite store filled with hand-built reports, and the app over it."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nianbao.check import check_report
from nianbao.model import Fact, Location, Report, Section, Source, Value
from nianbao.render.json import report_json
from nianbao.store.db import Store, connect
from nianbao.synth import synth_cells
from nianbao.template import SECTIONS, cell_paths, edition
from nianbao.web.app import create_app

AGENCY = "北京市测试区人民政府"
OTHER = "北京市测试区教育委员会"
SCRIPT = "<script>alert('x')</script>"


def make_report(agency: str, year: int, ed: str = "2021", seed: int = 1, break_balance: bool = False) -> Report:
    """A report whose cells satisfy every template sum (unless ``break_balance``), with sections and a fact."""
    values = synth_cells(random.Random(seed), ed, scale=40)
    if break_balance:
        values["table3.carried_forward.natural_person"] = (values["table3.carried_forward.natural_person"] or 0) + 5
        values["table3.carried_forward.total"] = (values["table3.carried_forward.total"] or 0) + 5
    cells = {}
    for i, p in enumerate(cell_paths(edition(ed))):
        v = values.get(p)
        cells[p] = Value(v, "" if v is None else str(v), Location(line=60 + i))
    new = values["table3.new_received.total"]
    text = f"{agency}{year}年共收到政府信息公开申请{new}件。"
    content = f"{agency}|{year}|{ed}|{seed}|{break_balance}".encode()
    return Report(
        source=Source(f"{agency}-{year}.txt", hashlib.sha256(content).hexdigest(), "txt", "utf-8"),
        agency=agency,
        region="北京市测试区",
        year=year,
        edition=ed,
        published=f"{year + 1}-01-20",
        table_editions={"table2": ed, "table3": ed, "table4": ed},
        tables_found={"table2": "full", "table3": "full", "table4": "full"},
        cells=cells,
        sections={
            s.key: Section(
                s.key,
                f"{s.number}、{s.title}",
                text if s.key == "requests" else f"{s.title}的正文。",
                Location(line=5 * n),
            )
            for n, s in enumerate(SECTIONS, 1)
        },
        narrative=[Fact("table3.new_received.total", new, f"共收到政府信息公开申请{new}件", Location(line=16))],
    )


def with_script(report: Report) -> Report:
    """The same report with HTML in its agency name and overview text."""
    sections = dict(report.sections)
    sections["overview"] = replace(sections["overview"], text=f"总体情况{SCRIPT}<b>粗体</b>")
    content = (report.source.sha256 + "script").encode()
    return replace(
        report,
        agency=report.agency + SCRIPT,
        sections=sections,
        source=replace(report.source, sha256=hashlib.sha256(content).hexdigest(), file="x<script>.txt"),
    )


def fill(url: str) -> dict[str, int]:
    """Store the fixture reports; returns name → report id."""
    store = Store(connect(url))
    reports = {
        "a2022": make_report(AGENCY, 2022, seed=1),
        "a2023": make_report(AGENCY, 2023, seed=2, break_balance=True),
        "a2024": make_report(AGENCY, 2024, seed=3),
        "b2020": make_report(OTHER, 2020, ed="2019", seed=4),
        "script": with_script(make_report("测试街道办事处", 2024, seed=5)),
    }
    return {name: store.save(r, check_report(r), report_json(r)).report_id for name, r in reports.items()}


@pytest.fixture(scope="session")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, int]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'store.db'}"
    return url, fill(url)


@pytest.fixture(scope="session")
def ids(filled: tuple[str, dict[str, int]]) -> dict[str, int]:
    return filled[1]


@pytest.fixture(scope="session")
def client(filled: tuple[str, dict[str, int]]) -> Iterator[TestClient]:
    with TestClient(create_app(filled[0], max_upload_mb=1)) as c:
        yield c


@pytest.fixture
def fresh_client(tmp_path: Path) -> Iterator[TestClient]:
    """An app over an empty store (uploads change it)."""
    with TestClient(create_app(f"sqlite:///{tmp_path / 'up.db'}", max_upload_mb=1)) as c:
        yield c
