"""Reports for the web tests: hand-built ones (a broken balance, HTML in the text) and fixture files."""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from pathlib import Path

from nianbao.check import check_report
from nianbao.model import Report
from nianbao.pipeline import process
from nianbao.store.db import Store, connect
from nianbao.synth import synth_cells, synth_report_text
from tests.builders import balanced_report

AGENCY = "北京市测试区人民政府"
OTHER = "北京市测试区教育委员会"
SCRIPT = "<script>alert('x')</script>"


def with_script(report: Report, in_name: bool = True) -> Report:
    """The same report with HTML in its overview text and file name (and, if ``in_name``, its agency name)."""
    sections = dict(report.sections)
    sections["overview"] = replace(sections["overview"], text=f"总体情况{SCRIPT}<b>粗体</b>")
    content = (report.source.sha256 + "script").encode()
    return replace(
        report,
        agency=report.agency + (SCRIPT if in_name else ""),
        sections=sections,
        source=replace(report.source, sha256=hashlib.sha256(content).hexdigest(), file="x<script>.txt"),
    )


FIXTURES = Path(__file__).parent.parent / "fixtures" / "reports"
FIXTURE_FILES = (
    "songzhuang-zhen-2023-tab.txt",
    "songzhuang-zhen-2024-pipe.txt",
    "zhongcun-xiang-2020-2019ed-paragraph.txt",
    "xicheng-chengzhi-2021-2019ed-tab.txt",
    "xuhui-scjgj-2024.html",
)


def fill(url: str, script_in_name: bool = True) -> dict[str, int]:
    """Store the fixture reports (a few files of tests/fixtures/reports, through the pipeline, and
    hand-built ones, without a source); name → report id."""
    store = Store(connect(url))
    ids = {}
    for name in FIXTURE_FILES:
        done = process(FIXTURES / name)
        ids[name] = store.save(done.report, done.findings, done.source()).report_id
    built = {
        "a2022": balanced_report(AGENCY, 2022, seed=1),
        "a2023": balanced_report(AGENCY, 2023, seed=2, break_balance=True),
        "a2024": balanced_report(AGENCY, 2024, seed=3),
        "b2020": balanced_report(OTHER, 2020, ed="2019", seed=4),
        "script": with_script(balanced_report("测试街道办事处", 2024, seed=5), script_in_name),
    }
    return ids | {name: store.save(r, check_report(r)).report_id for name, r in built.items()}


def broken_report_text(year: int = 2023) -> bytes:
    """A complete report as text whose 表三 balance fails in the 自然人 column (T3-BALANCE)."""
    values = synth_cells(random.Random(7), "2021", scale=40)
    values["table3.carried_forward.natural_person"] = (values["table3.carried_forward.natural_person"] or 0) + 3
    values["table3.carried_forward.total"] = (values["table3.carried_forward.total"] or 0) + 3
    return synth_report_text(values, "2021", "tab", "北京市测试区司法局", year, random.Random(7)).encode()
