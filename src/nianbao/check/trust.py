"""What the reader is unsure of, so that no finding accuses a report of what may be a misreading.

A part (a table, a section, a row, a cell) is *doubted* when

- extraction listed it in ``Report.uncertain`` (a table found in part while unplaced rows of
  numbers remain, a section whose table was found but not its heading, …);
- a cell was read by OCR with a confidence below ``LOW_CONFIDENCE``;
- a section is missing but a line of the text that was read looks like its heading (a
  short line, numbering aside, close to the template's title or one of its variants:
  ``extract.traces.heading_like``; extraction lists such text found in table cells);
- a section is missing from a report read by OCR with low-confidence characters;
- a section or a table is missing while a reader's note says part of the file was not read
  (a scanned page skipped without OCR).

A structural error (``SECTION-MISSING``, ``TABLE-MISSING``) is raised only for a part that is
not doubted; an arithmetic error only when none of its cells is doubted or had to be
interpreted (``interpreted``: a value with a ``note``, also reported as ``VALUE-AMBIGUOUS``). The doubt itself is reported
as ``READ-UNCERTAIN`` (warning) with its reason. See docs/trust.md."""

from __future__ import annotations

import re
from collections.abc import Iterable

from nianbao.extract.traces import heading_like
from nianbao.model import LOW_CONFIDENCE, Report, Severity
from nianbao.template import SECTIONS, TABLE_NAMES, SectionSpec, path_label

_SKIPPED = re.compile(r"已跳过|未读取")  # a reader's note that part of the file was not read


def doubts(report: Report) -> dict[str, str]:
    """Every doubted part (a path or path prefix: ``table3``, ``sections.problems``, a cell) → why."""
    out: dict[str, str] = {}
    for u in report.uncertain:
        out.setdefault(u.part, u.reason)
    low = {p: v for p, v in report.cells.items() if v.confidence is not None and v.confidence < LOW_CONFIDENCE}
    for path, v in low.items():
        out.setdefault(path, f"“{v.raw}”OCR 识别置信度低（{v.confidence:.2f}）")
    skipped = next((n for n in report.notes if _SKIPPED.search(n)), None)
    for spec in SECTIONS:
        if spec.key in report.sections:
            continue
        trace = heading_trace(report, spec)
        if trace:
            out.setdefault(f"sections.{spec.key}", f"文中有近似该部分标题的一行“{trace}”，可能是标题未被认出")
        elif low:
            out.setdefault(f"sections.{spec.key}", "报告经 OCR 识别且有置信度低的文字，标题可能没有认出")
        elif skipped:
            out.setdefault(f"sections.{spec.key}", f"文件有部分内容未读取（{skipped}），标题可能在其中")
    for table in TABLE_NAMES:
        if skipped and report.tables_found.get(table) != "full":
            out.setdefault(table, f"文件有部分内容未读取（{skipped}），缺的部分可能在其中")
    return out


def doubt_about(doubted: dict[str, str], parts: Iterable[str]) -> str | None:
    """Why one of ``parts`` is doubted (a doubted part equal to it, inside it or above it), or None."""
    if not doubted:
        return None
    for part in parts:
        for d, why in doubted.items():
            if d == part or d.startswith(part + ".") or part.startswith(d + "."):
                return why
    return None


def hedged(message: str, why: str | None) -> tuple[str, Severity | None]:
    """(message, severity) of a finding: as the rule has it when ``why`` is None, else a warning
    that says why the reading is doubted."""
    return (message, None) if why is None else (f"{message}（读取不确定：{why}）", "warning")


def interpreted(report: Report, paths: Iterable[str]) -> str | None:
    """Why a sum over ``paths`` rests on a reading: one of its values had to be interpreted
    (a decimal comma, a unit in the cell, irregular separators, a row placed by template order)."""
    for p in paths:
        v = report.cells.get(p)
        if v is not None and v.note:
            return f"{path_label(p)}印为“{v.raw}”，读作{v.value}是经过解释的"
    return None


def heading_trace(report: Report, spec: SectionSpec) -> str | None:
    """A line of the text read (inside another section) that could be the heading of ``spec``."""
    lines = (line for section in report.sections.values() for line in section.text.splitlines())
    return next((line.strip() for line in lines if heading_like(line, spec)), None)
