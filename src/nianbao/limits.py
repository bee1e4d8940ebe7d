"""One resource budget for reading a file: every limit the readers enforce, in one object.

``parse``, ``ingest`` and ``serve`` read files with :func:`default` (the defaults
below, changed by ``NIANBAO_LIMITS="name=value,…"``, e.g. ``ocr_seconds=900``);
:func:`nianbao.read.read_bytes` and ``read_path`` also take a :class:`Limits`.
While a file is read, its :class:`Budget` (pixels decoded, merged slots of a
sheet, pages recognised, time spent in OCR) is the active one: readers charge it where bytes become
objects, and it raises :class:`~nianbao.model.ReportError` with a plain reason
the moment a limit is passed. ``docs/limits.md`` lists every limit and why.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace
from functools import lru_cache

from nianbao.model import ReportError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What reading one file may use. Sizes in MB, counts, pixels and seconds; all positive."""

    file_mb: float = 200  # one file, whatever its format
    text_mb: float = 10  # a text, Markdown or web-page file
    text_cells: int = 100_000  # table cell separators (| and TAB) in a text or Markdown file
    text_lines: int = 100_000  # lines of a text or Markdown file (each may become a paragraph)
    html_tags: int = 300_000  # tags of a web page (each may become a paragraph or a cell)
    zip_member_mb: float = 20  # one decompressed part of a DOCX/XLSX (document.xml, a sheet)
    zip_total_mb: float = 200  # all decompressed parts of a DOCX/XLSX
    zip_members: int = 10_000  # parts in a DOCX/XLSX
    merged_slots: int = 1_000_000  # grid slots covered by merged ranges in an XLSX
    image_pixels: int = 36_000_000  # one image, frame or page rendered for OCR (A4 at 600 dpi)
    total_pixels: int = 200_000_000  # all frames and rendered pages of one file (90 A4 pages at 150 dpi)
    pdf_pages: int = 500  # pages of a PDF (a report has 5 to 50; each page costs up to a tenth of a second)
    ocr_pages: int = 300  # pages or frames recognised by OCR in one file
    ocr_seconds: float = 600  # OCR time for one file

    def __post_init__(self) -> None:
        for f in fields(self):
            if not 0 < getattr(self, f.name) < math.inf:
                raise ValueError(f"limit {f.name} must be a positive number")

    @classmethod
    def parse(cls, spec: str, base: Limits | None = None) -> Limits:
        """``"file_mb=500, ocr_seconds=900"`` → the limits of ``base`` (the defaults) with those changed."""
        names = {f.name: f.type for f in fields(cls)}
        changes: dict[str, float | int] = {}
        for item in filter(None, (s.strip() for s in spec.split(","))):
            name, _, value = item.partition("=")
            name = name.strip()
            if name not in names:
                raise ValueError(f"unknown limit {name!r}; known: {', '.join(names)}")
            changes[name] = int(value) if names[name] == "int" else float(value)
        return replace(base or cls(), **changes)

    def bytes(self, name: str) -> int:
        """A limit given in MB (``file_mb``…) in bytes."""
        return int(getattr(self, name) * MB)


def default() -> Limits:
    """The limits in force: the defaults, changed by ``NIANBAO_LIMITS``."""
    try:
        return _parsed(os.environ.get("NIANBAO_LIMITS", ""))
    except ValueError as e:
        raise ReportError(f"环境变量 NIANBAO_LIMITS 无效：{e}") from e


@lru_cache(maxsize=8)
def _parsed(spec: str) -> Limits:
    """``Limits.parse(spec)``, kept by the setting's text (asked for on every file; Limits is frozen)."""
    return Limits.parse(spec)


def too_big(what: str, size: float, limit: float, unit: str, name: str) -> ReportError:
    """The one-line refusal: what is over which limit, and the setting that raises it."""
    return ReportError(
        f"{what}超过上限（{_n(size)} {unit}，上限 {_n(limit)} {unit}；可用 NIANBAO_LIMITS={name}=… 调高）"
    )


def _n(x: float) -> str:
    return str(x) if isinstance(x, int) else f"{x:g}"


class Budget:
    """What one file has used so far: decoded pixels, merged slots, OCR pages and OCR time."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.pixels = 0
        self.merged_slots = 0
        self.ocr_pages = 0
        self.ocr_started: float | None = None

    def image(self, width: int, height: int, what: str = "图像") -> None:
        """Charge one image, frame or page of ``width`` × ``height`` pixels before it is decoded."""
        px = width * height
        if px > self.limits.image_pixels:
            raise too_big(f"{what}像素数", px, self.limits.image_pixels, "像素", "image_pixels")
        self.pixels += px
        if self.pixels > self.limits.total_pixels:
            raise too_big("全部页面和帧的像素总数", self.pixels, self.limits.total_pixels, "像素", "total_pixels")

    def merged(self, slots: int) -> None:
        """Charge the grid slots a sheet's merged ranges cover, before they are expanded."""
        self.merged_slots += slots
        if self.merged_slots > self.limits.merged_slots:
            raise too_big(
                "工作表中合并单元格覆盖的格数", self.merged_slots, self.limits.merged_slots, "格", "merged_slots"
            )

    def ocr_page(self) -> None:
        """Count a page about to be recognised; refuse when the file's OCR pages or time run out."""
        now = time.monotonic()
        if self.ocr_started is None:
            self.ocr_started = now
        self.ocr_pages += 1
        if self.ocr_pages > self.limits.ocr_pages:
            raise too_big("需要 OCR 识别的页数", self.ocr_pages, self.limits.ocr_pages, "页", "ocr_pages")
        spent = now - self.ocr_started
        if spent > self.limits.ocr_seconds:
            raise too_big("OCR 识别用时", round(spent), self.limits.ocr_seconds, "秒", "ocr_seconds")


_active: ContextVar[Budget | None] = ContextVar("nianbao_budget", default=None)


def budget() -> Budget:
    """The budget of the file being read (a fresh default one outside :func:`reading`)."""
    return _active.get() or Budget(default())


@contextmanager
def reading(limits: Limits) -> Iterator[Budget]:
    """Make a fresh budget under ``limits`` the active one while a file is read."""
    b = Budget(limits)
    token = _active.set(b)
    try:
        yield b
    finally:
        _active.reset(token)
