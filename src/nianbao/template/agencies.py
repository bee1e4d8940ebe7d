"""Agency names for matching: region prefixes split off consistently, and the level of government;
:func:`consecutive`, the one way reports of an agency are paired across years.

``北京市西城区城市管理指挥中心`` and ``西城区城市管理指挥中心`` are the same agency: both
have the core ``城市管理指挥中心`` and compatible places (``西城区`` ends
``北京市/西城区``). ``北京市朝阳区…`` and ``长春市朝阳区…`` are not."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import TypeVar

from nianbao.normalize import key

_CJK = r"[\u4e00-\u9fff]"
_PROVINCE = re.compile(rf"^(北京市|天津市|上海市|重庆市|{_CJK}{{2,3}}省|{_CJK}{{2,6}}?自治区)")
_CITY = re.compile(rf"^({_CJK}{{2,4}}?(?:市|自治州|地区|盟))(?={_CJK}{{1,5}}?(?:区|县|旗|市))")
_COUNTY = re.compile(rf"^({_CJK}{{1,4}}?(?<!自治)(?:区|县|旗)|{_CJK}{{2,4}}?市)(?!场|民|委|级)")
_TOWN = re.compile(rf"{_CJK}{{1,6}}?(乡|镇|街道)(人民政府|政府|办事处|街道办事处)?$")
_GOV = ("人民政府", "政府")
T = TypeVar("T")


@dataclass(frozen=True)
class Agency:
    places: tuple[str, ...]  # e.g. ("北京市", "西城区")
    core: str  # e.g. "城市管理指挥中心"; a government's core is "政府"

    @property
    def key(self) -> str:
        return "/".join(self.places + (self.core,))

    @property
    def is_government(self) -> bool:
        """The 本级政府 itself (whose report aggregates the area), not a department or a town."""
        return self.core == "政府"


@lru_cache(maxsize=4096)
def parse(name: str) -> Agency:
    """Split an agency name into its places (province, city, county) and the rest."""
    s = key(name)
    places: list[str] = []
    for pat in (_PROVINCE, _CITY, _COUNTY):
        m = pat.match(s)
        if m and len(s) > m.end():
            places.append(m.group(1))
            s = s[m.end() :]
    for g in _GOV:
        if s.endswith(g):
            s = s[: -len(g)] + "政府"
            break
    return Agency(tuple(places), s)


def same(a: str | None, b: str | None) -> bool:
    """Whether two names denote the same agency (places compatible: one ends the other)."""
    if not a or not b:
        return False
    x, y = parse(a), parse(b)
    if x.core != y.core:
        return False
    short, long = sorted((x.places, y.places), key=len)
    return long[len(long) - len(short) :] == short


def within(unit: str, area: str) -> bool:
    """Whether ``unit`` is a body of the government ``area`` (same places, not the government)."""
    u, a = parse(unit), parse(area)
    if u.is_government or not a.is_government or not a.places:
        return False
    short, long = sorted((u.places, a.places), key=len)
    return bool(short) and long[len(long) - len(short) :] == short and u.places[-1:] == a.places[-1:]


@lru_cache(maxsize=4096)
def level(name: str | None) -> str | None:
    """'town' for a 乡/镇/街道, 'county' for a county-level government or department, else None."""
    if not name:
        return None
    ag = parse(name)
    if _TOWN.search(ag.core) and ag.core.endswith(("政府", "办事处", "乡", "镇", "街道")):
        return "town"
    last = ag.places[-1] if ag.places else ""
    if last.endswith(("区", "县", "旗")) and not last.endswith("自治区"):
        return "county"
    return None


def same_core(items: Iterable[T], name: Callable[[T], str | None]) -> Iterator[tuple[T, T]]:
    """Pairs of items (in input order) whose agency names have the same core: the only
    candidates for :func:`same`, so large sets are not compared pair by pair."""
    groups: dict[str, list[T]] = {}
    for it in items:
        n = name(it)
        if n:
            groups.setdefault(parse(n).core, []).append(it)
    for group in groups.values():
        yield from combinations(group, 2)


def consecutive(
    items: Iterable[T], name: Callable[[T], str | None], year: Callable[[T], int | None]
) -> Iterator[tuple[T, T]]:
    """(year Y−1, year Y) pairs of the same agency (:func:`same`) among ``items``."""
    for a, b in same_core(items, name):
        ya, yb = year(a), year(b)
        if ya is None or yb is None or abs(ya - yb) != 1 or not same(name(a), name(b)):
            continue
        yield (a, b) if ya < yb else (b, a)
