"""Word automatic list numbering (``word/numbering.xml``), rendered as printed.

A paragraph is numbered by its own ``w:numPr`` or by its style's. Each
``w:num`` (numId) keeps its own counters per level, starting at the level's
``w:start`` or the num's ``w:startOverride``; using a level restarts the deeper
ones (``w:lvlRestart`` can say otherwise). The label is ``w:lvlText`` with each
``%N`` replaced by level N's counter in that level's ``w:numFmt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PLACEHOLDER = re.compile(r"%([1-9])")
_DIGITS = "零一二三四五六七八九"
_LEGAL = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_COUNTING = (
    "chineseCounting",
    "chineseCountingThousand",
    "japaneseCounting",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
)


def _val(el: etree._Element | None, child: str) -> str | None:
    if el is None:
        return None
    c = el.find(W + child)
    return None if c is None else c.get(W + "val")


def _int(s: str | None) -> int | None:
    try:
        return None if s is None else int(s)
    except ValueError:
        return None


@dataclass(frozen=True)
class Level:
    start: int = 0
    fmt: str = "decimal"
    text: str = ""
    suffix: str = "tab"
    restart: int | None = None  # w:lvlRestart: None = after any shallower level, 0 = never
    legal: bool = False  # w:isLgl: every number decimal


def _level(el: etree._Element) -> Level:
    return Level(
        start=_int(_val(el, "start")) or 0,
        fmt=_val(el, "numFmt") or "decimal",
        text=_val(el, "lvlText") or "",
        suffix=_val(el, "suff") or "tab",
        restart=_int(_val(el, "lvlRestart")),
        legal=el.find(W + "isLgl") is not None,
    )


def chinese(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    for unit, name in ((1000, "千"), (100, "百")):
        if n >= unit:
            head, rest = divmod(n, unit)
            if head >= 10:
                return str(n)
            if not rest:
                return _DIGITS[head] + name
            gap = "零" if rest < unit // 10 else ""
            tail = _DIGITS[1] + chinese(rest) if 10 <= rest < 20 else chinese(rest)
            return _DIGITS[head] + name + gap + tail
    return str(n)


def _letters(n: int) -> str:
    """1 → A, 26 → Z, 27 → AA (Word repeats the letter)."""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def _roman(n: int) -> str:
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")):
        out, n = out + s * (n // v), n % v
    for v, s in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        out, n = out + s * (n // v), n % v
    return out


def _enclosed(n: int, first: int) -> str:
    return chr(first + n - 1) if 1 <= n <= 20 else str(n)


def format_number(n: int, fmt: str) -> str:
    """A counter in a ``w:numFmt`` (unknown formats print as decimal)."""
    if fmt in _COUNTING:
        return chinese(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return chinese(n).translate(_LEGAL)
    if fmt in ("ideographDigital", "taiwaneseDigital"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return _STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _BRANCHES[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _enclosed(n, 0x2460)
    if fmt == "decimalEnclosedParen":
        return _enclosed(n, 0x2474)
    if fmt == "decimalEnclosedFullstop":
        return _enclosed(n, 0x2488)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Num:
    levels: dict[int, Level]
    starts: dict[int, int]  # w:startOverride per level
    counters: dict[int, int]


class Numbering:
    """Counters for one document, advanced paragraph by paragraph in document order."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self._nums: dict[str, _Num] = {}
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self._style_levels: dict[str, int] = {}  # styleId -> ilvl from w:lvl/w:pStyle
        self._default_style: str | None = None
        if numbering is not None:
            self._load_numbering(numbering)
        if styles is not None and self._nums:
            self._load_styles(styles)
        self._numbered_styles = {s for s in self._styles if self._from_style(s)[0] is not None}

    def _load_numbering(self, root: etree._Element) -> None:
        abstract: dict[str, dict[int, Level]] = {}
        for an in root.iter(W + "abstractNum"):
            levels: dict[int, Level] = {}
            for lvl in an.findall(W + "lvl"):
                ilvl = _int(lvl.get(W + "ilvl")) or 0
                levels[ilvl] = _level(lvl)
                style = _val(lvl, "pStyle")
                if style:
                    self._style_levels[style] = ilvl
            abstract[an.get(W + "abstractNumId") or ""] = levels
        for num in root.iter(W + "num"):
            levels = dict(abstract.get(_val(num, "abstractNumId") or "", {}))
            starts: dict[int, int] = {}
            for ov in num.findall(W + "lvlOverride"):
                ilvl = _int(ov.get(W + "ilvl")) or 0
                start = _int(_val(ov, "startOverride"))
                if start is not None:
                    starts[ilvl] = start
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
            self._nums[num.get(W + "numId") or ""] = _Num(levels, starts, {})

    def _load_styles(self, root: etree._Element) -> None:
        for st in root.iter(W + "style"):
            if st.get(W + "type") != "paragraph":
                continue
            sid = st.get(W + "styleId") or ""
            numpr = st.find(f"{W}pPr/{W}numPr")
            num_id = _val(numpr, "numId")
            ilvl = _val(numpr, "ilvl")
            self._styles[sid] = (num_id, ilvl, _val(st, "basedOn"))
            if st.get(W + "default") in ("1", "true", "on"):
                self._default_style = sid

    def _from_style(self, style: str | None) -> tuple[str | None, int | None]:
        num_id: str | None = None
        ilvl: int | None = None
        origin = style
        for _ in range(20):  # basedOn chains are short; a cycle must not hang us
            if style is None or style not in self._styles:
                break
            s_num, s_lvl, based = self._styles[style]
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else _int(s_lvl)
            style = based
        if num_id is not None and ilvl is None and origin is not None:
            ilvl = self._style_levels.get(origin)
        return num_id, ilvl

    def label(self, p: etree._Element) -> str:
        """The printed number of paragraph ``p`` (with its separator), advancing the counters;
        "" when the paragraph is not numbered."""
        if not self._nums:
            return ""
        ppr = p[0] if len(p) and p[0].tag == W + "pPr" else None  # w:pPr is always the first child
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        style = (_val(ppr, "pStyle") if ppr is not None else None) or self._default_style
        if numpr is None and style not in self._numbered_styles:
            return ""
        num_id = _val(numpr, "numId")
        ilvl = _int(_val(numpr, "ilvl"))
        if num_id is None or ilvl is None:
            s_num, s_lvl = self._from_style(style)
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
        num = self._nums.get(num_id or "")
        if num is None:  # numId 0 switches numbering off
            return ""
        ilvl = ilvl or 0
        level = num.levels.get(ilvl)
        if level is None:
            return ""
        self._advance(num, ilvl)
        if level.fmt == "bullet":
            # Symbol/Wingdings bullets sit in the private use area (U+F0B7 is Symbol's •)
            text = "•" if any("\ue000" <= ch <= "\uf8ff" for ch in level.text) else level.text
        else:
            text = _PLACEHOLDER.sub(lambda m: self._render(num, int(m.group(1)) - 1, level.legal), level.text)
        if not text:
            return ""
        gap = " " if level.suffix in ("tab", "space") and text[-1].isalnum() else ""
        return text + gap

    def _start(self, num: _Num, ilvl: int) -> int:
        if ilvl in num.starts:
            return num.starts[ilvl]
        level = num.levels.get(ilvl)
        return level.start if level else 1

    def _advance(self, num: _Num, ilvl: int) -> None:
        if ilvl in num.counters:
            num.counters[ilvl] += 1
        else:
            num.counters[ilvl] = self._start(num, ilvl)
        for deeper in [d for d in num.counters if d > ilvl]:
            restart = num.levels[deeper].restart if deeper in num.levels else None
            if restart is None or (restart > 0 and ilvl <= restart - 1):
                del num.counters[deeper]

    def _render(self, num: _Num, ilvl: int, legal: bool) -> str:
        n = num.counters.get(ilvl, self._start(num, ilvl))
        level = num.levels.get(ilvl)
        fmt = "decimal" if legal or level is None else level.fmt
        return format_number(n, fmt)
