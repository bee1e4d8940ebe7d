"""Which template each table follows — for 表三, row group by row group.

The two editions differ in 表二's columns and in 表三's group （六）: the 2019
trial template prints it as the one row （六）其他处理, the 2021 template as three
items. A report may follow 2021 throughout and still print the 2019 row (a
template copied from an old report): the report then follows 2021, and 表三's
group （六） is keyed as printed, to ``other.total``, with the mixture noted."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from nianbao import template as T
from nianbao.extract.tables import TableResult


@dataclass(frozen=True)
class Editions:
    report: str  # "2021" / "2019" / "pre2019"
    table2: str
    table3: str
    groups: dict[str, str] = field(default_factory=dict)  # 表三 groups printed in another edition


def decide(r2: TableResult, r3: TableResult, year: int | None) -> Editions:
    """表三 decides when it marks its edition by its （六） items; a single （六）
    row counts for less than 表二's columns when 表二 names the 2021 ones."""
    t3 = r3.edition or r2.edition or ("2019" if year and year < 2021 else "2021")
    t2 = r2.edition or t3
    groups: dict[str, str] = {}
    if r3.edition == "2019" and r2.marked and r2.edition == "2021":
        t3, groups = "2021", {"other": "2019"}
    report = "pre2019" if year and year < 2019 else (t3 if r3.rows_found else t2)
    return Editions(report, t2, t3, groups)


def t3_paths(eds: Editions) -> list[str]:
    """表三's printed cells in template order, each mixed group from its own edition."""
    return list(_t3_paths(eds.table3, tuple(sorted(eds.groups.items()))))


def t3_rows(eds: Editions) -> frozenset[str]:
    """The row keys 表三 must print to be whole."""
    return _t3_rows(eds.table3, tuple(sorted(eds.groups.items())))


@lru_cache(maxsize=16)
def _t3_paths(table3: str, mixed: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    groups = dict(mixed)
    out: list[str] = []
    for path in T.t3_paths(T.edition(table3)):
        group = path.split(".")[1]
        if group not in groups:
            out.append(path)
        elif not any(p.split(".")[1] == group for p in out):
            out.extend(p for p in T.t3_paths(T.edition(groups[group])) if p.split(".")[1] == group)
    return tuple(out)


@lru_cache(maxsize=16)
def _t3_rows(table3: str, mixed: tuple[tuple[str, str], ...]) -> frozenset[str]:
    return frozenset(p.rsplit(".", 1)[0].split(".", 1)[1] for p in _t3_paths(table3, mixed))


def mixture_note(eds: Editions) -> list[str]:
    if "other" not in eds.groups:
        return []
    return [
        f"表三{T.T3_GROUPS['other']}按{eds.groups['other']}年试行格式印为一行，其余按{eds.table3}年版格式："
        "报告按2021年版读，（六）按所印读作“其他处理”一行"
    ]
