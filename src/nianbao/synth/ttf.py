"""The smallest TrueType font a PDF reader accepts: an empty .notdef and a square.

Embedded by :mod:`nianbao.synth.pdf` for every character (a CIDToGIDMap sends
all of them to the square), so that PDF readers keep the text layer on machines
without CJK fonts: a font that is not embedded and cannot be substituted makes
pdfium drop the characters."""

from __future__ import annotations

import struct


def tiny_ttf() -> bytes:
    """A TrueType font of two glyphs: .notdef (empty) and a square."""
    glyph = struct.pack(">hhhhh", 1, 100, 0, 900, 800) + struct.pack(">HH", 3, 0) + bytes([1] * 4)
    glyph += struct.pack(">4h", 100, 800, 0, -800) + struct.pack(">4h", 0, 0, 800, 0)
    glyph += b"\0" * (-len(glyph) % 4)
    tables = {
        b"head": struct.pack(
            ">IIIIHHqqhhhhHHhhh", 0x10000, 0x10000, 0, 0x5F0F3CF5, 0, 1000, 0, 0, 0, -120, 1000, 880, 0, 8, 2, 0, 0
        ),
        b"hhea": struct.pack(">IhhhHhhhhhhhhhhhH", 0x10000, 880, -120, 0, 1000, 0, 0, 1000, 1, 0, 0, 0, 0, 0, 0, 0, 2),
        b"maxp": struct.pack(">IHHHHHHHHHHHHHH", 0x10000, 2, 4, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0),
        b"hmtx": struct.pack(">HhHh", 1000, 0, 1000, 100),
        b"loca": struct.pack(">HHH", 0, 0, len(glyph) // 2),
        b"glyf": glyph,
        b"post": struct.pack(">IIhhIIIII", 0x30000, 0, -100, 50, 0, 0, 0, 0, 0),
    }
    n = len(tables)
    out = struct.pack(">IHHHH", 0x10000, n, 64, 2, n * 16 - 64)
    offset = 12 + 16 * n
    body = b""
    for tag, data in sorted(tables.items()):
        padded = data + b"\0" * (-len(data) % 4)
        csum = sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF
        out += struct.pack(">4sIII", tag, csum, offset + len(body), len(data))
        body += padded
    return out + body
