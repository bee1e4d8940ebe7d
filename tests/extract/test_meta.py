"""Agency, year and 落款 date from every place a report or its file puts them."""

from __future__ import annotations

import random
import re

import pytest

from nianbao.extract import meta
from nianbao.extract.meta import agency_name, parse_title, read_meta
from nianbao.model import Location
from nianbao.read.document import Paragraph

TITLES = {
    "agency first": ("某市交通运输局2023年政府信息公开工作年度报告", ("某市交通运输局", 2023)),
    "年度": ("某区人民政府2021年度政府信息公开工作年度报告", ("某区人民政府", 2021)),
    "year first": ("2024年某市科委政府信息公开工作年度报告", ("某市科委", 2024)),
    "year first, spaced": ("2024 年某市科委政府信息公开工作 年度报告", ("某市科委", 2024)),
    "after a rule line": ("-----某县审计局2022年度政府信息公开工作年度报告", ("某县审计局", 2022)),
    "Markdown heading": ("# 某镇人民政府 2019 年 政府信息公开工作年度报告", ("某镇人民政府", 2019)),
    "without 工作": ("某市住房和城乡建设局2022年政府信息公开年度报告-某市住建局", ("某市住房和城乡建设局", 2022)),
    "site suffix": ("某区2021年度政府信息公开工作年度报告_政府信息公开年报_某区管委会", ("某区", 2021)),
    "traditional": ("廣東省雲溪市統計局2023年政府信息公開工作年度報告", ("广东省云溪市统计局", 2023)),
    "year only": ("2022年度政府信息公开工作年度报告", (None, 2022)),
    "年报": ("某区教育局2023年政府信息公开年报", ("某区教育局", 2023)),
    "工作报告": ("某区民政局2022年度政府信息公开工作报告", ("某区民政局", 2022)),
    "关于": ("某街道办事处关于2023年政府信息公开工作年度报告", ("某街道办事处", 2023)),
    "in quotes": ("《某镇人民政府2020年政府信息公开工作年度报告》", ("某镇人民政府", 2020)),
    "year after the name": ("某县卫生健康委员会政府信息公开工作年度报告（2025年度）", ("某县卫生健康委员会", 2025)),
    "without 政府": ("某区司法局2025年度信息公开工作年度报告", ("某区司法局", 2025)),
    "year in Chinese numerals": ("某乡人民政府二〇二五年政府信息公开工作年度报告", ("某乡人民政府", 2025)),
    "Chinese numerals, year first": ("二〇一九年度某局政府信息公开工作年度报告", ("某局", 2019)),
}


@pytest.mark.parametrize("text,expected", TITLES.values(), ids=TITLES.keys())
def test_title(text: str, expected: tuple[str | None, int]) -> None:
    assert parse_title(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "按照《中华人民共和国政府信息公开条例》、《某省政务公开办公室关于做好2021年政府信息公开工作年度报告编写发布工作的通知》要求",
        "本报告由某区人民政府办公室编制2023年政府信息公开工作年度报告",
        "关于2023年政府信息公开工作年度报告的说明",
        "政府信息公开工作年度报告",
    ],
)
def test_prose_is_no_title(text: str) -> None:
    assert parse_title(text) is None


@pytest.mark.parametrize(
    "text,name",
    [
        ("廣東省雲溪市統計局", "广东省云溪市统计局"),
        (" “某县发展和改革局” ", "某县发展和改革局"),
        ("**某区统计局**", "某区统计局"),
        ("根据《条例》规定", None),
        ("本机关认真落实各项要求，取得一定成效。", None),
        ("x", None),
        ("本机关", None),
        ("我局", None),
        ("本溪市人民政府", "本溪市人民政府"),
        ("http://www.example.gov.cn/", None),
    ],
)
def test_agency_name(text: str, name: str | None) -> None:
    assert agency_name(text) == name


def _paras(*texts: str) -> list[Paragraph]:
    return [Paragraph(t, Location(line=i + 1)) for i, t in enumerate(texts)]


PREFACE = "根据《中华人民共和国政府信息公开条例》和《某省关于编制公布2023年政府信息公开工作年度报告有关事项的通知》，编制本报告。"


def test_title_split_over_lines_year_first() -> None:
    meta = read_meta(_paras("正文", "2024 年某市科委政府信息公开工作", "年度报告", PREFACE), [], "")
    assert (meta.agency, meta.year) == ("某市科委", 2024)


def test_page_title_before_signature_before_publisher_before_file_name() -> None:
    back = _paras("某区审计局", "2024年1月17日")
    page = {"title": "某区统计局2023年政府信息公开工作年度报告_某区人民政府", "发布机构": "某区财政局"}
    name = "某区档案馆2022年政府信息公开工作年度报告.html"
    assert read_meta(_paras(PREFACE), back, "", page, name).agency == "某区统计局"
    assert read_meta(_paras(PREFACE), back, "", {"发布机构": "某区财政局"}, name).agency == "某区审计局"
    assert read_meta(_paras(PREFACE), [], "", {"发布机构": "某区财政局"}, name).agency == "某区财政局"
    meta = read_meta(_paras(PREFACE), [], "", {}, f"/tmp/{name}")
    assert (meta.agency, meta.year) == ("某区档案馆", 2022)


def test_year_from_page_then_period_then_file_name() -> None:
    period = "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。"
    assert read_meta([], [], period, {"ArticleTitle": "某局2024年政府信息公开工作年度报告"}).year == 2024
    assert read_meta([], [], period, {}, "某局2022年政府信息公开工作年度报告.htm").year == 2023
    assert read_meta([], [], "", {}, "某局2022年政府信息公开工作年度报告.htm").year == 2022


def test_published_from_signature_then_index_date() -> None:
    page = {"公开日期": "2024-02-01 09:30", "发文日期": "2024-01-20", "PubDate": "2024-02-01 09:30"}
    assert read_meta([], _paras("某局", "2024年1月17日"), "", page).published == "2024-01-17"
    assert read_meta([], [], "", page).published == "2024-01-20"
    assert read_meta([], [], "", {"公开日期": "2024-02-01", "PubDate": "2024-02-01 09:30"}).published is None


def test_region_does_not_take_the_words_before_it() -> None:
    text = "本报告由淮水市洪山区人民政府办公室编制。"
    assert read_meta(_paras("洪山区人民政府", "2023年政府信息公开工作年度报告"), [], text).region == "淮水市洪山区"


def test_signature_on_one_line() -> None:
    meta = read_meta([], _paras("下一步将加强培训。", "某县发展和改革局          2024年1月17日"), "")
    assert (meta.agency, meta.published) == ("某县发展和改革局", "2024-01-17")
    prose = read_meta([], _paras("本机关于 2024年1月17日"), "")
    assert (prose.agency, prose.published) == (None, None)


def test_area_before_finds_the_first_match_of_the_whole_text_search() -> None:
    """``_area_before`` runs the pattern only near each place the region is printed: it must give
    what one search over the whole text gives, for any text."""
    rng = random.Random(7)
    pieces = [
        "江苏省",
        "宿迁市沭阳县",
        "宿迁市",
        "沭阳县",
        "内蒙古自治区",
        "市",
        "省",
        "本",
        "报告",
        "的",
        "在",
        "，",
        "苏",
        "宿迁",
    ]
    region = "宿迁市沭阳县"
    whole = re.compile(rf"({meta._AREA_CHAR}{{2,8}}?(?:省|市|自治区))" + re.escape(region))
    found = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        m = whole.search(text)
        assert meta._area_before(region, text) == (m.group(1) if m else None), text
        found += m is not None
    assert found > 200


def _region_by_loop(agency: str, text: str) -> str | None:
    """region_of as it was before it looked the province up by its first two characters: a loop over
    PROVINCES in order, the first that opens the name."""
    name, region = agency.replace(" ", ""), ""
    for prov in meta.PROVINCES:
        if name.startswith(prov) or name.startswith(prov[:-1]) and prov.endswith("市"):
            region = prov if name.startswith(prov) else prov[:-1]
            name = name[len(region) :]
            break
    while (m := meta._UNIT.match(name)) and not any(w in m.group(0) for w in meta._NOT_NAME):
        region += m.group(0)
        name = name[m.end() :]
    if not region:
        return None
    if text and not any(region.startswith(p) for p in meta.PROVINCES):
        return (meta._area_before(region, meta.fold(text)) or "") + region
    return region


def test_region_of_is_the_loop_over_provinces() -> None:
    rng = random.Random(11)
    starts = [p[:k] for p in meta.PROVINCES for k in range(1, len(p) + 1)] + ["", "新区", "某", "市"]
    tails = ["", "宿迁市", "沭阳县", "人民政府", "交通运输局", "市", "县", "区", "街道办事处"]
    for _ in range(4000):
        name = rng.choice(starts) + rng.choice(tails) + rng.choice(tails)
        text = rng.choice(["", "本报告", "江苏省宿迁市沭阳县", rng.choice(starts) + name])
        assert meta.region_of(name, text) == _region_by_loop(name, text), (name, text)
