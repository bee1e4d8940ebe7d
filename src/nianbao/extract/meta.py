"""Agency, region, report year and publication date (落款)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.normalize import fold, squash
from nianbao.read.document import Paragraph

_TITLE = re.compile(
    r"^(?P<agency>.*?)\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?:的)?\s*政府信息公开(?:工作)?\s*年\s*度\s*报\s*告"
)
_TITLE_TAIL = re.compile(r"政府信息公开(?:工作)?\s*(?:年\s*度\s*)?报\s*告")
_DATE = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})\s*[年.\-/]\s*(?P<m>\d{1,2})\s*[月.\-/]\s*(?P<d>\d{1,2})\s*日?\s*$")
_PERIOD = re.compile(r"统计期限自\s*((?:19|20)\d{2})\s*年")

PROVINCES = (
    "北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 江西省 山东省 河南省 湖北省 "
    "湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 台湾省 内蒙古自治区 广西壮族自治区 西藏自治区 "
    "宁夏回族自治区 新疆维吾尔自治区 香港特别行政区 澳门特别行政区"
).split()
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
_BARE_AREA = re.compile(r"(?:省|市|区|县|旗|自治州|盟|镇|乡)$")


@dataclass(frozen=True)
class Meta:
    agency: str | None
    region: str | None
    year: int | None
    published: str | None
    title: str


def read_meta(front: list[Paragraph], back: list[Paragraph], all_text: str) -> Meta:
    """``front``: paragraphs before the first section; ``back``: the last ones."""
    title, agency, year = _title(front)
    if agency is None:
        agency = _signature_agency(back)
    if year is None:
        m = _PERIOD.search(fold(all_text))
        year = int(m.group(1)) if m else None
    region = region_of(agency or "", all_text)
    if agency and _BARE_AREA.search(agency) and region == agency:
        agency += "人民政府"
    return Meta(agency, region, year, _published(back), title)


def _title(front: list[Paragraph]) -> tuple[str, str | None, int | None]:
    originals = [squash(p.text).replace(" ", "") for p in front[:6] if p.text.strip()]
    lines = [fold(t) for t in originals]
    for i in range(len(lines)):
        joined = original = ""
        for j in range(i, min(i + 3, len(lines))):
            joined += lines[j]
            original += originals[j]
            m = _TITLE.search(joined)
            if m:
                name = m.group("agency")
                if len(original) == len(joined):  # keep the characters as printed (traditional copies)
                    name = original[m.start("agency") : m.end("agency")]
                agency = name.strip("《》“”\"' ") or None
                return joined, agency, int(m.group("year"))
            if _TITLE_TAIL.search(joined):
                break
    return (lines[0] if lines else ""), None, None


def _signature_agency(back: list[Paragraph]) -> str | None:
    for i, p in enumerate(back):
        if _DATE.match(fold(p.text)) and i > 0:
            cand = squash(fold(back[i - 1].text))
            if 2 < len(cand) <= 30 and not cand.endswith(("。", "；")):
                return cand
    return None


def is_date_line(text: str) -> bool:
    return bool(_DATE.match(fold(text)))


def _published(back: list[Paragraph]) -> str | None:
    for p in reversed(back):
        m = _DATE.match(fold(p.text))
        if m:
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def region_of(agency: str, text: str = "") -> str | None:
    """The administrative area named at the start of an agency's name."""
    name = agency.replace(" ", "")
    region = ""
    for prov in PROVINCES:
        if name.startswith(prov) or name.startswith(prov[:-1]) and prov.endswith("市"):
            region = prov if name.startswith(prov) else prov[:-1]
            name = name[len(region) :]
            break
    while True:
        m = _UNIT.match(name)
        if not m or any(w in m.group(0) for w in _NOT_NAME):
            break
        region += m.group(0)
        name = name[m.end() :]
    if not region:
        return None
    if text and not any(region.startswith(p) for p in PROVINCES):
        m = re.search(r"([\u4e00-\u9fff]{2,8}?(?:省|市|自治区))" + re.escape(region), fold(text))
        if m:
            return m.group(1) + region
    return region
