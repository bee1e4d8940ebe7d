"""Tables drawn with ruling lines on a page image (OpenCV morphology).

Long horizontal and vertical runs of ink are the lines; each connected set of
them is one table, whose line positions give the grid. A slot boundary where no
line is drawn joins two slots into one merged cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np

DRAWN = 0.3  # a slot boundary is a drawn line where line pixels cover this share of it (noise breaks lines)
LEVEL = 0.1  # degrees: a page less askew than this is read as it is
Span = tuple[int, int, int, int]  # (first row, first column, last row, last column) of a cell's slots


class Grid(NamedTuple):
    """One ruled table: line positions in pixels and, for every slot, the span of its cell."""

    cells: list[list[Span]]
    xs: list[int]
    ys: list[int]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return float(self.xs[0]), float(self.ys[0]), float(self.xs[-1]), float(self.ys[-1])

    def spans(self) -> list[Span]:
        """Each cell once, in reading order."""
        return list(dict.fromkeys(span for row in self.cells for span in row))

    def rect(self, span: Span) -> tuple[int, int, int, int]:
        """Pixel box of a cell, between its lines: ``(x0, top, x1, bottom)``."""
        r0, c0, r1, c1 = span
        return self.xs[c0], self.ys[r0], self.xs[c1 + 1], self.ys[r1 + 1]


def straightened(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The page turned so that its long horizontal lines are level, and the angle
    (degrees) it was turned by; a page with no such lines, or level ones, is
    returned as it is. A table scanned 0.8° askew otherwise puts the numbers
    near a column's edge into the next column by the bottom of the page."""
    import cv2
    import numpy as np

    h, w = gray.shape
    horiz = _long_runs(_dark(gray), (_long(gray)[0], 1))
    joined = cv2.dilate(horiz, np.ones((3, max(w // 60, 9)), np.uint8))  # one line, even if broken into dashes
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined)
    slopes, weights = [], []
    for k in range(1, n):
        x, y, bw, bh, _area = stats[k]
        if bw < w // 4 or bh > bw // 20:
            continue
        ys, xs = np.nonzero((labels[y : y + bh, x : x + bw] == k) & (horiz[y : y + bh, x : x + bw] > 0))
        if len(xs) > 2 * (w // 4):
            slopes.append(np.polyfit(xs, ys, 1)[0])
            weights.append(bw)
    if not slopes:
        return gray, 0.0
    order = np.argsort(slopes)
    cumulative = np.cumsum(np.asarray(weights)[order])
    slope = slopes[order[np.searchsorted(cumulative, cumulative[-1] / 2)]]  # weighted median
    angle = float(np.degrees(np.arctan(slope)))
    if abs(angle) < LEVEL:
        return gray, 0.0
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, turn, (w, h), flags=cv2.INTER_LINEAR, borderValue=255), angle


def find(gray: np.ndarray) -> tuple[list[Grid], np.ndarray]:
    """The ruled tables of a grayscale page, and a mask of their line pixels
    (widened a little, so that removing it leaves only the text; strokes of
    large characters that look like short lines are not in it)."""
    import cv2
    import numpy as np

    h, w = gray.shape
    binv = _dark(gray)
    long_x, long_y = _long(gray)
    horiz, vert = _long_runs(binv, (long_x, 1)), _long_runs(binv, (1, long_y))
    lines = cv2.dilate(horiz | vert, np.ones((3, 3), np.uint8))  # with the blurred edge of each line
    kernel = np.ones((5, 5), np.uint8)
    horiz, vert = cv2.dilate(horiz, kernel), cv2.dilate(vert, kernel)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(horiz | vert)
    out, kept = [], []
    for k in range(1, n):
        x, y, bw, bh, _area = stats[k]
        if bw < w // 8 or bh < h // 40:
            continue
        region = labels[y : y + bh, x : x + bw] == k
        hs = _positions(horiz[y : y + bh, x : x + bw] * region, axis=1, length=long_x)
        vs = _positions(vert[y : y + bh, x : x + bw] * region, axis=0, length=long_y)
        if len(hs) < 2 or len(vs) < 2:
            continue
        ys = [int(y + p) for p in hs]
        xs = [int(x + p) for p in vs]
        out.append(Grid(_merge_slots(horiz, vert, xs, ys), xs, ys))
        kept.append(k)
    return out, np.where(np.isin(labels, kept), lines, 0).astype(np.uint8)


def _dark(gray: np.ndarray) -> np.ndarray:
    """Ink against its neighbourhood (thin grey lines of a blurred scan included)."""
    import cv2

    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)


def _long(gray: np.ndarray) -> tuple[int, int]:
    """Shortest horizontal and vertical runs of ink taken for lines; shorter ones are strokes of text."""
    h, w = gray.shape
    return max(w // 30, 25), max(h // 60, 20)


def _long_runs(binv: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The ink in straight runs at least ``size`` (width, height) long."""
    import cv2

    return cv2.morphologyEx(binv, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))


def runs(flags: list[bool]) -> list[tuple[int, int]]:
    """Maximal runs of true flags: ``(first, end)``."""
    out, start = [], None
    for i, v in enumerate([*flags, False]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            out.append((start, i))
            start = None
    return out


def _positions(mask: np.ndarray, axis: int, length: int) -> list[int]:
    """Centres of line bands: rows (axis=1) or columns (axis=0) holding at least
    ``length`` line pixels. A line may run along part of the table only (the
    columns of one section); which slots it separates is for :func:`_merge_slots`."""
    on = ((mask > 0).sum(axis=axis) >= length).tolist()
    return [(first + end - 1) // 2 for first, end in runs(on)]


def _merge_slots(horiz, vert, xs: list[int], ys: list[int]) -> list[list[Span]]:
    """Union the slots not separated by a drawn line; each slot gets its cell's slot span."""
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        y0, y1 = ys[r], ys[r + 1]
        mid = slice(y0 + (y1 - y0) // 4, y1 - (y1 - y0) // 4 + 1)
        for c in range(cols - 1):
            if (vert[mid, xs[c + 1] - 3 : xs[c + 1] + 4].max(axis=1) > 0).mean() < DRAWN:
                parent[find(r * cols + c + 1)] = find(r * cols + c)
    for c in range(cols):
        x0, x1 = xs[c], xs[c + 1]
        mid = slice(x0 + (x1 - x0) // 4, x1 - (x1 - x0) // 4 + 1)
        for r in range(rows - 1):
            if (horiz[ys[r + 1] - 3 : ys[r + 1] + 4, mid].max(axis=0) > 0).mean() < DRAWN:
                parent[find((r + 1) * cols + c)] = find(r * cols + c)
    span: dict[int, list[int]] = {}
    for r in range(rows):
        for c in range(cols):
            s = span.setdefault(find(r * cols + c), [r, c, r, c])
            s[0], s[1], s[2], s[3] = min(s[0], r), min(s[1], c), max(s[2], r), max(s[3], c)
    return [[tuple(span[find(r * cols + c)]) for c in range(cols)] for r in range(rows)]  # type: ignore[misc]
