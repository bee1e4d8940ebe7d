"""Peer groups: an agency's level (省/市/区县/乡镇街道) and kind (人民政府, 城管, 审计 … 部门),
from its name, by a small table of rules the user may edit (stored in ``peer_rules``).

A rule's pattern is words separated by ``|``; a word ending in ``$`` must end the name, any
other word may stand anywhere in it (plain text, not a regular expression). In order, the first
rule of a dimension that matches gives the value. No level rule matches: the level comes from
the places the name starts with; no kind rule matches: 其他."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from nianbao.normalize import key
from nianbao.store.db import reading, writing
from nianbao.store.schema import peer_rules
from nianbao.template import agencies

DIMENSIONS = {"level": "层级", "kind": "类别"}
LEVELS = ("省", "市", "区县", "乡镇街道")
OTHER = "其他"
UNKNOWN = "层级不明"
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
MAX_PATTERN = 200
MAX_VALUE = 32


class RuleError(ValueError):
    """A rule that cannot be used; the message is one Chinese line."""


@dataclass(frozen=True)
class Rule:
    dimension: str  # "level" | "kind"
    pattern: str
    value: str

    def matches(self, name: str) -> bool:
        s = key(name)
        for word in self.pattern.split("|"):
            w = key(word.removesuffix("$"))
            if w and (s.endswith(w) if word.endswith("$") else w in s):
                return True
        return False

    def as_dict(self) -> dict[str, str]:
        return {"dimension": self.dimension, "pattern": self.pattern, "value": self.value}


DEFAULT_RULES = tuple(
    Rule("kind", pattern, value)
    for pattern, value in (
        ("人民政府$|政府$|街道办事处$|办事处$", "人民政府"),
        ("城市管理|城管", "城管"),
        ("审计", "审计"),
        ("公安", "公安"),
        ("教育", "教育"),
        ("卫生健康|卫健委|卫生和计划生育", "卫生健康"),
        ("市场监督|市场监管", "市场监管"),
        ("规划|自然资源|国土", "规划自然资源"),
        ("住房|住建|建设委员会|建设局", "住房建设"),
        ("人力资源|人社局", "人力社保"),
        ("生态环境|环境保护|环保局", "生态环境"),
        ("财政", "财政"),
        ("民政", "民政"),
        ("司法", "司法"),
        ("税务", "税务"),
        ("发展和改革|发展改革|发改委", "发展改革"),
        ("交通", "交通"),
        ("应急管理", "应急管理"),
        ("局$|委员会$|委$|办公室$|办$|厅$|部$|中心$|署$|院$|所$|队$|站$", "部门"),
    )
)


def check(rule: Rule) -> Rule:
    """The rule, stripped, or RuleError saying what is wrong with it."""
    r = Rule(rule.dimension.strip(), rule.pattern.strip().strip("|"), rule.value.strip())
    if r.dimension not in DIMENSIONS:
        raise RuleError(f"规则维度“{r.dimension}”无效：应为 level（层级）或 kind（类别）")
    if not r.pattern or len(r.pattern) > MAX_PATTERN:
        raise RuleError(f"规则的匹配词不能为空，也不能超过 {MAX_PATTERN} 个字")
    if not r.value or len(r.value) > MAX_VALUE:
        raise RuleError(f"规则给出的{DIMENSIONS[r.dimension]}不能为空，也不能超过 {MAX_VALUE} 个字")
    return r


def load(engine: Engine) -> tuple[Rule, ...]:
    """The stored rules in order, or the defaults when none are stored."""
    with reading(engine) as conn:
        rows = conn.execute(
            sa.select(peer_rules.c.dimension, peer_rules.c.pattern, peer_rules.c.value).order_by(
                peer_rules.c.position, peer_rules.c.id
            )
        ).all()
    return tuple(Rule(*r) for r in rows) or DEFAULT_RULES


def save(engine: Engine, rules: list[Rule]) -> tuple[Rule, ...]:
    """Replace the stored rules (checked first; an empty list brings back the defaults)."""
    checked = [check(r) for r in rules]
    with writing(engine) as conn:
        conn.execute(peer_rules.delete())
        for i, r in enumerate(checked):
            conn.execute(peer_rules.insert().values(position=i, **r.as_dict()))
    return load(engine)


def _auto_level(name: str) -> str:
    lv = agencies.level(name)
    if lv == "town":
        return LEVELS[3]
    if lv == "county":
        return LEVELS[2]
    places = agencies.parse(name).places
    if not places:
        return UNKNOWN
    first = places[0]
    if len(places) == 1 and (first in _MUNICIPALITIES or first.endswith(("省", "自治区"))):
        return LEVELS[0]
    return LEVELS[1]


def classify(name: str | None, rules: tuple[Rule, ...]) -> tuple[str, str]:
    """(level, kind) of an agency name."""
    if not name:
        return UNKNOWN, OTHER
    level = next((r.value for r in rules if r.dimension == "level" and r.matches(name)), None)
    kind = next((r.value for r in rules if r.dimension == "kind" and r.matches(name)), OTHER)
    return level or _auto_level(name), kind
