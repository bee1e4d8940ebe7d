"""Rules over several reports: carry-over and stock between years, copied text, roll-ups, duplicates."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from nianbao.check.registry import finding, rule
from nianbao.model import Diagnostic, Report
from nianbao.normalize import key
from nianbao.template import SECTIONS, SectionSpec, agencies, edition, path_label
from nianbao.template.relations import CARRYOVER, COL_LABEL, ROW_SHORT, fmt, rollup_cells, stock_expected

SIMILAR = 0.85  # shingle Jaccard from which two texts count as nearly identical
MIN_CHARS = 80  # shorter sections (one-line 六) are boilerplate, not copying
SHINGLE = 3


def _files(*reports: Report) -> tuple[str, ...]:
    return tuple(r.source.file for r in reports)


def _name(r: Report) -> str:
    return f"{r.year}年“{r.agency}”（{r.source.file}）"


def _duplicate(a: Report, b: Report) -> bool:
    return a.source.sha256 == b.source.sha256 or (a.year == b.year and agencies.same(a.agency, b.agency))


def _agency(r: Report) -> str | None:
    return r.agency


def _year(r: Report) -> int | None:
    return r.year


def consecutive(reports: list[Report]) -> Iterator[tuple[Report, Report]]:
    """(year Y−1, year Y) pairs of the same agency."""
    return agencies.consecutive(reports, _agency, _year)


@rule("CARRYOVER", "warning", "上年结转与上一年度的结转下年度不符", across=True)
def carryover(reports: list[Report]) -> Iterator[Diagnostic]:
    """同一机关：第Y年表三“二、上年结转”应等于第Y−1年“四、结转下年度继续办理”，逐列相同。

    反例：2023年报告 四、结转下年度·总计=40，2024年报告 二、上年结转·总计=42。
    正例：2023年报告 四、结转下年度·总计=42，2024年报告 二、上年结转·总计=42。
    """
    for prev, cur in consecutive(reports):
        diff = []
        for col, out, into in CARRYOVER:
            was, now = prev.value(out), cur.value(into)
            if was is not None and now is not None and was != now:
                diff.append((col, out, into, was, now))
        if diff:
            listed = "，".join(f"{COL_LABEL[c]}{fmt(now)}≠{fmt(was)}" for c, _, _, was, now in diff)
            into_name, out_name = ROW_SHORT["carried_over"], ROW_SHORT["carried_forward"]
            msg = f"{_name(cur)}的“{into_name}”与{_name(prev)}的“{out_name}”不符：{listed}"
            cells = [p for _, out, into, _, _ in diff for p in (out, into)]
            yield finding("CARRYOVER", msg, cur, cells, files=_files(prev, cur), columns=[d[0] for d in diff])


@rule("STOCK-CONTINUITY", "info", "表二存量与上一年度不衔接", across=True)
def stock_continuity(reports: list[Report]) -> Iterator[Diagnostic]:
    """同一机关相邻两年：2021年版 现行有效件数[Y] = 现行有效件数[Y−1] + 本年制发件数[Y] − 本年废止件数[Y]；2019年版 上一年项目数量[Y] = 上一年项目数量[Y−1] + 本年增/减[Y−1]，对外公开总数量同理。

    反例：2023年 行政规范性文件现行有效110件；2024年制发20件、废止12件，现行有效121件（应为118）。
    正例：2023年 现行有效110件；2024年制发20件、废止12件，现行有效118件。
    """
    for prev, cur in consecutive(reports):
        if prev.edition != cur.edition or cur.edition not in ("2021", "2019"):
            continue
        for path, expected, terms in stock_expected(edition(cur.edition), prev.value, cur.value, prev.year):
            now = cur.value(path)
            if now is not None and abs(now - expected) > 1e-6:
                msg = f"{path_label(path)}：{cur.year}年为{fmt(now)}，但{terms}={fmt(expected)}"
                yield finding("STOCK-CONTINUITY", msg, cur, (path,), files=_files(prev, cur), expected=expected)


TEXT_SECTIONS = tuple(s for s in SECTIONS if s.key in ("overview", "problems", "other"))
_DIGITS = re.compile(r"\d+")


def masked(text: str) -> str:
    """The matching form of a text with every run of digits as one '0' (years change, text stays)."""
    return _DIGITS.sub("0", key(text))


@lru_cache(maxsize=512)  # every text of a small set; a large one only needs those just compared
def _shingles(masked_text: str) -> frozenset[str]:
    s = masked_text
    return frozenset(s[i : i + SHINGLE] for i in range(max(len(s) - SHINGLE + 1, 0)))


def _jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    if not x or not y or min(len(x), len(y)) / max(len(x), len(y)) < SIMILAR:
        return 0.0  # Jaccard ≤ size ratio: cannot reach the threshold
    inter = len(x & y)
    return inter / (len(x) + len(y) - inter)


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' character shingles (digits masked), 0–1."""
    return _jaccard(_shingles(masked(a)), _shingles(masked(b)))


@rule("DUPLICATE-TEXT", "warning", "一、五、六部分与往年或其他机关的报告雷同", across=True)
def duplicate_text(reports: list[Report]) -> Iterator[Diagnostic]:
    """“一、总体情况”“五、存在的主要问题及改进情况”“六、其他需要报告的事项”不得与本机关上一年或其他机关的报告雷同。几份报告的同一部分雷同时，较晚的每一份各记一条，指明原文和另有几份报告与之相似：本机关上一年的报告在相似的报告之中时，原文是它（年年雷同），否则是最早的一份（按年度、落款日期，再按机关名和内容哈希排定，与给出的先后无关）；本机关不相邻年度的报告、同一份报告的两个文件不算雷同。

    反例：2025年“五、存在的主要问题及改进情况”与2024年同一段文字只改了年份（相似度98%）；三个机关2024年的“一、总体情况”一字不差，落款较晚的两份各记一条，都指向落款最早的那份；某机关2024年照抄本机关2023年的文字，而另一机关2022年的报告与之相似度92%，2024年记为与2023年雷同（相似度100%），不记为与2022年那份雷同。
    正例：2025年第五部分写本年实际发现的问题和针对性的改进举措。
    """
    for s in TEXT_SECTIONS:
        groups, near = similar_texts(reports, s.key)
        shared = [k for k, g in enumerate(groups) if len(g) > 1 or k in near]
        order = {id(r): _order(r) for k in shared for r in groups[k]}
        for k in shared:
            groups[k].sort(key=lambda r: order[id(r)])
        years = {k: _by_agency_year(groups[k]) for k in shared}
        found = []
        for k in shared:
            alike = [(k, 1.0), *near.get(k, ())]
            similar = sum(len(groups[m]) for m, _ in alike) - 1
            for b in groups[k]:
                sources = [(a, sim) for m, sim in alike if (a := _last_year(years[m], b))]
                sources = sources or [(a, sim) for m, sim in alike if (a := _source(groups[m], b, order))]
                if sources:
                    a, sim = min(sources, key=lambda p: order[id(p[0])])
                    found.append((order[id(b)], _copied(b, s, sim, a, similar)))
        yield from (d for _, d in sorted(found, key=lambda f: f[0]))


def _order(r: Report) -> tuple[bool, int, str, str, str, str]:
    """Which of two reports came first, whatever order they are given in: year (unknown last), 落款
    date (unknown last), then agency and content hash."""
    agency = agencies.parse(r.agency).key if r.agency else ""
    return (r.year is None, r.year or 0, r.published or "9", agency, r.source.sha256, r.source.file)


def _source(group: list[Report], b: Report, order: dict[int, tuple[bool, int, str, str, str, str]]) -> Report | None:
    """The earliest report of ``group`` (sorted by :func:`_order`) before ``b`` whose text ``b``'s
    may be a copy of: not the same report twice, nor the same agency but in the year before."""
    for a in group:
        if order[id(a)] >= order[id(b)]:
            return None
        same = agencies.same(a.agency, b.agency)
        if not _duplicate(a, b) and not (same and (a.year is None or b.year is None or abs(a.year - b.year) != 1)):
            return a
    return None


def _by_agency_year(group: list[Report]) -> dict[tuple[str, int], list[Report]]:
    """The reports of ``group`` (in its order) by agency core (:func:`agencies.same` needs the same) and year."""
    index: dict[tuple[str, int], list[Report]] = {}
    for r in group:
        if r.agency and r.year is not None:
            index.setdefault((agencies.parse(r.agency).core, r.year), []).append(r)
    return index


def _last_year(index: dict[tuple[str, int], list[Report]], b: Report) -> Report | None:
    """The first report in ``index`` (:func:`_by_agency_year`) of ``b``'s own agency in the year before."""
    if not b.agency or b.year is None:
        return None
    for a in index.get((agencies.parse(b.agency).core, b.year - 1), ()):
        if agencies.same(a.agency, b.agency) and not _duplicate(a, b):
            return a
    return None


def _copied(b: Report, s: SectionSpec, sim: float, a: Report, similar: int) -> Diagnostic:
    kind = "与上一年雷同" if agencies.same(a.agency, b.agency) else "与其他机关的报告雷同"
    more = f"；另有{similar - 1}份报告的这一部分也与之相似" if similar > 1 else ""
    msg = f"{_name(b)}的“{s.number}、{s.title}”与{_name(a)}相似度{sim:.0%}（{kind}）{more}"
    where = b.sections[s.key].location
    return finding("DUPLICATE-TEXT", msg, b, (f"sections.{s.key}",), files=_files(a, b), location=where,
                   similarity=round(sim, 3), section=s.key, similar_reports=similar)  # fmt: skip


def similar_texts(reports: list[Report], section: str) -> tuple[list[list[Report]], dict[int, list[tuple[int, float]]]]:
    """The reports whose ``section`` is long enough to compare, grouped by its text with digits
    masked (groups in order of shingle count), and for each group the others whose text is
    nearly identical (shingle Jaccard ≥ ``SIMILAR``), with the similarity.

    Each group is compared only with the groups of similar size (Jaccard ≤ the ratio of the
    sizes) that :func:`_candidates` proposes."""
    groups: dict[str, list[Report]] = {}
    for r in reports:
        sec = r.sections.get(section)
        if sec is not None and len("".join(sec.text.split())) >= MIN_CHARS:
            groups.setdefault(masked(sec.text), []).append(r)
    sized = sorted((len(_shingles(t)), t) for t in groups)
    near: dict[int, list[tuple[int, float]]] = {}
    for k, m in _candidates(sized):
        sim = _jaccard(_shingles(sized[k][1]), _shingles(sized[m][1]))
        if sim >= SIMILAR:
            near.setdefault(k, []).append((m, sim))
            near.setdefault(m, []).append((k, sim))
    return [groups[t] for _, t in sized], near


LSH_FROM = 400  # distinct texts from which MinHash LSH proposes the pairs (importing datasketch costs 0.75 s CPU)
LSH_BANDS, LSH_ROWS = 32, 4  # a pair at Jaccard 0.85 is missed with probability (1 − 0.85⁴)³² ≈ 6·10⁻¹¹


def _candidates(sized: list[tuple[int, str]]) -> Iterator[tuple[int, int]]:
    """Pairs (k, m), k < m in order, of the texts ``sized`` (shingle count, text; sorted) close enough
    in size to reach Jaccard ``SIMILAR``. From ``LSH_FROM`` texts on, only those that MinHash LSH
    over their shingles puts in one bucket (near-linear instead of every pair); the caller tests
    each exactly."""
    near = _lsh([t for _, t in sized]) if len(sized) >= LSH_FROM else None
    for k, (n, _) in enumerate(sized):
        for m in range(k + 1, len(sized)) if near is None else sorted(m for m in near(k) if m > k):
            if n < SIMILAR * sized[m][0]:
                break
            yield k, m


def _lsh(texts: list[str]) -> Callable[[int], list[int]]:
    """A lookup from a text's index to the indexes of the texts sharing a MinHash LSH bucket with it:
    datasketch's MinHash of each text's shingles, ``LSH_BANDS`` bands of ``LSH_ROWS`` values each,
    two texts in one bucket when a band is equal (sorted with numpy, as datasketch's MinHashLSH
    index would put them, without its per-band Python dictionaries)."""
    import numpy as np
    from datasketch import MinHash  # imported only for large sets

    def hashes(text: str) -> list[int]:  # each shingle's code points as one integer, mixed to 32 bits
        c = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        n = len(c) - SHINGLE + 1
        x = sum((c[i : i + n] << np.uint64(21 * (SHINGLE - 1 - i)) for i in range(SHINGLE)), np.uint64(0))
        return ((x * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)).tolist()

    minhashes = MinHash.generator(map(hashes, texts), num_perm=LSH_BANDS * LSH_ROWS, hashfunc=int)
    signatures = np.stack([m.hashvalues for m in minhashes]).reshape(len(texts), LSH_BANDS, LSH_ROWS)
    near: dict[int, set[int]] = {}
    for band in np.ascontiguousarray(signatures.transpose(1, 0, 2)):
        keys = band.view(np.dtype((np.void, band.itemsize * LSH_ROWS))).ravel()  # one key per text
        order = np.argsort(keys, kind="stable")
        same = keys[order][1:] == keys[order][:-1]  # each sorted text in the bucket of the one before
        bucket = np.concatenate(([0], np.cumsum(~same)))
        shared = np.flatnonzero(np.concatenate(([False], same)) | np.concatenate((same, [False])))
        for members in np.split(order[shared], np.flatnonzero(np.diff(bucket[shared])) + 1):
            ks = set(members.tolist())
            for k in ks:
                near.setdefault(k, set()).update(ks)
    return lambda k: list(near.get(k, ()))


def _largest(units: list[Report], path: str, n: int = 3) -> str:
    """'（其中A 800、B 700）': the units adding most to a cell."""
    vals = sorted(((u.value(path), u.agency) for u in units if u.value(path)), key=lambda va: -va[0])
    listed = "、".join(f"{a}{fmt(v)}" for v, a in vals[:n])
    return f"（其中{listed}{'等' if len(vals) > n else ''}）" if listed else ""


def rollup(total: Report, units: Iterable[Report], complete: bool = False) -> Iterator[Diagnostic]:
    """ROLLUP findings for one aggregated report against its unit reports of the same year, over
    ``rollup_cells`` (what happened in the year).

    With ``complete=False`` (the units given may be only some of the area's, and the 本级 report
    may count only its own applications) only units adding up to more than the aggregate are a
    finding; a unit's blank then counts as nothing (the cells are never negative, so the known
    values already bound the sum). With ``complete=True`` any difference is, where no unit is blank."""
    units = list(units)
    if not units:
        return
    diff = []
    for p in rollup_cells(edition(total.edition).name):
        agg, vals = total.value(p), [u.value(p) for u in units]
        known = [v for v in vals if v is not None]
        if agg is None or not known or (complete and len(known) < len(vals)):
            continue
        s = sum(known)
        if s > agg + 1e-6 or (complete and abs(s - agg) > 1e-6):
            diff.append((p, agg, s))
    if diff:
        listed = "；".join(
            f"{path_label(p)}汇总{fmt(agg)}，单位合计{fmt(s)}{_largest(units, p)}" for p, agg, s in diff[:5]
        )
        more = f"等{len(diff)}处" if len(diff) > 5 else ""
        msg = f"{_name(total)}的汇总数与{len(units)}份所属单位报告之和不符：{listed}{more}"
        yield finding("ROLLUP", msg, total, [p for p, _, _ in diff], files=_files(total, *units), cells_diff=len(diff))


@rule("ROLLUP", "warning", "本级政府汇总报告与所属单位报告之和不符", across=True)
def rollup_rule(reports: list[Report]) -> Iterator[Diagnostic]:
    """本级政府的汇总报告应反映本行政区域全貌：表三、表四的每一格和表二的处理决定数、收费金额，所属单位报告之和都不能超过汇总数（所给单位齐全时应相等）。规章、规范性文件和现行有效件数等存量由各机关自计，不比。

    反例：“北京市西城区人民政府”2024年汇总 一、本年新收·总计=1400，而所给西城区各单位报告合计1500。
    正例：汇总报告 一、本年新收·总计=1400，所给各单位报告合计不超过1400。
    """
    by_place: dict[tuple[int | None, str], list[Report]] = {}  # (year, last place) -> reports, in input order
    for u in reports:
        if u.agency and (places := agencies.parse(u.agency).places):
            by_place.setdefault((u.year, places[-1]), []).append(u)
    for g in reports:
        if g.agency and (ag := agencies.parse(g.agency)).is_government and ag.places:
            near = by_place.get((g.year, ag.places[-1]), [])  # within() requires the same last place
            yield from rollup(g, [u for u in near if agencies.within(u.agency or "", g.agency)])


@rule("DUPLICATE-REPORT", "info", "同一份报告给了两次", across=True)
def duplicate_report(reports: list[Report]) -> Iterator[Diagnostic]:
    """同一份报告（内容哈希相同，或机关和年度相同）只应出现一次。

    反例：同时给出 xicheng-2024.txt 和 xicheng-2024.pdf，二者都是“北京市西城区人民政府”2024年度报告。
    正例：每个机关每个年度只给一份报告。
    """
    by_hash: dict[str, Report] = {}
    for b in reports:
        if (a := by_hash.setdefault(b.source.sha256, b)) is not b:
            msg = f"{b.source.file}与{a.source.file}内容完全相同（sha256相同）"
            yield finding("DUPLICATE-REPORT", msg, b, files=_files(a, b), sha256=b.source.sha256)
    for a, b in agencies.same_year(reports, _agency, _year):
        if a.source.sha256 != b.source.sha256:
            msg = f"{b.source.file}与{a.source.file}同为{b.year}年度“{b.agency}”的报告"
            yield finding("DUPLICATE-REPORT", msg, b, files=_files(a, b), sha256=b.source.sha256)
