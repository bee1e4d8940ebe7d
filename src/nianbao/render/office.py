"""DOCX → PDF through LibreOffice (``soffice --headless``), when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

SECONDS = 180  # a first start of LibreOffice takes a few seconds; a hung one is stopped


class OfficeError(Exception):
    """LibreOffice is missing or could not convert. The message is one Chinese line."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes) -> bytes:
    """The PDF LibreOffice makes of ``docx``, in a private profile so that it runs beside an open LibreOffice."""
    exe = soffice()
    if exe is None:
        raise OfficeError("未安装 LibreOffice（soffice），无法转成 PDF：请写出 .docx 后用 Word 或 WPS 另存为 PDF")
    with tempfile.TemporaryDirectory(prefix="nianbao-pdf-") as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(docx)
        profile = (Path(tmp) / "profile").as_uri()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise OfficeError(f"LibreOffice 转换超过{SECONDS}秒，已停止") from None
        out = Path(tmp) / "report.pdf"
        if not out.exists():
            raise OfficeError("LibreOffice 未能把 DOCX 转成 PDF")
        return out.read_bytes()
