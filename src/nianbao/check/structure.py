"""The shape of a report: tables, sections, edition, headings, labels, length."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from nianbao.check.length import COUNTED, chars
from nianbao.check.registry import finding, rule
from nianbao.check.trust import doubt_about, doubts
from nianbao.extract.sections import sub_headings
from nianbao.model import Diagnostic, Heading, Location, Number, Report
from nianbao.normalize import key
from nianbao.read.document import Paragraph
from nianbao.template import OVERVIEW_MAX_CHARS, SECTIONS, TABLE_NAMES, edition, path_label
from nianbao.template.names import TABLE_TITLES
from nianbao.template.relations import GROUP_NAME, row_name

TABLES = {t: f"{TABLE_NAMES[t]}“{TABLE_TITLES[t]}”" for t in TABLE_NAMES}
OVERVIEW_SLACK = 1.1  # "原则上不超过一千字": about 1000, so flag from 1100
LISTED_CELLS = 5  # a READ-UNCERTAIN finding names at most this many doubtful cells
EDITION_NAME = {"2021": "2021年版格式", "2019": "2019年试行格式"}


@rule("TABLE-MISSING", "error", "找不到表二、表三或表四，或只找到一部分")
def table_missing(report: Report) -> Iterator[Diagnostic]:
    """表二、表三、表四都须按模板列出；确定找不到某张表，或确定只有一部分，都要报告（读取不确定时报 READ-UNCERTAIN）。

    反例：报告第四部分只有一句“本年度无行政复议、行政诉讼”，没有表四。
    正例：第四部分列出表四的15个格，没有案件的填0。
    """
    if report.edition == "pre2019":
        return
    doubted = doubts(report)
    for table, name in TABLES.items():
        how = report.tables_found.get(table)
        if how == "full" or doubt_about(doubted, (table,)):
            continue  # a table the reader is unsure of is READ-UNCERTAIN
        if how is None:
            yield finding("TABLE-MISSING", f"找不到{name}", report, (table,), table=table, found=None)
        else:
            yield finding("TABLE-MISSING", f"{name}只找到一部分", report, (table,), table=table, found=how)


@rule("READ-UNCERTAIN", "warning", "有部分未能确定地找到或读出")
def read_uncertain(report: Report) -> Iterator[Diagnostic]:
    """读取时没能确定地找到或读出某一部分（一张表、一个部分、一些格），说明是哪一部分、为什么；依赖它的结构和计算核对只作提示，不报错误。没有印行标签、按模板行序读出的行由 VALUE-AMBIGUOUS 报告一次（并说明读出的数），这里不重复。

    反例：第五部分的标题印在读不出的位置，文中只有一行近似的“五、存在的主要问题及整改措施”：不能断定报告缺少第五部分。
    正例：报告依次印有一至六六个部分和三张表，每一格都读得清楚。
    """
    doubted = doubts(report)
    cells = [p for p in doubted if p in report.cells]
    notes = _row_notes(report) if len(cells) < len(doubted) else {}
    for part, why in doubted.items():
        if part not in report.cells and not all(n and n in why for n in notes.get(part, [None])):
            where = next((u.location for u in report.uncertain if u.part == part), None)
            msg = f"未能确定地读出{_part_name(part)}：{why}"
            yield finding("READ-UNCERTAIN", msg, report, (part,), location=where, part=part, reason=why)
    for table in TABLES:
        paths = [p for p in cells if p.startswith(table + ".")]
        if paths:
            listed = "；".join(f"{path_label(p)}{doubted[p]}" for p in paths[:LISTED_CELLS])
            more = "等" if len(paths) > LISTED_CELLS else ""
            msg = f"{TABLE_NAMES[table]}有{len(paths)}格读数不确定：{listed}{more}；与这些格有关的核对只作提示"
            yield finding("READ-UNCERTAIN", msg, report, paths, part=table, reason=listed)


def _row_notes(report: Report) -> dict[str, list[str | None]]:
    """Per row, the interpretation each of its cells carries. A doubted row whose every cell says
    why it is doubted (a 表三 row placed by the template's row order) is ``VALUE-AMBIGUOUS``'s: that
    finding says what was read, so this rule does not say it again."""
    out: dict[str, list[str | None]] = {}
    for path, v in report.cells.items():
        out.setdefault(path[: path.rfind(".")], []).append(v.note)
    return out


def _part_name(part: str) -> str:
    """'表三“收到和处理政府信息公开申请情况”', '第五部分“五、存在的主要问题及改进情况”', a row or cell."""
    if part in TABLES:
        return TABLES[part]
    if part.startswith("sections."):
        s = next((s for s in SECTIONS if f"sections.{s.key}" == part), None)
        return f"第{s.number}部分“{s.number}、{s.title}”" if s else part
    table, _, rest = part.partition(".")
    if table in TABLES and rest in GROUP_NAME:
        return f"{TABLE_NAMES[table]}“{GROUP_NAME[rest]}”"
    return path_label(part)


@rule("TABLE-AMBIGUOUS", "warning", "表格的数字可有不止一种读法")
def table_ambiguous(report: Report) -> Iterator[Diagnostic]:
    """表格的数字放不准位置（例如错位、合并格丢失），有两种以上读法；两种读法都列出，不替报告猜。

    反例：表四数据行印为5个空格加10个数字：既可读作“行政复议为空”，也可读作“复议后起诉缺失”。
    正例：表四数据行印满15个数字（没有案件的填0）。审核人员选定一种读法后（单元格即为该读法），不再提示。
    """
    for r in report.readings:
        if any(_read_as(report, option) for option in r.readings):
            continue
        yield finding(
            "TABLE-AMBIGUOUS", r.message, report, r.cells, location=r.location, table=r.table, readings=list(r.readings)
        )


def _read_as(report: Report, option: dict[str, Number | None]) -> bool:
    """The report's cells hold exactly this reading (a reviewer chose it; the reader leaves them blank)."""
    return all(report.cells[p].value == v if p in report.cells else v is None for p, v in option.items())


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
        names = "、".join(_part_name(t) if t not in TABLES else TABLE_NAMES[t] for t in wrong)
        msg = f"{report.year}年度报告的{names}使用了{EDITION_NAME[used[wrong[0]]]}，应使用{EDITION_NAME[want]}"
        where = next((v.location for p, v in report.cells.items() if p.startswith(wrong[0] + ".") and v.location), None)
        values = {"year": report.year, "used": used[wrong[0]], "expected": want}
        yield finding("EDITION-YEAR", msg, report, tuple(wrong), location=where, **values)


@rule("SECTION-MISSING", "error", "缺少六个部分之一")
def section_missing(report: Report) -> Iterator[Diagnostic]:
    """报告须有模板的六个部分：一总体情况至六其他需要报告的事项（确定缺少才报；标题可能在而没认出时报 READ-UNCERTAIN）。

    反例：报告写完“四、政府信息公开行政复议、行政诉讼情况”就结束，没有五、六两部分。
    正例：报告依次有一至六六个部分，无事可报的部分写明“无”。
    """
    doubted = doubts(report)
    for s in SECTIONS:
        if s.key not in report.sections and not doubt_about(doubted, (f"sections.{s.key}",)):
            msg = f"缺少第{s.number}部分“{s.number}、{s.title}”"
            yield finding("SECTION-MISSING", msg, report, (f"sections.{s.key}",), section=s.key)


@rule("PUBLISHED-LATE", "warning", "公布日期晚于次年1月31日")
def published_late(report: Report) -> Iterator[Diagnostic]:
    """年度报告应于每年1月31日前公布（《条例》第五十条）：落款日期晚于报告年度次年1月31日的，提示核对。

    反例：2023年度报告落款“2024年3月5日”。
    正例：2023年度报告落款“2024年1月20日”。
    """
    if report.year is None or report.published is None:
        return
    due = f"{report.year + 1:04d}-01-31"
    if report.published > due:
        msg = f"{report.year}年度报告的落款日期为{report.published}，晚于{due}（《条例》第五十条）"
        yield finding("PUBLISHED-LATE", msg, report, ("published",), published=report.published, due=due)


@rule("HEADING-NUMBERING", "info", "标题编号与模板不符")
def heading_numbering(report: Report) -> Iterator[Diagnostic]:
    """部分标题应编为“一、”至“六、”，小标题编号应前后一致（如（一）（二）（三））。

    反例：“2、 主动公开政府信息情况”；小标题（一）（二）（三）之后接（4）（5）（6）。
    正例：“二、主动公开政府信息情况”；小标题（一）至（六）。
    """
    headings = _numbered(report)
    for level, what in ((1, "部分标题"), (2, "小标题")):
        off = [h for h in headings if h.level == level and h.expected and key(h.numbering) != key(h.expected)]
        if off:
            listed = "，".join(f"“{h.numbering.strip()}”应为“{h.expected}”" for h in off)
            seen = [h.numbering.strip() for h in off]
            yield finding(
                "HEADING-NUMBERING", f"{what}编号与模板不符：{listed}", report, location=off[0].location, seen=seen
            )


def _numbered(report: Report) -> list[Heading]:
    """The headings whose numbering is checked, each with the numbering expected of it.

    A sub-heading printed between the first and the last line of a table's cells is a row label
    spilled out of the table (``（二）部分公开（区分处理的，只``, ``5.要求行政机关确认或``): left out.
    A section whose heading the reader took from its first sub-heading (``（一）主要问题`` where
    第五部分 prints no heading of its own) has its sub-headings numbered after that one. Otherwise the
    sub-headings left are numbered as the reader numbers them (``sub_headings``). 总体情况 holds no
    table: its sub-headings (most of a report's) are kept without a look at the cells."""
    lines = {h.location.line for h in report.headings if h.level == 2 and h.section != "overview" and h.location}
    spans = _table_lines(report) if lines - {None} else []
    inside = [h for h in report.headings if h.level == 2 and h.location and _within(h.location.line, spans)]
    leads = {h.section: h for h in report.headings if h.level == 1 and ")" in key(h.numbering)}
    if not inside and not leads:
        return report.headings
    out = [h for h in report.headings if h.level == 1]
    for section in dict.fromkeys(h.section for h in report.headings if h.level == 2):
        kept = [h for h in report.headings if h.level == 2 and h.section == section and h not in inside]
        out += _renumbered(kept, section or "", leads.get(section))
    return out


def _renumbered(kept: list[Heading], section: str, lead: Heading | None) -> list[Heading]:
    """``kept`` numbered as the reader numbers a section's sub-headings; after ``lead`` when it
    is numbered as the first of them."""

    def numbering(hs: list[Heading]) -> list[str]:
        return [h.expected for h in sub_headings([Paragraph(h.text, h.location or Location()) for h in hs], section)]

    expected = numbering([lead, *kept]) if lead else []
    if len(expected) != len(kept) + 1 or key(expected[0]) != key(lead.numbering if lead else ""):
        expected = ["", *numbering(kept)]
    if len(expected) != len(kept) + 1:  # a stored report's heading this reader takes for none: not checked
        return _renumbered([h for h in kept if numbering([h])], section, lead)
    return [replace(h, expected=e) for h, e in zip(kept, expected[1:], strict=True)]


def _within(line: int | None, spans: list[tuple[int, int]]) -> bool:
    return line is not None and any(lo < line < hi for lo, hi in spans)


def _table_lines(report: Report) -> list[tuple[int, int]]:
    """Per table, the first and the last line its printed cells were read on."""
    lines: dict[str, list[int]] = {}
    for path, v in report.cells.items():
        if (where := v.location) is not None and where.line is not None and not v.derived:
            lines.setdefault(path[: path.find(".")], []).append(where.line)
    return [(min(ls), max(ls)) for ls in lines.values()]


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
    return TABLE_NAMES[table] + "表头" if table in TABLES else path


@rule("OVERVIEW-LENGTH", "info", f"{SECTIONS[0].title}超过约一千字")
def overview_length(report: Report) -> Iterator[Diagnostic]:
    """“一、总体情况”篇幅原则上不超过一千字（按汉字、字母和数字计，不计标点；超过约一成才提示）。

    反例：总体情况写了2400字，逐条罗列每一篇主动公开的信息。
    正例：总体情况约800字，概述主动公开、依申请公开、信息管理、平台建设和监督保障。
    """
    s = report.sections.get("overview")
    if s is None or len(s.text) <= OVERVIEW_MAX_CHARS * OVERVIEW_SLACK:
        return  # cannot be too long: the count below is at most len(text)
    n = chars(s.text)
    if n > OVERVIEW_MAX_CHARS * OVERVIEW_SLACK:
        title = f"“{SECTIONS[0].number}、{SECTIONS[0].title}”"
        msg = f"{title}有{n}字（{COUNTED}），模板要求原则上不超过{OVERVIEW_MAX_CHARS}字"
        yield finding("OVERVIEW-LENGTH", msg, report, ("sections.overview",), location=s.location, chars=n)
