"""Saved government pages: what the page says about the report outside the article (``<title>``,
``<meta>``, the site's 信息索引 table), Word markup splitting text over runs, blank columns."""

from __future__ import annotations

import random
import re

import pytest

from nianbao.model import Source
from nianbao.normalize import simplified
from nianbao.pipeline import process
from nianbao.read import html as reader
from nianbao.synth import synth_cells, synth_fees, synth_report_html
from nianbao.template import T3_PART_COLUMNS

SOURCE = Source("page.html", "0" * 64, "html")
AGENCY = "广东省云溪市统计局"


def _page(seed: int, **variant: object) -> tuple[dict[str, object], str]:
    rng = random.Random(seed)
    cells = synth_cells(rng, "2021", scale=40)
    return cells, synth_report_html(cells, "2021", AGENCY, 2023, rng, fees=synth_fees(rng), **variant)


def test_head_and_index_table_are_read_into_meta() -> None:
    _, page = _page(1, untitled=True, index_table=True)
    meta = reader.read(page.encode(), SOURCE).meta
    assert meta["ArticleTitle"] == meta["名称"] == f"{AGENCY}2023年政府信息公开工作年度报告"
    assert all(v == v.strip() and "\n" not in v for v in meta.values())
    assert meta["title"].startswith(meta["名称"] + "_")
    assert meta["发布机构"] == AGENCY
    assert re.fullmatch(r"\d{9}/2024-\d{5}", meta["索引号"])
    assert meta["公开日期"] == meta["发文日期"] and meta["公开日期"].startswith("2024-01-")


def test_index_labels_inline_and_in_tails() -> None:
    page = (
        "<html><head><meta name='articletitle' content='某区统计局2023年政府信息公开工作年度报告'></head>"
        "<body><div class='info'><span>发布机构：某区统计局公开日期：2024-01-20</span></div>"
        "<div class='meta'><strong>成文日期：</strong>2024-01-19</div>"
        "<div class='content'><p>一、总体情况</p><p>" + "本机关依法公开政府信息。" * 50 + "</p></div></body></html>"
    )
    meta = reader.read(page.encode(), SOURCE).meta
    assert (meta["发布机构"], meta["公开日期"], meta["成文日期"]) == ("某区统计局", "2024-01-20", "2024-01-19")
    assert meta["ArticleTitle"] == "某区统计局2023年政府信息公开工作年度报告"


@pytest.mark.parametrize("traditional", [False, True])
def test_title_only_page_gives_agency_and_year(traditional: bool) -> None:
    """The article has no title, its preface names another report's year in a notice's title,
    and the 落款 has no agency: agency and year come from the page, in simplified characters."""
    cells, page = _page(2, untitled=True, traditional=traditional, word_markup=True)
    assert "政府信息公开工作年度报告编写发布工作的通知" in simplified(page) and "<h1" not in page
    report = process(page.encode(), "saved.html").report
    assert (report.agency, report.year, report.region) == (AGENCY, 2023, "广东省云溪市")
    assert all(report.value(p) == v for p, v in cells.items() if p in report.cells)


@pytest.mark.parametrize("traditional", [False, True])
def test_index_table_alone_gives_agency_year_and_date(traditional: bool) -> None:
    _, page = _page(3, untitled=True, index_table=True, traditional=traditional)
    page = re.sub(r"<title>.*?</title>|<meta name=\"ArticleTitle\"[^>]*>", "", page)
    page = re.sub(r"<p[^>]*>\d{4}年\d{1,2}月\d{1,2}日</p>", "", page)  # no 落款 date either
    report = process(page.encode(), "saved.html").report
    meta = reader.read(page.encode(), SOURCE).meta
    assert (report.agency, report.year, report.published) == (AGENCY, 2023, meta["发文日期"])


def test_word_markup_and_blank_columns() -> None:
    """Every number split over ``<span>``/``<font>`` runs is read whole; the five 法人或其他组织
    columns printed blank in every row of 表三 stay blank (null), never 0."""
    rng = random.Random(4)
    cells = synth_cells(rng, "2021", scale=5000)
    for path in [p for p in cells if p.startswith("table3.")]:
        if path.rsplit(".", 1)[1] in {c for c in T3_PART_COLUMNS if c != "natural_person"}:
            cells[path] = None
    page = synth_report_html(cells, "2021", AGENCY, 2023, rng, word_markup=True)
    assert "<o:p>&nbsp;</o:p>" in page and "<font face=宋体>" in page
    report = process(page.encode(), "saved.html").report
    assert report.value("table3.granted.commercial") is None
    assert {p: report.value(p) for p in cells} == cells


def test_a_word_that_begins_like_a_label_is_no_index_entry() -> None:
    page = (
        "<html><body><p>名称<b>统计</b>工作</p>"
        "<div class='content'><p>一、总体情况</p><p>" + "本机关依法公开政府信息。" * 50 + "</p></div></body></html>"
    )
    doc = reader.read(page.encode(), SOURCE)  # was a ValueError out of zip(..., strict=True)
    assert "名称" not in doc.meta
