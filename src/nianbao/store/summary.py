"""Totals kept on each stored report so the dashboard never has to scan cells."""

from __future__ import annotations

from collections.abc import Iterable

from nianbao.template import BY_NAME

# column on ``reports`` -> the cell paths it adds up
SUMMARY: dict[str, tuple[str, ...]] = {
    "new_received_total": ("table3.new_received.total",),
    "carried_over_total": ("table3.carried_over.total",),
    "granted_total": ("table3.granted.total",),
    "partially_granted_total": ("table3.partially_granted.total",),
    "denied_total": ("table3.denied.total.total",),
    "unable_total": ("table3.unable.total.total",),
    "not_processed_total": ("table3.not_processed.total.total",),
    "other_total": ("table3.other.total.total",),
    "total_processed_total": ("table3.total_processed.total",),
    "carried_forward_total": ("table3.carried_forward.total",),
    "review_total": ("table4.review.total",),
    "review_corrected": ("table4.review.corrected",),
    "litigation_total": ("table4.litigation_direct.total", "table4.litigation_after_review.total"),
    "litigation_corrected": ("table4.litigation_direct.corrected", "table4.litigation_after_review.corrected"),
}

# a group total the template prints no row for -> the 总计 cells of its items (both editions)
_GROUP_ITEMS: dict[str, tuple[str, ...]] = {
    f"table3.{g}.total.total": tuple(
        dict.fromkeys(f"table3.{item}.total" for ed in BY_NAME.values() for item in ed.group_items(g))
    )
    for g in ("denied", "unable", "not_processed", "other")
}


def summary_paths() -> list[str]:
    """Every cell path the summary columns are computed from."""
    paths = {p for ps in SUMMARY.values() for p in ps}
    paths.update(p for items in _GROUP_ITEMS.values() for p in items)
    return sorted(paths)


def summary_from_values(values: dict[str, float | int | None]) -> dict[str, float | None]:
    """The summary columns of one report from its cell values; None where nothing was printed."""
    return {col: _add(_cell(values, p) for p in paths) for col, paths in SUMMARY.items()}


def _cell(values: dict[str, float | int | None], path: str) -> float | None:
    v = values.get(path)
    if v is None and path in _GROUP_ITEMS:
        return _add(values.get(p) for p in _GROUP_ITEMS[path])
    return None if v is None else float(v)


def _add(vs: Iterable[float | int | None]) -> float | None:
    got = [v for v in vs if v is not None]
    return float(sum(got)) if got else None
