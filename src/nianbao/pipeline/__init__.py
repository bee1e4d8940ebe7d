"""The stages, chained in one place: a file → :class:`Document` (read) → :class:`Report`
(extract) → findings (check).

``process`` is what the command line, the web uploads and bulk ingest (:mod:`.ingest`) call;
the store only saves what it returns. A file that cannot be read as a report raises
:class:`~nianbao.model.ReportError` with a one-line Chinese reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nianbao.check import check_report
from nianbao.extract import extract
from nianbao.limits import Limits
from nianbao.model import Diagnostic, Location, Report
from nianbao.read import file_bytes, read_bytes
from nianbao.read.document import Document, Paragraph, Table
from nianbao.read.encoding import decode

TEXT_FORMATS = ("txt", "md")


@dataclass(frozen=True)
class Processed:
    """One file through every stage: what the reader saw, the report read from it, the findings."""

    document: Document
    report: Report
    findings: list[Diagnostic]
    lines: list[str] | None = None  # a text file's own lines (the 原文 panel shows them numbered)

    def source(self) -> dict[str, Any]:
        """What the 原文 panel shows, as the store keeps it: a text file's ``lines``, else the
        reader's ``blocks`` (paragraphs and table grids, each piece with its location)."""
        if self.lines is not None:
            return {"lines": self.lines}
        return {"blocks": [_block(b) for b in self.document.blocks]}


def process(
    src: str | Path | bytes, name: str = "", limits: Limits | None = None, ignore: Iterable[str] = ()
) -> Processed:
    """Read, extract and check one report: a file's path, or its bytes (``name`` is then only a
    label and an extension hint). ``limits`` defaults to :func:`nianbao.limits.default`; the
    rules whose ids are in ``ignore`` are not run."""
    if isinstance(src, bytes):
        data = src
    else:
        data, name = file_bytes(src, limits), str(src)
    document = read_bytes(data, name, limits)
    report = extract(document)
    lines = decode(data)[0].splitlines() if document.source.format in TEXT_FORMATS else None
    return Processed(document, report, check_report(report, ignore), lines)


def _where(loc: Location) -> dict[str, Any]:
    return {k: v for k, v in loc.as_dict().items() if k != "bbox"}


def _block(b: Paragraph | Table) -> dict[str, Any]:
    if isinstance(b, Paragraph):
        return {"kind": "p", "text": b.text, "location": _where(b.location)}
    rows = [[{"text": "" if c.merged else c.text, "location": _where(c.location)} for c in row] for row in b.rows]
    return {"kind": "table", "rows": rows}
