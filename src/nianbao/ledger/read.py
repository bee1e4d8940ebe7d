"""Read a ledger workbook into typed rows; what cannot be read is kept as typed,
for the ledger rules to name."""

from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from itertools import islice
from pathlib import Path
from typing import Any

from openpyxl.utils.datetime import from_excel

from nianbao.ledger import columns as C
from nianbao.model import ReportError
from nianbao.normalize import fold, key, squash
from nianbao.read import file_bytes
from nianbao.read.archive import open_zip, repack

HEADER_ROWS = 5  # the header is looked for in the first rows (a title row may come first)
MAX_COLUMNS = 40  # the ledger's columns and a few of the agency's own
MAX_ROWS = 200_000  # applications of many years of a busy agency
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{4})(\d{2})(\d{2})")
SERIALS = (36526, 73051)  # a number in a date column is an Excel day number from 2000 to 2099


@dataclass
class Row:
    """One data row: ``values`` read by column key; ``invalid`` holds what could not be read."""

    sheet: str
    row: int  # the sheet's own row number
    values: dict[str, Any] = field(default_factory=dict)
    invalid: dict[str, str] = field(default_factory=dict)

    def get(self, k: str) -> Any:
        return self.values.get(k)

    @property
    def name(self) -> str:
        """「申请」第5行（编号 S-001） — how a finding names the row."""
        ident = self.get("id")
        return f"「{self.sheet}」第{self.row}行" + (f"（编号 {ident}）" if ident else "")


@dataclass
class Ledger:
    file: str
    sha256: str
    applications: list[Row] = field(default_factory=list)
    cases: list[Row] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (sheet, header) not found; header "" = whole sheet


def read_ledger(path: str | Path) -> Ledger:
    """The ledger in ``path``, read as a report file is (:func:`nianbao.read.file_bytes`: a regular
    file within ``file_mb``); ReportError (one Chinese line) when it is not a workbook or is too big."""
    return read_ledger_bytes(file_bytes(path), str(path))


def read_ledger_bytes(data: bytes, name: str) -> Ledger:
    """The ledger in ``data`` (named ``name``). The ZIP is opened within the readers' limits
    (``nianbao.limits``), and only the first :data:`MAX_COLUMNS` columns and :data:`MAX_ROWS`
    rows of a sheet are looked at."""
    from openpyxl import load_workbook

    package = repack(open_zip(data, "XLSX", "xl/workbook.xml"))
    try:
        with warnings.catch_warnings():  # openpyxl warns about styles and extensions it skips
            warnings.simplefilter("ignore")
            wb = load_workbook(BytesIO(package), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises KeyError, ValueError, zip and XML errors alike
        raise ReportError(f"不是可读取的 XLSX 台账（{type(e).__name__}）") from None
    ledger = Ledger(name, hashlib.sha256(data).hexdigest())
    try:
        for sheet, cols in C.SHEETS.items():
            if sheet not in wb.sheetnames:
                ledger.missing.append((sheet, ""))
                continue
            grid = list(islice(wb[sheet].iter_rows(max_col=MAX_COLUMNS, values_only=True), MAX_ROWS + 1))
            if len(grid) > MAX_ROWS:
                raise ReportError(f"「{sheet}」超过{MAX_ROWS}行，不像一份台账")
            rows = _rows(grid, sheet, cols, ledger)
            (ledger.applications if sheet == C.APPLICATIONS else ledger.cases).extend(rows)
    except ReportError:
        raise
    except Exception as e:  # a damaged sheet
        raise ReportError(f"台账中的工作表无法解析（{type(e).__name__}）") from None
    finally:
        wb.close()
    return ledger


def _rows(grid: list[tuple[Any, ...]], sheet: str, cols: tuple[C.Col, ...], ledger: Ledger) -> list[Row]:
    want = {key(c.header): c for c in cols}
    top = next(
        (i for i, r in enumerate(grid[:HEADER_ROWS]) if sum(key(str(v or "")) in want for v in r) >= 2),
        None,
    )
    if top is None:
        ledger.missing.extend((sheet, c.header) for c in cols if c.required)
        return []
    at = {want[key(str(v))].key: j for j, v in enumerate(grid[top]) if v is not None and key(str(v)) in want}
    ledger.missing.extend((sheet, c.header) for c in cols if c.key not in at and not c.optional)
    out = []
    for i, cells in enumerate(grid[top + 1 :], start=top + 2):
        if all(_blank(v) for v in cells):
            continue
        row = Row(sheet, i)
        for c in cols:
            j = at.get(c.key)
            raw = cells[j] if j is not None and j < len(cells) else None
            if not _blank(raw):
                _put(row, c, raw)
        out.append(row)
    return out


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _put(row: Row, c: C.Col, raw: Any) -> None:
    value = _convert(c, raw)
    if value is None:
        row.invalid[c.key] = squash(str(raw))
    else:
        row.values[c.key] = value


def _convert(c: C.Col, raw: Any) -> Any:
    if c.kind == "date":
        return as_date(raw)
    if c.kind == "amount":
        return _amount(raw)
    if c.kind == "yesno":
        return {C.YES: True, C.NO: False}.get(squash(str(raw)))
    if c.kind == "choice":
        return squash(str(raw))  # matched to the template by the rules and the tally
    return squash(str(raw)) if not isinstance(raw, float) or not raw.is_integer() else str(int(raw))


def as_date(raw: Any) -> date | None:
    """A date cell, an Excel day number or a typed date (2024-01-05, 2024/1/5, 2024年1月5日, 20240105)."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return from_excel(raw).date() if SERIALS[0] <= raw < SERIALS[1] and float(raw).is_integer() else None
    m = _DATE.fullmatch(squash(fold(str(raw))))
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups() if x is not None)
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def _amount(raw: Any) -> float | int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return raw if raw >= 0 else None
    text = squash(fold(str(raw))).removesuffix("元").replace(",", "").strip()
    try:
        v = float(text)
    except ValueError:
        return None
    return (int(v) if v.is_integer() else v) if v >= 0 else None
