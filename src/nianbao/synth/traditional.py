"""Simplified → traditional characters, for test input."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

# Where the reversed map would pick a rare form: the usual traditional spelling,
# or the character itself where that is also the traditional form in these texts.
_PREFERRED = {
    "干": "幹",
    "台": "臺",
    "里": "裡",
    "后": "後",
    "发": "發",
    "复": "復",
    "当": "當",
    "苏": "蘇",
    "采": "採",
}
_PREFERRED |= {"镇": "鎮"} | {c: c for c in "出升卷合同家局布志扎查核秘制系逾群只面"}


@lru_cache(maxsize=1)
def _s2t() -> dict[int, str]:
    text = resources.files("nianbao").joinpath("data/t2s.txt").read_text(encoding="utf-8")
    trad, simp = text.splitlines()[1:3]
    table: dict[int, str] = {}
    for t, s in zip(trad, simp, strict=True):
        if t != s and ord(s) not in table:
            table[ord(s)] = t
    for s, t in _PREFERRED.items():
        if s != t:
            table[ord(s)] = t
        else:
            table.pop(ord(s), None)
    return table


def to_traditional(text: str) -> str:
    """Simplified → traditional by reversing the OpenCC map (test input only:
    the reversal of a many-to-one map picks one traditional form)."""
    return text.translate(_s2t())
