"""Readers: a file's bytes → one :class:`~nianbao.read.document.Document`.

The format is sniffed from the content, not only the extension. Each reader is
``read(data: bytes, source: Source) -> Document`` and raises
:class:`~nianbao.model.ReportError` with a one-line Chinese reason when the
bytes cannot be read. Readers with heavy or optional dependencies are imported
only when a file of their format arrives.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import zipfile
from pathlib import Path

from nianbao.model import ReportError, Source
from nianbao.read.document import Document

MAX_BYTES = 200 * 1024 * 1024

# format -> module under nianbao.read providing read(data, source)
READERS = {
    "txt": "text",
    "md": "text",
    "html": "html",
    "docx": "docx",
    "doc": "doc",
    "pdf": "pdf",
    "image": "image",
    "xlsx": "xlsx",
}

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"GIF8")


def sniff(data: bytes, name: str = "") -> str:
    """The format of ``data``: one of :data:`READERS`' keys."""
    ext = Path(name).suffix.lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if data.startswith(_IMAGE_MAGIC) or data[8:12] == b"WEBP":
        return "image"
    if b"%PDF" in data[:1024]:
        return "pdf"
    head = data[:4096].lower().replace(b"\x00", b"")
    if any(t in head for t in (b"<html", b"<!doctype html", b"<body", b"<table", b"<meta ", b"<div")):
        return "html"
    if ext in (".htm", ".html", ".shtml", ".xhtml"):
        return "html"
    if ext in (".md", ".markdown"):
        return "md"
    return "txt"


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError) as e:
        raise ReportError("文件已损坏：ZIP 容器无法打开（可能是不完整的 DOCX/XLSX）") from e
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise ReportError("不支持的压缩文件：既不是 DOCX 也不是 XLSX")


def read_bytes(data: bytes, name: str = "") -> Document:
    """Read a report held in memory (uploads); ``name`` is only a label and an extension hint."""
    if not data.strip():
        raise ReportError("文件为空")
    if len(data) > MAX_BYTES:
        raise ReportError(f"文件过大（{len(data) // 1024 // 1024} MB，上限 {MAX_BYTES // 1024 // 1024} MB）")
    fmt = sniff(data, name)
    source = Source(file=name, sha256=hashlib.sha256(data).hexdigest(), format=fmt)
    try:
        module = importlib.import_module(f"nianbao.read.{READERS[fmt]}")
    except ModuleNotFoundError as e:
        raise ReportError(f"无法读取 {fmt} 格式：缺少组件 {e.name}") from e
    try:
        return module.read(data, source)
    except ReportError:
        raise
    except (RecursionError, ValueError, KeyError, IndexError, TypeError, AttributeError, OSError, LookupError) as e:
        # untrusted bytes: a reader that trips over them reports it, never a traceback
        raise ReportError(f"文件内容无法解析为 {fmt}（{type(e).__name__}: {str(e)[:80]}）") from e


def read_path(path: str | Path) -> Document:
    p = Path(path)
    try:
        if p.is_dir():
            raise ReportError("这是一个文件夹，不是文件")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ReportError(f"文件过大（{size // 1024 // 1024} MB，上限 {MAX_BYTES // 1024 // 1024} MB）")
        data = p.read_bytes()
    except FileNotFoundError as e:
        raise ReportError("文件不存在") from e
    except PermissionError as e:
        raise ReportError("没有读取权限") from e
    except OSError as e:
        raise ReportError(f"无法读取文件：{e.strerror or e}") from e
    return read_bytes(data, str(path))
