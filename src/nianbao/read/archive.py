"""ZIP containers (DOCX, XLSX): open them safely, before any library inflates them.

Sizes are checked from the central directory. :mod:`zipfile` never inflates a
member beyond the size it declares (it stops and fails the CRC check), so a
container that passes :func:`open_zip` cannot expand past the limits later.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from nianbao.model import ReportError

MAX_MEMBER = 50 * 1024 * 1024  # document.xml / sheet XML
MAX_TOTAL = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
BOMB = "文件过大或已损坏（疑似压缩炸弹）"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole_streams(data: bytes) -> set[str]:
    """Which well-known stream names an OLE2 (compound) file holds.

    The directory stores names in UTF-16LE; looking for them is enough to tell
    Word from Excel from an encrypted Office package."""
    names = ("EncryptedPackage", "WordDocument", "Workbook", "Book", "PowerPoint Document")
    return {n for n in names if n.encode("utf-16-le") in data}


def ole_reason(data: bytes, kind: str) -> str:
    """A Chinese reason why an OLE2 file is not a readable ``kind`` ("DOCX"/"XLSX")."""
    streams = ole_streams(data)
    if "EncryptedPackage" in streams:
        return f"文件已加密（受密码保护的 {kind}），请先在 Office 中取消密码再读取"
    if "WordDocument" in streams:
        return "这是旧版 Word（.doc）文件，不是 " + kind
    if streams & {"Workbook", "Book"}:
        return "这是旧版 Excel（.xls）文件，请另存为 .xlsx 后再读取"
    if "PowerPoint Document" in streams:
        return "这是 PowerPoint 演示文稿，不是年度报告文档"
    return f"这是 OLE 复合文档，但不是 {kind}，无法读取"


def open_zip(data: bytes, kind: str, required: str, max_member: int = MAX_MEMBER) -> zipfile.ZipFile:
    """Open ``data`` as a ZIP holding ``required`` (e.g. ``word/document.xml``), or raise
    :class:`ReportError` when it is not one, is truncated, or declares sizes beyond the limits."""
    if data.startswith(OLE_MAGIC):
        raise ReportError(ole_reason(data, kind))
    if not data.startswith(b"PK"):
        raise ReportError(f"不是 {kind} 文件（内容不是 ZIP 容器）")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError) as e:
        raise ReportError(f"文件已损坏：{kind} 的 ZIP 容器无法打开（可能不完整或被截断）") from e
    if len(infos) > MAX_MEMBERS:
        raise ReportError(BOMB)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReportError(f"文件已加密：{kind} 中的内容受密码保护")
        if info.file_size > max_member:
            raise ReportError(BOMB)
        total += info.file_size
    if total > MAX_TOTAL:
        raise ReportError(BOMB)
    names = {i.filename for i in infos}
    if required not in names:
        raise ReportError(f"文件已损坏：{kind} 中缺少 {required}")
    if _strict(z, required):
        raise ReportError(f"这是“Strict Open XML”格式的 {kind}，暂不支持：请在 Office 中另存为普通的 {kind} 后再读取")
    return z


def _strict(z: zipfile.ZipFile, name: str) -> bool:
    """ISO/IEC 29500 Strict documents use purl.oclc.org namespaces instead of the usual ones."""
    try:
        with z.open(name) as f:
            head = f.read(4096)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        return False  # the reader reports the damage itself
    return b"http://purl.oclc.org/ooxml/" in head
