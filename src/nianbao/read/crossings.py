"""Cells of a ruled grid from the crossings of its lines.

The same cells as pdfplumber's ``intersections_to_cells`` (a cell is the
smallest rectangle whose four corners are crossings joined by shared rulings),
in the same order, found without its quadratic costs: each crossing's rulings
are turned into a set once, not once per comparison, and the crossings below
and to the right of a point are looked up by its column and row instead of
scanning every later point.
"""

from __future__ import annotations

from bisect import bisect_right

Point = tuple[float, float]
Bbox = tuple[float, float, float, float]


def cells(crossings: dict[Point, dict[str, list[dict]]]) -> list[Bbox]:
    """``crossings`` as pdfplumber's ``edges_to_intersections`` gives them:
    ``{(x, top): {"v": [edge, …], "h": [edge, …]}}``."""
    vs = {p: {_bbox(e) for e in d["v"]} for p, d in crossings.items()}
    hs = {p: {_bbox(e) for e in d["h"]} for p, d in crossings.items()}
    points = sorted(crossings)
    columns: dict[float, list[Point]] = {}
    rows: dict[float, list[Point]] = {}
    for p in points:
        columns.setdefault(p[0], []).append(p)
        rows.setdefault(p[1], []).append(p)

    def below(p: Point, q: Point) -> bool:  # same column: a vertical ruling through both
        return not vs[p].isdisjoint(vs[q])

    def beside(p: Point, q: Point) -> bool:  # same row: a horizontal ruling through both
        return not hs[p].isdisjoint(hs[q])

    out = []
    for pt in points:
        column, row = columns[pt[0]], rows[pt[1]]
        downs = [q for q in column[bisect_right(column, pt) :] if below(pt, q)]
        rights = [q for q in row[bisect_right(row, pt) :] if beside(pt, q)]
        cell = next(
            (
                (pt[0], pt[1], r[0], d[1])
                for d in downs
                for r in rights
                if (r[0], d[1]) in crossings and below(r, (r[0], d[1])) and beside(d, (r[0], d[1]))
            ),
            None,
        )
        if cell is not None:
            out.append(cell)
    return out


def _bbox(edge: dict) -> Bbox:
    return (edge["x0"], edge["top"], edge["x1"], edge["bottom"])
