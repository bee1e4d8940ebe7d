"""Where a row's values go: the columns the table's layout allows and, when two
readings disagree, the one the template's identities support.

A 表三 row has seven value columns, eight when the 法人或其他组织小计 column is
printed. The layout says where each value sits: the header's grid positions in
an exact table, else the order of the numbers. When that reading breaks the row
identities (the six parts ≠ 总计) in rows where another reading the layout allows
keeps them — a header that shifts the grid, a subtotal column printed without
its header — the other reading is kept and the choice noted. Printed numbers are
never changed: only their columns are chosen."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from nianbao import template as T
from nianbao.extract import numbers
from nianbao.extract.stream import Item

T3_KEYS = tuple(c.key for c in T.T3_COLUMNS)
WITH_SUBTOTAL = T3_KEYS[:6] + ("legal_persons", "total")
MIN_GAIN = 2  # rows whose identity another reading must keep beyond the layout's own
Placed = tuple[list[Item | None], str | None]  # a row's cells in their columns; why they could not be placed


@dataclass(frozen=True)
class Layout:
    name: str  # how the reading places values, as a note says it
    order: tuple[str, ...]  # column keys in value order
    grid: dict[int, int] | None = None  # grid column → value index (exact tables)

    @property
    def k(self) -> int:
        return len(self.order)


def t3_layouts(header: dict[int, str] | None, subtotal: bool, rows: list[list[Item]]) -> list[Layout]:
    """The layout's own reading of 表三 first, then the others it allows."""
    order = WITH_SUBTOTAL if subtotal or "legal_persons" in (header or {}).values() else T3_KEYS
    own = Layout("按表头的列位置" if header else "按数字先后", order, _grid(header, order))
    out = [own]
    if header:
        out.append(Layout("按数字先后（不按表头的列位置）", order))
    if order == T3_KEYS and any([it.kind for it in r].count("num") == len(WITH_SUBTOTAL) for r in rows):
        out.append(Layout(f"按含“{T.T3_SUBTOTAL_COLUMN.label}”列的八列", WITH_SUBTOTAL))
    return out


def _grid(header: dict[int, str] | None, order: tuple[str, ...]) -> dict[int, int] | None:
    index = {c: j for j, c in enumerate(order)}
    return {col: index[c] for col, c in header.items() if c in index} if header else None


def choose(options: list[Layout], rows: list[list[Item]]) -> tuple[Layout, str | None, list[Placed]]:
    """The layout's own reading unless another keeps the row identity in at least
    :data:`MIN_GAIN` more rows and places no fewer rows; with a note saying so. Also each row
    placed by the reading chosen (:func:`place`; the scoring placed them already)."""
    own = options[0]
    own_placed = [place(items, own.k, own.grid) for items in rows]
    if len(options) == 1:
        return own, None, own_placed  # nothing to weigh it against
    best, best_placed = own, own_placed
    best_score = own_score = _score(own, own_placed)
    most = sum(map(_may_hold, rows))  # no reading holds the identity in more rows
    for alt in options[1:]:
        if most < best_score[0] + MIN_GAIN:
            break  # no other reading can gain enough: the common case, a table that adds up
        alt_placed = [place(items, alt.k, alt.grid) for items in rows]
        s = _score(alt, alt_placed)
        if s[0] >= best_score[0] + MIN_GAIN and s[1] >= best_score[1]:
            best, best_placed, best_score = alt, alt_placed, s
    if best is own:
        return own, None, own_placed
    note = (
        f"表三{own.name}读，只有{own_score[0]}行的各列之和等于总计；{best.name}读，有{best_score[0]}行相等："
        f"按后者读（数字未改，只定其列）"
    )
    return best, note, best_placed


def _score(layout: Layout, rows: list[Placed]) -> tuple[int, int]:
    """(rows whose parts sum to their total, rows placed with certainty), of the rows as
    ``layout`` placed them."""
    at = {c: j for j, c in enumerate(layout.order)}
    parts_at, total_at, legal_at = [at[c] for c in T3_KEYS[:6]], at["total"], at.get("legal_persons")
    held = placed_rows = 0
    for placed, why in rows:
        if why:
            continue
        placed_rows += 1
        total = _number(placed[total_at])
        parts = [_number(placed[j]) for j in parts_at]
        if total is None or None in parts:
            continue
        ok = abs(sum(parts) - total) < 1e-6
        legal = None if legal_at is None else _number(placed[legal_at])
        if legal is not None:
            ok = ok and abs(sum(parts[1:]) - legal) < 1e-6
        held += ok and total > 0
    return held, placed_rows


def _may_hold(items: list[Item]) -> bool:
    """Whether some reading could find the row's parts summing to a total above 0: it needs
    the six parts and the total, seven numbers, not all printed as 0."""
    nums = [it.text for it in items if it.kind == "num"]
    return len(nums) >= len(T3_KEYS) and any(t != "0" for t in nums)


def _number(it: Item | None) -> float | None:
    return _float(it.text) if it is not None and it.kind == "num" else None


@lru_cache(maxsize=65536)
def _float(text: str) -> float | None:
    """A number cell's value as a float (kept by text: a table repeats its numbers, 0 most)."""
    p = numbers.parse(text)
    return None if p is None else float(p.value)


def _filled(it: Item) -> bool:
    """A number, or a printed mark such as “/” that holds its cell's place."""
    return it.kind == "num" or bool(it.text)


def place(items: list[Item], k: int, cols: dict[int, int] | None) -> Placed:
    """Place value cells into ``k`` columns. Returns the cells and, when they
    cannot be placed with certainty, why."""
    if not items:
        return [None] * k, None  # a group's label row: what the steps below come to, at once
    if cols and all(it.col is not None for it in items):
        placed: list[Item | None] = [None] * k
        for it in items:
            j = cols.get(it.col) if it.col is not None else None
            if j is not None and j < k:
                placed[j] = it
        if any(p is not None for p in placed) or not any(it.kind == "num" for it in items):
            return placed, None
    filled = [it for it in items if it.kind == "num" or it.text]  # as _filled, in line
    if len(filled) == k:
        return filled, None
    nums = [it for it in items if it.kind == "num"]
    if not nums:
        return [None] * k, None
    if len(items) == k:
        return list(items), None
    first = next(i for i, it in enumerate(items) if _filled(it))
    last = max(i for i, it in enumerate(items) if _filled(it))
    interior = items[first : last + 1]
    if len(interior) == k:
        return list(interior), None
    if len(nums) > k:
        return [None] * k, f"有{len(nums)}个数字，多于应有的{k}个"
    return [None] * k, f"只有{len(nums)}个数字（应有{k}个），无法确定空缺的是哪几格"
