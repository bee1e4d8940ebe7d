"""Every bundled example report parsed and compared cell by cell with its
sidecar ``tests/fixtures/expected/<name>.expected.json``. The sidecars hold the values the reports were
generated from (``tests/fixtures/make_reports.py``), never a previous parse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nianbao.normalize import simplified
from nianbao.template import cell_paths, edition

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
EXPECTED = FIXTURES.parent / "expected"
SIDECARS = sorted(EXPECTED.glob("*.expected.json"))
NAMES = [p.name.removesuffix(".expected.json") for p in SIDECARS]


def _expected(name: str) -> dict:
    return json.loads((EXPECTED / f"{name}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parsed():
    from nianbao.pipeline import process

    cache: dict[str, object] = {}

    def get(name: str):
        if name not in cache:
            cache[name] = process(FIXTURES / name).report
        return cache[name]

    return get


def test_every_fixture_has_its_sidecar() -> None:
    assert len(NAMES) >= 20
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(NAMES)


def test_sidecars_cover_every_cell() -> None:
    for name in NAMES:
        exp = _expected(name)
        assert list(exp["cells"]) == cell_paths(edition(exp["edition"])), name


def test_carry_over_chain() -> None:
    for name in NAMES:
        exp = _expected(name)
        if exp["chained_from"]:
            prev = _expected(exp["chained_from"])["cells"]
            for path, v in exp["cells"].items():
                if path.startswith("table3.carried_over."):
                    assert v == prev[path.replace("carried_over", "carried_forward")], (name, path)


@pytest.mark.parametrize("name", NAMES)
def test_metadata(name: str, parsed) -> None:
    exp, report = _expected(name), parsed(name)
    assert simplified(report.agency or "") == exp["agency"]
    assert (report.year, report.edition) == (exp["year"], exp["edition"])


@pytest.mark.parametrize("name", NAMES)
def test_fees_info(name: str, parsed) -> None:
    fees = parsed(name).fees
    assert {
        "notices": fees.notices,
        "notice_amount_yuan": fees.notice_amount_yuan,
        "collected_yuan": fees.collected_yuan,
    } == _expected(name)["fees_info"]


@pytest.mark.parametrize("name", NAMES)
def test_every_cell(name: str, parsed) -> None:
    exp, report = _expected(name), parsed(name)
    wrong = {p: (v, report.value(p)) for p, v in exp["cells"].items() if report.value(p) != v}
    assert not wrong, f"{len(wrong)} of {len(exp['cells'])} cells differ (expected, got): {wrong}"
    blank = [p for p, v in exp["cells"].items() if v is None and p not in report.cells]
    assert not blank, f"blank cells must be present as null: {blank}"


@pytest.mark.parametrize("name", [n for n in NAMES if _expected(n)["split_items"]])
def test_split_items(name: str, parsed) -> None:
    got = parsed(name).split_items
    exp = _expected(name)["split_items"]
    assert [i.get("name") for i in got] == [i["name"] for i in exp]
    for g, e in zip(got, exp, strict=True):
        for col in ("prev_items", "change", "decisions"):
            v = g.get(col)
            assert getattr(v, "value", v) == e[col], (e["name"], col)


@pytest.mark.parametrize("name", NAMES)
def test_provenance(name: str, parsed) -> None:
    """Every printed value says where it came from (sums the report does not print are marked derived)."""
    report = parsed(name)
    unsourced = [
        p
        for p, v in _expected(name)["cells"].items()
        if v is not None and report.cells[p].location is None and not report.cells[p].derived
    ]
    assert not unsourced, unsourced


@pytest.mark.parametrize("name", [n for n in NAMES if _expected(n)["readings"]])
def test_ambiguous_readings(name: str, parsed) -> None:
    """A table that can be read two ways lists both readings and leaves its cells null."""
    report = parsed(name)
    for table, expected in _expected(name)["readings"].items():
        found = [r for r in report.readings if r.table == table]
        assert found, f"{table} should be recorded as ambiguous"
        paths = list(expected[0])
        got = [{p: r.get(p) for p in paths} for r in found[0].readings]
        assert sorted(map(str, got)) == sorted(map(str, expected))
        assert any("表四" in n for n in report.notes)
