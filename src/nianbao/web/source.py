"""The report's own text, for the source panel: the file as read, so a clicked number can be shown
where it was printed.

The store keeps the file's path and sha256, not its bytes. The text is shown only when the
file is still there and its sha256 is unchanged — otherwise the page says why. Uploaded files
are never written to disk, so they have no source view (their cells keep the raw text anyway).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from nianbao.model import ReportError
from nianbao.read import MAX_BYTES, read_bytes
from nianbao.read.document import Paragraph, Table
from nianbao.read.encoding import decode

TEXT_FORMATS = ("txt", "md")


def key(loc: dict[str, Any] | None) -> str:
    """The same short key for a cell's provenance and for the source piece it points at."""
    loc = loc or {}
    if loc.get("table") is not None and loc.get("row") is not None:
        return f"t{loc['table']}r{loc['row']}c{loc.get('col', '')}"
    if loc.get("line") is not None:
        return f"p{loc.get('page', '')}l{loc['line']}"
    return ""


def _file(meta: dict[str, Any]) -> tuple[bytes | None, str]:
    """The stored report's file, if it is still the one that was read; else the reason."""
    path = Path(meta.get("source_file") or "")
    try:
        if not path.is_file():
            return None, "原文文件不在本机（上传的文件只在内存中处理，不保存）"
        if path.stat().st_size > MAX_BYTES:
            return None, "原文文件过大"
        data = path.read_bytes()
    except OSError as e:
        return None, f"无法读取原文文件：{e.strerror or e}"
    if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
        return None, "原文文件在入库后已改动，不再显示"
    return data, ""


def source_context(meta: dict[str, Any]) -> dict[str, Any]:
    """``{available, reason, format, lines | blocks}``: text formats as numbered lines,
    other formats as the reader's paragraphs and table grids, each piece with its ``key``."""
    data, reason = _file(meta)
    out: dict[str, Any] = {"available": data is not None, "reason": reason, "format": meta.get("format")}
    if data is None:
        return out
    if meta.get("format") in TEXT_FORMATS:
        text, _ = decode(data)
        out["lines"] = [{"n": n, "key": f"pl{n}", "text": t} for n, t in enumerate(text.splitlines(), 1)]
        return out
    try:
        doc = read_bytes(data, Path(meta["source_file"]).name)
    except ReportError as e:
        return {**out, "available": False, "reason": str(e)}
    blocks: list[dict[str, Any]] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            blocks.append({"kind": "p", "text": b.text, "key": key(b.location.as_dict())})
        elif isinstance(b, Table):
            rows = [[{"text": "" if c.merged else c.text, "key": key(c.location.as_dict())} for c in r] for r in b.rows]
            blocks.append({"kind": "table", "rows": rows})
    out["blocks"] = blocks
    return out
