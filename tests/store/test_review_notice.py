"""Sending findings back, read back as a user would open the files: the 问题清单 / 整改通知 DOCX
(python-docx) and the open-findings XLSX (openpyxl), and the review commands end to end
(ingest, findings, notice, withdraw, restore, recheck, audit) on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import docx
import openpyxl
from typer.testing import CliRunner

from nianbao.check import check_across
from nianbao.cli import app
from nianbao.render.notice_docx import XLSX_COLUMNS, findings_xlsx, notice_docx
from tests.builders import numbered_report
from tests.store.store_helpers import second_version, synthetic_agency, write_synthetic

FINDINGS = [
    {
        "rule": "T3-BALANCE",
        "severity": "error",
        "message": "表三“自然人”列：一（12）+二（3）=15，但（七）总计（13）+四（1）=14",
        "cells": ["table3.new_received.natural_person", "table3.carried_over.natural_person"],
        "location": {"page": 3, "line": 12},
        "files": [],
        "source_file": "/某处/某县2023年报.pdf",
        "state": "需整改",
        "comment": "请按台账更正",
        "agency": "测试省甲甲县人民政府",
        "region": "测试省甲甲县",
        "year": 2023,
        "report_id": 7,
        "who": "审核员甲",
        "at": "2025-02-03T08:00:00+00:00",
    },
    {
        "rule": "FEE-STATEMENT",
        "severity": "warning",
        "message": "=表三（六）2为1件，但第六部分没有报告发出收费通知",  # starts like a formula
        "cells": ["fees_info.notices"],
        "location": {"line": 320},
        "files": ["/某处/某县2023年报.pdf"],
        "state": "待核实",
        "comment": "",
        "agency": "测试省甲甲县人民政府",
        "region": "测试省甲甲县",
        "year": 2023,
        "report_id": 7,
        "who": "",
        "at": None,
    },
]


def test_the_notice_docx_reads_as_an_official_document() -> None:
    values = {"table3.new_received.natural_person": 12, "table3.carried_over.natural_person": None}
    data = notice_docx(
        "测试省甲甲县人民政府",
        2023,
        FINDINGS,
        values,
        "整改通知",
        "测试省政务公开办公室",
        date(2025, 2, 10),
        "2025年3月1日",
    )
    lines = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert lines[0] == "关于测试省甲甲县人民政府2023年政府信息公开工作年度报告问题整改的通知"
    assert lines[2] == "测试省甲甲县人民政府："
    assert "存在以下2个问题" in lines[3] and "于2025年3月1日前重新报送" in lines[3]
    text = "\n".join(lines)
    assert "一、需要整改的问题（1个）" in text and "二、需要核实的问题（1个）" in text
    assert f"1．{FINDINGS[0]['message']}（请整改）" in lines
    assert (
        "涉及：表三“一、本年新收政府信息公开申请数量·自然人”（12）、表三“二、上年结转政府信息公开申请数量·自然人”（空白）"
        in lines
    )
    assert "位置：某县2023年报.pdf；第3页第12行" in lines and "审核意见：请按台账更正" in lines
    assert "涉及：第六部分“信息处理费·发出收费通知的件数”" in lines
    assert lines[-2:] == ["测试省政务公开办公室", "2025年2月10日"]


def test_a_notice_without_findings_says_so() -> None:
    lines = [p.text for p in docx.Document(io.BytesIO(notice_docx("某局", 2023, []))).paragraphs]
    assert lines[0] == "某局2023年政府信息公开工作年度报告问题清单"
    assert "未发现需要整改或核实的问题" in lines[3]


def test_the_findings_xlsx_has_a_row_per_finding_and_no_formula() -> None:
    ws = openpyxl.load_workbook(io.BytesIO(findings_xlsx(FINDINGS))).active
    assert ws.title == "问题" and [c.value for c in ws[1]] == [title for title, _, _ in XLSX_COLUMNS]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(rows) == 2 and ws.freeze_panes == "A2" and ws.auto_filter.ref
    head = dict(zip((t for t, _, _ in XLSX_COLUMNS), rows[0], strict=True))
    assert head["单位"] == "测试省甲甲县人民政府" and head["严重程度"] == "错误" and head["核查状态"] == "需整改"
    assert (
        head["文件"] == "某县2023年报.pdf" and head["位置"] == "第3页第12行" and head["涉及单元格"].startswith("表三")
    )
    second = dict(zip((t for t, _, _ in XLSX_COLUMNS), rows[1], strict=True))
    assert second["问题"] == FINDINGS[1]["message"] and ws.cell(3, 8).data_type == "s"


def test_the_review_commands_end_to_end(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "src"
    write_synthetic(folder, range(3))
    run = CliRunner().invoke
    db = ["--db", db_url]
    assert run(app, ["ingest", str(folder), "-j", "1", *db]).exit_code == 0
    listed = run(app, ["findings", *db])
    assert listed.exit_code == 0
    rows = json.loads(listed.stdout)
    assert rows and {r["state"] for r in rows} == {"待核实"}
    out = tmp_path / "问题.xlsx"
    assert run(app, ["findings", "--open", "-o", str(out), *db]).exit_code == 0
    assert openpyxl.load_workbook(out).active.max_row == len(rows) + 1

    agency = synthetic_agency(0)
    notice = tmp_path / "问题清单.docx"
    done = run(app, ["notice", "--agency", agency, "--year", "2023", "-o", str(notice), "--sender", "某办公室", *db])
    assert done.exit_code == 0, done.output
    assert docx.Document(str(notice)).paragraphs[0].text == f"{agency}2023年政府信息公开工作年度报告问题清单"
    missing = run(app, ["notice", "--agency", "没有的单位", "--year", "2023", "-o", str(notice), *db])
    assert missing.exit_code == 1 and "没有“没有的单位”2023年度的现行报告" in missing.output
    several = run(app, ["notice", "--agency", "测试省", "--year", "2023", "-o", str(notice), *db])
    assert several.exit_code == 1 and "对应多个机关" in several.output

    rid = str(rows[0]["report_id"])
    first = next(r["report_id"] for r in rows if r["agency"] == synthetic_agency(0))
    assert run(app, ["withdraw", rid, "--reason", "", *db]).exit_code == 1
    assert run(app, ["withdraw", rid, "--reason", "重复", "--who", "审核员甲", *db]).exit_code == 0
    assert rid not in {str(r["report_id"]) for r in json.loads(run(app, ["findings", *db]).stdout)}
    assert run(app, ["restore", rid, *db]).exit_code == 0
    assert run(app, ["recheck", *db]).exit_code == 2
    rechecked = run(app, ["recheck", "--all", *db])
    assert rechecked.exit_code == 0 and "重新核对 3 份，无法重新核对 0 份" in rechecked.output

    versions = run(app, ["versions", str(first), *db])
    assert versions.exit_code == 0 and "第 1 版" in versions.output and "现行" in versions.output
    assert run(app, ["ingest", str(second_version(tmp_path / "new")), "-j", "1", *db]).exit_code == 0
    shown = run(app, ["versions", str(first), *db]).output
    assert "第 2 版相对第 1 版：" in shown and " → " in shown and "旧版" in shown
    both = json.loads(run(app, ["versions", str(first), "--format", "json", *db]).stdout)
    assert [v["status"] for v in both["versions"]] == ["earlier", "current"] and both["diff"]["cells"]
    assert run(app, ["confirm", str(first), *db]).exit_code == 1  # not a pending version
    assert run(app, ["versions", "99999", *db]).exit_code == 1

    log = json.loads(run(app, ["audit", "--format", "json", *db]).stdout)
    assert [e["action"] for e in log][:6] == ["ingest", "recheck", "recheck", "recheck", "restore", "withdraw"]
    assert log[5]["who"] == "审核员甲" and log[-1]["action"] == "ingest" and log[-1]["who"] == "命令行"
    csv_text = run(app, ["audit", "--since", "2000-01-01", *db]).stdout
    assert csv_text.startswith("编号,时间,操作人,操作,对象,详情") and "撤回" in csv_text
    bad = run(app, ["audit", "--since", "2025-13-01", *db])
    assert bad.exit_code == 2 and "无法识别的日期" in bad.output


def test_a_cross_report_finding_lists_the_reports_own_file_first_and_names_the_file_of_its_place() -> None:
    other, own = "/某处/某县2022年报.pdf", FINDINGS[0]["source_file"]
    crossed = {**FINDINGS[0], "files": [other, own], "values": {"location_file": own}}
    lines = [p.text for p in docx.Document(io.BytesIO(notice_docx("某局", 2023, [crossed]))).paragraphs]
    assert "位置：某县2023年报.pdf（第3页第12行）；某县2022年报.pdf" in lines
    theirs = {**crossed, "values": {"location_file": other}}
    lines = [p.text for p in docx.Document(io.BytesIO(notice_docx("某局", 2023, [theirs]))).paragraphs]
    assert "位置：某县2023年报.pdf；某县2022年报.pdf（第3页第12行）" in lines


def test_a_cross_report_finding_says_which_file_its_place_is_in() -> None:
    earlier = numbered_report(agency="测试省甲甲县人民政府", year=2022, seed=1)
    later = numbered_report(agency="测试省甲甲县人民政府", year=2023, seed=2)
    found = [d for d in check_across([earlier, later]) if d.rule == "CARRYOVER"]
    assert found and all(d.location is not None for d in found)
    assert {d.values["location_file"] for d in found} == {later.source.file}


def test_a_place_in_a_table_of_the_file_is_not_mistaken_for_the_templates_table() -> None:
    """表三 is the file's second table: '表2第28行' would read as 表二 to the agency."""
    cell = {**FINDINGS[0], "location": {"table": 2, "row": 28, "col": 4}}
    ws = openpyxl.load_workbook(io.BytesIO(findings_xlsx([cell]))).active
    assert ws.cell(2, [t for t, _, _ in XLSX_COLUMNS].index("位置") + 1).value == "表格2第28行第4列"
    lines = [p.text for p in docx.Document(io.BytesIO(notice_docx("某局", 2023, [cell]))).paragraphs]
    assert "位置：某县2023年报.pdf；表格2第28行第4列" in lines
