"""Exports read back (SQLite and PostgreSQL): the XLSX with openpyxl (grouped headers as merged
cells, frozen panes, auto-filter, A4 print setup, values), CSV long and wide, JSON Lines, JSON;
all streamed in batches."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from nianbao.render.sheets import CORRECTED_HEADER, REPORT_HEADERS, TABLE_PATHS, cell_name, header_levels
from nianbao.store.corrections import correct
from nianbao.store.db import Store, connect
from nianbao.store.exports import export_reports, stream
from nianbao.template import T3_OUTCOME_LABEL, path_label
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


def export(engine, kind: str, **filters) -> bytes:  # noqa: ANN001
    return b"".join(stream(engine, kind, **filters))


def book(engine, **filters) -> openpyxl.Workbook:  # noqa: ANN001
    return openpyxl.load_workbook(io.BytesIO(export(engine, "xlsx", **filters)))


def merged(ws) -> dict[str, str]:  # noqa: ANN001
    """Merged range → its text."""
    return {str(r): ws.cell(r.min_row, r.min_col).value for r in ws.merged_cells.ranges}


def test_xlsx_has_the_templates_grouped_headers_merged(stored: tuple) -> None:
    engine, a, b = stored
    wb = book(engine)
    assert wb.sheetnames == ["报告", "表二 主动公开", "表三 申请办理", "表四 复议诉讼", "问题"]
    t3 = wb["表三 申请办理"]
    spans = merged(t3)
    # the key columns run down the four header rows; 三、本年度办理结果 spans every outcome column
    assert spans["A1:A4"] == "报告编号" and spans["B1:B4"] == "报告机关"
    t3_paths = [p for p in TABLE_PATHS if p.startswith("table3.")]
    outcome_cols = [5 + i for i, p in enumerate(t3_paths) if header_levels(p)[0] == T3_OUTCOME_LABEL]
    assert outcome_cols == list(range(outcome_cols[0], outcome_cols[-1] + 1))
    first, last = get_column_letter(outcome_cols[0]), get_column_letter(outcome_cols[-1])
    assert spans[f"{first}1:{last}1"] == T3_OUTCOME_LABEL
    # （三）不予公开 spans its eight rows × seven columns on the second header row
    denied = [r for r, text in spans.items() if text == "（三）不予公开"]
    assert len(denied) == 1 and denied[0].endswith("2") and denied[0].split(":")[0].endswith("2")
    # a row the template does not split runs down three header rows over its seven columns
    new_received = header_levels("table3.new_received.total")[0]
    (nr,) = [r for r, text in spans.items() if text == new_received]
    assert nr == "E1:K3"
    assert [t3.cell(4, c).value for c in range(5, 12)] == [
        header_levels(f"table3.new_received.{k}")[3]
        for k in ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")
    ]
    # 表四: 行政诉讼 over its two groups
    t4 = merged(wb["表四 复议诉讼"])
    assert sorted(t for t in t4.values() if t in ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉")) == [
        "复议后起诉",
        "未经复议直接起诉",
        "行政复议",
        "行政诉讼",
    ]


def test_xlsx_is_ready_to_filter_scroll_and_print_on_a4(stored: tuple) -> None:
    engine, _, _ = stored
    wb = book(engine)
    for ws, depth in ((wb["报告"], 1), (wb["表二 主动公开"], 3), (wb["表三 申请办理"], 4), (wb["表四 复议诉讼"], 3)):
        assert ws.freeze_panes == f"C{depth + 1}"
        assert ws.auto_filter.ref.startswith(f"A{depth}:")
        assert ws.auto_filter.ref.endswith(str(depth + 2))  # two reports
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"  # 9: A4
        assert ws.print_title_rows == f"$1:${depth}"
        assert ws.column_dimensions["B"].width > 20  # 报告机关
    assert wb["问题"].page_setup.paperSize == 9


def test_xlsx_values_under_their_headers(stored: tuple) -> None:
    engine, a, b = stored
    wb = book(engine)
    t3 = list(wb["表三 申请办理"].iter_rows(values_only=True))
    paths = [p for p in TABLE_PATHS if p.startswith("table3.")]
    rows = {r[1]: dict(zip(paths, r[4:], strict=True)) for r in t3[4:]}
    assert set(rows) == {a.agency, b.agency}
    assert rows[a.agency]["table3.new_received.natural_person"] == a.value("table3.new_received.natural_person")
    blank = next(p for p, v in a.cells.items() if v.value is None and p.startswith("table3"))
    assert rows[a.agency][blank] is None  # a blank stays empty, never 0
    t2 = list(wb["表二 主动公开"].iter_rows(values_only=True))
    t2_paths = [p for p in TABLE_PATHS if p.startswith("table2.")]
    t2_rows = {r[1]: dict(zip(t2_paths, r[4:], strict=True)) for r in t2[3:]}
    assert t2_rows[b.agency]["table2.procurement.amount_wan"] == b.value("table2.procurement.amount_wan")
    assert t2_rows[b.agency]["table2.regulations.made"] == b.value("table2.regulations.made")
    assert t2_rows[a.agency]["table2.regulations.made"] is None
    problems = list(wb["问题"].iter_rows(values_only=True))
    assert problems[0][3:6] == ("规则", "级别", "说明")
    assert {(p[1], p[3], p[4]) for p in problems[1:]} == {
        (a.agency, "T3-BALANCE", "错误"),
        (a.agency, "LABEL-VARIANT", "提示"),
    }
    meta = list(wb["报告"].iter_rows(values_only=True))
    assert meta[0][:4] == ("报告编号", "报告机关", "地区", "年度")
    assert {m[1] for m in meta[1:]} == {a.agency, b.agency}


def test_csv_is_long_form_with_bom_and_blank_cells_empty(stored: tuple) -> None:
    engine, a, _ = stored
    raw = export(engine, "csv", agency=a.agency)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["报告编号", "报告机关", "年度", "单元格路径", "单元格", "数值"]
    got = {r[3]: r[5] for r in rows[1:]}
    assert set(got) == set(a.cells)
    for path, v in a.cells.items():
        assert got[path] == ("" if v.value is None else str(v.value))
    assert all(r[1] == a.agency and r[2] == str(a.year) for r in rows[1:])


def test_wide_csv_has_a_row_per_report_and_a_column_per_cell(stored: tuple) -> None:
    engine, a, b = stored
    raw = export(engine, "wide.csv")
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    head = rows[0]
    assert head == [h for _, h in REPORT_HEADERS] + [CORRECTED_HEADER] + [path_label(p) for p in TABLE_PATHS]
    assert len(set(head)) == len(head)
    assert len(rows) == 3
    by_agency = {r[1]: dict(zip(head, r, strict=True)) for r in rows[1:]}
    for report in (a, b):
        got = by_agency[report.agency]
        for path, v in report.cells.items():
            assert got[path_label(path)] == ("" if v.value is None else str(v.value)), path
    assert by_agency[a.agency][path_label("table2.regulations.made")] == ""  # not in a 2021 report


def test_json_lines_and_json_hold_the_documents(stored: tuple) -> None:
    engine, a, b = stored
    lines = export(engine, "jsonl").decode().splitlines()
    docs = [json.loads(x) for x in lines]
    assert sorted(d["file"] for d in docs) == sorted([a.source.file, b.source.file])
    assert json.loads(export(engine, "json")) == docs
    # the array holds the same objects a line each, as the JSON Lines do
    assert export(engine, "json").decode().splitlines()[1:-1] == [x + "," for x in lines[:-1]] + lines[-1:]
    assert json.loads(export(engine, "json", agency="没有这个机关")) == []


def test_reports_stream_in_batches_newest_year_first(db_url: str) -> None:
    engine = connect(db_url)
    store = Store(engine)
    for i in range(5):
        store.save(numbered_report(agency=f"某{i}局", year=2020 + i % 3, seed=i), [])
    got = list(export_reports(engine, batch=2))
    assert [(r["year"], r["agency"]) for r in got] == sorted(
        ((r["year"], r["agency"]) for r in got), key=lambda x: (-x[0], x[1])
    )
    assert len(got) == 5 and all(r["cells"] for r in got)
    one = got[3]["id"]
    assert [r["id"] for r in export_reports(engine, ids=[one])] == [one]


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
    xlsx = export(engine, "xlsx")
    raw = zipfile.ZipFile(io.BytesIO(xlsx))
    assert not any(b"<f>" in raw.read(n) for n in raw.namelist() if n.startswith("xl/worksheets/"))
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    agencies = [row[1] for row in wb["报告"].iter_rows(min_row=2, values_only=True)]
    # a control character is written as the OOXML escape _x000D_, which Excel reads back (openpyxl does not)
    assert [a.replace("_x000D_", "\r").replace("_x0009_", "\t") for a in agencies] == [agency]
    for kind in ("csv", "wide.csv"):
        rows = list(csv.reader(io.StringIO(export(engine, kind).decode("utf-8-sig"))))[1:]
        assert rows and {row[1] for row in rows} == {"'" + agency}
    long_rows = list(csv.reader(io.StringIO(export(engine, "csv").decode("utf-8-sig"))))[1:]
    assert all(not row[5].startswith("'") for row in long_rows)  # numbers stay numbers


def test_a_correction_in_force_replaces_the_printed_value(stored: tuple) -> None:
    engine, a, _ = stored
    (rid,) = [r["id"] for r in export_reports(engine, agency=a.agency)]
    correct(engine, rid, "table3.granted.total", 999, "原表笔误", "审核员")
    (got,) = export_reports(engine, agency=a.agency)
    assert got["cells"]["table3.granted.total"] == 999
    assert got["corrected"] == ["table3.granted.total"]
    rows = list(csv.reader(io.StringIO(export(engine, "wide.csv", agency=a.agency).decode("utf-8-sig"))))
    wide = dict(zip(rows[0], rows[1], strict=True))
    assert wide[path_label("table3.granted.total")] == "999"
    assert wide[CORRECTED_HEADER] == cell_name("table3.granted.total")
    # in the XLSX the corrected value is marked (filled) and named on the 报告 sheet
    wb = book(engine, agency=a.agency)
    t3 = wb["表三 申请办理"]
    col = 5 + [p for p in TABLE_PATHS if p.startswith("table3.")].index("table3.granted.total")
    cell = t3.cell(5, col)
    assert cell.value == 999 and cell.fill.fgColor.rgb.endswith("FFF2CC")
    assert t3.cell(5, col - 1).fill.fgColor.rgb in (None, "00000000")
    meta = list(wb["报告"].iter_rows(values_only=True))
    assert meta[0][-1] == CORRECTED_HEADER and meta[1][-1] == cell_name("table3.granted.total")
