"""Exports read back: the XLSX with openpyxl (sheets, headers, values), the CSV with csv, the JSON."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pytest

from nianbao.render.sheets import cell_name, to_csv, to_json, to_xlsx
from nianbao.store.db import Store, connect
from nianbao.store.exports import export_data
from tests.builders import numbered_report
from tests.store.store_helpers import findings


@pytest.fixture
def stored(db_url: str) -> tuple:
    engine = connect(db_url)
    store = Store(engine)
    a, b = numbered_report(seed=1), numbered_report(agency="某县人民政府", year=2020, seed=2, ed="2019")
    store.save(a, findings(a))
    store.save(b, [])
    return engine, a, b


def test_xlsx_has_a_sheet_per_table_with_chinese_headers_and_values(stored: tuple) -> None:
    engine, a, b = stored
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(export_data(engine))))
    assert book.sheetnames == ["报告", "表二 主动公开", "表三 申请办理", "表四 复议诉讼", "问题"]
    t3 = list(book["表三 申请办理"].iter_rows(values_only=True))
    head = t3[0]
    assert head[:4] == ("报告编号", "报告机关", "年度", "模板版本")
    assert "一、本年新收政府信息公开申请数量·自然人" in head
    assert "（三）不予公开1.属于国家秘密·总计" in head
    rows = {r[1]: dict(zip(head, r, strict=True)) for r in t3[1:]}
    assert len(rows) == 2
    assert rows[a.agency]["一、本年新收政府信息公开申请数量·自然人"] == a.value("table3.new_received.natural_person")
    blank = next(p for p, v in a.cells.items() if v.value is None and p.startswith("table3"))
    assert rows[a.agency][cell_name(blank)] is None  # a blank stays empty, never 0
    t2 = list(book["表二 主动公开"].iter_rows(values_only=True))
    t2_rows = {r[1]: dict(zip(t2[0], r, strict=True)) for r in t2[1:]}
    assert t2_rows[b.agency]["政府集中采购·采购总金额"] == b.value("table2.procurement.amount_wan")
    assert t2_rows[b.agency]["规章·本年新制作数量"] == b.value("table2.regulations.made")
    assert t2_rows[a.agency]["规章·本年新制作数量"] is None
    problems = list(book["问题"].iter_rows(values_only=True))
    assert problems[0][3:6] == ("规则", "级别", "说明")
    assert {(p[1], p[3], p[4]) for p in problems[1:]} == {
        (a.agency, "T3-BALANCE", "错误"),
        (a.agency, "LABEL-VARIANT", "提示"),
    }
    meta = list(book["报告"].iter_rows(values_only=True))
    assert meta[0][:4] == ("报告编号", "报告机关", "地区", "年度")
    assert {m[1] for m in meta[1:]} == {a.agency, b.agency}


def test_csv_is_long_form_with_bom_and_blank_cells_empty(stored: tuple) -> None:
    engine, a, _ = stored
    raw = to_csv(export_data(engine, agency=a.agency))
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["报告编号", "报告机关", "年度", "单元格路径", "单元格", "数值"]
    got = {r[3]: r[5] for r in rows[1:]}
    assert set(got) == set(a.cells)
    for path, v in a.cells.items():
        assert got[path] == ("" if v.value is None else str(v.value))
    assert all(r[1] == a.agency and r[2] == str(a.year) for r in rows[1:])


def test_json_is_the_array_of_documents(stored: tuple) -> None:
    engine, a, b = stored
    docs = json.loads(to_json(export_data(engine)))
    assert sorted(d["file"] for d in docs) == sorted([a.source.file, b.source.file])


def test_cell_names_of_findings_about_whole_tables_or_unknown_paths() -> None:
    assert cell_name("table2") == "表二"
    assert cell_name("sections.overview") == "sections.overview"
    assert cell_name("table4.nowhere.total") == "table4.nowhere.total"
    assert cell_name("table2.licensing.prev_items") == "行政许可·上一年项目数量"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_looks_like_a_formula_stays_text(db_url: str, start: str) -> None:
    engine = connect(db_url)
    agency = f'{start}HYPERLINK("http://evil.example","点此")'
    r = numbered_report(agency=agency, seed=3)
    Store(engine).save(r, findings(r))
    data = export_data(engine)
    raw = zipfile.ZipFile(io.BytesIO(to_xlsx(data)))
    assert not any(b"<f>" in raw.read(n) for n in raw.namelist() if n.startswith("xl/worksheets/"))
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(data)))
    agencies = [row[1] for row in book["报告"].iter_rows(min_row=2, values_only=True)]
    assert agencies == [agency]
    rows = list(csv.reader(io.StringIO(to_csv(data).decode("utf-8-sig"))))[1:]
    assert rows and {row[1] for row in rows} == {"'" + agency}
    assert all(not row[5].startswith("'") for row in rows)  # numbers stay numbers
