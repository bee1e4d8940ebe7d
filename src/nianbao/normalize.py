"""Text normalisation for matching: full-width → half-width (NFKC), traditional →
simplified (character by character, so lengths are kept), odd spaces → space.

The original text is always kept for display; these forms are only compared."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_SPACE = re.compile("[\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff\t\r\f\v]")  # each → " "
_SQUASH = re.compile(r"[\s\u200b\ufeff]+")  # \s plus the two of _SPACE that are not whitespace
_DIGIT = re.compile(r"\d")
_DROP = re.compile(r"[\s“”‘’\"'`「」『』《》〈〉]+")  # spaces, line breaks and quotes, left out of a key


@lru_cache(maxsize=1)
def _t2s() -> dict[int, str]:
    # package data read as a file: importlib.resources imports tempfile, shutil, random… (≈ 3 ms)
    text = (Path(__file__).parent / "data" / "t2s.txt").read_text(encoding="utf-8")
    trad, simp = text.splitlines()[1:3]
    return {ord(t): s for t, s in zip(trad, simp, strict=True)}


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Full-width digits/punctuation → ASCII, traditional → simplified, any space → ' '."""
    s = _SPACE.sub(" ", s)  # a dict translate looks up every character: 2× slower
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s).translate(_t2s())
    return s


def simplified(s: str) -> str:
    """Traditional characters → simplified; nothing else changes."""
    return s.translate(_t2s())


@lru_cache(maxsize=4096)
def key(s: str) -> str:
    """The matching form of a label: folded, without spaces, line breaks or quotes."""
    return _DROP.sub("", fold(s)).lower()


def squash(s: str) -> str:
    """Collapse runs of whitespace (and zero-width spaces, BOMs) to one space and strip."""
    return _SQUASH.sub(" ", s).strip()  # one pass: the dict translate cost 3× more


def has_digit(s: str) -> bool:
    """Whether ``s`` holds a (Unicode decimal) digit."""
    return bool(_DIGIT.search(s))
