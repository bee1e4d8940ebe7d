"""Golden tests for the five seed reports in ../shared/seeds.

Every expected value below was read by hand from the seed files (``cat -A``,
line by line) and written down here as literal data; none was produced by
running the parser. The tests skip when ../shared is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.template import T3_COLUMNS, T4_COLUMNS, T4_GROUPS, cell_paths, edition

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
Z7 = [0, 0, 0, 0, 0, 0, 0]
Z5 = [0, 0, 0, 0, 0]
T3_ROWS_2021 = [r.key for r in edition("2021").table3]
T3_ROWS_2019 = [r.key for r in edition("2019").table3]


def _seed(prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is absent")
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} is absent")
    return found[0]


def _t3(rows: dict[str, list[int]], keys: list[str]) -> dict[str, int]:
    """表三 as printed: row key → the 7 numbers (自然人 … 总计); rows not listed are all 0."""
    assert set(rows) <= set(keys)
    return {f"table3.{k}.{c.key}": v for k in keys for c, v in zip(T3_COLUMNS, rows.get(k, Z7), strict=True)}


def _t4(review: list, direct: list, after: list) -> dict:
    out = {}
    for (g, _), vals in zip(T4_GROUPS, (review, direct, after), strict=True):
        out.update({f"table4.{g}.{c.key}": v for c, v in zip(T4_COLUMNS, vals, strict=True)})
    return out


# ------------------------------------------------------------ seed 000 --
# 北京市西城区城市管理指挥中心 2025: every number of every table printed as 0
# (lines 29–64, 89–356, 400–414); the 部分公开 总计 is "\t   " + "0" on the next
# line (125–126); the （六）1/2 总计 are "\t" + "0" (313–314, 325–326).
SEED_000 = {
    "table2.regulations.issued": 0,
    "table2.regulations.repealed": 0,
    "table2.regulations.in_force": 0,
    "table2.normative_documents.issued": 0,
    "table2.normative_documents.repealed": 0,
    "table2.normative_documents.in_force": 0,
    "table2.licensing.decisions": 0,
    "table2.punishment.decisions": 0,
    "table2.coercion.decisions": 0,
    "table2.fees.amount_wan": 0,
    **_t3({}, T3_ROWS_2021),
    **_t4(Z5, Z5, Z5),
}

# ------------------------------------------------------------ seed 001 --
# 北京市西城区 2024, Markdown (lines 41–57, 61–93, 97–101).
SEED_001 = {
    "table2.regulations.issued": 0,
    "table2.regulations.repealed": 0,
    "table2.regulations.in_force": 0,
    "table2.normative_documents.issued": 20,
    "table2.normative_documents.repealed": 12,
    "table2.normative_documents.in_force": 121,
    "table2.licensing.decisions": 39208,
    "table2.punishment.decisions": 15130,
    "table2.coercion.decisions": 47,
    "table2.fees.amount_wan": 31429.79,
    **_t3(
        {
            "new_received": [1374, 20, 1, 1, 1, 3, 1400],
            "carried_over": [42, 0, 0, 0, 0, 0, 42],
            "granted": [472, 3, 1, 0, 0, 0, 476],
            "partially_granted": [169, 4, 0, 0, 0, 1, 174],
            "denied.state_secret": Z7,
            "denied.prohibited_by_law": [6, 0, 0, 0, 0, 1, 7],
            "denied.three_safeties": Z7,
            "denied.third_party": [10, 0, 0, 0, 0, 0, 10],
            "denied.internal_affairs": [12, 0, 0, 0, 0, 0, 12],
            "denied.process_info": [19, 1, 0, 0, 0, 0, 20],
            "denied.enforcement_files": [24, 0, 0, 0, 0, 0, 24],
            "denied.query_matters": [35, 1, 0, 0, 0, 0, 36],
            "unable.not_held": [425, 7, 0, 1, 1, 0, 434],
            "unable.needs_creation": [9, 0, 0, 0, 0, 0, 9],
            "unable.unclear": Z7,
            "not_processed.complaint": [41, 0, 0, 0, 0, 0, 41],
            "not_processed.duplicate": [7, 0, 0, 0, 0, 0, 7],
            "not_processed.publication": [1, 0, 0, 0, 0, 0, 1],
            "not_processed.excessive": Z7,
            "not_processed.confirmation": [1, 0, 0, 0, 0, 0, 1],  # line 84: lost its leading empty cells
            "other.no_correction": [1, 0, 0, 0, 0, 0, 1],  # line 85, label continues as "申请" on line 89
            "other.fee_unpaid": Z7,
            "other.other": [113, 1, 0, 0, 0, 0, 114],
            "total_processed": [1345, 17, 1, 1, 1, 2, 1367],
            "carried_forward": [71, 3, 0, 0, 0, 1, 75],
        },
        T3_ROWS_2021,
    ),
    # line 101: "| | | | | | 109 | 6 | 3 | 14 | 132 | 14 | 0 | 1 | 4 | 19 |" — two readings, cells null
    **_t4([None] * 5, [None] * 5, [None] * 5),
}

# ------------------------------------------------------------ seed 002 --
# 北京市通州区西集镇人民政府 2025 (lines 25–60, 85–349, 394–408); NBSP/U+3000 glued to numbers.
SEED_002 = {
    "table2.regulations.issued": 0,
    "table2.regulations.repealed": 0,
    "table2.regulations.in_force": 0,
    "table2.normative_documents.issued": 0,
    "table2.normative_documents.repealed": 0,
    "table2.normative_documents.in_force": 0,
    "table2.licensing.decisions": 0,  # "\xa00"
    "table2.punishment.decisions": 437,
    "table2.coercion.decisions": 0,  # "0\u3000"
    "table2.fees.amount_wan": 0,
    **_t3(
        {
            "new_received": [167, 0, 0, 0, 0, 0, 167],
            "carried_over": [37, 0, 0, 0, 0, 0, 37],
            "granted": [79, 0, 0, 0, 0, 0, 79],
            "partially_granted": [49, 0, 0, 0, 0, 0, 49],
            "denied.internal_affairs": [1, 0, 0, 0, 0, 0, 1],
            "unable.not_held": [44, 0, 0, 0, 0, 0, 44],
            "other.no_correction": [1, 0, 0, 0, 0, 0, 1],
            "other.other": [11, 0, 0, 0, 0, 0, 11],
            "total_processed": [185, 0, 0, 0, 0, 0, 185],
            "carried_forward": [19, 0, 0, 0, 0, 0, 19],
        },
        T3_ROWS_2021,
    ),
    **_t4([33, 0, 0, 1, 34], [0, 0, 0, 0, 0], [0, 0, 0, 1, 1]),
}

# ------------------------------------------------------------ seed 003 --
# 西城区城市管理指挥中心 2021 on the 2019 tables (lines 25–101, 122–366, 400–414).
SEED_003 = {
    "table2.regulations.made": 0,
    "table2.regulations.published": 0,
    "table2.regulations.total_public": 0,
    "table2.normative_documents.made": 0,
    "table2.normative_documents.published": 0,
    "table2.normative_documents.total_public": 0,
    "table2.licensing.prev_items": 0,
    "table2.licensing.change": 0,
    "table2.licensing.decisions": 0,
    # split into 行政检查 0/0/0 and 行政确认 0/0/0 (lines 54–64); the row is their sum
    "table2.other_services.prev_items": 0,
    "table2.other_services.change": 0,
    "table2.other_services.decisions": 0,
    "table2.punishment.prev_items": 0,
    "table2.punishment.change": 0,
    "table2.punishment.decisions": 0,
    "table2.coercion.prev_items": 0,
    "table2.coercion.change": 0,
    "table2.coercion.decisions": 0,
    "table2.fees.prev_items": 0,
    "table2.fees.change": 0,
    "table2.procurement.items": 4,
    "table2.procurement.amount_wan": 491.5,  # printed "491,5000" under 采购总金额（万元，保留四位小数）
    **_t3(
        {
            "new_received": [1, 0, 0, 0, 0, 0, 1],
            "granted": [1, 0, 0, 0, 0, 0, 1],
            "total_processed": [1, 0, 0, 0, 0, 0, 1],
        },
        T3_ROWS_2019,
    ),
    **_t4(Z5, Z5, Z5),
}

# ------------------------------------------------------------ seed 004 --
# 东城区城市管理指挥中心 2024 (lines 27–62, 85–349, 391–405); 部分公开 printed without its note.
SEED_004 = {
    "table2.regulations.issued": 0,  # "\u3000\u30000"
    "table2.regulations.repealed": 0,  # "\xa0\u30000"
    "table2.regulations.in_force": 0,  # "\xa00"
    "table2.normative_documents.issued": 0,
    "table2.normative_documents.repealed": 0,
    "table2.normative_documents.in_force": 0,
    "table2.licensing.decisions": 0,
    "table2.punishment.decisions": 0,
    "table2.coercion.decisions": 0,
    "table2.fees.amount_wan": 0,
    **_t3(
        {
            "new_received": [3, 0, 0, 0, 0, 0, 3],
            "granted": [1, 0, 0, 0, 0, 0, 1],
            "denied.internal_affairs": [1, 0, 0, 0, 0, 0, 1],
            "total_processed": [2, 0, 0, 0, 0, 0, 2],
            "carried_forward": [1, 0, 0, 0, 0, 0, 1],
        },
        T3_ROWS_2021,
    ),
    **_t4(Z5, Z5, Z5),
}

CASES = {
    # prefix: (agency, year, edition, (notices, notice_amount_yuan, collected_yuan), cells)
    "000": ("北京市西城区城市管理指挥中心", 2025, "2021", (None, None, None), SEED_000),
    # the title names the region only ("北京市西城区 2024 年…"): a region's own report is its 人民政府's (cli.md example)
    "001": ("北京市西城区人民政府", 2024, "2021", (2, 6400, 0), SEED_001),
    "002": ("北京市通州区西集镇人民政府", 2025, "2021", (1, 140, 140), SEED_002),
    "003": ("西城区城市管理指挥中心", 2021, "2019", (None, None, None), SEED_003),
    "004": ("东城区城市管理指挥中心", 2024, "2021", (0, 0, 0), SEED_004),
}


@pytest.fixture(scope="module")
def reports():
    from nianbao.pipeline import process

    cache: dict[str, object] = {}

    def get(prefix: str):
        if prefix not in cache:
            cache[prefix] = process(_seed(prefix)).report
        return cache[prefix]

    return get


def test_expectations_cover_every_cell() -> None:
    for prefix, (_, _, ed, _, cells) in CASES.items():
        assert list(cells) == cell_paths(edition(ed)), prefix


@pytest.mark.parametrize("prefix", sorted(CASES))
def test_metadata(prefix: str, reports) -> None:
    agency, year, ed, _, _ = CASES[prefix]
    report = reports(prefix)
    assert (report.agency, report.year, report.edition) == (agency, year, ed)


@pytest.mark.parametrize("prefix", sorted(CASES))
def test_fees_info(prefix: str, reports) -> None:
    fees = reports(prefix).fees
    assert (fees.notices, fees.notice_amount_yuan, fees.collected_yuan) == CASES[prefix][3]


@pytest.mark.parametrize("table", ["table2", "table3", "table4"])
@pytest.mark.parametrize("prefix", sorted(CASES))
def test_every_cell(prefix: str, table: str, reports) -> None:
    report = reports(prefix)
    expected = {p: v for p, v in CASES[prefix][4].items() if p.startswith(table + ".")}
    got = {p: report.value(p) for p in expected}
    wrong = {p: (v, got[p]) for p, v in expected.items() if got[p] != v}
    assert not wrong, f"{len(wrong)} cells differ (expected, got): {wrong}"
    missing = [p for p in expected if p not in report.cells]
    assert not missing, missing


def test_000_fee_sentence_is_about_admin_fees(reports) -> None:
    assert reports("000").fees.mentions_admin_fees


def test_001_table4_has_two_readings(reports) -> None:
    report = reports("001")
    readings = [r for r in report.readings if r.table == "table4"]
    assert readings, "表四 should be recorded as readable two ways"
    both = readings[0].readings
    assert len(both) == 2
    shifted = [r for r in both if r.get("table4.review.upheld") == 109]
    blank_review = [r for r in both if r.get("table4.review.upheld") is None]
    assert len(shifted) == 1 and len(blank_review) == 1
    assert shifted[0].get("table4.review.total") == 132
    assert shifted[0].get("table4.litigation_direct.upheld") == 14
    assert blank_review[0].get("table4.litigation_direct.upheld") == 109
    assert blank_review[0].get("table4.litigation_after_review.total") == 19
    assert any("表四" in n for n in report.notes)


def test_003_decimal_comma_is_noted(reports) -> None:
    v = reports("003").cells["table2.procurement.amount_wan"]
    assert v.value == 491.5
    assert v.raw.strip() == "491,5000"
    assert v.note


def test_003_split_rows(reports) -> None:
    items = reports("003").split_items
    assert [i.get("name") for i in items] == ["行政检查", "行政确认"]
    for item in items:
        for col in ("prev_items", "change", "decisions"):
            v = item.get(col)
            assert getattr(v, "value", v) == 0, (item, col)
