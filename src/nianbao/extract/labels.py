"""Matching printed labels against the template's, insensitive to spaces, line
breaks, full/half width, traditional characters and the numbering prefix."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import NamedTuple

from nianbao import template as T
from nianbao.normalize import key

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,2}[.、]|\(\d{1,2}\))+")


def core(k: str) -> str:
    """A label key without its numbering prefix: ``(一)予以公开`` → ``予以公开``."""
    return _NUMBERING.sub("", k)


@dataclass(frozen=True)
class Match:
    key: str  # row or column key
    form: str  # the template form that matched (label or a variant)
    exact: bool  # the cell says exactly that form (not a truncated or prefixed copy)
    note: str | None = None  # set when the label was matched to its nearest template form only


_PAUSE = re.compile(r"(?<![一二三四五六七八九十])[、,;:]")


def _plain(k: str) -> str:
    """A label key without pauses (、，；：) except the one closing a numbering:
    ``不补正,行政机关`` and ``不补正、行政机关`` are the same label."""
    return _PAUSE.sub("", k)


class Form(NamedTuple):
    """A template label or variant with its matching forms, worked out once."""

    text: str
    key: str  # its key without pauses
    core: str  # … and without numbering
    chars: Counter[str]  # the characters of ``core``, for a bound on its similarity


@lru_cache(maxsize=256)
def forms(row: T.Row) -> tuple[Form, ...]:
    out = []
    for text in (row.label, *row.variants):
        fk = _plain(key(text))
        out.append(Form(text, fk, core(fk), Counter(core(fk))))
    return tuple(out)


def _forms_match(cell: str, options: tuple[Form, ...]) -> tuple[str, bool] | None:
    for f in options:
        if cell == f.key:
            return f.text, True
    cc = core(cell)
    for f in options:
        form, fk, ck = f.text, f.key, f.core
        if cell.endswith(fk) and len(fk) > 2:
            return form, True
        if len(ck) > 4 and (cc == ck or cc.endswith(ck)):
            return form, True
        if len(ck) > 8 and len(cc) >= max(8, int(len(ck) * 0.6)) and ck.startswith(cc):
            return form, False  # truncated, e.g. a label split across a page break
    return None


# ----------------------------------------------------------- table 3 --

# Every row a 表三 may print: both editions, plus the group rows whose label is
# a merged cell (a value there is a printed subtotal).
T3_ROWS: tuple[T.Row, ...] = tuple({r.key: r for r in (*T.T3_2021, *T.T3_2019)}.values()) + tuple(
    T.Row(f"{g}.total", label) for g, label in T.T3_GROUPS.items() if g != "other"
)


_ITEM_DUN = re.compile(r"^(\d{1,2})、")


@lru_cache(maxsize=4096)
def t3_row(cell_key: str) -> Match | None:
    if not cell_key or cell_key.isdigit():
        return None
    cell_key = _plain(_ITEM_DUN.sub(r"\1.", cell_key))  # ``3、其他`` is numbered as ``3.其他``
    best: Match | None = None
    for r in T3_ROWS:
        m = _forms_match(cell_key, forms(r))
        if m and (best is None or len(key(m[0])) > len(key(best.form))):
            best = Match(r.key, m[0], m[1])
    return best or _nearest(cell_key, T3_ROWS)


@lru_cache(maxsize=4096)
def t3_row_words(cell_key: str) -> Match | None:
    """A row whose label is printed as its bare words, without numbering or note
    (``予以公开``); too short to be told from a header cell on its own."""
    words = core(cell_key)
    hits = {
        r.key: form for r in T3_ROWS for form in (r.label, *r.variants) if len(words) >= 2 and core(key(form)) == words
    }
    return Match(*hits.popitem(), False) if len(hits) == 1 else None


NEAREST_MIN = 0.8  # similarity of the label's words to the template's …
NEAREST_MARGIN = 0.1  # … and its lead over the next nearest row
_FAR = NEAREST_MIN - NEAREST_MARGIN
_NEAREST_LEN = (5, 48)  # words of a label: shorter is too little to tell, longer is prose


def _nearest(cell_key: str, rows: tuple[T.Row, ...]) -> Match | None:
    """The template row a label with dropped or garbled characters stands for
    (``4.保护第三方权益``): the most similar form, when the numbering agrees,
    the similarity is high and no other row comes close."""
    words = core(cell_key)
    if not _NEAREST_LEN[0] <= len(words) <= _NEAREST_LEN[1]:
        return None
    number = cell_key[: len(cell_key) - len(words)]
    chars = Counter(words)
    scores: dict[str, tuple[float, str]] = {}
    for r in rows:
        for form, fk, ck, ck_chars in forms(r):
            if number and fk != ck and not fk.startswith(number):
                continue
            # difflib's real_quick_ratio and quick_ratio, upper bounds of its ratio: a form below the
            # margin under the threshold can neither be the nearest nor come close to it
            size = len(words) + len(ck)
            if 2.0 * min(len(words), len(ck)) / size < _FAR or 2.0 * (chars & ck_chars).total() / size < _FAR:
                continue
            ratio = SequenceMatcher(None, words, ck).ratio()
            if ratio > scores.get(r.key, (0.0, ""))[0]:
                scores[r.key] = (ratio, form)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1][0])
    if not ranked or ranked[0][1][0] < NEAREST_MIN:
        return None
    if len(ranked) > 1 and ranked[1][1][0] > ranked[0][1][0] - NEAREST_MARGIN:
        return None
    row, (_, form) = ranked[0]
    return Match(row, form, True, f"行标签印为“{cell_key}”，与模板不全同，按最接近的“{form}”读")


T3_COLUMN_KEYS = {key(c.label): c.key for c in T.T3_COLUMNS} | {key(T.T3_SUBTOTAL_COLUMN.label): "legal_persons"}
T3_COLUMN_KEYS |= {key(v): "legal_persons" for v in T.T3_SUBTOTAL_COLUMN.variants}


# ----------------------------------------------------------- table 2 --

T2_ROWS: tuple[T.Row, ...] = tuple({r.key: r for r in (*T.T2_2021, *T.T2_2019)}.values())
T2_COLUMNS: tuple[T.Column, ...] = tuple({c.label: c for r in (*T.T2_2021, *T.T2_2019) for c in r.columns}.values())
_T2_ROW_KEYS = {key(f): r.key for r in (*T.T2_2021, *T.T2_2019) for f in (r.label, *r.variants)}
_T2_IGNORED = {key(h) for h in (*T.T2_BLOCK_HEADERS, *T.T2_HEADER_LABELS)}


@lru_cache(maxsize=4096)
def t2_row(cell_key: str) -> str | None:
    """Row key; 规范性文件 and 行政规范性文件 are told apart by their exact wording."""
    if cell_key in _T2_ROW_KEYS:
        return _T2_ROW_KEYS[cell_key]
    for k, row in _T2_ROW_KEYS.items():
        if cell_key.startswith(k) and len(cell_key) - len(k) <= 6 and row != "regulations":
            return row
    return None


@lru_cache(maxsize=4096)
def t2_column(cell_key: str) -> T.Column | None:
    exact = [c for c in T2_COLUMNS if cell_key in (key(c.label), *map(key, c.variants))]
    if exact:
        return exact[0]
    pref = [c for c in T2_COLUMNS if cell_key.startswith(key(c.label))]
    return max(pref, key=lambda c: len(c.label)) if pref else None


def t2_ignored(cell_key: str) -> bool:
    return cell_key in _T2_IGNORED or cell_key.startswith("第二十条")


# ----------------------------------------------------------- table 4 --

# labels only 表四 prints: the two litigation groups and the results but 其他结果
T4_STRONG = {key(g) for _, g in T.T4_GROUPS[1:]} | {
    key(c.label) for c in T.T4_COLUMNS if c.key in ("upheld", "corrected", "pending")
}


# ------------------------------------------------------ which table --


_CAPTIONS = {key(x) for x in (T.T3_OUTCOME_LABEL, *T.T2_BLOCK_HEADERS)} | {key(g) for g, _ in T.T4_GROUPS}


@lru_cache(maxsize=65536)
def caption(cell_key: str) -> bool:
    """A line that names a row or part of a statistics table (a conversion's
    caption above one group of 表三, ``### （一）予以公开``), not a sub-heading."""
    return cell_key in _CAPTIONS or bool(t3_row(cell_key) or t3_row_words(cell_key) or t2_row(cell_key))


_T3_HEADER = {key(c.label) for c in T.T3_COLUMNS[:5]} | {key(x) for x in T.T3_HEADER_LABELS}
_T3_NOTE = key("(本列数据的勾稽关系")


def table_kind(keys: list[str]) -> str | None:
    """Which of 表二/表三/表四 a set of cell keys belongs to, by label hits."""
    votes = sum(map(_votes, keys))  # the three tables' votes in one number (see _votes)
    hits = {"table2": votes & _MASK, "table3": votes >> _SHIFT & _MASK, "table4": votes >> 2 * _SHIFT}
    kind = max(hits, key=lambda t: hits[t])
    return kind if hits[kind] >= 2 else None


_SHIFT = 32  # bits of each table's count in a packed vote: more than any table's cells
_MASK = (1 << _SHIFT) - 1


@lru_cache(maxsize=65536)
def _votes(k: str) -> int:
    """What one cell key counts for 表二, 表三 and 表四 (kept by key: labels recur), packed in one int
    (表二 the low 32 bits, 表三 the next, 表四 above) so that a table's keys' votes add up in one sum."""
    t2 = bool(t2_row(k) or t2_column(k) or k.startswith("第二十条"))
    t3 = bool(t3_row(k) or k in _T3_HEADER or k.startswith(_T3_NOTE))
    return t2 | t3 << _SHIFT | 2 * (k in T4_STRONG) << 2 * _SHIFT
