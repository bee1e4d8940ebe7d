"""The dashboard's figures over the selected reports, from the summary columns of ``reports``."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from nianbao.store.db import reading
from nianbao.store.queries import Row, as_row, columns, conditions, number
from nianbao.store.schema import reports
from nianbao.template.relations import OUTCOMES, RATES


def _sum_where_known(num: tuple[str, ...], den: tuple[str, ...]) -> tuple[sa.ColumnElement, sa.ColumnElement]:
    """Σ numerator and Σ denominator over the reports that print all the cells involved."""
    cols = [reports.c[c] for c in num + den]
    known = sa.and_(*(c.is_not(None) for c in cols))

    def total(names: tuple[str, ...]) -> sa.ColumnElement:
        expr = sum((reports.c[n] for n in names[1:]), reports.c[names[0]])
        return sa.func.sum(sa.case((known, expr)))

    return total(num), total(den)


def dashboard(engine: Engine, top: int = 20, **filters: Any) -> Row:
    """Figures over the selected reports: count, per year, outcome mix, rates (each with its
    Chinese definition), agencies ranked by applications, reports with the most errors."""
    where = conditions(**filters)
    r = reports.c
    outcome_sums = [sa.func.sum(r[col]) for col, _ in OUTCOMES]
    rate_sums = [e for _, _, _, num, den in RATES for e in _sum_where_known(num, den)]
    with reading(engine) as conn:
        # one pass over the selection for the count, the outcome mix and the rates
        totals = conn.execute(sa.select(sa.func.count(), *outcome_sums, *rate_sums).where(*where)).one()
        count, sums = totals[0], totals[1 + len(OUTCOMES) :]
        per_year = [
            {
                "year": y,
                "reports": n,
                "new_received": number(a),
                "carried_over": number(c),
                "total_processed": number(t),
                "errors": e,
            }
            for y, n, a, c, t, e in conn.execute(
                sa.select(
                    r.year,
                    sa.func.count(),
                    sa.func.sum(r.new_received_total),
                    sa.func.sum(r.carried_over_total),
                    sa.func.sum(r.total_processed_total),
                    sa.func.sum(r.n_errors),
                )
                .where(*where)
                .group_by(r.year)
                .order_by(r.year)
            )
        ]
        outcomes = [
            {"key": col.removesuffix("_total"), "label": label, "value": number(v)}
            for (col, label), v in zip(OUTCOMES, totals[1 : 1 + len(OUTCOMES)], strict=True)
        ]
        rates = []
        for i, (key, name, definition, _, _) in enumerate(RATES):
            num, den = sums[2 * i], sums[2 * i + 1]
            rates.append(
                {
                    "key": key,
                    "name": name,
                    "definition": definition,
                    "numerator": number(num),
                    "denominator": number(den),
                    "value": round(num / den, 4) if num is not None and den else None,
                }
            )
        applications = sa.func.sum(r.new_received_total)
        agencies = [
            {"agency_key": k, "agency": a, "reports": n, "applications": number(s)}
            for k, a, n, s in conn.execute(
                sa.select(r.agency_key, sa.func.max(r.agency), sa.func.count(), applications)
                .where(*where, r.agency_key.is_not(None))
                .group_by(r.agency_key)
                .order_by(applications.desc().nulls_last(), r.agency_key)
                .limit(top)
            )
        ]
        worst = [
            as_row(x)
            for x in conn.execute(
                sa.select(
                    *columns(("id", "agency", "agency_key", "region", "year", "n_errors", "n_warnings", "n_infos"))
                )
                .where(*where, r.n_errors > 0)
                .order_by(r.n_errors.desc(), r.n_warnings.desc(), r.id)
                .limit(top)
            )
        ]
    return {
        "count": count,
        "per_year": per_year,
        "outcomes": outcomes,
        "rates": rates,
        "agencies": agencies,
        "most_errors": worst,
    }
