"""The report's own text, for the source panel, so a clicked number can be shown where it was printed.

The store keeps what the reader saw of each file (:meth:`nianbao.store.db.Store.load_source`):
a text file's lines, or the paragraphs and table grids of any other format. Nothing is read
again here; a report stored without them (before version 4 of the store) says so.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

NOT_STORED = "原文未存（此报告入库时尚不保存原文）"


def key(loc: dict[str, Any] | None) -> str:
    """The same short key for a cell's provenance and for the source piece it points at."""
    loc = loc or {}
    if loc.get("table") is not None and loc.get("row") is not None:
        return f"t{loc['table']}r{loc['row']}c{loc.get('col', '')}"
    if loc.get("line") is not None:
        return f"p{loc.get('page', '')}l{loc['line']}"
    return ""


def source_context(meta: dict[str, Any], stored: dict[str, Any] | None) -> dict[str, Any]:
    """``{available, reason, format, lines | blocks}``: text formats as numbered lines,
    other formats as the reader's paragraphs and table grids, each piece with its ``key``."""
    out: dict[str, Any] = {"available": stored is not None, "reason": "", "format": meta.get("format")}
    if stored is None:
        return {**out, "reason": NOT_STORED}
    if "lines" in stored:
        out["lines"] = [{"n": n, "key": f"pl{n}", "text": t} for n, t in enumerate(stored["lines"], 1)]
        return out
    out["blocks"] = [
        {"kind": "p", "text": b["text"], "key": key(b["location"])}
        if b["kind"] == "p"
        else {"kind": "table", "rows": [[{"text": c["text"], "key": key(c["location"])} for c in r] for r in b["rows"]]}
        for b in stored["blocks"]
    ]
    return out


def unpack(packed: bytes | None) -> dict[str, Any] | None:
    """What the reader saw, as :class:`nianbao.store.rows.Prepared` keeps it (zlib'd JSON) before it is stored."""
    return None if packed is None else json.loads(zlib.decompress(packed))
