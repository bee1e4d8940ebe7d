"""Printed cell text → value, with a note whenever the text had to be interpreted.

Never turns a blank into 0. ``491,5000`` in a 万元 column is a decimal comma
(491.5); ``1,234`` is a thousands separator only as true groups of three."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nianbao.model import Number
from nianbao.normalize import fold

BLANKS = frozenset({"", "/", "-", "—", "——", "–", "－", "―", "无", "\\", "空", "×", "N/A", "n/a"})

MAX_CHARS = 24  # the longest number a cell holds: 万元 amounts such as 1,234,567,890.1234万元

_INT = re.compile(r"[+-]?\d+")
_DEC = re.compile(r"[+-]?\d+\.\d+")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_COMMA = re.compile(r"\d+,\d+")
_WS = re.compile(r"\s+")
_UNIT = re.compile(r"([+-]?[\d.,]+)\s*(万元|元|件|条|个|项|次|起|人次|宗)")


@dataclass(frozen=True)
class Parsed:
    value: Number | None
    note: str | None = None


def is_blank(text: str) -> bool:
    return clean(text) in BLANKS


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    return _WS.sub("", fold(text))


@lru_cache(maxsize=65536)
def parse(text: str, decimal: bool = False) -> Parsed | None:
    """The value of a cell, or ``None`` when the text is not a number at all.

    ``decimal`` is set for 万元 columns. Blanks give ``Parsed(None)``."""
    t = clean(text)
    if t in BLANKS:
        return Parsed(None)
    if len(t) > MAX_CHARS:
        return None  # no count or amount is this long (and int() of 5000 digits would raise)
    if _INT.fullmatch(t):
        return Parsed(int(t))
    if _DEC.fullmatch(t):
        return Parsed(_num(float(t)))
    if _THOUSANDS.fullmatch(t):
        return Parsed(_num(float(t.replace(",", ""))))
    if _COMMA.fullmatch(t):
        whole, frac = t.split(",")
        if decimal:
            v = _num(float(f"{whole}.{frac}"))
            return Parsed(v, f"“{text.strip()}”中的逗号按小数点读作{whole}.{frac}（万元），即{v}")
        v = int(whole + frac)
        return Parsed(v, f"“{text.strip()}”的千位分隔符位置不规范，按{v}读取")
    m = _UNIT.fullmatch(t)
    if m:
        inner = parse(m.group(1), decimal)
        if inner is None or inner.value is None:
            return None
        unit = m.group(2)
        if decimal and unit == "元":
            v = _num(round(inner.value / 10000, 6))
            return Parsed(v, f"单元格内带单位：“{text.strip()}”按{v}万元读取")
        return Parsed(inner.value, f"单元格内带单位：“{text.strip()}”按{inner.value}读取")
    return None


@lru_cache(maxsize=65536)
def split_numbers(text: str) -> tuple[str, ...] | None:
    """``"167 0 0 0"`` → ``["167", "0", "0", "0"]``: several numbers in one cell
    (a text layout that ran cells together with spaces)."""
    parts = fold(text).split()
    if len(parts) > 1 and all(parse(p, True) is not None and not is_blank(p) for p in parts):
        return tuple(parts)
    return None


def _num(v: float) -> Number:
    return int(v) if v == int(v) and abs(v) < 1e15 else v
