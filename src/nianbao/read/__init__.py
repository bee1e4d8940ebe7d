"""Readers: a file's bytes → one :class:`~nianbao.read.document.Document`.

The format is sniffed from the content, not only the extension. Each reader is
``read(data: bytes, source: Source) -> Document`` and raises
:class:`~nianbao.model.ReportError` with a one-line Chinese reason when the
bytes cannot be read. Each reader is imported (:func:`reader`) only when a file
of its format arrives: some need heavy or optional components.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from nianbao import limits
from nianbao.limits import Limits
from nianbao.model import ReportError, Source
from nianbao.read.archive import members_of
from nianbao.read.document import Document

FORMATS = ("txt", "md", "html", "docx", "doc", "pdf", "image", "xlsx")
Reader = Callable[[bytes, Source], Document]


def reader(fmt: str) -> Reader:
    """The reader of ``fmt`` (one of :data:`FORMATS`), imported now."""
    if fmt in ("txt", "md"):
        from nianbao.read import text as module
    elif fmt == "html":
        from nianbao.read import html as module
    elif fmt == "docx":
        from nianbao.read import docx as module
    elif fmt == "doc":
        from nianbao.read import doc as module
    elif fmt == "pdf":
        from nianbao.read import pdf as module
    elif fmt == "image":
        from nianbao.read import image as module
    elif fmt == "xlsx":
        from nianbao.read import xlsx as module
    else:
        raise ValueError(f"unknown format {fmt}")
    return module.read


_MD_MARK = rb"(?:#{1,6} |\*\*|\|\s*:?-{3})"  # a Markdown heading, bold line or table rule
_MD_FIRST = re.compile(_MD_MARK)  # on the first line
_MD_LINE = re.compile(rb"\n" + _MD_MARK)  # at a line's start: a literal prefix, so not tried at every position
BINARY_KINDS = frozenset({"docx", "doc", "xlsx", "xls", "pdf", "png", "jpg", "jpeg", "tif", "tiff", "zip"})
_HTML_EXTENSIONS = (".htm", ".html", ".shtml", ".xhtml")
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"GIF8")


def sniff(data: bytes, name: str = "", lim: Limits | None = None) -> str:
    """The format of ``data``: one of :data:`FORMATS`."""
    ext = Path(name).suffix.lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, lim or limits.default())
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if data.startswith(_IMAGE_MAGIC) or data[8:12] == b"WEBP":
        return "image"
    if b"%PDF" in data[:1024]:
        return "pdf"
    head = data[:4096].lower().replace(b"\x00", b"")
    tags = b"<" in head  # one fast scan: most text has no tag, so none of the tags below is looked for
    if tags and any(t in head for t in (b"<html", b"<!doctype html", b"<body")) or ext in _HTML_EXTENSIONS:
        return "html"
    markdown = ext in (".md", ".markdown") or (_MD_FIRST.match(head) or _MD_LINE.search(head)) is not None
    if not markdown and tags and any(t in head for t in (b"<table", b"<meta ", b"<div")):
        return "html"  # a page fragment; Markdown with <table> blocks (MinerU) stays text
    return "md" if ext in (".md", ".markdown") else "txt"


def _zip_kind(data: bytes, lim: Limits) -> str:
    names = {i.filename for i in members_of(data, "DOCX/XLSX", lim)}
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise ReportError("不支持的压缩文件：既不是 DOCX 也不是 XLSX")


def read_bytes(data: bytes, name: str = "", lim: Limits | None = None) -> Document:
    """Read a report held in memory (uploads); ``name`` is only a label and an extension hint.
    ``lim`` defaults to :func:`nianbao.limits.default`."""
    lim = lim or limits.default()
    if not data.strip():
        raise ReportError("文件为空")
    _check_size(len(data), lim)
    fmt = sniff(data, name, lim)
    if fmt in ("txt", "md", "html"):
        _check_text(data, fmt, lim)
    source = Source(file=name, sha256=hashlib.sha256(data).hexdigest(), format=fmt)
    try:
        read = reader(fmt)
    except ModuleNotFoundError as e:
        raise ReportError(f"无法读取 {fmt} 格式：缺少组件 {e.name}") from e
    try:
        with limits.reading(lim):
            return read(data, source)
    except ReportError as e:
        kind = Path(name).suffix.lower()[1:]
        if fmt == "txt" and kind in BINARY_KINDS:  # neither what its name says nor text
            raise ReportError(
                f"不是有效的 {kind.upper()} 文件：内容既不是 {kind.upper()} 也不是文本（可能已损坏）"
            ) from e
        raise
    except MemoryError as e:
        raise ReportError(f"读取 {fmt} 时内存不足：文件内容超出可处理的规模") from e
    except (RecursionError, ValueError, KeyError, IndexError, TypeError, AttributeError, OSError, LookupError) as e:
        # untrusted bytes: a reader that trips over them reports it, never a traceback
        raise ReportError(f"文件内容无法解析为 {fmt}（{type(e).__name__}: {str(e)[:80]}）") from e


def _check_size(size: int, lim: Limits) -> None:
    if size > lim.bytes("file_mb"):
        raise limits.too_big("文件大小", round(size / limits.MB, 1), lim.file_mb, "MB", "file_mb")


def _check_text(data: bytes, fmt: str, lim: Limits) -> None:
    """Text is cheap to hold, but every line, tag and table cell becomes an object that each
    later step walks: cap the size and count them on the bytes, before any parsing."""
    if len(data) > lim.bytes("text_mb"):
        raise limits.too_big("文本或网页文件大小", round(len(data) / limits.MB, 1), lim.text_mb, "MB", "text_mb")
    if fmt == "html":
        counts = [("网页的标签数", data.count(b"<"), lim.html_tags, "html_tags")]
    else:
        cells = data.count(b"|") + data.count(b"\t")
        lines = max(data.count(b"\n"), data.count(b"\r"))  # LF, CRLF or CR
        counts = [("表格分隔符（| 或制表符）的个数", cells, lim.text_cells, "text_cells")]
        counts.append(("文本的行数", lines, lim.text_lines, "text_lines"))
    for what, n, cap, name in counts:
        if n > cap:
            raise limits.too_big(what, n, cap, "个", name)


def read_path(path: str | Path, lim: Limits | None = None) -> Document:
    """Read a report file (:func:`file_bytes`, then :func:`read_bytes`)."""
    return read_bytes(file_bytes(path, lim), str(path), lim)


NOT_REGULAR = "不是普通文件（管道、设备或套接字），不读取"  # a FIFO, device or socket named as a report


def file_bytes(path: str | Path, lim: Limits | None = None) -> bytes:
    """A report file's bytes. Only regular files are read (a FIFO, a device or a symlink to one
    is refused without blocking); the size is checked on the open file before reading it."""
    lim = lim or limits.default()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as e:
        raise ReportError("文件不存在") from e
    except PermissionError as e:
        raise ReportError("没有读取权限") from e
    except OSError as e:
        raise ReportError(f"无法打开文件：{e.strerror or e}") from e
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ReportError("这是一个文件夹，不是文件")
        if not stat.S_ISREG(st.st_mode):
            raise ReportError(NOT_REGULAR)
        _check_size(st.st_size, lim)
        most = lim.bytes("file_mb") + 1
        with os.fdopen(os.dup(fd), "rb") as f:  # read(n) takes n bytes of memory first: the size seen, not the limit
            data = f.read(min(st.st_size + 1, most))
            if len(data) > st.st_size:  # it grew while it was read: the rest, up to the limit
                data += f.read(most - len(data))
    except OSError as e:
        raise ReportError(f"无法读取文件：{e.strerror or e}") from e
    finally:
        os.close(fd)
    _check_size(len(data), lim)  # the file grew while it was read
    return data
