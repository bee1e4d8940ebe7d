"""表三 value rows printed apart from their labels, placed by the template's row order.

A converter may write a wrapped row label as loose lines outside the table and
leave the row's numbers as a row of their own. Between two labelled rows (the
anchors), the unlabelled value rows are read as the template rows the anchors
leave out, in order — only when there are exactly as many of each. Otherwise the
rows stay blank and the table is marked uncertain: the reader does not guess."""

from __future__ import annotations

from typing import NamedTuple, Protocol

from nianbao import template as T
from nianbao.extract.stream import Item
from nianbao.model import Uncertain


class Labelled(Protocol):
    key: str
    label: Item
    items: list[Item]


class Placed(NamedTuple):
    key: str
    items: list[Item]
    note: str


class _Orphan(NamedTuple):
    at: int  # stream index of its first cell
    items: list[Item]


def fill(stream: list[Item], rows: list[Labelled], edition: str | None, k: int) -> tuple[list[Placed], list[Uncertain]]:
    """The unlabelled value rows of ``stream`` placed into the rows ``rows`` lack,
    and the rows that could not be placed with certainty."""
    orphans = _orphans(stream, rows, k)
    if not orphans:
        return [], []
    at = {id(it): i for i, it in enumerate(stream)}
    anchors = sorted((at[id(r.label)], r.key) for r in rows if r.items and id(r.label) in at and r.key in ORDERED)
    have = {r.key for r in rows if r.items}
    gaps: dict[tuple[str | None, str | None], list[_Orphan]] = {}
    for o in orphans:
        prev = next((key for i, key in reversed(anchors) if i < o.at), None)
        nxt = next((key for i, key in anchors if i > o.at), None)
        gaps.setdefault((prev, nxt), []).append(o)
    placed: list[Placed] = []
    unsure: list[Uncertain] = []
    for (prev, nxt), group in gaps.items():
        keys = _missing(prev, nxt, have, edition, len(group))
        if keys is None:
            where = f"“{_label(prev, '表头')}”与“{_label(nxt, '表尾')}”之间"
            unsure.append(
                Uncertain(
                    "table3",
                    f"表三{where}有{len(group)}行数字没有印行标签，行数与模板所缺的行对不上，无法确定归属",
                    group[0].items[0].location,
                )
            )
            continue
        for key, o in zip(keys, group, strict=True):
            note = (
                f"没有印行标签，按模板行序读作“{_label(key)}”"
                f"（在“{_label(prev, '表头')}”与“{_label(nxt, '表尾')}”两个有标签的行之间）"
            )
            placed.append(Placed(key, o.items, note))
    return placed, unsure


def _orphans(stream: list[Item], rows: list[Labelled], k: int) -> list[_Orphan]:
    """Physical rows holding only values (at least ``k - 1`` of them, one a number)
    that no row label took, after the first label."""
    taken = {it.row for r in rows for it in r.items} | {r.label.row for r in rows}
    label_ids = {id(r.label) for r in rows}
    first = next((i for i, it in enumerate(stream) if id(it) in label_ids), len(stream))
    by_row: dict[int, _Orphan] = {}
    for i, it in enumerate(stream[first:], start=first):
        if it.row in taken:
            continue
        o = by_row.get(it.row)
        if o is None:
            o = by_row[it.row] = _Orphan(i, [])
        o.items.append(it)
    out = []
    for o in by_row.values():
        if any(it.kind == "text" for it in o.items):
            continue
        filled = [it for it in o.items if it.kind == "num" or it.text]
        if len(filled) >= k - 1 and any(it.kind == "num" for it in filled):
            out.append(o)
    return out


def _missing(prev: str | None, nxt: str | None, have: set[str], edition: str | None, n: int) -> list[str] | None:
    """The ``n`` template rows between ``prev`` and ``nxt`` that were not read,
    in one edition only; None when no edition (or both) leaves exactly ``n``."""
    fits = []
    for name in (edition,) if edition else T.EDITIONS:
        order = [r.key for r in T.edition(name).table3]
        lo = order.index(prev) + 1 if prev in order else (0 if prev is None else None)
        hi = order.index(nxt) if nxt in order else (len(order) if nxt is None else None)
        if lo is None or hi is None or lo > hi:
            continue
        keys = [key for key in order[lo:hi] if key not in have]
        if len(keys) == n:
            fits.append(keys)
    return fits[0] if fits and all(f == fits[0] for f in fits) else None


ORDERED = {r.key: r for name in T.EDITIONS for r in T.edition(name).table3}


def _label(key: str | None, end: str = "") -> str:
    row = ORDERED.get(key) if key else None
    if row is None:
        return key or end
    return f"{row.group}{row.label}" if row.group else row.label
