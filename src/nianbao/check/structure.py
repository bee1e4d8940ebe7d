"""The shape of a report: tables, sections, edition, headings, labels, length."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nianbao.check.registry import finding, rule
from nianbao.check.sums import row_name
from nianbao.model import Diagnostic, Report
from nianbao.normalize import key
from nianbao.template import OVERVIEW_MAX_CHARS, SECTIONS, edition

TABLES = {"table2": "表二“主动公开政府信息情况”", "table3": "表三“收到和处理政府信息公开申请情况”"}
TABLES["table4"] = "表四“政府信息公开行政复议、行政诉讼情况”"
OVERVIEW_SLACK = 1.1  # "原则上不超过一千字": about 1000, so flag from 1100
_WORD_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
EDITION_NAME = {"2021": "2021年版格式", "2019": "2019年试行格式"}


@rule("TABLE-MISSING", "error", "找不到表二、表三或表四，或只找到一部分")
def table_missing(report: Report) -> Iterator[Diagnostic]:
    """表二、表三、表四都须按模板列出；找不到某张表，或只找到一部分，都要报告。

    反例：报告第四部分只有一句“本年度无行政复议、行政诉讼”，没有表四。
    正例：第四部分列出表四的15个格，没有案件的填0。
    """
    if report.edition == "pre2019":
        return
    for table, name in TABLES.items():
        how = report.tables_found.get(table)
        if how is None:
            yield finding("TABLE-MISSING", f"找不到{name}", report, (table,), table=table, found=None)
        elif how != "full":
            yield finding("TABLE-MISSING", f"{name}只找到一部分", report, (table,), table=table, found=how)


@rule("TABLE-AMBIGUOUS", "warning", "表格的数字可有不止一种读法")
def table_ambiguous(report: Report) -> Iterator[Diagnostic]:
    """表格的数字放不准位置（例如错位、合并格丢失），有两种以上读法；两种读法都列出，不替报告猜。

    反例：表四数据行印为5个空格加10个数字：既可读作“行政复议为空”，也可读作“复议后起诉缺失”。
    正例：表四数据行印满15个数字（没有案件的填0）。
    """
    for r in report.readings:
        yield finding(
            "TABLE-AMBIGUOUS", r.message, report, r.cells, location=r.location, table=r.table, readings=list(r.readings)
        )


@rule("EDITION-YEAR", "warning", "报告年度与所用表格版本不符")
def edition_year(report: Report) -> Iterator[Diagnostic]:
    """2021年度起应使用2021年版表格（国办公开办函〔2021〕30号）；2019、2020年度使用2019年试行格式。

    反例：2021年度报告的表二印“本年新制作数量”“本年新公开数量”（2019年试行格式）。
    正例：2021年度报告的表二印“本年制发件数”“本年废止件数”“现行有效件数”。
    """
    if report.year is None:
        return
    want = "2021" if report.year >= 2021 else "2019" if report.year >= 2019 else None
    used = report.table_editions or ({"table2": report.edition} if report.edition in EDITION_NAME else {})
    wrong = sorted(t for t, e in used.items() if want and e in EDITION_NAME and e != want)
    if wrong:
        names = "、".join(TABLES[t][:2] for t in wrong if t in TABLES) or "表格"
        msg = f"{report.year}年度报告的{names}使用了{EDITION_NAME[used[wrong[0]]]}，应使用{EDITION_NAME[want]}"
        where = next((v.location for p, v in report.cells.items() if p.startswith(wrong[0] + ".") and v.location), None)
        values = {"year": report.year, "used": used[wrong[0]], "expected": want}
        yield finding("EDITION-YEAR", msg, report, tuple(wrong), location=where, **values)


@rule("SECTION-MISSING", "error", "缺少六个部分之一")
def section_missing(report: Report) -> Iterator[Diagnostic]:
    """报告须有模板的六个部分：一总体情况至六其他需要报告的事项。

    反例：报告写完“四、政府信息公开行政复议、行政诉讼情况”就结束，没有五、六两部分。
    正例：报告依次有一至六六个部分，无事可报的部分写明“无”。
    """
    for s in SECTIONS:
        if s.key not in report.sections:
            msg = f"缺少第{s.number}部分“{s.number}、{s.title}”"
            yield finding("SECTION-MISSING", msg, report, (f"sections.{s.key}",), section=s.key)


@rule("HEADING-NUMBERING", "info", "标题编号与模板不符")
def heading_numbering(report: Report) -> Iterator[Diagnostic]:
    """部分标题应编为“一、”至“六、”，小标题编号应前后一致（如（一）（二）（三））。

    反例：“2、 主动公开政府信息情况”；小标题（一）（二）（三）之后接（4）（5）（6）。
    正例：“二、主动公开政府信息情况”；小标题（一）至（六）。
    """
    for level, what in ((1, "部分标题"), (2, "小标题")):
        off = [h for h in report.headings if h.level == level and h.expected and key(h.numbering) != key(h.expected)]
        if off:
            listed = "，".join(f"“{h.numbering.strip()}”应为“{h.expected}”" for h in off)
            seen = [h.numbering.strip() for h in off]
            yield finding(
                "HEADING-NUMBERING", f"{what}编号与模板不符：{listed}", report, location=off[0].location, seen=seen
            )


@rule("LABEL-VARIANT", "info", "行列标签与模板用语不同")
def label_variant(report: Report) -> Iterator[Diagnostic]:
    """表格的行、列标签应使用模板原文。

    反例：表三印“（二）部分公开”，略去了“（区分处理的，只计这一情形，不计其他情形）”。
    正例：表三印“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”。
    """
    for ls in report.labels:
        if key(ls.seen) != key(ls.template):
            msg = f"{_label_name(ls.path)}的标签印为“{ls.seen}”，模板为“{ls.template}”"
            yield finding("LABEL-VARIANT", msg, report, (ls.path,), location=ls.location, seen=ls.seen)


def _label_name(path: str) -> str:
    """'表三“（二）部分公开”行' for a row path, the table's name for a header label."""
    table, _, row = path.partition(".")
    if table == "table3" and row:
        return row_name(row)
    if table == "table2" and row:
        return next(
            (f"表二“{r.label}”行" for r in edition("2021").table2 + edition("2019").table2 if r.key == row), path
        )
    return TABLES.get(table, path)[:2] + "表头" if table in TABLES else path


@rule("OVERVIEW-LENGTH", "info", "总体情况超过约一千字")
def overview_length(report: Report) -> Iterator[Diagnostic]:
    """“一、总体情况”篇幅原则上不超过一千字（按汉字、字母和数字计，不计标点；超过约一成才提示）。

    反例：总体情况写了2400字，逐条罗列每一篇主动公开的信息。
    正例：总体情况约800字，概述主动公开、依申请公开、信息管理、平台建设和监督保障。
    """
    s = report.sections.get("overview")
    if s is None or len(s.text) <= OVERVIEW_MAX_CHARS * OVERVIEW_SLACK:
        return  # cannot be too long: the count below is at most len(text)
    n = len(_WORD_CHARS.findall(s.text))
    if n > OVERVIEW_MAX_CHARS * OVERVIEW_SLACK:
        msg = f"“一、总体情况”有{n}字，模板要求原则上不超过{OVERVIEW_MAX_CHARS}字"
        yield finding("OVERVIEW-LENGTH", msg, report, ("sections.overview",), location=s.location, chars=n)
