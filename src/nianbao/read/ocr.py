"""OCR of scanned pages and images: rapidocr 3.x on ONNX Runtime (models ship
inside the wheel, so it runs offline). An optional extra, imported lazily.

rapidocr reads text lines; numbers separated by spaces come back run together
(``167 0 0`` → ``16700``). Cells are therefore rebuilt from the per-character
boxes: table ruling lines found with OpenCV give the grid (``exact=True``);
without lines, characters are grouped into rows and columns by position
(:mod:`nianbao.read.layout`), and blank ink columns between two digits split
a run of digits into numbers. Digits are never corrected: every cell carries
the lowest character confidence, and likely misreads are left to the checker.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from nianbao.model import Location, ReportError
from nianbao.read import layout
from nianbao.read.document import Block, Cell, Paragraph, Table
from nianbao.read.layout import Box

if TYPE_CHECKING:
    import numpy as np
    from PIL.Image import Image

INSTALL = "扫描件需要 OCR：请安装 pip install 'nianbao[ocr]'"
LOW_CONFIDENCE = 0.8  # cells read with less than this are named in the document notes
SPACE_GAP = 0.18  # a blank ink gap of this many line heights between two digits is a space
COLUMN_GAP = 1.5  # borderless tables: a gap of this many line heights separates columns


def available() -> bool:
    try:
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True


def require() -> None:
    if not available():
        raise ReportError(INSTALL)


@lru_cache(maxsize=2)
def engine(threads: int = 0):
    """The OCR engine (0 threads = one per core). Built once: loading takes ~1 s."""
    require()
    from rapidocr import RapidOCR

    return RapidOCR(
        params={
            "Global.log_level": "error",
            "Global.use_cls": False,  # scans are upright; the angle classifier only costs time
            # rapidocr pads every crop to at least 320 px before recognition, so a cell
            # holding one number costs as much as a long line. 96 px halves the time of a
            # table page; at 48 px a lone 0 is read as the letter O.
            "Rec.rec_img_shape": [3, 48, 96],
            # detection on the page scaled to at most 1280 px (an A4 page at 150 dpi is
            # 1754): a third less time, the same boxes on our scanned 表三 page
            "Det.limit_type": "max",
            "Det.limit_side_len": 1280,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads or -1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1 if threads else -1,
        }
    )


def note(pages: list[int] | None = None) -> str:
    where = f"第{'、'.join(map(str, pages))}页" if pages else "图片"
    return f"{where}为扫描图像，文字由 OCR 识别（rapidocr），数字未经校正，请核对低置信度的单元格"


def read_image(
    image: Image, *, page: int | None, first_table: int = 0, unit: float = 1.0, threads: int = 0
) -> list[tuple[float, Block]]:
    """OCR one page image. Returns ``(top, block)`` in reading order; coordinates
    in locations are pixels times ``unit`` (72/dpi gives PDF points)."""
    import numpy as np

    gray = np.asarray(image.convert("L"))
    result = engine(threads)(np.stack([gray] * 3, axis=-1), return_word_box=True)
    ink = _ink(gray)
    ruled = _ruled(gray)
    walls = [(x, bbox[1], bbox[3]) for (_, xs, _), bbox in ruled for x in xs]
    words = _words(result, ink, walls)
    out: list[tuple[float, Block]] = []
    tables = first_table
    used: set[int] = set()
    for grid_cells, bbox in ruled:
        inside = [k for k, w in enumerate(words) if k not in used and _center_in(w, bbox)]
        used.update(inside)
        rows = _fill(grid_cells, [words[k] for k in inside])
        out.append((bbox[1] * unit, _table(rows, page, tables, unit, exact=True)))
        tables += 1
    page_lines = layout.lines([w for k, w in enumerate(words) if k not in used])
    taken: set[int] = set()
    for first, end, grid in layout.borderless(page_lines, COLUMN_GAP):
        taken.update(range(first, end))
        rows = [[(b, False) for b in row] for row in grid.rows]
        out.append((page_lines[first].top * unit, _table(rows, page, tables, unit, exact=grid.exact)))
        tables += 1
    rest = [ln for k, ln in enumerate(page_lines) if k not in taken]
    numbering = {id(ln): k + 1 for k, ln in enumerate(rest)}
    for group in layout.paragraphs(rest):
        first_line = group[0]
        box = layout.merge_boxes([b for ln in group for b in ln.boxes])
        loc = Location(page=page, line=numbering[id(first_line)], bbox=_scaled(box.bbox, unit))
        out.append((first_line.top * unit, Paragraph(layout.paragraph_text(group), loc)))
    out.sort(key=lambda x: x[0])
    return out


def low_confidence(blocks: list[Block]) -> list[str]:
    """Notes naming number cells read with low confidence (page, table, row, column, text).
    Labels are checked against the template by extraction, numbers only by arithmetic."""
    out = []
    for b in blocks:
        if isinstance(b, Table):
            for row in b.rows:
                for c in row:
                    if (
                        c.confidence is not None
                        and c.confidence < LOW_CONFIDENCE
                        and not c.merged
                        and layout.has_digit(c.text)
                        and not any(layout.wide(ch) for ch in c.text)
                    ):
                        loc = c.location
                        where = f"第{loc.page}页" if loc.page else ""
                        out.append(
                            f"{where}表格{(loc.table or 0) + 1}第{(loc.row or 0) + 1}行第{(loc.col or 0) + 1}列"
                            f"“{c.text}”OCR 置信度低（{c.confidence:.2f}）"
                        )
    return out


# ------------------------------------------------------------ characters --


def _ink(gray: np.ndarray) -> np.ndarray:
    import cv2

    _, binv = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return binv


def _words(result, ink: np.ndarray, walls: list[tuple[float, float, float]]) -> list[Box]:
    """Character boxes of each detected line joined into words, cut where the
    image shows a blank gap next to a digit (the space OCR dropped) and at table
    lines (``walls``: x, top, bottom) a detected line ran across, then tightened
    to the ink so that gaps between words are real."""
    if result.txts is None:
        return []
    out: list[Box] = []
    per_line = result.word_results or [()] * len(result.txts)
    for text, score, quad, chars in zip(result.txts, result.scores, result.boxes, per_line, strict=True):
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        line = Box(float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys)), text, float(score))
        if not chars:
            out.append(_tight(line, ink))
            continue
        boxes = [_char_box(ch, sc, q) for ch, sc, q in chars]
        left, start = line.x0, 0
        for k in range(1, len(boxes) + 1):
            cut = _cut(boxes[k - 1], boxes[k], ink, walls) if k < len(boxes) else line.x1
            if cut is not None:
                part = boxes[start:k]
                conf = min(c.confidence for c in part if c.confidence is not None)
                word = Box(left, line.top, cut, line.bottom, "".join(c.text for c in part), conf)
                out.append(_tight(word, ink))
                left, start = cut, k
    return out


def _char_box(ch: str, score: float, quad) -> Box:
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    return Box(float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys)), ch, float(score))


def _tight(b: Box, ink: np.ndarray) -> Box:
    """The box shrunk to the ink inside it."""
    top, bottom = max(int(b.top), 0), int(b.bottom) + 1
    left, right = max(int(b.x0), 0), int(b.x1) + 1
    sub = ink[top:bottom, left:right]
    if not sub.size or not sub.any():
        return b
    cols, rows = sub.any(axis=0).nonzero()[0], sub.any(axis=1).nonzero()[0]
    return replace(
        b,
        x0=left + float(cols[0]),
        x1=left + float(cols[-1]) + 1,
        top=top + float(rows[0]),
        bottom=top + float(rows[-1]) + 1,
    )


def _cut(a: Box, b: Box, ink: np.ndarray, walls: list[tuple[float, float, float]]) -> float | None:
    """Where to cut between characters ``a`` and ``b``, or None."""
    ca, cb, cy = (a.x0 + a.x1) / 2, (b.x0 + b.x1) / 2, (a.top + a.bottom) / 2
    for x, top, bottom in walls:
        if ca < x < cb and top <= cy <= bottom:
            return float(x)
    return _blank_between(a, b, ink)


def _blank_between(a: Box, b: Box, ink: np.ndarray) -> float | None:
    """Centre of a blank ink gap wide enough to be a space between ``a`` and ``b``
    when one of them is a digit (spaces elsewhere do not change what is read)."""
    if not (a.text[-1].isdigit() or b.text[0].isdigit()):
        return None
    left, right = int((a.x0 + a.x1) / 2), int((b.x0 + b.x1) / 2) + 1
    top, bottom = int(max(a.top, b.top)), int(min(a.bottom, b.bottom)) + 1
    if right <= left or bottom <= top:
        return None
    blank = ink[top:bottom, left:right].max(axis=0) == 0
    run = best = end = 0
    for i, v in enumerate(blank):
        run = run + 1 if v else 0
        if run > best:
            best, end = run, i
    if best < SPACE_GAP * min(a.height, b.height):
        return None
    return left + end + 1 - best / 2


# ---------------------------------------------------------- ruling lines --


def _ruled(gray: np.ndarray) -> list[tuple[tuple, tuple[float, float, float, float]]]:
    """Tables drawn with lines: for each, ``(cells, xs, ys)`` and the pixel bbox.
    ``xs``/``ys`` are the line positions; ``cells[r][c] = (r0, c0, r1, c1)`` is the
    slot span of the (merged) cell covering slot ``(r, c)``."""
    import cv2
    import numpy as np

    h, w = gray.shape
    binv = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    horiz = cv2.morphologyEx(binv, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 30, 25), 1)))
    vert = cv2.morphologyEx(binv, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(h // 60, 20))))
    kernel = np.ones((5, 5), np.uint8)
    horiz, vert = cv2.dilate(horiz, kernel), cv2.dilate(vert, kernel)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(horiz | vert)
    out = []
    for k in range(1, n):
        x, y, bw, bh, _area = stats[k]
        if bw < w // 8 or bh < h // 40:
            continue
        region = labels[y : y + bh, x : x + bw] == k
        hs = _positions(horiz[y : y + bh, x : x + bw] * region, axis=1)
        vs = _positions(vert[y : y + bh, x : x + bw] * region, axis=0)
        if len(hs) < 2 or len(vs) < 2:
            continue
        ys = [y + p for p in hs]
        xs = [x + p for p in vs]
        cells = _merge_slots(horiz, vert, xs, ys)
        out.append(((cells, xs, ys), (float(xs[0]), float(ys[0]), float(xs[-1]), float(ys[-1]))))
    return out


def _positions(mask: np.ndarray, axis: int) -> list[int]:
    """Centres of line bands: rows (axis=1) or columns (axis=0) mostly covered by line pixels."""
    cover = (mask > 0).sum(axis=axis)
    length = mask.shape[axis]
    on = cover > 0.25 * length
    out, start = [], None
    for i, v in enumerate(list(on) + [False]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            out.append((start + i - 1) // 2)
            start = None
    return out


def _merge_slots(horiz, vert, xs: list[int], ys: list[int]) -> list[list[tuple[int, int, int, int]]]:
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
            if (vert[mid, xs[c + 1] - 3 : xs[c + 1] + 4].max(axis=1) > 0).mean() < 0.5:
                parent[find(r * cols + c + 1)] = find(r * cols + c)
    for c in range(cols):
        x0, x1 = xs[c], xs[c + 1]
        mid = slice(x0 + (x1 - x0) // 4, x1 - (x1 - x0) // 4 + 1)
        for r in range(rows - 1):
            if (horiz[ys[r + 1] - 3 : ys[r + 1] + 4, mid].max(axis=0) > 0).mean() < 0.5:
                parent[find((r + 1) * cols + c)] = find(r * cols + c)
    span: dict[int, list[int]] = {}
    for r in range(rows):
        for c in range(cols):
            s = span.setdefault(find(r * cols + c), [r, c, r, c])
            s[0], s[1], s[2], s[3] = min(s[0], r), min(s[1], c), max(s[2], r), max(s[3], c)
    return [[tuple(span[find(r * cols + c)]) for c in range(cols)] for r in range(rows)]  # type: ignore[misc]


def _fill(grid, words: list[Box]) -> list[list[tuple[Box | None, bool]]]:
    """Words placed into the ruled grid; merged slots repeat their cell."""
    cells, xs, ys = grid
    content: dict[tuple[int, int, int, int], list[Box]] = {}
    for wd in words:
        cx, cy = (wd.x0 + wd.x1) / 2, (wd.top + wd.bottom) / 2
        c = max(0, min(len(xs) - 2, sum(1 for x in xs[1:-1] if x <= cx)))
        r = max(0, min(len(ys) - 2, sum(1 for y in ys[1:-1] if y <= cy)))
        content.setdefault(cells[r][c], []).append(wd)
    out = []
    for r, row in enumerate(cells):
        line = []
        for c, span in enumerate(row):
            r0, c0, r1, c1 = span
            found = content.get(span, [])
            box = Box(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1], _cell_text(found), _min_conf(found))
            line.append((box, (r, c) != (r0, c0)))
        out.append(line)
    return out


def _cell_text(words: list[Box]) -> str:
    text = ""
    for ln in layout.lines(words):
        text = layout.join(text, ln.text)
    return layout.tidy(text)


def _min_conf(words: list[Box]) -> float | None:
    conf = [w.confidence for w in words if w.confidence is not None]
    return round(float(min(conf)), 4) if conf else None


def _table(rows, page: int | None, index: int, unit: float, *, exact: bool) -> Table:
    grid = tuple(
        tuple(
            Cell(
                b.text if b else "",
                Location(page=page, table=index + 1, row=r, col=c, bbox=_scaled(b.bbox, unit) if b else None),
                merged,
                None if b is None or not b.text else b.confidence,
            )
            for c, (b, merged) in enumerate(row, start=1)
        )
        for r, row in enumerate(rows, start=1)
    )
    return Table(grid, Location(page=page, table=index + 1), exact=exact)  # tables, rows, columns count from 1


def _scaled(bbox: tuple[float, float, float, float], unit: float) -> tuple[float, float, float, float]:
    return tuple(round(float(v) * unit, 1) for v in bbox)  # type: ignore[return-value]


def _center_in(b: Box, bbox: tuple[float, float, float, float]) -> bool:
    cx, cy = (b.x0 + b.x1) / 2, (b.top + b.bottom) / 2
    x0, top, x1, bottom = bbox
    return x0 <= cx <= x1 and top <= cy <= bottom
