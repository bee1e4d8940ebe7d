"""HTML pages end to end: the fixture pages read through ``nianbao.extract`` to exactly the
values printed in them, every cell path of the edition, value by value, with each value's
place in the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao import template as T
from nianbao.pipeline import process
from nianbao.read import read_path

FIX = Path(__file__).parent.parent / "fixtures" / "html"
N = None

T2_2021 = {
    "regulations": (3, 1, 27),
    "normative_documents": (18, 6, 143),
    "licensing": (5218,),
    "punishment": (1307,),
    "coercion": (46,),
    "fees": (231.57,),
}
T3_2021 = {
    "new_received": (146, 9, 2, 1, 5, 3, 166),
    "carried_over": (12, 1, 0, 0, 1, 0, 14),
    "granted": (61, 4, 1, 0, 2, 1, 69),
    "partially_granted": (17, 2, 0, 0, 1, 0, 20),
    "denied.state_secret": (1, 0, 0, 0, 0, 0, 1),
    "denied.prohibited_by_law": (2, 0, 0, 0, 0, 0, 2),
    "denied.three_safeties": (0, 0, 0, 0, 0, 0, 0),
    "denied.third_party": (3, 1, 0, 0, 0, 0, 4),
    "denied.internal_affairs": (2, 0, 0, 0, 0, 0, 2),
    "denied.process_info": (4, 0, 0, 0, 1, 0, 5),
    "denied.enforcement_files": (1, 0, 0, 0, 0, 0, 1),
    "denied.query_matters": (5, 0, 0, 0, 0, 1, 6),
    "unable.not_held": (22, 1, 1, 0, 1, 0, 25),
    "unable.needs_creation": (6, 0, 0, 0, 0, 0, 6),
    "unable.unclear": (3, 0, 0, 1, 0, 0, 4),
    "not_processed.complaint": (8, 0, 0, 0, 0, 0, 8),
    "not_processed.duplicate": (4, 1, 0, 0, 0, 0, 5),
    "not_processed.publication": (1, 0, 0, 0, 0, 0, 1),
    "not_processed.excessive": (2, 0, 0, 0, 0, 0, 2),
    "not_processed.confirmation": (1, 0, 0, 0, 0, 0, 1),
    "other.no_correction": (3, 0, 0, 0, 0, 0, 3),
    "other.fee_unpaid": (1, 0, 0, 0, 0, 0, 1),
    "other.other": (2, 0, 0, 0, 0, 0, 2),
    "total_processed": (149, 9, 2, 1, 5, 2, 168),
    "carried_forward": (9, 1, 0, 0, 1, 1, 12),
}
T4_2021 = (3, 1, 0, 2, 6, 2, 0, 1, 1, 4, 1, N, N, 0, 1)

T2_2019 = {
    "regulations": (3, 3, 21),
    "normative_documents": (9, 9, 74),
    "licensing": (284, -11, 3127),
    "other_services": (46, 5, 962),
    "punishment": (38, 0, 745),
    "coercion": (7, 2, 29),
    "fees": (11, -3),
    "procurement": (5, 36.7),  # printed "367000元": the template's column is in 万元
}
T3_2019 = {
    "new_received": (549, 40, 3, 3, 13, 5, 613),
    "carried_over": (31, 2, N, N, N, N, 33),
    "granted": (231, 15, N, N, 2, 1, N),  # 总计 left blank, as some 2019 pages do
    "partially_granted": (42, 3, N, N, 1, N, 46),
    "denied.state_secret": (N, N, N, N, N, N, N),
    "denied.prohibited_by_law": (2, N, N, N, N, N, 2),
    "denied.three_safeties": (2, N, N, N, N, N, 2),
    "denied.third_party": (5, 2, N, N, N, N, 7),
    "denied.internal_affairs": (6, N, N, N, N, N, 6),
    "denied.process_info": (13, N, N, N, 1, N, 14),
    "denied.enforcement_files": (3, N, N, N, N, N, 3),
    "denied.query_matters": (7, N, N, N, N, N, 7),
    "unable.not_held": (126, 11, 2, 1, 4, 3, 147),
    "unable.needs_creation": (17, N, N, N, N, N, 17),
    "unable.unclear": (6, 2, N, N, N, N, 8),
    "not_processed.complaint": (24, N, N, N, N, N, 24),
    "not_processed.duplicate": (13, 1, N, N, 2, N, 16),
    "not_processed.publication": (3, N, N, N, N, N, 3),
    "not_processed.excessive": (4, N, N, N, N, N, 4),
    "not_processed.confirmation": (2, N, N, N, N, N, 2),
    "other.total": (16, 2, N, N, N, N, 18),
    "total_processed": (522, 36, 2, 1, 10, 4, 575),
    "carried_forward": (58, 6, 1, 2, 3, 1, 71),
}
T4_2019 = (6, N, N, 3, 9, 4, N, N, 2, 6, N, N, N, N, N)

PAGES = {
    "report_2021_utf8.html": ("2021", T2_2021, T3_2021, T4_2021),
    "report_2019_gbk.html": ("2019", T2_2019, T3_2019, T4_2019),
}


def expected(ed_name: str, t2: dict, t3: dict, t4: tuple) -> dict[str, object]:
    ed = T.edition(ed_name)
    out: dict[str, object] = {}
    for row in ed.table2:
        out.update(zip((f"table2.{row.key}.{c.key}" for c in row.columns), t2[row.key], strict=True))
    for row in ed.table3:
        out.update(zip((f"table3.{row.key}.{c.key}" for c in T.T3_COLUMNS), t3[row.key], strict=True))
    out.update(zip(T.t4_paths(), t4, strict=True))
    assert list(out) == T.cell_paths(ed)
    return out


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_cell(name: str) -> None:
    ed, *tables = PAGES[name]
    report = process(FIX / name).report
    assert report.edition == ed and report.table_editions == {"table2": ed, "table3": ed}
    assert report.tables_found == {"table2": "full", "table3": "full", "table4": "full"}
    want = expected(ed, *tables)
    got = {path: report.value(path) for path in T.cell_paths(T.edition(ed))}
    wrong = {p: (want[p], got[p]) for p in want if got[p] != want[p] or type(got[p]) is not type(want[p])}
    assert not wrong, wrong
    assert report.readings == []


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_value_points_at_its_cell(name: str) -> None:
    ed = PAGES[name][0]
    report = process(FIX / name).report
    grid = {
        (c.location.table, c.location.row, c.location.col): c
        for t in read_path(FIX / name).tables()
        for r in t.rows
        for c in r
    }
    for path in T.cell_paths(T.edition(ed)):
        v = report.cells[path]
        if v.value is None:
            continue
        loc = v.location
        assert loc is not None and loc.table is not None, path
        cell = grid[(loc.table, loc.row, loc.col)]
        assert not cell.merged and cell.text == v.raw, (path, cell, v)


def test_metadata_and_fees_2021() -> None:
    report = process(FIX / "report_2021_utf8.html").report
    assert (report.agency, report.year) == ("临江市人民政府", 2021)
    assert (report.fees.notices, report.fees.notice_amount_yuan, report.fees.collected_yuan) == (2, 6400, 0)
    assert set(report.sections) == {s.key for s in T.SECTIONS}


def test_metadata_2019() -> None:
    report = process(FIX / "report_2019_gbk.html").report
    assert (report.agency, report.year) == ("青岚市临溪区人民政府办公室", 2019)
    assert "王䶮" in report.sections["other"].text
