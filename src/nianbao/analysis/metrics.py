"""The metric dictionary: the key quantities and rates of a report, each with its formula, the
canonical cells it uses and its caveats. Every page, export and API that shows a metric takes
its name and definition from here; the labels come from ``nianbao.template``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nianbao.store.summary import summary_from_values
from nianbao.template import T4_GROUPS, T4_LITIGATION, path_label
from nianbao.template.relations import GROUP_TOTALS, HEADLINES, OUTCOMES, RATES, ROW_NUMBER, ROW_SHORT, T4_LABEL

Totals = dict[str, float | None]  # headline total (nianbao.store.summary.SUMMARY) -> value

BLANK_COUNT = "空白格不当作 0：所涉各格全部空白时本项为空，部分空白时只加已填的格"
BLANK_RATE = "所涉各格有空白或分母为 0 时不计算（显示为“—”），不当作 0"
SMALL = "分母小（例如不足 10 件）时比率波动大，比较时请看件数"
PENDING = f"分母“{T4_LABEL['total']}”含{T4_LABEL['pending']}的案件"
EDITIONS = "2019 年版与 2021 年版的结果分项不同，跨版本比较分项时请核对口径"


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    formula: str
    numerator: tuple[str, ...]  # headline totals added up
    denominator: tuple[str, ...] = ()  # empty: a count, not a rate
    caveats: tuple[str, ...] = ()

    @property
    def is_rate(self) -> bool:
        return bool(self.denominator)

    @property
    def cells(self) -> tuple[str, ...]:
        """The canonical cell keys the metric reads (a group total stands for its items)."""
        out: list[str] = []
        for total in self.numerator + self.denominator:
            for p in HEADLINES[total]:
                out += [p, *GROUP_TOTALS.get(p, ())]
        return tuple(dict.fromkeys(out))

    def of_totals(self, totals: Totals) -> float | None:
        """The value from a report's headline totals."""
        if not self.is_rate:
            known = [v for t in self.numerator if (v := totals.get(t)) is not None]
            return _whole(sum(known)) if known else None
        num, den = _all(totals, self.numerator), self.denominator_of(totals)
        return None if num is None or not den else num / den

    def denominator_of(self, totals: Totals) -> float | None:
        """A rate's denominator; None when one of its totals is blank."""
        return _all(totals, self.denominator)

    def of_cells(self, values: dict[str, Any]) -> float | None:
        """The value from a report's cells (path -> value)."""
        return self.of_totals(summary_from_values(values))

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "kind": "rate" if self.is_rate else "count",
            "formula": self.formula,
            "cells": list(self.cells),
            "cell_labels": [path_label(p) for p in self.cells],
            "caveats": list(self.caveats),
        }


def _whole(v: float) -> float:
    """A count as a whole number when it is one (12.0 → 12), so that JSON shows 12."""
    return int(v) if float(v).is_integer() else v


def _all(totals: Totals, names: tuple[str, ...]) -> float | None:
    """The sum of the totals ``names``, or None when one of them is blank."""
    values = [totals.get(t) for t in names]
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def _count(total: str, name: str, *caveats: str) -> Metric:
    formula = " ＋ ".join(path_label(p) for p in HEADLINES[total])
    if HEADLINES[total][0] in GROUP_TOTALS:
        formula += "（模板未印合计行，为各分项之和）"
    return Metric(total, name, formula, (total,), (), (*caveats, BLANK_COUNT))


_REVIEW, _LITIGATION = T4_GROUPS[0][1], T4_LITIGATION
_COUNTS = (
    _count("new_received_total", f"{ROW_SHORT['new_received'][4:]}申请数"),
    _count("carried_over_total", f"{ROW_SHORT['carried_over'][2:]}申请数"),
    _count("total_processed_total", f"办理结果{ROW_NUMBER['total_processed'][3:]}"),
    *(_count(total, f"{short}数", EDITIONS) for total, short in OUTCOMES),
    _count("carried_forward_total", f"{ROW_SHORT['carried_forward'][2:7]}数"),
    _count("review_total", f"{_REVIEW}数", PENDING.replace("分母", "")),
    _count("review_corrected", f"{_REVIEW}{T4_LABEL['corrected']}数"),
    _count("litigation_total", f"{_LITIGATION}数", PENDING.replace("分母", "")),
    _count("litigation_corrected", f"{_LITIGATION}{T4_LABEL['corrected']}数"),
)
_RATE_CAVEATS = {
    "granted_rate": (f"分母为办理结果{ROW_NUMBER['total_processed'][3:]}（含上年结转在本年办结的），不是新收申请数",),
    "denied_rate": ("分子为不予公开各分项之和，不含部分公开", EDITIONS),
    "review_correction_rate": (PENDING,),
    "litigation_correction_rate": (PENDING,),
    "carry_forward_rate": ("表三平衡时与办结率之和为 1",),
}
_RATES = tuple(
    Metric(key, name, formula, num, den, (*_RATE_CAVEATS.get(key, ()), SMALL, BLANK_RATE))
    for key, name, formula, num, den in RATES
)
_DONE = Metric(
    "completion_rate",
    "办结率",
    f"表三“{ROW_NUMBER['total_processed']}”总计 ÷（“{ROW_SHORT['new_received']}”总计＋“{ROW_SHORT['carried_over']}”总计）",
    ("total_processed_total",),
    ("new_received_total", "carried_over_total"),
    ("表三平衡时与结转率之和为 1", SMALL, BLANK_RATE),
)

METRICS: dict[str, Metric] = {m.key: m for m in (*_COUNTS, *_RATES, _DONE)}


def metric(key: str) -> Metric | None:
    """The metric named by its key or its Chinese name."""
    return METRICS.get(key) or next((m for m in METRICS.values() if m.name == key), None)


def dictionary() -> list[dict[str, Any]]:
    """Every metric as a dict (for /api/metrics and the exports)."""
    return [m.as_dict() for m in METRICS.values()]
