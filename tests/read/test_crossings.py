"""``crossings.cells`` finds the cells pdfplumber's ``intersections_to_cells``
finds, in the same order, on grids with merged cells, gaps and stray lines."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest
from pdfplumber.table import edges_to_intersections, intersections_to_cells

from nianbao.read import crossings


def _edge(x0: float, x1: float, top: float, bottom: float) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "orientation": "h" if top == bottom else "v"}


def _grid(rng: random.Random) -> list[dict]:
    """Rulings of a grid whose inner segments are left out at random (merged
    cells), with a few stray lines beside it."""
    xs = sorted(rng.sample(range(0, 500, 7), rng.randint(2, 9)))
    ys = sorted(rng.sample(range(0, 700, 5), rng.randint(2, 12)))
    edges = []
    for i, y in enumerate(ys):
        for a, b in pairwise(xs):
            if i in (0, len(ys) - 1) or rng.random() > 0.25:
                edges.append(_edge(a, b, y, y))
    for j, x in enumerate(xs):
        for a, b in pairwise(ys):
            if j in (0, len(xs) - 1) or rng.random() > 0.25:
                edges.append(_edge(x, x, a, b))
    for _ in range(rng.randint(0, 3)):
        x, y = rng.uniform(0, 500), rng.uniform(0, 700)
        edges.append(_edge(x, x + rng.uniform(5, 200), y, y) if rng.random() < 0.5 else _edge(x, x, y, y + 50))
    return edges


@pytest.mark.parametrize("seed", range(40))
def test_same_cells_as_pdfplumber(seed):
    points = edges_to_intersections(_grid(random.Random(seed)), 3, 3)
    assert crossings.cells(points) == intersections_to_cells(points)


def test_no_crossings_no_cells():
    assert crossings.cells({}) == []
