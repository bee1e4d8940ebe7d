"""Rows of an XlsxWriter ``constant_memory`` worksheet written as XML in one piece: the XML
XlsxWriter writes for a row of numbers and strings, without its per-cell calls (``write_row``
dispatches, stores and re-reads every cell: about 5 µs a cell, most of an export of 250 cells a
report). It writes to the worksheet's own row file, through the few inner methods of XlsxWriter
that ``tests/render/test_xlsx_rows.py`` holds to the output of ``write_row``. Two differences, on
purpose: text that starts with ``<r>`` and ends with ``</r>`` stays text, where XlsxWriter would
copy it into the file as a rich-text run (unescaped XML: a way to smuggle a formula in); and a row
past the sheet's last row or column is a ValueError, where ``write_row`` drops it without a word."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from functools import cached_property
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

PLAIN = 2**53  # an int below this in size is a float exactly: "%.16G" of it is str() of it
# text that XlsxWriter would change (control characters, their _xHHHH_ escapes, XML's & < >,
# spaces to preserve at either end); any other text is written as it is
CHANGED = re.compile(r"[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")


class Rows:
    """Appends rows of values (None or "": no cell; str: inline text; int/float: number), no
    wider than ``width`` columns, to ``ws``; ``style`` on the cells of the columns given with a row."""

    def __init__(self, ws: Worksheet, width: int, style: Format | None = None):
        self.ws = ws
        self.letters = [xl_col_to_name(c) for c in range(width)]
        self.style = style

    @cached_property
    def styled(self) -> str:
        """The style attribute, the format's index taken at first use (as XlsxWriter does)."""
        assert self.style is not None, "no style given to these rows"
        return f' s="{self.style._get_xf_index()}"'

    def write(self, row: int, values: Sequence[Any], styled: Collection[int] = ()) -> None:
        """``styled``: columns of ``values`` to write in the style, a blank one as an empty cell."""
        ws, n, letters = self.ws, row + 1, self.letters
        ws._write_single_row(row)  # the row XlsxWriter holds (the last header row) goes out first
        cols = [c for c, v in enumerate(values) if (v is not None and v != "") or c in styled]
        if not cols:
            return
        if ws._check_dimensions(row, cols[0]) or ws._check_dimensions(row, cols[-1]):
            raise ValueError(f"XLSX 第 {n} 行写不进工作表「{ws.name}」（超出末行、末列，或不在上一行之后）")
        if styled:
            cells = [self._cell(f"{letters[c]}{n}", values[c], self.styled if c in styled else "") for c in cols]
        else:  # mostly counts: an int is written inline, anything else by _cell
            cells = [
                f'<c r="{letters[c]}{n}"><v>{v}</v></c>'
                if (v := values[c]).__class__ is int and -PLAIN < v < PLAIN
                else self._cell(f"{letters[c]}{n}", v, "")
                for c in cols
            ]
        ws.fh.write(f'<row r="{n}">{"".join(cells)}</row>')

    def _cell(self, ref: str, v: Any, style: str) -> str:
        if v is None or v == "":
            return f'<c r="{ref}"{style}/>'
        if v.__class__ is str:
            return f'<c r="{ref}"{style} t="inlineStr">{self._text(v)}</c>'
        if v.__class__ is int or (v.__class__ is float and math.isfinite(v)):
            return f'<c r="{ref}"{style}><v>{v:.16G}</v></c>'
        raise TypeError(f"XLSX 单元格只能写有限的数字或文字，不能写 {v!r}")

    def _text(self, text: str) -> str:
        if not CHANGED.search(text):
            return f"<is><t>{text}</t></is>"
        text = self.ws._escape_control_characters(text)
        space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
        return f"<is><t{space}>{self.ws._escape_data(text)}</t></is>"
