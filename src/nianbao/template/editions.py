"""The official template as data: both editions, every row and column with its
template label and the label variants seen in practice, the sections, and the
cell paths (``table.row.column``, see ``../shared/spec/model.md``).

The sums and the relations between years are in ``relations``, the merged-cell
layout in ``layout``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

EDITIONS = ("2021", "2019")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    decimal: bool = False  # 万元 amounts may have decimals
    signed: bool = False  # 2019 本年增/减 may be negative


@dataclass(frozen=True)
class Row:
    key: str  # e.g. "denied.state_secret"
    label: str  # the template's own wording
    variants: tuple[str, ...] = ()
    group: str = ""  # group label printed in a merged cell, e.g. "（三）不予公开"
    columns: tuple[Column, ...] = ()  # table 2 only: table 3/4 share columns


# ---------------------------------------------------------------- table 2 --

C_ISSUED = Column("issued", "本年制发件数")
C_REPEALED = Column("repealed", "本年废止件数")
C_IN_FORCE = Column("in_force", "现行有效件数")
C_DECISIONS_21 = Column("decisions", "本年处理决定数量")
C_AMOUNT_21 = Column("amount_wan", "本年收费金额（单位：万元）", ("本年收费金额",), decimal=True)

C_MADE = Column("made", "本年新制作数量")
C_PUBLISHED = Column("published", "本年新公开数量")
C_TOTAL_PUBLIC = Column("total_public", "对外公开总数量")
C_PREV = Column("prev_items", "上一年项目数量")
C_CHANGE = Column("change", "本年增/减", ("本年增减",), signed=True)
C_DECISIONS_19 = Column("decisions", "处理决定数量")
C_ITEMS = Column("items", "采购项目数量")
C_PROC_AMOUNT = Column(
    "amount_wan", "采购总金额", ("采购总金额（万元）", "采购总金额（万元，保留四位小数）"), decimal=True
)

T2_2021 = (
    Row("regulations", "规章", group="第二十条第（一）项", columns=(C_ISSUED, C_REPEALED, C_IN_FORCE)),
    Row(
        "normative_documents",
        "行政规范性文件",
        ("规范性文件",),
        group="第二十条第（一）项",
        columns=(C_ISSUED, C_REPEALED, C_IN_FORCE),
    ),
    Row("licensing", "行政许可", group="第二十条第（五）项", columns=(C_DECISIONS_21,)),
    Row("punishment", "行政处罚", group="第二十条第（六）项", columns=(C_DECISIONS_21,)),
    Row("coercion", "行政强制", group="第二十条第（六）项", columns=(C_DECISIONS_21,)),
    Row("fees", "行政事业性收费", group="第二十条第（八）项", columns=(C_AMOUNT_21,)),
)

_T2_19_ITEMS = (C_PREV, C_CHANGE, C_DECISIONS_19)
T2_2019 = (
    Row("regulations", "规章", group="第二十条第（一）项", columns=(C_MADE, C_PUBLISHED, C_TOTAL_PUBLIC)),
    Row(
        "normative_documents",
        "规范性文件",
        ("行政规范性文件",),
        group="第二十条第（一）项",
        columns=(C_MADE, C_PUBLISHED, C_TOTAL_PUBLIC),
    ),
    Row("licensing", "行政许可", group="第二十条第（五）项", columns=_T2_19_ITEMS),
    Row(
        "other_services",
        "其他对外管理服务事项",
        group="第二十条第（五）项",
        columns=_T2_19_ITEMS,
    ),
    Row("punishment", "行政处罚", group="第二十条第（六）项", columns=_T2_19_ITEMS),
    Row("coercion", "行政强制", group="第二十条第（六）项", columns=_T2_19_ITEMS),
    Row("fees", "行政事业性收费", group="第二十条第（八）项", columns=(C_PREV, C_CHANGE)),
    Row("procurement", "政府集中采购", group="第二十条第（九）项", columns=(C_ITEMS, C_PROC_AMOUNT)),
)

# The 2019 row 其他对外管理服务事项 may be split into named sub-rows.
SPLIT_ROW = "other_services"

T2_BLOCK_HEADERS = (
    "第二十条第（一）项",
    "第二十条第（五）项",
    "第二十条第（六）项",
    "第二十条第（八）项",
    "第二十条第（九）项",
)
T2_HEADER_LABELS = ("信息内容",)

# ---------------------------------------------------------------- table 3 --

T3_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("social_welfare", "社会公益组织"),
    Column("legal_services", "法律服务机构"),
    Column("other_org", "其他"),
    Column("total", "总计", ("合计",)),
)
T3_PART_COLUMNS = tuple(c.key for c in T3_COLUMNS[:-1])
T3_SUBTOTAL_COLUMN = Column("legal_persons", "法人或其他组织小计", ("小计",))
T3_HEADER_LABELS = ("申请人情况", "法人或其他组织", "本列数据的勾稽关系为")

_G3 = "（三）不予公开"
_G4 = "（四）无法提供"
_G5 = "（五）不予处理"
_G6 = "（六）其他处理"

_T3_HEAD = (
    Row("new_received", "一、本年新收政府信息公开申请数量"),
    Row("carried_over", "二、上年结转政府信息公开申请数量"),
    Row("granted", "（一）予以公开"),
    Row(
        "partially_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ("（二）部分公开",),
    ),
    Row("denied.state_secret", "1.属于国家秘密", group=_G3),
    Row("denied.prohibited_by_law", "2.其他法律行政法规禁止公开", group=_G3),
    Row("denied.three_safeties", "3.危及“三安全一稳定”", ("3.危及三安全一稳定",), group=_G3),
    Row("denied.third_party", "4.保护第三方合法权益", group=_G3),
    Row("denied.internal_affairs", "5.属于三类内部事务信息", group=_G3),
    Row("denied.process_info", "6.属于四类过程性信息", group=_G3),
    Row("denied.enforcement_files", "7.属于行政执法案卷", group=_G3),
    Row("denied.query_matters", "8.属于行政查询事项", group=_G3),
    Row("unable.not_held", "1.本机关不掌握相关政府信息", group=_G4),
    Row("unable.needs_creation", "2.没有现成信息需要另行制作", group=_G4),
    Row("unable.unclear", "3.补正后申请内容仍不明确", group=_G4),
    Row("not_processed.complaint", "1.信访举报投诉类申请", group=_G5),
    Row("not_processed.duplicate", "2.重复申请", group=_G5),
    Row("not_processed.publication", "3.要求提供公开出版物", group=_G5),
    Row("not_processed.excessive", "4.无正当理由大量反复申请", group=_G5),
    Row("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息", group=_G5),
)
_T3_TAIL = (
    Row("total_processed", "（七）总计"),
    Row("carried_forward", "四、结转下年度继续办理"),
)
T3_2021 = (
    _T3_HEAD
    + (
        Row(
            "other.no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            group=_G6,
        ),
        Row(
            "other.fee_unpaid",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            group=_G6,
        ),
        Row("other.other", "3.其他", group=_G6),
    )
    + _T3_TAIL
)
T3_2019 = _T3_HEAD + (Row("other.total", "（六）其他处理"),) + _T3_TAIL

# Group rows: printed only as merged label cells; their sums are derived.
T3_GROUPS = {
    "denied": _G3,
    "unable": _G4,
    "not_processed": _G5,
    "other": _G6,
}
T3_OUTCOME_LABEL = "三、本年度办理结果"

# -------------------------------------------------------------- table 4 --

T4_GROUPS = (
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
)
T4_COLUMNS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
T4_PARTS = ("upheld", "corrected", "other", "pending")
T4_LITIGATION = "行政诉讼"  # the header over the two litigation groups

# ------------------------------------------------------------- sections --


@dataclass(frozen=True)
class SectionSpec:
    key: str
    number: str  # 一 … 六
    title: str  # template heading without the number
    variants: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # a heading with free wording names one of these


SECTIONS = (
    SectionSpec("overview", "一", "总体情况", words=("总体情况", "基本情况", "概述")),
    SectionSpec("active", "二", "主动公开政府信息情况", words=("主动公开",)),
    SectionSpec(
        "requests",
        "三",
        "收到和处理政府信息公开申请情况",
        ("收到和处理政府信息公开申请",),
        ("依申请", "公开申请"),
    ),
    SectionSpec(
        "review",
        "四",
        "政府信息公开行政复议、行政诉讼情况",
        (
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "政府信息公开行政复议行政诉讼情况",
            "行政复议、行政诉讼情况",
            "政府信息公开行政复议、行政法诉讼情况",
            "政府信息公开行政法复议、行政诉讼情况",
        ),
        ("复议", "诉讼"),
    ),
    SectionSpec(
        "problems",
        "五",
        "存在的主要问题及改进情况",
        (
            "政府信息公开工作存在的主要问题及改进情况",
            "存在问题及改进情况",
            "存在的主要问题和改进措施",
            "存在的主要问题及改进措施",
            "存在的问题及改进情况",
            "存在的主要问题和改进情况",
            "存在的主要问题及整改措施",
            "存在的主要问题及整改情况",
        ),
        ("问题", "不足", "改进", "整改"),
    ),
    SectionSpec(
        "other",
        "六",
        "其他需要报告的事项",
        ("其他需要汇报事项", "其他需要报告事项"),
        ("其他", "收费", "处理费"),
    ),
)
SECTION_NUMBERS = "一二三四五六"
SECTION_TABLES = {"active": "table2", "requests": "table3", "review": "table4"}  # the section each table sits in

OVERVIEW_MAX_CHARS = 1000

# Markers of each edition (template.md §2.8), matched on normalised keys.
EDITION_MARKERS = {
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "其他对外管理服务事项",
        "第二十条第（九）项",
        "政府集中采购",
        "采购项目数量",
        "采购总金额",
    ),
    "2021": (
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额（单位：万元）",
        "申请人逾期未按收费通知要求缴纳费用",
    ),
}


# ------------------------------------------------------------ editions --


@dataclass(frozen=True)
class Edition:
    name: str
    table2: tuple[Row, ...]
    table3: tuple[Row, ...]

    def t2_row(self, key: str) -> Row:
        return next(r for r in self.table2 if r.key == key)

    def t3_row(self, key: str) -> Row:
        return next(r for r in self.table3 if r.key == key)

    def group_items(self, group: str) -> tuple[str, ...]:
        """Row keys of a 表三 group such as ``denied``."""
        return _group_items(self.name, group)


@lru_cache(maxsize=16)
def _group_items(name: str, group: str) -> tuple[str, ...]:
    rows = BY_NAME[name].table3
    return tuple(r.key for r in rows if r.key.startswith(group + ".") and not r.key.endswith(".total"))


EDITION_2021 = Edition("2021", T2_2021, T3_2021)
EDITION_2019 = Edition("2019", T2_2019, T3_2019)
BY_NAME = {"2021": EDITION_2021, "2019": EDITION_2019}


def edition(name: str | None) -> Edition:
    """The edition called ``name``; anything unknown is treated as 2021."""
    return BY_NAME.get(name or "2021", EDITION_2021)


# ---------------------------------------------------------- cell paths --


def t2_paths(ed: Edition) -> list[str]:
    return list(_paths(ed.name, "t2"))


def t3_paths(ed: Edition) -> list[str]:
    return list(_paths(ed.name, "t3"))


def t4_paths() -> list[str]:
    return list(_paths("2021", "t4"))


def derived_paths(ed: Edition) -> list[str]:
    """Group sums that the template prints no row for (``denied.total`` …)."""
    return list(_paths(ed.name, "derived"))


def cell_paths(ed: Edition) -> list[str]:
    """Every printed cell of an edition, in template order."""
    return list(_paths(ed.name, "t2") + _paths(ed.name, "t3") + _paths(ed.name, "t4"))


@lru_cache(maxsize=16)
def _paths(name: str, part: str) -> tuple[str, ...]:
    ed = BY_NAME[name]
    if part == "t2":
        return tuple(f"table2.{r.key}.{c.key}" for r in ed.table2 for c in r.columns)
    if part == "t3":
        return tuple(f"table3.{r.key}.{c.key}" for r in ed.table3 for c in T3_COLUMNS)
    if part == "t4":
        return tuple(f"table4.{g}.{c.key}" for g, _ in T4_GROUPS for c in T4_COLUMNS)
    groups = ("denied", "unable", "not_processed") + (("other",) if ed.name == "2021" else ())
    return tuple(f"table3.{g}.total.{c.key}" for g in groups for c in T3_COLUMNS)


def t3_result_rows(ed: Edition) -> tuple[str, ...]:
    """Rows whose sum is （七）总计 (template.md §3.1 R2)."""
    keys = [r.key for r in ed.table3]
    return tuple(keys[keys.index("granted") : keys.index("total_processed")])


TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


def path_label(path: str) -> str:
    """A Chinese label for a cell, row or table path, as a reviewer reads it."""
    parts = path.split(".")
    name = TABLE_NAMES.get(parts[0])
    if name is None or len(parts) == 1:
        return name or path
    if parts[0] == "table4":
        if parts[1] not in dict(T4_GROUPS):
            return path
        group = dict(T4_GROUPS)[parts[1]]
        col = next((c.label for c in T4_COLUMNS if len(parts) > 2 and c.key == parts[2]), "")
        return f"表四“{group}{'·' + col if col else ''}”"
    if parts[0] == "table3":
        has_col = parts[-1] in {c.key for c in T3_COLUMNS}
        row_key = ".".join(parts[1:-1] if has_col else parts[1:])
        col = next((c.label for c in T3_COLUMNS if c.key == parts[-1]), "") if has_col else ""
        suffix = f"·{col}" if col else ""
        for ed in (EDITION_2021, EDITION_2019):
            for r in ed.table3:
                if r.key == row_key:
                    return f"表三“{r.group}{short_label(r.label)}{suffix}”"
        group = row_key.split(".")[0]
        if group in T3_GROUPS:
            return f"表三“{T3_GROUPS[group]}合计{suffix}”"
        return path
    for ed in (EDITION_2021, EDITION_2019):
        for r in ed.table2:
            if r.key != parts[1]:
                continue
            if len(parts) == 2:
                return f"表二“{r.label}”"
            col = next((c.label for c in r.columns if c.key == parts[2]), None)
            if col:
                return f"表二“{r.label}·{col}”"
    return path


def short_label(label: str) -> str:
    """A 表三 row label without its parenthesised instruction: （二）部分公开."""
    return label.split("（区分处理的")[0]
