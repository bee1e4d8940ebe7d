"""Values for every printed cell of an edition that satisfy every template sum."""

from __future__ import annotations

import random

from nianbao.template import (
    SPLIT_ROW,
    T3_COLUMNS,
    T3_PART_COLUMNS,
    T4_COLUMNS,
    T4_GROUPS,
    T4_PARTS,
    Edition,
    cell_paths,
    edition,
    t3_result_rows,
)
from nianbao.template.relations import CARRYOVER

Number = int | float
Cells = dict[str, Number | None]
Fees = dict[str, Number | None]
SPLIT_NAMES = ("行政检查", "行政确认", "行政奖励", "行政给付")


def synth_cells(
    rng: random.Random, edition: str = "2021", scale: int | None = None, carried_over: Cells | None = None
) -> Cells:
    """A value for every cell path of ``edition``, consistent with every template sum.

    ``scale`` is roughly the number of applications a natural person files in a
    year (default: drawn from 0 to a few thousand). ``carried_over`` chains a
    year to the one before: pass the previous year's cells and this year's
    二、上年结转 equals its 四、结转下年度继续办理, column by column."""
    ed = edition_of(edition)
    scale = rng.choice((0, 3, 12, 40, 150, 1400)) if scale is None else scale
    cells: Cells = {}
    cells.update(_table2(rng, ed))
    carry = None if carried_over is None else [carried_over[out] for c, out, _ in CARRYOVER if c in T3_PART_COLUMNS]
    cells.update(_table3(rng, ed, scale, carry))
    cells.update(_table4(rng, scale))
    assert list(cells) == cell_paths(ed)
    return cells


def synth_fees(rng: random.Random) -> Fees:
    """信息处理费 figures for section 六 (元): notices, their amount, amount collected."""
    notices = rng.choice((0, 0, 0, 1, 2, 3))
    amount = sum(rng.choice((100, 140, 200, 3200)) for _ in range(notices))
    collected = rng.choice((0, amount)) if notices else 0
    return {"notices": notices, "notice_amount_yuan": amount, "collected_yuan": collected}


def split_other_services(rng: random.Random, cells: Cells, n: int = 2) -> list[dict[str, object]]:
    """Split the 2019 row 其他对外管理服务事项 into ``n`` named sub-rows summing to it."""
    cols = ("prev_items", "change", "decisions")
    parts = {c: _parts(rng, cells[f"table2.{SPLIT_ROW}.{c}"], n) for c in cols}
    return [{"name": SPLIT_NAMES[i], **{c: parts[c][i] for c in cols}} for i in range(n)]


def edition_of(name: str) -> Edition:
    if name not in ("2021", "2019"):
        raise ValueError(f"unknown edition {name!r}")
    return edition(name)


def _wan(rng: random.Random, top: float, places: int = 2) -> Number:
    if rng.random() < 0.3:
        return 0
    v = round(rng.uniform(0.01, top), places)
    return int(v) if v == int(v) else v


def _table2(rng: random.Random, ed: Edition) -> Cells:
    out: Cells = {}
    for row in ed.table2:
        for col in row.columns:
            path = f"table2.{row.key}.{col.key}"
            if col.decimal:
                out[path] = _wan(rng, 40000, rng.choice((2, 2, 4)))
            elif col.signed:
                out[path] = rng.randint(-30, 40)
            elif row.key == "regulations":
                out[path] = rng.choice((0, 0, 0, 1, 2))
            else:
                out[path] = rng.choice((0, rng.randint(0, 30), rng.randint(0, 500), rng.randint(0, 50000)))
    if ed.name == "2021":
        nd = "table2.normative_documents"
        out[f"{nd}.in_force"] = max(out[f"{nd}.in_force"] or 0, out[f"{nd}.issued"] or 0)
    return out


def _parts(rng: random.Random, total: Number | None, n: int) -> list[Number | None]:
    """``n`` random integers of one sign summing to ``total`` (which may be negative)."""
    if total is None:
        return [None] * n
    sign, left = (-1 if total < 0 else 1), abs(int(total))
    out: list[Number | None] = []
    for _ in range(n - 1):
        share = rng.randint(0, left)
        out.append(sign * share)
        left -= share
    return out + [sign * left]


def _table3(rng: random.Random, ed: Edition, scale: int, carry: list | None) -> Cells:
    results = t3_result_rows(ed)
    weights = {
        k: (40 if k == "granted" else 12 if k.startswith("unable.not_held") else rng.choice((0, 0, 1, 2, 5)))
        for k in results
    }
    rows: dict[str, dict[str, int]] = {k: {} for k in [r.key for r in ed.table3]}
    for i, col in enumerate(T3_PART_COLUMNS):
        top = scale if i == 0 else rng.choice((0, 0, max(1, scale // 20), max(1, scale // 5)))
        new = rng.randint(0, top) if top else 0
        old = rng.randint(0, max(0, top // 10)) if carry is None else int(carry[i] or 0)
        forward = rng.randint(0, (new + old) // 6) if new + old else 0
        processed = new + old - forward
        split = _spread(rng, processed, [weights[k] for k in results])
        rows["new_received"][col], rows["carried_over"][col] = new, old
        rows["carried_forward"][col], rows["total_processed"][col] = forward, processed
        for k, v in zip(results, split, strict=True):
            rows[k][col] = v
    out: Cells = {}
    for row in ed.table3:
        vals = rows[row.key]
        vals["total"] = sum(vals[c] for c in T3_PART_COLUMNS)
        out.update({f"table3.{row.key}.{c.key}": vals[c.key] for c in T3_COLUMNS})
    return out


def _spread(rng: random.Random, n: int, weights: list[int]) -> list[int]:
    """Split ``n`` into len(weights) counts, roughly in proportion to the weights."""
    w = [float(x) for x in weights]
    if not sum(w):
        w[0] = 1.0
    counts = [0] * len(w)
    for _ in range(min(n, 60)):
        counts[rng.choices(range(len(w)), w)[0]] += 1
    if n > 60:  # large counts: proportional share, remainder to the first rows
        base = [int((n - 60) * x / sum(w)) for x in w]
        base[0] += n - 60 - sum(base)
        counts = [a + b for a, b in zip(counts, base, strict=True)]
    return counts


def _table4(rng: random.Random, scale: int) -> Cells:
    out: Cells = {}
    top = rng.choice((0, 0, 1, 3, max(3, scale // 10)))
    for g, _ in T4_GROUPS:
        parts = [rng.randint(0, top) if top and rng.random() < 0.5 else 0 for _ in T4_PARTS]
        out.update({f"table4.{g}.{c}": v for c, v in zip(T4_PARTS, parts, strict=True)})
        out[f"table4.{g}.total"] = sum(parts)
    return {f"table4.{g}.{c.key}": out[f"table4.{g}.{c.key}"] for g, _ in T4_GROUPS for c in T4_COLUMNS}
