"""A report as the store's rows, made without a database: :func:`prepare` runs in an ingest
worker, which therefore imports no SQLAlchemy (``pipeline/work.py``), and the process writing to
the database does as little as possible."""

from __future__ import annotations

import json
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from nianbao.model import Diagnostic, Report
from nianbao.normalize import key
from nianbao.render.json import location_json, report_json
from nianbao.store.packing import unzipped_json, zipped_json
from nianbao.store.summary import summary_from_values
from nianbao.template.names import number as printed


def agency_key(agency: str | None) -> str | None:
    """The form agency names are matched in (full-width, traditional and spaces folded)."""
    k = key(agency) if agency else ""
    return k or None


class Cells(NamedTuple):
    """A report's cells as columns, in one order: the writer zips them into rows in C, and a
    few tuples cost the pipe between worker and writer less than a tuple per cell."""

    paths: tuple[str, ...]
    values: tuple[float | None, ...]
    raws: tuple[str | None, ...]  # as cells.raw keeps them (:func:`raw_kept`)
    derived: tuple[bool, ...]


@dataclass(frozen=True)
class Prepared:
    """A report turned into table rows (everything but the ids the database hands out).

    Built by :func:`prepare`, in an ingest worker, so that the process writing to the
    database does as little as possible."""

    report: dict
    document_zipped: bytes  # render.json.report_json(report, full=True), as packing.zipped_json stores it
    source: bytes | None  # zlib'd JSON
    cells: Cells
    sections: list[dict]  # not a table of their own (the JSON holds them): for the page of a file only checked
    facts: list[dict]
    diagnostics: list[dict]

    @property
    def document(self) -> dict:
        """The report as JSON: ``render.json.report_json(report, full=True)``."""
        return unzipped_json(self.document_zipped)


def prepare(report: Report, found: list[Diagnostic], source: dict | None = None) -> Prepared:
    src = report.source
    severities = Counter(d.severity for d in found)
    head = {
        "agency": report.agency,
        "agency_key": agency_key(report.agency),
        "region": report.region,
        "year": report.year,
        "edition": report.edition,
        "published": report.published,
        "source_file": src.file,
        "sha256": src.sha256,
        "format": src.format,
        "encoding": src.encoding,
        "n_errors": severities["error"],
        "n_warnings": severities["warning"],
        "n_infos": severities["info"],
        **summary_from_values({p: v.value for p, v in report.cells.items()}),
    }
    read = report.cells.values()
    values = tuple(None if v.value is None else float(v.value) for v in read)
    cell_rows = Cells(
        tuple(report.cells), values, tuple(map(raw_kept, values, (v.raw for v in read))), tuple(v.derived for v in read)
    )
    secs = [
        {"key": k, "heading": s.heading, "text": s.text, "location": location_json(s.location)}
        for k, s in report.sections.items()
    ]
    narrative = [
        {
            "cell": f.cell,
            "value": float(f.value),
            "text": f.text,
            "location": location_json(f.location),
            "basis": f.basis,
        }
        for f in report.narrative
    ]
    document = zipped_json(report_json(report, full=True))
    packed = None if source is None else zlib.compress(json.dumps(source, ensure_ascii=False).encode(), 6)
    return Prepared(head, document, packed, cell_rows, secs, narrative, [diagnostic_row(d, None) for d in found])


def diagnostic_row(d: Diagnostic, report_id: int | None) -> dict:
    return {
        "report_id": report_id,
        "rule": d.rule,
        "severity": d.severity,
        "message": d.message,
        "cells": list(d.cells),
        "location": location_json(d.location),
        "files": list(d.files) or ([d.file] if d.file and report_id is None else []),
        "values": _jsonable(d.values),
    }


def _jsonable(obj: object) -> object:
    return json.loads(json.dumps(obj, ensure_ascii=False, default=str))


def raw_kept(value: float | None, raw: str) -> str | None:
    """What ``cells.raw`` keeps of a cell's printed text: None when it is the value written plainly
    (``12`` for 12, nothing for a blank), the text otherwise (``1,234``, ``-``, ``12件``)."""
    return None if raw == printed(value) else raw


def raw_of(value: float | None, kept: str | None) -> str:
    """A cell's text as printed, from its value and ``cells.raw``."""
    return printed(value) if kept is None else kept
