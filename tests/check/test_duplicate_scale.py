"""The cross-report rules at scale give the findings of the direct comparison: DUPLICATE-TEXT with
MinHash LSH proposing the pairs against every pair compared, and the same in any input order; the
agency-year index of ``consecutive`` and ``same_year`` against every pair; ROLLUP's index of
reports by year and place against every report."""

from __future__ import annotations

import random
from itertools import combinations

import pytest

from nianbao.check import across
from nianbao.template import agencies
from tests.builders import case_report

CHARS = "政府信息公开工作年度报告本机关坚持以为常态不例外认真落实条例完善主动目录规范依申请办理流程加强保密审查"
PLACES = ["北京市西城区", "北京市东城区", "西城区", "天津市和平区", "", "上海市黄浦区", "黄浦区"]
CORES = ["人民政府", "教育局", "城市管理指挥中心"]


def _corpus(n: int, seed: int) -> list:
    """Random prose, a third of the texts copied from an earlier report with 0–12 % of the characters
    changed (around the 0.85 threshold), agencies sharing cores over several places and years; a
    tenth of the reports the next year of an earlier one, same agency and texts."""
    rng = random.Random(seed)
    texts: list[str] = []
    reports = []
    for i in range(n):
        sections = {}
        for s in ("overview", "problems", "other"):
            if texts and rng.random() < 0.33:
                chars = list(rng.choice(texts))
                for _ in range(rng.randint(0, len(chars) // 8)):
                    chars[rng.randrange(len(chars))] = rng.choice(CHARS)
                text = f"{rng.randint(2019, 2025)}年" + "".join(chars)
            else:
                text = "".join(rng.choice(CHARS) for _ in range(rng.randint(60, 160)))
            texts.append(text)
            sections[s] = text
        agency, year = rng.choice(PLACES) + rng.choice(CORES), rng.randint(2019, 2025)
        if reports and rng.random() < 0.1:  # the same agency's next year, its texts unchanged
            prev = rng.choice(reports)
            agency, year, sections = prev.agency, prev.year + 1, {s: prev.sections[s].text for s in sections}
        spec = {"file": f"r{i}.txt", "agency": agency, "year": year, "sections": sections}
        spec["cells"] = {"table3.new_received.total": rng.randint(0, 30)}
        reports.append(case_report(spec))
    return reports


def _found(reports: list) -> list[tuple]:
    return [(d.file, d.message, d.files, d.cells) for d in across.duplicate_text(reports)]


@pytest.mark.parametrize("seed", [1, 2])
def test_lsh_finds_what_every_pair_finds(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    reports = _corpus(300, seed)
    monkeypatch.setattr(across, "LSH_FROM", 10**9)
    every_pair = _found(reports)
    monkeypatch.setattr(across, "LSH_FROM", 2)
    assert _found(reports) == every_pair
    assert len(every_pair) > 10  # copies near the threshold were found, and compared


def test_agency_year_index_pairs_as_every_pair() -> None:
    reports = _corpus(400, 3)
    name, year = (lambda r: r.agency), (lambda r: r.year)
    core = {id(r): agencies.parse(r.agency).core for r in reports}  # pairs come grouped by core, in input order
    every_pair = sorted(combinations(reports, 2), key=lambda p: list(core.values()).index(core[id(p[0])]))
    same = [(a, b) for a, b in every_pair if agencies.same(a.agency, b.agency)]
    consecutive = [(a, b) if a.year < b.year else (b, a) for a, b in same if abs(a.year - b.year) == 1]
    assert list(agencies.consecutive(reports, name, year)) == consecutive
    assert list(agencies.same_year(reports, name, year)) == [(a, b) for a, b in same if a.year == b.year]
    assert len(consecutive) > 100


@pytest.mark.parametrize("lsh_from", [2, 10**9])
def test_duplicate_text_is_the_same_in_any_order(lsh_from: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(across, "LSH_FROM", lsh_from)
    reports = _corpus(300, 4)
    found = _found(reports)
    for seed in (1, 2):
        shuffled = reports[:]
        random.Random(seed).shuffle(shuffled)
        assert _found(shuffled) == found
    assert len(found) > 10


def test_duplicate_text_charges_each_copy_once_naming_the_source() -> None:
    """Against the rule's definition over every pair: a report is charged, once per section, when
    an earlier report (year, date, agency key, hash) it may copy has a text ≥ SIMILAR like its own;
    the source named is its own agency's report of the year before if one is alike, else the earliest."""
    reports = _corpus(200, 5)
    expected, own = [], 0
    for s in across.TEXT_SECTIONS:
        found = []
        for b in reports:
            text = b.sections[s.key].text
            if len("".join(text.split())) < across.MIN_CHARS:
                continue
            alike = [
                (a, sim)
                for a in reports
                if a is not b
                and len("".join(a.sections[s.key].text.split())) >= across.MIN_CHARS
                and (sim := across.similarity(a.sections[s.key].text, text)) >= across.SIMILAR
            ]
            sources = [(a, sim) for a, sim in alike if across._order(a) < across._order(b) and _may_copy(a, b)]
            if sources:
                a, sim = min(sources, key=lambda p: (not agencies.same(p[0].agency, b.agency), across._order(p[0])))
                own += a is not min(sources, key=lambda p: across._order(p[0]))[0]
                found.append((across._order(b), (b.source.file, a.source.file, round(sim, 3), len(alike))))
        expected += [f for _, f in sorted(found)]
    got = [
        (d.files[1], d.files[0], d.values["similarity"], d.values["similar_reports"])
        for d in across.duplicate_text(reports)
    ]
    assert got == expected
    assert len(got) > 10 and own > 0  # some report's own last year was named before an earlier one


def _may_copy(a, b) -> bool:
    """Not the same file twice, nor the same agency in a year other than the one before."""
    if a.source.sha256 == b.source.sha256:
        return False
    return not agencies.same(a.agency, b.agency) or abs(a.year - b.year) == 1


def test_rollup_index_finds_what_every_report_finds() -> None:
    reports = _corpus(400, 6)
    expected = []
    for g in reports:
        if agencies.parse(g.agency).is_government:
            units = [u for u in reports if u.year == g.year and agencies.within(u.agency, g.agency)]
            expected += [(d.file, d.message, d.files) for d in across.rollup(g, units)]
    assert [(d.file, d.message, d.files) for d in across.rollup_rule(reports)] == expected
    assert len(expected) > 5
