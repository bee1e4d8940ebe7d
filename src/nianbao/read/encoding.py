"""Bytes → text: BOM, UTF-16, strict UTF-8, strict GB18030, then charset-normalizer."""

from __future__ import annotations

import codecs

from nianbao.model import ReportError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``. ``declared`` is a charset named by the file
    itself (HTML ``<meta charset>``), tried after the BOM."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc), enc
    if _looks_utf16(data):
        decoded = []
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                decoded.append((_plausible(text := data.decode(enc)), text, enc))
            except UnicodeDecodeError:
                pass
        if decoded:
            _, text, enc = max(decoded)
            return text, enc
    candidates = ["utf-8", "gb18030"]
    if declared:
        d = declared.strip().lower()
        d = "gb18030" if d in ("gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936") else d
        candidates.insert(0, d)
    for enc in candidates:
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReportError("无法识别文件编码（不是 UTF-8、GB18030 或 UTF-16 文本）")
    return str(best), best.encoding


def _plausible(text: str) -> int:
    """How many characters look like report text (CJK, ASCII, CJK punctuation)."""
    return sum(1 for ch in text[:2000] if ch.isascii() or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f")


def _looks_utf16(data: bytes) -> bool:
    head = data[:400]
    if len(head) < 4:
        return False
    zeros_even = head[0::2].count(0)
    zeros_odd = head[1::2].count(0)
    half = len(head) // 2
    return zeros_odd > half * 0.3 or zeros_even > half * 0.3
