"""Where the lines of text are on a scanned page, before they are read.

Inside a ruled table every cell is cut into lines from its own ink: the rows
holding ink form bands, and bands closer together than a line's height (the
strokes of 三, a comma below its line) belong to one line. This needs no
detection model, which would cost a second per page. Outside the tables —
titles, paragraphs, tables without lines — rapidocr's detection model finds
the lines, run only on the parts of the page the tables leave.
"""

from __future__ import annotations

from statistics import median
from typing import TYPE_CHECKING

from nianbao.read.recognize import Crop
from nianbao.read.rulings import Grid, runs

if TYPE_CHECKING:
    import numpy as np

MARGIN = 0.4  # blank added above and below a cell line, in line heights (rapidocr's boxes leave as much)
MIN_INK = 6  # a band with fewer ink pixels is a speck, not text
TABLE_EDGE = 4  # pixels around a table's outer lines that belong to the table
DET_BORDER = 16  # blank border around a part of the page sent to detection


def in_cells(text: np.ndarray, grids: list[Grid]) -> list[Crop]:
    """Lines of text in the cells of ruled tables. ``text`` is the ink mask
    without the ruling lines."""
    found = []
    for grid in grids:
        for span in grid.spans():
            x0, top, x1, bottom = grid.rect(span)
            cell = text[top:bottom, x0:x1]
            bands = _bands(cell)
            if bands:
                found.append((x0, top, cell, bands))
    if not found:
        return []
    heights = [b - a for *_, bands in found if len(bands) == 1 for a, b in bands]
    line = median(heights or [b - a for *_, bands in found for a, b in bands])
    crops = []
    for x0, top, cell, bands in found:
        for a, b in _lines(bands, 1.5 * line):
            cols = cell[a:b].any(axis=0).nonzero()[0]
            extra = max(line - (b - a), 0) / 2  # a dash or a comma alone keeps a line's height
            crops.append(
                Crop(int(x0 + cols[0]), top + a, int(x0 + cols[-1]) + 1, top + b, round(extra + MARGIN * line))
            )
    return crops


def _bands(cell: np.ndarray) -> list[tuple[int, int]]:
    """Runs of rows holding ink: ``(first, end)``, specks left out."""
    return [(a, b) for a, b in runs(cell.any(axis=1).tolist()) if int(cell[a:b].sum()) // 255 >= MIN_INK]


def _lines(bands: list[tuple[int, int]], tallest: float) -> list[tuple[int, int]]:
    """Bands joined into lines no taller than ``tallest`` (a band taller than that stays one line)."""
    out = [bands[0]]
    for a, b in bands[1:]:
        if b - out[-1][0] <= tallest:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def outside(detector, image: np.ndarray, text: np.ndarray, grids: list[Grid]) -> list[Crop]:
    """Lines found by the detection model (rapidocr's ``TextDetector``) in the
    parts of the page outside the ruled tables (the whole page when there are none)."""
    import numpy as np

    page = image.copy()
    h, w = page.shape
    boxes = [_grown(g.bbox, h, w) for g in grids]
    for x0, top, x1, bottom in boxes:
        page[top:bottom, x0:x1] = 255
    crops = []
    for x0, top, x1, bottom in _free(boxes, h, w):
        ink = text[top:bottom, x0:x1]
        if int(ink.sum()) // 255 < MIN_INK:
            continue
        rows, cols = ink.any(axis=1).nonzero()[0], ink.any(axis=0).nonzero()[0]  # detection costs by the pixel
        x0, top, x1, bottom = x0 + int(cols[0]), top + int(rows[0]), x0 + int(cols[-1]) + 1, top + int(rows[-1]) + 1
        part = np.pad(page[top:bottom, x0:x1], DET_BORDER, constant_values=255)
        found = detector(np.stack([part] * 3, axis=-1))
        for quad in [] if found.boxes is None else found.boxes:
            xs, ys = quad[:, 0] + x0 - DET_BORDER, quad[:, 1] + top - DET_BORDER
            crops.append(Crop(int(xs.min()), int(ys.min()), int(np.ceil(xs.max())), int(np.ceil(ys.max()))))
    return crops


def _grown(bbox: tuple[float, float, float, float], h: int, w: int) -> tuple[int, int, int, int]:
    x0, top, x1, bottom = bbox
    e = TABLE_EDGE
    return max(int(x0) - e, 0), max(int(top) - e, 0), min(int(x1) + e + 1, w), min(int(bottom) + e + 1, h)


def _free(tables: list[tuple[int, int, int, int]], h: int, w: int) -> list[tuple[int, int, int, int]]:
    """The page less the tables: full-width bands between them, and the margins beside each."""
    out, y = [], 0
    for x0, top, x1, bottom in sorted(tables, key=lambda t: t[1]):
        if top > y:
            out.append((0, y, w, top))
        y = max(y, bottom)
        out += [(0, top, x0, bottom), (x1, top, w, bottom)]
    if y < h:
        out.append((0, y, w, h))
    return [r for r in out if r[2] - r[0] > 2 and r[3] - r[1] > 2]
