"""Generators of hostile inputs (issue 10): each returns the bytes of a small file that
asks the reader for far more memory or time than its size, or that is damaged."""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
import zlib

import docx
import openpyxl
from PIL import Image

from nianbao.synth import synth_cells, synth_report_text

MB = 1024 * 1024


def xlsx(sheet_xml: bytes | None = None) -> bytes:
    """A one-sheet workbook, its sheet XML replaced by ``sheet_xml`` when given."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "标题"
    buf = io.BytesIO()
    wb.save(buf)
    if sheet_xml is None:
        return buf.getvalue()
    return _replace(buf.getvalue(), "xl/worksheets/sheet1.xml", sheet_xml)


def merged_sheet(ref_attr: str) -> bytes:
    """A sheet whose one merged range is written ``<mergeCell {ref_attr}/>``."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>标题</t></is></c></row></sheetData>'
        f'<mergeCells count="1"><mergeCell {ref_attr}/></mergeCells></worksheet>'
    ).encode()


# the same whole-sheet range, spelled as a regular expression over bytes would not expect
MERGE_SPELLINGS = {
    "single_quotes": "ref='A1:XFD1048576'",
    "spaces": 'ref = "A1:XFD1048576"',
    "char_reference": 'ref="&#65;1:XFD1048576"',
}


def moved_sheet(data: bytes) -> bytes:
    """The same workbook with its sheet at a path no reader would guess (found through the rels)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info).replace(b"worksheets/sheet1.xml", b"elsewhere/data.xml")
            z.writestr(info.filename.replace("worksheets/sheet1.xml", "elsewhere/data.xml"), body)
    return out.getvalue()


def utf16_sheet(ref_attr: str) -> bytes:
    """``merged_sheet`` encoded in UTF-16: no ASCII ``mergeCell`` in its bytes."""
    xml = merged_sheet(ref_attr).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return xml.encode("utf-16")


def _replace(data: bytes, member: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, content if info.filename == member else src.read(info))
    return out.getvalue()


def _deflate_zeros(size: int) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * MB
    parts = [c.compress(chunk) for _ in range(size // MB)]
    return b"".join(parts) + c.flush()


def understated(kind: str, real: int = 200 * MB, declared: int = 2000) -> bytes:
    """A DOCX or XLSX whose main XML member declares ``declared`` bytes but inflates to
    ``real`` (the declared CRC is that of the first ``declared`` bytes, so a reader that
    stops at the declared size sees nothing wrong)."""
    base = docx_bytes("正文") if kind == "docx" else xlsx()
    member = "word/document.xml" if kind == "docx" else "xl/worksheets/sheet1.xml"
    stream = _deflate_zeros(real)
    crc = zlib.crc32(b" " * declared)
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    central = []
    for info in src.infolist():
        name = info.filename.encode()
        if info.filename == member:
            raw, method, size, member_crc = stream, 8, declared, crc
        else:
            raw, method, size, member_crc = src.read(info), 0, info.file_size, info.CRC
        common = (method, 0, 0, member_crc, len(raw), size, len(name))  # method, time, date, crc, sizes, name
        central.append(
            struct.pack("<4s3H3H3I5H2I", b"PK\x01\x02", 20, 20, 0, *common, 0, 0, 0, 0, 0, out.tell()) + name
        )
        out.write(struct.pack("<4s2H3H3I2H", b"PK\x03\x04", 20, 0, *common, 0) + name + raw)
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def many_members(count: int = 20_000) -> bytes:
    """A DOCX with ``count`` empty members (each one an object in :mod:`zipfile`)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<x/>")
        for i in range(count):
            z.writestr(str(i), b"")
    return out.getvalue()


def corrupt_sheet() -> bytes:
    """An XLSX with one byte flipped inside the compressed sheet XML."""
    wb = openpyxl.Workbook()
    for r in range(1, 60):
        wb.active.append([f"第{r}行", r, r * 2, r * 3])
    buf = io.BytesIO()
    wb.save(buf)
    data = bytearray(buf.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x55
    return bytes(data)


def docx_bytes(*paragraphs: str) -> bytes:
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def huge_docx(xml_bytes: int = 49 * MB) -> bytes:
    """A DOCX of a few hundred kilobytes whose document.xml is ``xml_bytes`` long."""
    run = "<w:p><w:r><w:t>一二三四五六七八九十</w:t></w:r></w:p>"
    body = run * (xml_bytes // len(run.encode()))
    base = docx_bytes("正文")
    xml = zipfile.ZipFile(io.BytesIO(base)).read("word/document.xml").decode()
    head, tail = xml.split("<w:body>", 1)
    return _replace(base, "word/document.xml", (head + "<w:body>" + body + tail).encode())


def pdf(media_box: str, user_unit: float | None = None, pages: int = 1) -> bytes:
    """A PDF without a text layer (a scan to the reader): ``pages`` times one page holding a 1×1 image."""
    unit = f" /UserUnit {user_unit}" if user_unit else ""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(['3 0 R'] * pages)}] /Count {pages} >>".encode(),
        f"<< /Type /Page /Parent 2 0 R /MediaBox [{media_box}]{unit} "
        "/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>".encode(),
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x00\nendstream",
        b"<< /Length 24 >>\nstream\nq 100 0 0 100 0 0 cm /Im0 Do Q\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.6\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    out.write(b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets))
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def tiff_frames(count: int = 10, size: tuple[int, int] = (5000, 5000)) -> bytes:
    """A multi-frame TIFF: every blank frame under the single-image pixel limit."""
    imgs = [Image.new("1", size, v) for v in (0, 1)]
    buf = io.BytesIO()
    # two frames in turn (Pillow writes each one), each a few hundred bytes in Group 4
    others = [imgs[1 - i % 2] for i in range(count - 1)]
    imgs[0].save(buf, "TIFF", save_all=True, append_images=others, compression="group4")
    return buf.getvalue()


def gif_frames(count: int = 60, size: tuple[int, int] = (5000, 5000)) -> bytes:
    """A GIF whose frames are 1×1 pixel on a ``size`` screen: each decodes to the whole screen."""
    head = b"GIF89a" + struct.pack("<HHBBB", *size, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    # image descriptor at (0, 0), 1×1, then LZW (minimum code size 2): clear, pixel 0, end
    frame = b"," + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"
    return head + frame * count + b";"


def report_text() -> str:
    """A complete synthetic report as text (section 六 states a fee of 200 元)."""
    fees = {"notices": 2, "notice_amount_yuan": 200, "collected_yuan": 200}
    rng = random.Random(1)
    return synth_report_text(synth_cells(rng), "2021", "tab", "某市某区某局", 2023, rng, fees=fees)


def numbered_headings(count: int = 120) -> bytes:
    """A report whose section 一 has ``count`` numbered sub-headings."""
    extra = "".join(f"（{n % 9 + 1}）工作{n}\n正文。\n" for n in range(count))
    return report_text().replace("二、主动公开", extra + "二、主动公开", 1).encode()


def huge_fee() -> bytes:
    """A report whose fee amount has 400 digits."""
    return report_text().replace("总金额为200元", "总金额为" + "9" * 400 + "元", 1).encode()


def huge_cell(digits: str) -> bytes:
    """A report with ``digits`` in a table cell."""
    return re.sub(r"\t\d+\n", "\t" + digits + "\n", report_text(), count=1).encode()
