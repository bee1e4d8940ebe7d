"""Old binary Word (.doc): converted to DOCX by LibreOffice, then read as DOCX.

Each conversion gets its own LibreOffice profile and HOME, because parallel
``soffice`` runs sharing one profile silently lose output.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from nianbao.model import ReportError, Source
from nianbao.read import docx
from nianbao.read.archive import OLE_MAGIC, ole_reason, ole_streams
from nianbao.read.document import Document

TIMEOUT = 120  # seconds; a first run creates the profile (≈3 s), big files take longer
NO_SOFFICE = (
    "旧版 .doc 文件需要 LibreOffice 转换：请安装 libreoffice-writer（apt-get install libreoffice-writer-nogui）"
)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(data: bytes, source: Source) -> Document:
    if not data.startswith(OLE_MAGIC):
        raise ReportError("不是 Word 文档（.doc）")
    if "WordDocument" not in ole_streams(data):
        raise ReportError(ole_reason(data, "Word 文档"))
    converted = to_docx(data)
    doc = docx.read(converted, source)
    doc.notes.append("旧版 .doc 文件已由 LibreOffice 转换为 DOCX 后读取")
    return doc


def to_docx(data: bytes) -> bytes:
    """Convert .doc bytes to .docx bytes with LibreOffice."""
    exe = soffice()
    if exe is None:
        raise ReportError(NO_SOFFICE)
    with tempfile.TemporaryDirectory(prefix="nianbao_doc_") as tmp:
        work = Path(tmp)
        src = work / "in.doc"
        src.write_bytes(data)
        out = work / "out"
        cmd = [
            exe,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(src),
        ]
        env = {**os.environ, "HOME": str(work)}
        _run(cmd, env)
        result = out / "in.docx"
        if not result.exists():
            raise ReportError("LibreOffice 无法转换此 .doc 文件（文件可能已损坏或受密码保护）")
        return result.read_bytes()


def _run(cmd: list[str], env: dict[str, str]) -> None:
    """Run LibreOffice in its own process group, so a timeout ends all of its processes."""
    try:
        proc = subprocess.Popen(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
    except OSError as e:
        raise ReportError(f"无法启动 LibreOffice：{e.strerror or e}") from e
    try:
        proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise ReportError(f"LibreOffice 转换 .doc 超时（超过 {TIMEOUT} 秒），文件可能已损坏") from e
