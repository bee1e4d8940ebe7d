"""Agency names for matching: region prefixes split off consistently, and the level of government;
:func:`consecutive` and :func:`same_year`, the one way reports of an agency are paired; :func:`canonical`,
each name's canonical form (simplified, with the full region prefix) and its region chain.

``北京市西城区城市管理指挥中心`` and ``西城区城市管理指挥中心`` are the same agency: both
have the core ``城市管理指挥中心`` and compatible places (``西城区`` ends
``北京市/西城区``). ``北京市朝阳区…`` and ``长春市朝阳区…`` are not."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from nianbao.normalize import key, simplified, squash

_CJK = r"[\u4e00-\u9fff]"
# These four match a name's run of CJK characters only (_run), where any character is one: "." stands for
# _CJK, which re compiles slowly (≈ 0.5 ms each time it is written; 9 times here, every check pays them).
_ANY = "."
_PROVINCE = re.compile(rf"^(北京市|天津市|上海市|重庆市|{_ANY}{{2,3}}省|{_ANY}{{2,6}}?自治区)")
_CITY = re.compile(rf"^({_ANY}{{2,4}}?(?:市|地区|盟)|{_ANY}{{2,10}}?自治州)(?={_ANY}{{1,9}}?(?:区|县|旗|市))")
# a county: not 区级/县级…, nor …市场/市级 (but 区民政局, 市民政局, 区委宣传部 are bodies of their area)
_COUNTY = re.compile(
    rf"^({_ANY}{{2,9}}?自治[县旗]|{_ANY}{{1,4}}?(?<!自治)(?:区|县|旗)(?!级)|{_ANY}{{2,4}}?市(?!场|级))"
)
_TOWN = re.compile(rf"{_ANY}{{1,6}}?(乡|镇|街道)(人民政府|政府|办事处|街道办事处)?$")
# a region's town; compiled (≈ 0.5 ms) by re.match on first use: a report's check never needs it
_TOWN_HEAD = rf"^{_CJK}{{1,6}}?(?:街道|镇|乡)(?=人民政府|政府|办事处|$)"
_PREFECTURES = Path(__file__).parent.parent / "data" / "prefectures.tsv"  # package data, in the wheel too
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


def _places(s: str, whole: bool = False) -> tuple[tuple[str, ...], str]:
    """The places (province, city, county) at the start of ``s`` and the rest; a place must
    leave something after it unless ``whole`` (``s`` is a region, not an agency)."""
    places: list[str] = []
    head = _run(s)
    for pat in (_PROVINCE, _CITY, _COUNTY):
        m = pat.match(head)
        if m and (whole or len(s) > m.end()):
            places.append(m.group(1))
            s, head = s[m.end() :], head[m.end() :]
    return tuple(places), s


def _run(s: str, last: bool = False) -> str:
    """The CJK characters (``[\\u4e00-\\u9fff]``) at the start of ``s`` (its end if ``last``), as many as
    there are in a row."""
    chars = reversed(s) if last else s
    n = next((i for i, ch in enumerate(chars) if not "\u4e00" <= ch <= "\u9fff"), len(s))
    return s[len(s) - n :] if last else s[:n]


@lru_cache(maxsize=4096)
def parse(name: str) -> Agency:
    """Split an agency name into its places (province, city, county) and the rest."""
    places, s = _places(key(name))
    for g in _GOV:
        if s.endswith(g):
            s = s[: -len(g)] + "政府"
            break
    return Agency(places, s)


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
    if _TOWN.search(_run(ag.core, last=True)) and ag.core.endswith(("政府", "办事处", "乡", "镇", "街道")):
        return "town"
    last = ag.places[-1] if ag.places else ""
    if last.endswith(("区", "县", "旗")) and not last.endswith("自治区"):
        return "county"
    return None


def _by_core(items: Iterable[T], name: Callable[[T], str | None]) -> Iterator[list[T]]:
    groups: dict[str, list[T]] = {}
    for it in items:
        n = name(it)
        if n:
            groups.setdefault(parse(n).core, []).append(it)
    return iter(groups.values())


def consecutive(
    items: Iterable[T], name: Callable[[T], str | None], year: Callable[[T], int | None]
) -> Iterator[tuple[T, T]]:
    """(year Y−1, year Y) pairs of the same agency (:func:`same`) among ``items``."""
    for a, b in _paired(items, name, year, 1):
        yield (a, b) if year(a) < year(b) else (b, a)  # both years known: _paired pairs only those


def same_year(
    items: Iterable[T], name: Callable[[T], str | None], year: Callable[[T], int | None]
) -> Iterator[tuple[T, T]]:
    """Pairs (in input order) of the same agency (:func:`same`) and the same year among ``items``."""
    return _paired(items, name, year, 0)


def _paired(
    items: Iterable[T], name: Callable[[T], str | None], year: Callable[[T], int | None], gap: int
) -> Iterator[tuple[T, T]]:
    """Pairs (in input order, grouped by the names' core) of the same agency whose years are
    ``gap`` apart. Each item is compared only with those of its core in those years that end with
    its last place or have none (what :func:`same` requires): near-linear, where all pairs of a
    core (every 人民政府 of a province) would be quadratic."""
    for group in _by_core(items, name):
        years = [year(it) for it in group]
        lasts = [next(iter(parse(name(it) or "").places[-1:]), "") for it in group]
        index: dict[tuple[int, str | None], list[int]] = {}  # (year, last place) -> positions; (year, None): all
        for pos, (y, last) in enumerate(zip(years, lasts, strict=True)):
            if y is not None:
                index.setdefault((y, last), []).append(pos)
                index.setdefault((y, None), []).append(pos)
        for i, (ya, last) in enumerate(zip(years, lasts, strict=True)):
            if ya is None:
                continue
            keys = [(y, p) for y in {ya - gap, ya + gap} for p in ((last, "") if last else (None,))]
            for j in sorted({j for k in keys for j in index.get(k, ()) if j > i}):
                if same(name(group[i]), name(group[j])):
                    yield group[i], group[j]


def is_province(place: str) -> bool:
    """Whether ``place`` is a province-level name (省, 自治区, 北京市 …)."""
    k = key(place)
    return _run(k) == k and bool(_PROVINCE.fullmatch(k))


def display(name: str) -> str:
    """A name as shown: simplified characters, no spaces."""
    return simplified(squash(name)).replace(" ", "")


@lru_cache(maxsize=1)
def _provinces() -> dict[str, str]:
    """Each prefecture-level division (地级市, 地区, 自治州, 盟; the four municipalities as their own)
    → its province-level division, from ``data/prefectures.tsv``; a name under two is left out."""
    text = _PREFECTURES.read_text(encoding="utf-8")
    seen: dict[str, set[str]] = {}
    for line in text.splitlines():
        prov, cities = line.split("\t")
        for city in cities.split():
            seen.setdefault(city, set()).add(prov)
    return {city: provs.pop() for city, provs in seen.items() if len(provs) == 1}


def _from_province(places: tuple[str, ...]) -> tuple[str, ...]:
    """``places`` with its province in front when they start at a known prefecture
    (``广州市/天河区`` → ``广东省/广州市/天河区``)."""
    province = _provinces().get(places[0]) if places else None
    return (province,) + places if province and province != places[0] else places


def region_chain(region: str) -> tuple[str, ...]:
    """A region written out (``北京市西城区宋庄镇``) as its levels: 省 › 市 › 区县 › 乡镇街道; one
    that starts at a prefecture (``广州市天河区``) gets its province."""
    places, rest = _places(key(region), whole=True)
    places = _from_province(places)
    town = re.match(_TOWN_HEAD, rest)
    return places + (town.group(0),) if town else places if places or not rest else (rest,)


@dataclass(frozen=True)
class Canonical:
    name: str  # simplified, with the full region prefix when it is known without doubt
    chain: tuple[str, ...]  # its region: 省 › 市 › 区县 › 乡镇街道, as far as the name says, a prefecture's province
    candidates: tuple[str, ...] = ()  # the full prefixes a short prefix may stand for, when several


def canonical(names: Iterable[str], regions: Iterable[str] = ()) -> dict[str, Canonical]:
    """Each name's canonical form. A prefix that is not the whole region (``西城区…``) is
    completed when exactly one longer prefix ending with it (``北京市西城区``) is found among
    ``names`` and ``regions`` (the regions the reports name); with several it stays as printed
    and the candidates are given."""
    names = [n for n in dict.fromkeys(names) if n]
    split = {n: _places(key(display(n))) for n in names}
    known = {p for p, _ in split.values() if p} | {p for r in regions if r and (p := _places(key(r), True)[0])}
    ending: dict[tuple[str, ...], set[tuple[str, ...]]] = {}  # a prefix → the longer ones ending with it
    for f in known:
        for i in range(1, len(f)):
            ending.setdefault(f[i:], set()).add(f)
    out = {}
    for n in names:
        places, _ = split[n]
        shown = display(n)
        rest = shown[len("".join(places)) :] if key(shown).startswith("".join(places)) else split[n][1]
        longer = ending.get(places, set()) if places else set()
        full = {f for f in longer if not ending.get(f, set()) & longer}
        if len(full) == 1:
            places = full.pop()
        town = re.match(_TOWN_HEAD, key(rest))
        out[n] = Canonical(
            "".join(places) + rest,
            _from_province(places) + ((town.group(0),) if town else ()),
            tuple(sorted("".join(f) for f in full)),
        )
    return out
