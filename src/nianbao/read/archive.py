"""ZIP containers (DOCX, XLSX): unpacked here, within the limits, before any library sees them.

Every member is inflated by :func:`_inflate` through a running byte cap: the
central directory's sizes are only claims, so a member is cut off the moment
it passes the size it declares (or the per-member limit) and its CRC is
checked. The libraries then get :func:`repack`'s copy, whose members are
stored uncompressed at their verified sizes: nothing is inflated twice.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from nianbao import limits
from nianbao.model import ReportError

BOMB = "文件过大或已损坏（疑似压缩炸弹）：解压后的总大小超过上限（可用 NIANBAO_LIMITS=zip_total_mb=… 调高）"
_CHUNK = 1024 * 1024
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


def open_zip(data: bytes, kind: str, required: str) -> dict[str, bytes]:
    """The members of ``data`` (a ZIP holding ``required``, e.g. ``word/document.xml``), inflated
    within the active limits, or :class:`ReportError` when it is not one, is damaged, or too big."""
    if data.startswith(OLE_MAGIC):
        raise ReportError(ole_reason(data, kind))
    if not data.startswith(b"PK"):
        raise ReportError(f"不是 {kind} 文件（内容不是 ZIP 容器）")
    lim = limits.budget().limits
    infos = members_of(data, kind, lim)
    if required not in {i.filename for i in infos}:
        raise ReportError(f"文件已损坏：{kind} 中缺少 {required}")
    if sum(i.file_size for i in infos) > lim.bytes("zip_total_mb"):
        raise ReportError(BOMB)
    members: dict[str, bytes] = {}
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReportError(f"文件已加密：{kind} 中的内容受密码保护")
        if info.is_dir():
            continue
        if info.file_size > lim.bytes("zip_member_mb"):
            mb = round(info.file_size / limits.MB, 1)
            over = limits.too_big(
                f"{kind} 中的 {info.filename[:60]} 解压后", mb, lim.zip_member_mb, "MB", "zip_member_mb"
            )
            raise ReportError(f"疑似压缩炸弹：{over}")
        members[info.filename] = _inflate(data, info, kind)
    if b"http://purl.oclc.org/ooxml/" in members[required][:4096]:
        raise ReportError(f"这是“Strict Open XML”格式的 {kind}，暂不支持：请在 Office 中另存为普通的 {kind} 后再读取")
    return members


def members_of(data: bytes, kind: str, lim: limits.Limits) -> list[zipfile.ZipInfo]:
    """The central directory, read only once the count of its entries is under the limit:
    :mod:`zipfile` keeps an object per entry, millions of them in a large file."""
    entries = data.count(b"PK\x01\x02")  # every central directory entry starts with it
    if entries > lim.zip_members:
        raise limits.too_big(f"{kind} 的部件数", entries, lim.zip_members, "个", "zip_members")
    try:
        return zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError) as e:
        raise ReportError(f"文件已损坏：{kind} 的 ZIP 容器无法打开（可能不完整或被截断）") from e


def _inflate(data: bytes, info: zipfile.ZipInfo, kind: str) -> bytes:
    """One member's bytes: never more than it declares, and matching its CRC."""
    damaged = f"文件已损坏：{kind} 中的 {info.filename[:60]} "
    at = info.header_offset
    if data[at : at + 4] != b"PK\x03\x04":
        raise ReportError(damaged + "找不到（ZIP 目录与内容不符）")
    name_len, extra_len = struct.unpack_from("<HH", data, at + 26)
    start = at + 30 + name_len + extra_len
    raw = memoryview(data)[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        out = bytes(raw)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        out = _deflated(raw, info.file_size, damaged)
    else:
        raise ReportError(damaged + "使用了不支持的压缩方式")
    if len(out) != info.file_size:
        raise ReportError(damaged + "的实际大小与声明的大小不符")
    if zlib.crc32(out) != info.CRC:
        raise ReportError(damaged + "校验失败（CRC 不符）")
    return out


def _deflated(raw: memoryview, declared: int, damaged: str) -> bytes:
    """Inflate at most one chunk at a time, stopping as soon as the output passes ``declared``."""
    d = zlib.decompressobj(-15)
    parts: list[bytes] = []
    size = 0
    pending: bytes | memoryview = raw
    try:
        while not d.eof:
            piece = d.decompress(pending, _CHUNK)
            size += len(piece)
            if size > declared:
                raise ReportError(damaged + "解压后超过其声明的大小（疑似压缩炸弹）")
            parts.append(piece)
            if not piece and not d.unconsumed_tail:
                break  # input used up before the end of the stream: truncated
            pending = d.unconsumed_tail
    except zlib.error as e:
        raise ReportError(damaged + "的压缩数据无法解压") from e
    if not d.eof:
        raise ReportError(damaged + "的压缩数据不完整")
    return b"".join(parts)


def repack(members: dict[str, bytes]) -> bytes:
    """The verified members as a ZIP of stored (uncompressed) members, for python-docx and openpyxl."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()
