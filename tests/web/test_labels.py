"""Findings name what they point at in Chinese, never by an internal key."""

from __future__ import annotations

from nianbao.template import SECTIONS
from nianbao.template.names import FEE_FACTS
from nianbao.web.labels import cell_label
from nianbao.web.view import anchor


def test_sections_fee_facts_and_the_date_have_chinese_names():
    overview = SECTIONS[0]
    assert cell_label("sections.overview") == f"{overview.number}、{overview.title}" == "一、总体情况"
    assert cell_label("fees_info.notices") == f"第六部分“信息处理费·{FEE_FACTS['notices']}”"
    assert cell_label("fees_info") == "第六部分“信息处理费”"
    assert cell_label("published") == "落款日期"
    assert cell_label("table3.new_received.total").startswith("表三“一、本年新收")


def test_a_section_finding_links_to_the_section_text():
    assert anchor("sections.problems") == "s-problems"
    assert anchor("fees_info.notices") == anchor("fees_info") == "s-other"


def test_no_finding_on_the_report_page_shows_an_internal_key(client, ids):
    for rid in ids.values():
        for f in client.get(f"/api/reports/{rid}").json()["findings"]:
            for path in f["cells"]:
                assert cell_label(path) != path, (f["rule"], path)
