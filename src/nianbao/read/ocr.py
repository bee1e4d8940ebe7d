"""OCR of scanned pages and images: rapidocr 3.x on ONNX Runtime (models ship
inside the wheel, so it runs offline). An optional extra, imported lazily.

A page is read in four steps: ruled tables are found from their lines
(:mod:`nianbao.read.rulings`, ``exact=True``); the lines of text are located,
from the ink inside cells and by rapidocr's detection model elsewhere
(:mod:`nianbao.read.textlines`); they are read many at a time with the
position of every character (:mod:`nianbao.read.recognize`); and the
characters become words and cells. Recognition runs numbers separated by
spaces together (``167 0 0`` → ``16700``), so a blank ink gap next to a digit
cuts a word. Without ruling lines, words are grouped into rows and columns by
position (:mod:`nianbao.read.layout`). Digits are never corrected: every cell
carries the lowest character confidence, and likely misreads are left to the
checker.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from nianbao import limits
from nianbao.model import LOW_CONFIDENCE, Location, ReportError
from nianbao.normalize import has_digit
from nianbao.read import layout, recognize, rulings, textlines
from nianbao.read.document import Block, Cell, Paragraph, Table
from nianbao.read.layout import Box

if TYPE_CHECKING:
    import numpy as np
    from PIL.Image import Image

INSTALL = "扫描件需要 OCR：请安装可选组件 ocr（在 nianbao 源码目录运行 pip install -e '.[ocr]'）"
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

    ocr = RapidOCR(
        params={
            "Global.log_level": "error",
            "Global.use_cls": False,  # scans are upright; the angle classifier only costs time
            # detection on the page scaled to at most 1280 px (an A4 page at 150 dpi is
            # 1754): a third less time, the same boxes on our scanned 表三 page
            "Det.limit_type": "max",
            "Det.limit_side_len": 1280,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads or -1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1 if threads else -1,
            "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,  # reuse buffers between calls
        }
    )
    # rapidocr's models, driven here: detection outside tables (textlines.py), recognition (recognize.py)
    ocr._load_det_model()
    ocr._load_rec_model()
    return ocr


def note(pages: list[int] | None = None) -> str:
    where = f"第{'、'.join(map(str, pages))}页" if pages else "图片"
    return f"{where}为扫描图像，文字由 OCR 识别（rapidocr），数字未经校正，请核对低置信度的单元格"


def render(page, scale: float, number: int) -> Image:  # noqa: ANN001 - a pypdfium2 PdfPage
    """Page ``number`` of a PDF as a grayscale image for OCR, once its size in pixels (as
    PDFium will allocate it: the page box in points × dpi/72) fits the file's pixel budget."""
    width, height = page.get_size()
    limits.budget().image(math.ceil(width * scale), math.ceil(height * scale), f"第{number}页渲染后的")
    return page.render(scale=scale, grayscale=True).to_pil()


def read_image(
    image: Image, *, page: int | None, first_table: int = 0, unit: float = 1.0, threads: int = 0
) -> list[tuple[float, Block]]:
    """OCR one page image. Returns ``(top, block)`` in reading order; coordinates
    in locations are pixels times ``unit`` (72/dpi gives PDF points). Counts against
    the file's OCR pages and time (:mod:`nianbao.limits`)."""
    import numpy as np

    limits.budget().ocr_page()

    try:
        gray, _ = rulings.straightened(np.asarray(image.convert("L")))
        grids, rules = rulings.find(gray)
        text = _ink(gray) & ~rules  # the ink of the text alone
        clean = np.where(rules > 0, 255, gray).astype(np.uint8)
        ocr = engine(threads)
        crops = textlines.in_cells(text, grids) + textlines.outside(ocr.text_det, clean, text, grids)
        words = _words(recognize.read(ocr.text_rec, clean, crops), text)
    except Exception as e:  # out of memory in numpy, or in ONNX Runtime (wrapped by rapidocr)
        if not isinstance(e, MemoryError) and not type(e).__module__.startswith(("onnxruntime", "rapidocr")):
            raise
        where = f"第{page}页" if page else "图片"
        raise ReportError(f"OCR 识别{where}时内存不足（{image.width}×{image.height} 像素）：请缩小图像后再试") from e
    out: list[tuple[float, Block]] = []
    tables = first_table
    used: set[int] = set()
    for grid in grids:
        inside = [k for k, w in enumerate(words) if k not in used and _center_in(w, grid.bbox)]
        used.update(inside)
        rows = _fill(grid, [words[k] for k in inside])
        out.append((grid.bbox[1] * unit, _table(rows, page, tables, unit, exact=True)))
        tables += 1
    page_lines = layout.lines([w for k, w in enumerate(words) if k not in used])
    taken: set[int] = set()
    for first, end, table in layout.borderless(page_lines, COLUMN_GAP):
        taken.update(range(first, end))
        rows = [[(b, False) for b in row] for row in table.rows]
        out.append((page_lines[first].top * unit, _table(rows, page, tables, unit, exact=table.exact)))
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
                        and has_digit(c.text)
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


def _words(lines: list[recognize.Line | None], ink: np.ndarray) -> list[Box]:
    """The characters of each line joined into words, cut where the image shows
    a blank gap next to a digit (the space OCR drops: ``167 0 0`` is read
    ``16700``), then tightened to the ink so that gaps between words are real."""
    out: list[Box] = []
    for line in lines:
        if line is None:
            continue
        chars, left, start = line.chars, line.box.x0, 0
        for k in range(1, len(chars) + 1):
            cut = _blank_between(chars[k - 1], chars[k], ink) if k < len(chars) else line.box.x1
            if cut is not None:
                part = chars[start:k]
                conf = min(c.confidence or 0.0 for c in part)
                word = Box(left, line.box.top, cut, line.box.bottom, "".join(c.text for c in part), conf)
                out.append(_tight(word, ink))
                left, start = cut, k
    return out


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


def _fill(grid: rulings.Grid, words: list[Box]) -> list[list[tuple[Box | None, bool]]]:
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
