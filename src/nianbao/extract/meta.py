"""Agency, region, report year and publication date (落款)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nianbao.normalize import fold, simplified, squash
from nianbao.read.document import Paragraph

_REPORT = r"(?:政[府务])?信息公开(?:工作)?\s*(?:年\s*度\s*报\s*告|年\s*报|工\s*作\s*报\s*告)"  # 年度报告, 年报
_TITLE = re.compile(rf"^(?P<agency>.*?)\s*(?P<year>(?:19|20)\d{{2}})\s*年\s*度?\s*(?:的)?\s*{_REPORT}")
_TITLE_YEAR_FIRST = re.compile(rf"^(?P<year>(?:19|20)\d{{2}})\s*年\s*度?\s*(?P<agency>[^，。、；：,;]*?)\s*{_REPORT}")
_TITLE_YEAR_AFTER = re.compile(rf"^(?P<agency>.*?)\s*{_REPORT}\s*\(\s*(?P<year>(?:19|20)\d{{2}})\s*年?\s*度?\s*\)")
_CN_YEAR = re.compile(r"[〇零○一二三四五六七八九]{4}(?=\s*年)")  # 二〇二五年
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")
_TITLE_TAIL = re.compile(r"政府信息公开(?:工作)?\s*(?:年\s*度\s*)?报\s*告")
_DATE = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})\s*[年.\-/]\s*(?P<m>\d{1,2})\s*[月.\-/]\s*(?P<d>\d{1,2})\s*日?\s*$")
_SIGNED = re.compile(r"^(?P<name>\D{2,30}?)\s+(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*$")
_CLOCK = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?\s*$")
_MARKS = re.compile(r"^[#>*\-=_~·\s]+|[*\-=_~\s]+$")  # Markdown heading, quote, emphasis and rule marks
_QUOTES = "《》“”\"'「」【】 "
_PROSE = re.compile(r"[，。；：！？,;!?、《》]|^(?:根据|依据|按照|关于|本报告|本机关|本单位|本部门|现将|为了?|对|我)")
NAME_CHARS = 30  # the longest agency names (…人民政府办公室) are about 20 characters
PAGE_TITLES = ("ArticleTitle", "名称", "标题", "title")
PAGE_AGENCIES = ("发布机构", "发文机关", "ContentSource", "信息来源")
PAGE_DATES = ("成文日期", "发文日期")  # the 落款 date; 公开日期 and PubDate are when the site put it up
_PERIOD = re.compile(r"统计期限自\s*((?:19|20)\d{2})\s*年")

PROVINCES = (
    "北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 江西省 山东省 河南省 湖北省 "
    "湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 台湾省 内蒙古自治区 广西壮族自治区 西藏自治区 "
    "宁夏回族自治区 新疆维吾尔自治区 香港特别行政区 澳门特别行政区"
).split()
_PROVINCE_AT = {p[:2]: p for p in PROVINCES}  # by their first two characters, which no two share
_UNIT = re.compile(
    r"(?:[\u4e00-\u9fff]{2,7}?(?:自治州|地区|盟|市|新区|区)|[\u4e00-\u9fff]{1,6}?(?:自治县|县|旗)|[\u4e00-\u9fff]{2,6}?(?:街道|镇|乡))"
)
_NOT_NAME = (
    "管理",
    "城市",
    "人民",
    "政府",
    "办公",
    "委员",
    "服务",
    "中心",
    "局",
    "厅",
    "部",
    "委",
    "办",
    "院",
    "所",
    "队",
)
_AREA_CHAR = r"(?:(?![由于在对从向将把为是的了和与及本报告据按照根依])[\u4e00-\u9fff])"  # not the words before a name
_BARE_AREA = re.compile(r"(?:省|市|区|县|旗|自治州|盟|镇|乡)$")


@dataclass(frozen=True)
class Meta:
    agency: str | None
    region: str | None
    year: int | None
    published: str | None
    title: str


def read_meta(
    front: list[Paragraph], back: list[Paragraph], all_text: str, page: dict[str, str] | None = None, file: str = ""
) -> Meta:
    """``front``: paragraphs before the first section; ``back``: the last ones; ``page``: what
    the file says about itself (``Document.meta``); ``file``: its name. The report's own title
    comes first, then the page's titles, the 落款, the page's 发布机构, the file name."""
    page = page or {}
    title, agency, year = _title(front)
    titled = [t for k in PAGE_TITLES if k in page and (t := parse_title(page[k]))]
    named = [n for k in PAGE_AGENCIES if k in page and (n := agency_name(page[k]))]
    agency = agency or next((a for a, _ in titled if a), None) or _signature_agency(back) or next(iter(named), None)
    by_file = parse_title(Path(file).stem) if file and (agency is None or year is None) else None  # the last resort
    agency = agency or (by_file[0] if by_file else None)
    if year is None:
        period = _PERIOD.search(fold(all_text))
        years = [y for _, y in titled] + ([int(period.group(1))] if period else []) + ([by_file[1]] if by_file else [])
        year = next(iter(years), None)
    region = region_of(agency or "", all_text)
    if agency and _BARE_AREA.search(agency) and region == agency:
        agency += "人民政府"
    published = _published(back) or next((d for k in PAGE_DATES if k in page and (d := _date(page[k]))), None)
    return Meta(agency, region, year, published, title)


def parse_title(text: str) -> tuple[str | None, int] | None:
    """(agency, year) of a report title — ``某局2023年度政府信息公开工作年度报告``,
    ``2024年某委政府信息公开工作年度报告``, ``某局政府信息公开工作年度报告（2024年度）``,
    ``某局二〇二四年度信息公开工作年度报告`` — or None when ``text`` is not one (a sentence of
    prose that names a report is not a title)."""
    original = _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), _MARKS.sub("", squash(text).replace(" ", "")))
    folded = fold(original)
    for pattern in (_TITLE, _TITLE_YEAR_FIRST, _TITLE_YEAR_AFTER):
        m = pattern.search(folded)
        if m is None:
            continue
        name = folded[m.start("agency") : m.end("agency")]
        if len(original) == len(folded):  # the characters as printed, only simplified
            name = simplified(original[m.start("agency") : m.end("agency")])
        agency = agency_name(name)
        if agency or not name.strip(_QUOTES):
            return agency, int(m.group("year"))
    return None


def agency_name(text: str) -> str | None:
    """``text`` as an agency's name (simplified characters, no quotes or Markdown marks), or None
    when it is no name: empty, too long, or a piece of a sentence (``根据《条例》…``)."""
    name = simplified(_MARKS.sub("", squash(text).replace(" ", ""))).strip(_QUOTES)
    if _PROSE.search(name):
        return None
    name = name.removesuffix("关于")  # 某局关于2023年政府信息公开工作年度报告
    return name if 2 <= len(name) <= NAME_CHARS and not name.isascii() else None


def _title(front: list[Paragraph]) -> tuple[str, str | None, int | None]:
    lines = [squash(p.text).replace(" ", "") for p in front[:6] if p.text.strip()]
    for i in range(len(lines)):
        joined = ""
        for j in range(i, min(i + 3, len(lines))):
            joined += lines[j]
            found = parse_title(joined)
            if found:
                return fold(joined), found[0], found[1]
            if _TITLE_TAIL.search(fold(joined)):
                break
    return (fold(lines[0]) if lines else ""), None, None


def _signature_agency(back: list[Paragraph]) -> str | None:
    """The name above the 落款 date, or before it on the same line (``某局    2024年1月17日``)."""
    for i, p in enumerate(back):
        signed = _SIGNED.match(fold(p.text))
        if signed and _date(signed.group("date")):
            return agency_name(p.text[: signed.end("name")])
        if _DATE.match(fold(p.text)) and i > 0:
            cand = back[i - 1].text
            if not squash(cand).endswith(("。", "；")):
                return agency_name(cand)
    return None


def is_date_line(text: str) -> bool:
    return bool(_DATE.match(fold(text)))


def _published(back: list[Paragraph]) -> str | None:
    for p in reversed(back):
        signed = _SIGNED.match(fold(p.text))
        date = _date(signed.group("date") if signed else p.text)
        if date and (signed is None or agency_name(signed.group("name"))):
            return date
    return None


def _date(text: str) -> str | None:
    """``2024年1月17日`` / ``2024-01-17`` (a time after it is allowed) as ISO, or None."""
    m = _DATE.match(_CLOCK.sub("", fold(text)))
    if m:
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def region_of(agency: str, text: str = "") -> str | None:
    """The administrative area named at the start of an agency's name."""
    name = agency.replace(" ", "")
    region = ""
    prov = _PROVINCE_AT.get(name[:2])  # the one province the name may start with
    if prov and (name.startswith(prov) or name.startswith(prov[:-1]) and prov.endswith("市")):
        region = prov if name.startswith(prov) else prov[:-1]
        name = name[len(region) :]
    while True:
        m = _UNIT.match(name)
        if not m or any(w in m.group(0) for w in _NOT_NAME):
            break
        region += m.group(0)
        name = name[m.end() :]
    if not region:
        return None
    prov = _PROVINCE_AT.get(region[:2])
    if text and not (prov and region.startswith(prov)):  # no province opens it
        above = _area_before(region, fold(text))
        if above:
            return above + region
    return region


_AREA_BEFORE = 11  # the most characters _prefixed takes before a region: eight, then 自治区


@lru_cache(maxsize=256)
def _prefixed(region: str) -> re.Pattern[str]:
    return re.compile(rf"({_AREA_CHAR}{{2,8}}?(?:省|市|自治区))" + re.escape(region))


def _area_before(region: str, text: str) -> str | None:
    """The province or city printed before ``region`` where the text first names it so
    (``江苏省`` of ``江苏省宿迁市``): the pattern is run only just before each place the
    text prints ``region``, not over the whole text — the same first match."""
    pattern, start = _prefixed(region), None
    at = text.find(region)
    while at != -1 and (start is None or at - _AREA_BEFORE < start):
        m = pattern.search(text, max(0, at - _AREA_BEFORE), at + len(region))
        start = m.start() if m and (start is None or m.start() < start) else start
        at = text.find(region, at + 1)
    m = None if start is None else pattern.match(text, start)
    return m.group(1) if m else None
