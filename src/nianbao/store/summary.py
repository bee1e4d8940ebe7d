"""Totals kept on each stored report so the dashboard never has to scan cells."""

from __future__ import annotations

from collections.abc import Iterable

from nianbao.template.relations import GROUP_TOTALS, HEADLINES

SUMMARY = HEADLINES  # column on ``reports`` -> the cell paths it adds up


def summary_paths() -> list[str]:
    """Every cell path the summary columns are computed from."""
    paths = {p for ps in SUMMARY.values() for p in ps}
    paths.update(p for items in GROUP_TOTALS.values() for p in items)
    return sorted(paths)


def summary_from_values(values: dict[str, float | int | None]) -> dict[str, float | None]:
    """The summary columns of one report from its cell values; None where nothing was printed."""
    return {col: _add(_cell(values, p) for p in paths) for col, paths in SUMMARY.items()}


def _cell(values: dict[str, float | int | None], path: str) -> float | None:
    v = values.get(path)
    if v is None and path in GROUP_TOTALS:
        return _add(values.get(p) for p in GROUP_TOTALS[path])
    return None if v is None else float(v)


def _add(vs: Iterable[float | int | None]) -> float | None:
    got = [v for v in vs if v is not None]
    return float(sum(got)) if got else None
