"""The dashboard's figures: sums per year, outcome mix, rates where known (SQLite and PostgreSQL)."""

from __future__ import annotations

from nianbao.model import Value
from nianbao.store.dashboard import dashboard
from nianbao.store.db import Store, connect
from tests.builders import numbered_report
from tests.store.store_helpers import findings


def test_dashboard_sums_and_rates(db_url: str) -> None:
    engine = connect(db_url)
    store = Store(engine)
    spec = [(2023, 10, 5, 100, 8, 20, 1, 2), (2024, 30, 5, 100, None, None, 3, 4)]
    for i, (year, granted, denied_item, processed, corrected, review_total, fwd, over) in enumerate(spec):
        r = numbered_report(agency=f"某{i}局", year=year, seed=i)
        set_ = {
            "table3.granted.total": granted,
            "table3.denied.state_secret.total": denied_item,
            "table3.total_processed.total": processed,
            "table4.review.corrected": corrected,
            "table4.review.total": review_total,
            "table3.carried_forward.total": fwd,
            "table3.carried_over.total": over,
            "table3.new_received.total": 50,
        }
        for p in r.cells:
            if p.startswith("table3.denied."):
                r.cells[p] = Value(None)
        for p, v in set_.items():
            r.cells[p] = Value(v)
        store.save(r, findings(r))
    d = dashboard(engine)
    assert d["count"] == 2
    assert [(y["year"], y["reports"], y["new_received"]) for y in d["per_year"]] == [(2023, 1, 50), (2024, 1, 50)]
    rates = {r["key"]: r for r in d["rates"]}
    assert rates["granted_rate"]["value"] == 0.2 and rates["granted_rate"]["name"] == "予以公开率"
    assert "（七）总计" in rates["granted_rate"]["definition"]
    assert rates["denied_rate"]["numerator"] == 10
    # only the report that prints both cells counts for a rate
    assert (rates["review_correction_rate"]["numerator"], rates["review_correction_rate"]["denominator"]) == (8, 20)
    assert rates["carry_forward_rate"]["value"] == round(4 / (100 + 6), 4)
    assert {o["key"]: o["value"] for o in d["outcomes"]}["granted"] == 40
    # rankings are per year (the latest by default), never years added together
    assert d["rank_year"] == 2024 and d["rank_years"] == [2024, 2023]
    assert [(a["agency"], a["applications"]) for a in d["agencies"]] == [("某1局", 50)]
    assert [a["agency"] for a in dashboard(engine, rank_year=2023)["agencies"]] == ["某0局"]
    # every aggregate says how many reports it covers
    assert d["years"] == [2023, 2024]
    assert [(y["reports"], y["new_received_reports"]) for y in d["per_year"]] == [(1, 1), (1, 1)]
    assert rates["review_correction_rate"]["reports"] == 1 and rates["granted_rate"]["reports"] == 2
    assert {o["key"]: o["reports"] for o in d["outcomes"]}["granted"] == 2
    assert d["coverage"]["years"] == [2023, 2024]
    assert [c["counts"] for c in d["coverage"]["regions"]] in ([[1, 1]], [[1, 0], [0, 1]])
    assert len(d["most_errors"]) == 2 and d["most_errors"][0]["n_errors"] == 1
    assert dashboard(engine, year=2024)["count"] == 1
