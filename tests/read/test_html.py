"""The HTML reader: decoding, site chrome, the report's element, paragraphs with source lines,
tables as full grids (merged slots repeat the text with merged=True), layout tables, errors.

Expected grids are written with marks: "<" is a slot covered by the cell to its left, "^" by
the cell above; such slots repeat that cell's text and are merged. Every other string is the
text of a cell of its own (line breaks inside a cell as "\n")."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.model import Location, ReportError, Source
from nianbao.read import html as reader
from nianbao.read import read_bytes, read_path
from nianbao.read.document import Document, Paragraph, Table
from nianbao.synth import synth_cells, synth_report_html

FIX = Path(__file__).parent.parent / "fixtures" / "html"

# report_2021_utf8.html, table 0 (表二, 2021 edition)
T2_2021 = [
    ["第二十条第（一）项", "<", "<", "<"],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "3", "1", "27"],
    ["行政规范性文件", "18", "6", "143"],
    ["第二十条第（五）项", "<", "<", "<"],
    ["信息内容", "本年处理决定数量", "<", "<"],
    ["行政许可", "5218", "<", "<"],
    ["第二十条第（六）项", "<", "<", "<"],
    ["信息内容", "本年处理决定数量", "<", "<"],
    ["行政处罚", "1307", "<", "<"],
    ["行政强制", "46", "<", "<"],
    ["第二十条第（八）项", "<", "<", "<"],
    ["信息内容", "本年收费金额（单位：万元）", "<", "<"],
    ["行政事业性收费", "231.57", "<", "<"],
]

# report_2021_utf8.html, table 1 (表三, 2021 edition)
T3_2021 = [
    [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "<",
        "<",
        "申请人情况",
        "<",
        "<",
        "<",
        "<",
        "<",
        "<",
    ],
    ["^", "^", "^", "自然人", "法人或其他组织", "<", "<", "<", "<", "总计"],
    ["^", "^", "^", "^", "商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他", "^"],
    ["一、本年新收政府信息公开申请数量", "<", "<", "146", "9", "2", "1", "5", "3", "166"],
    ["二、上年结转政府信息公开申请数量", "<", "<", "12", "1", "0", "0", "1", "0", "14"],
    ["三、本年度办理结果", "（一）予以公开", "<", "61", "4", "1", "0", "2", "1", "69"],
    ["^", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "<", "17", "2", "0", "0", "1", "0", "20"],
    ["^", "（三）不予公开", "1.属于国家秘密", "1", "0", "0", "0", "0", "0", "1"],
    ["^", "^", "2.其他法律行政法规禁止公开", "2", "0", "0", "0", "0", "0", "2"],
    ["^", "^", "3.危及“三安全一稳定”", "0", "0", "0", "0", "0", "0", "0"],
    ["^", "^", "4.保护第三方合法权益", "3", "1", "0", "0", "0", "0", "4"],
    ["^", "^", "5.属于三类内部事务信息", "2", "0", "0", "0", "0", "0", "2"],
    ["^", "^", "6.属于四类过程性信息", "4", "0", "0", "0", "1", "0", "5"],
    ["^", "^", "7.属于行政执法案卷", "1", "0", "0", "0", "0", "0", "1"],
    ["^", "^", "8.属于行政查询事项", "5", "0", "0", "0", "0", "1", "6"],
    ["^", "（四）无法提供", "1.本机关不掌握相关政府信息", "22", "1", "1", "0", "1", "0", "25"],
    ["^", "^", "2.没有现成信息需要另行制作", "6", "0", "0", "0", "0", "0", "6"],
    ["^", "^", "3.补正后申请内容仍不明确", "3", "0", "0", "1", "0", "0", "4"],
    ["^", "（五）不予处理", "1.信访举报投诉类申请", "8", "0", "0", "0", "0", "0", "8"],
    ["^", "^", "2.重复申请", "4", "1", "0", "0", "0", "0", "5"],
    ["^", "^", "3.要求提供公开出版物", "1", "0", "0", "0", "0", "0", "1"],
    ["^", "^", "4.无正当理由大量反复申请", "2", "0", "0", "0", "0", "0", "2"],
    ["^", "^", "5.要求行政机关确认或重新出具已获取信息", "1", "0", "0", "0", "0", "0", "1"],
    [
        "^",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "3",
        "0",
        "0",
        "0",
        "0",
        "0",
        "3",
    ],
    [
        "^",
        "^",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "1",
        "0",
        "0",
        "0",
        "0",
        "0",
        "1",
    ],
    ["^", "^", "3.其他", "2", "0", "0", "0", "0", "0", "2"],
    ["^", "（七）总计", "<", "149", "9", "2", "1", "5", "2", "168"],
    ["四、结转下年度继续办理", "<", "<", "9", "1", "0", "0", "1", "1", "12"],
]

# report_2021_utf8.html, table 2 (表四)
T4_2021 = [
    ["行政复议", "<", "<", "<", "<", "行政诉讼", "<", "<", "<", "<", "<", "<", "<", "<", "<"],
    [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "未经复议直接起诉",
        "<",
        "<",
        "<",
        "<",
        "复议后起诉",
        "<",
        "<",
        "<",
        "<",
    ],
    [
        "^",
        "^",
        "^",
        "^",
        "^",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ],
    ["3", "1", "0", "2", "6", "2", "0", "1", "1", "4", "1", "", "", "0", "1"],
]

# report_2019_gbk.html, table 0 (表二, 2019 edition, 5 grid columns, as some 2019 pages print it)
T2_2019 = [
    ["第二十条第（一）项", "<", "<", "<", "<"],
    ["信息内容", "本年新\n制作数量", "本年新\n公开数量", "对外公开\n总数量", "<"],
    ["规章", "3", "3", "21", "<"],
    ["规范性文件", "9", "9", "74", "<"],
    ["第二十条第（五）项", "<", "<", "<", "<"],
    ["信息内容", "上一年\n项目数量", "本年增/减", "处理决定数量", "<"],
    ["行政许可", "284", "-11", "3127", "<"],
    ["其他对外管理服务事项", "46", "5", "962", "<"],
    ["第二十条第（六）项", "<", "<", "<", "<"],
    ["信息内容", "上一年\n项目数量", "本年增/减", "处理决定数量", "<"],
    ["行政处罚", "38", "0", "745", "<"],
    ["行政强制", "7", "2", "29", "<"],
    ["第二十条第（八）项", "<", "<", "<", "<"],
    ["信息内容", "上一年项目数量", "<", "本年增/减", "<"],
    ["行政事业性收费", "11", "<", "-3", "<"],
    ["第二十条第（九）项", "<", "<", "<", "<"],
    ["信息内容", "采购项目数量", "<", "采购总金额", "<"],
    ["政府集中采购", "5", "<", "367000元", "<"],
]

# report_2019_gbk.html, table 1 (表三, 2019 edition; blanks are &nbsp;)
T3_2019 = [
    [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "<",
        "<",
        "申请人情况",
        "<",
        "<",
        "<",
        "<",
        "<",
        "<",
    ],
    ["^", "^", "^", "自然人", "法人或其他组织", "<", "<", "<", "<", "总计"],
    ["^", "^", "^", "^", "商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他", "^"],
    ["一、本年新收政府信息公开申请数量", "<", "<", "549", "40", "3", "3", "13", "5", "613"],
    ["二、上年结转政府信息公开申请数量", "<", "<", "31", "2", "", "", "", "", "33"],
    ["三、本年度办理结果", "（一）予以公开", "<", "231", "15", "", "", "2", "1", ""],
    ["^", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "<", "42", "3", "", "", "1", "", "46"],
    ["^", "（三）不予公开", "1.属于国家秘密", "", "", "", "", "", "", ""],
    ["^", "^", "2.其他法律行政法规禁止公开", "2", "", "", "", "", "", "2"],
    ["^", "^", "3.危及“三安全一稳定”", "2", "", "", "", "", "", "2"],
    ["^", "^", "4.保护第三方合法权益", "5", "2", "", "", "", "", "7"],
    ["^", "^", "5.属于三类内部事务信息", "6", "", "", "", "", "", "6"],
    ["^", "^", "6.属于四类过程性信息", "13", "", "", "", "1", "", "14"],
    ["^", "^", "7.属于行政执法案卷", "3", "", "", "", "", "", "3"],
    ["^", "^", "8.属于行政查询事项", "7", "", "", "", "", "", "7"],
    ["^", "（四）无法提供", "1.本机关不掌握相关政府信息", "126", "11", "2", "1", "4", "3", "147"],
    ["^", "^", "2.没有现成信息需要另行制作", "17", "", "", "", "", "", "17"],
    ["^", "^", "3.补正后申请内容仍不明确", "6", "2", "", "", "", "", "8"],
    ["^", "（五）不予处理", "1.信访举报投诉类申请", "24", "", "", "", "", "", "24"],
    ["^", "^", "2.重复申请", "13", "1", "", "", "2", "", "16"],
    ["^", "^", "3.要求提供公开出版物", "3", "", "", "", "", "", "3"],
    ["^", "^", "4.无正当理由大量反复申请", "4", "", "", "", "", "", "4"],
    ["^", "^", "5.要求行政机关确认或重新出具已获取信息", "2", "", "", "", "", "", "2"],
    ["^", "（六）其他处理", "<", "16", "2", "", "", "", "", "18"],
    ["^", "（七）总计", "<", "522", "36", "2", "1", "10", "4", "575"],
    ["四、结转下年度继续办理", "<", "<", "58", "6", "1", "2", "3", "1", "71"],
]

# report_2019_gbk.html, table 2 (表四)
T4_2019 = [
    ["行政复议", "<", "<", "<", "<", "行政诉讼", "<", "<", "<", "<", "<", "<", "<", "<", "<"],
    [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "未经复议直接起诉",
        "<",
        "<",
        "<",
        "<",
        "复议后起诉",
        "<",
        "<",
        "<",
        "<",
    ],
    [
        "^",
        "^",
        "^",
        "^",
        "^",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ],
    ["6", "", "", "3", "9", "4", "", "", "2", "6", "", "", "", "", ""],
]

# layout_table_gb2312.html, table 0 (表二 inside a layout table, upper-case unclosed <TD>)
LAYOUT_T2 = [
    ["第二十条第（一）项", "<", "<", "<"],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "0", "0", "0"],
    ["行政规范性文件", "2", "1", "9"],
    ["第二十条第（五）项", "<", "<", "<"],
    ["信息内容", "本年处理决定数量", "<", "<"],
    ["行政许可", "1586", "<", "<"],
    ["第二十条第（六）项", "<", "<", "<"],
    ["信息内容", "本年处理决定数量", "<", "<"],
    ["行政处罚", "327", "<", "<"],
    ["行政强制", "0", "<", "<"],
    ["第二十条第（八）项", "<", "<", "<"],
    ["信息内容", "本年收费金额（单位：万元）", "<", "<"],
    ["行政事业性收费", "0", "<", "<"],
]

# layout_table_gb2312.html, table 1
LAYOUT_T4 = [
    ["行政复议", "<", "<", "<", "<", "行政诉讼", "<", "<", "<", "<", "<", "<", "<", "<", "<"],
    [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "未经复议直接起诉",
        "<",
        "<",
        "<",
        "<",
        "复议后起诉",
        "<",
        "<",
        "<",
        "<",
    ],
    [
        "^",
        "^",
        "^",
        "^",
        "^",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ],
    ["1", "0", "0", "0", "1", "0", "1", "0", "0", "1", "0", "0", "0", "0", "0"],
]

# js_escaped_2019.js: fragments of a 2019 page (rows outside their table, a cut 表三) as a JavaScript string
JS_T2_TAIL = [
    ["第二十条第（九）项", "<", "<", "<", "<"],
    ["信息内容", "采购项目数量", "<", "采购总金额", "<"],
    ["政府集中采购", "4", "<", "138000元", "<"],
]
JS_T3_HEAD = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "<", "<", "申请人情况"] + ["<"] * 6,
    ["^", "^", "^", "自然人", "法人或其他组织", "<", "<", "<", "<", "总计"],
]


def resolve(marks: list[list[str]]) -> list[list[tuple[str, bool]]]:
    """Marks → (text, merged) per slot."""
    out: list[list[tuple[str, bool]]] = []
    for r, row in enumerate(marks):
        line: list[tuple[str, bool]] = []
        for c, mark in enumerate(row):
            if mark == "<":
                line.append((line[c - 1][0], True))
            elif mark == "^":
                line.append((out[r - 1][c][0], True))
            else:
                line.append((mark, False))
        out.append(line)
    return out


def assert_grid(table: Table, marks: list[list[str]], index: int) -> None:
    """``index``: the table's number in the page, from 1; rows and columns count from 0."""
    assert table.exact and table.layout == "html"
    assert table.location == Location(table=index)
    want = resolve(marks)
    assert len(table.rows) == len(want), "row count"
    for r, (got_row, want_row) in enumerate(zip(table.rows, want, strict=True)):
        assert len(got_row) == len(want_row), f"row {r} width"
        for c, (cell, (text, merged)) in enumerate(zip(got_row, want_row, strict=True)):
            assert (cell.text, cell.merged) == (text, merged), f"table {index} row {r} col {c}"
            assert cell.location == Location(table=index, row=r + 1, col=c + 1)


def fixture(name: str) -> Document:
    return read_path(FIX / name)


def page(html: str | bytes) -> Document:
    data = html.encode("utf-8") if isinstance(html, str) else html
    return reader.read(data, Source("t.html", "0" * 64, "html"))


def texts(doc: Document) -> list[str]:
    return [b.text for b in doc.paragraphs()]


def kinds(doc: Document) -> list[str]:
    return ["T" if isinstance(b, Table) else b.text for b in doc.blocks]


def source_line(name: str, line: int) -> str:
    raw = (FIX / name).read_bytes()
    text = raw.decode("utf-8") if name.endswith("utf8.html") else raw.decode("gb18030")
    return text.splitlines()[line - 1]


# ------------------------------------------------------------ the 2021 page --


def test_2021_page_tables_cell_by_cell() -> None:
    doc = fixture("report_2021_utf8.html")
    tables = doc.tables()
    assert len(tables) == 3
    for i, (table, marks) in enumerate(zip(tables, (T2_2021, T3_2021, T4_2021), strict=True), start=1):
        assert_grid(table, marks, i)


def test_2021_page_numbers_with_nbsp_and_blank_cells() -> None:
    t2, t3, t4 = fixture("report_2021_utf8.html").tables()
    assert [t2.rows[r][1].text for r in (6, 9, 10)] == ["5218", "1307", "46"]  # 5218&nbsp; &nbsp;1307 46\u00a0
    assert t3.rows[3][3].text == "146" and t3.rows[6][9].text == "20"
    assert t3.rows[2][4].text == "商业\n企业"  # 商业<br />企业
    assert [c.text for c in t4.rows[3][11:13]] == ["", ""]  # &nbsp;
    assert not any(c.merged for c in t4.rows[3])


def test_2021_page_leaves_out_site_chrome() -> None:
    doc = fixture("report_2021_utf8.html")
    everything = "\n".join(texts(doc)) + "".join(c.text for t in doc.tables() for row in t.rows for c in row)
    for chrome in (
        "临江概况",  # menu (108 links)
        "政府信息公开指南",
        "欢迎访问",  # top bar
        "请输入关键字",
        "当前位置",  # breadcrumb
        "分享到",
        "相关链接",
        "2020年政府信息公开工作年度报告",  # related-links list
        "网站标识码",  # footer
        "关于我们",
        "fontZoom",  # scripts
        "公告",
        "font-family",  # style
    ):
        assert chrome not in everything, chrome


def test_2021_page_paragraphs_in_document_order() -> None:
    doc = fixture("report_2021_utf8.html")
    got = kinds(doc)
    assert got[0] == "临江市人民政府2021年政府信息公开工作年度报告"  # the article's <h1>, outside the body div
    assert got[1].startswith("发布时间：2022-01-28 16:30 来源：临江市人民政府办公室")
    headings = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    headings += ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    at = [got.index(h) for h in headings]
    assert at == sorted(at)
    assert got[at[1] + 1] == got[at[2] + 1] == got[at[3] + 1] == "T"
    assert got.count("T") == 3
    # <div>六、…<br />本机关…<br />本年度…</div>: one paragraph per line
    assert got[at[5] : at[5] + 3] == [
        "六、其他需要报告的事项",
        "本机关2021年度发出收费通知的件数为2件，总金额为6400元，实际收取的总金额为0元。",
        "本年度无其他需要报告的事项。",
    ]
    assert got[-2:] == ["临江市人民政府办公室", "2022年1月28日"]
    # inline <strong>/<span> stay inside their paragraph
    assert (
        "（一）主动公开。全年通过市政府门户网站主动公开政府信息12806条，其中政策文件391件，政策解读214篇；举办新闻发布会47场。"
        in got
    )


def test_paragraph_lines_are_source_lines() -> None:
    for name in ("report_2021_utf8.html", "layout_table_gb2312.html"):
        doc = fixture(name)
        for p in doc.paragraphs():
            assert p.location.line is not None
            assert p.text[:6] in source_line(name, p.location.line).replace("　", ""), (name, p)


def test_2021_page_source() -> None:
    doc = fixture("report_2021_utf8.html")
    assert doc.source.format == "html" and doc.source.encoding == "utf-8"
    assert doc.notes == []


# ------------------------------------------------------------ the 2019 page --


def test_2019_gbk_page_tables_cell_by_cell() -> None:
    doc = fixture("report_2019_gbk.html")
    assert doc.source.encoding == "gb18030"
    tables = doc.tables()
    assert len(tables) == 3
    for i, (table, marks) in enumerate(zip(tables, (T2_2019, T3_2019, T4_2019), strict=True), start=1):
        assert_grid(table, marks, i)


def test_2019_gbk_page_text() -> None:
    doc = fixture("report_2019_gbk.html")
    got = texts(doc)
    assert got[0] == "青岚市临溪区人民政府办公室2019年政府信息公开工作年度报告"
    # 䶮 exists in GB18030, not GBK
    assert "本机关本年度没有其他需报告事项。联系人：王䶮，联系电话：0999-6543210。" in got
    assert "四、政府信息公开行政复议、行政诉讼情况" in got  # <p><br />四、…</p>
    assert not any("您现在的位置" in t or "网站标识码" in t or "政务服务" in t for t in got)
    t2, t3, _ = doc.tables()
    assert t2.rows[17][3].text == "367000元"
    assert (t3.rows[5][9].text, t3.rows[5][9].merged) == ("", False)  # 予以公开 总计 left blank


# ----------------------------------------------------------- layout tables --


def test_layout_table_page() -> None:
    doc = fixture("layout_table_gb2312.html")
    assert doc.source.encoding == "gb18030"  # declared gb2312 in http-equiv
    tables = doc.tables()
    assert len(tables) == 2
    assert_grid(tables[0], LAYOUT_T2, 1)
    assert_grid(tables[1], LAYOUT_T4, 2)
    assert kinds(doc) == [
        "临江市交通运输局2021年政府信息公开工作年度报告",
        "发布时间：2022-01-25 来源：局办公室 点击数：286",
        "根据《中华人民共和国政府信息公开条例》规定，现公布临江市交通运输局2021年政府信息公开工作年度报告。",
        "一、总体情况",
        "2021年，我局全年主动公开政府信息312条，其中行政许可信息1586条通过信用平台同步公开。",
        "全年收到政府信息公开申请5件，均已按期答复。",
        "二、主动公开政府信息情况",
        "T",
        "三、收到和处理政府信息公开申请情况",
        "（详见附表，略）",
        "四、政府信息公开行政复议、行政诉讼情况",
        "T",
        "五、存在的主要问题及改进情况",
        "主动公开的及时性仍需提高。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ]


def test_layout_table_with_prose_is_read_as_page_content() -> None:
    prose = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，" * 10
    doc = page(
        f"""<html><body><table><tr><td>标题栏</td><td>年度报告</td></tr>
        <tr><td>左栏</td><td><p>{prose}</p><table border=1><tr><td>规章</td><td>2</td></tr>
        <tr><td>行政规范性文件</td><td>5</td></tr></table><p>结尾</p></td></tr></table></body></html>"""
    )
    assert kinds(doc) == [prose, "T", "结尾"]  # the cell holding the report; the layout is no table
    assert [[c.text for c in row] for row in doc.tables()[0].rows] == [["规章", "2"], ["行政规范性文件", "5"]]


def test_table_of_one_column_is_layout() -> None:
    doc = page("<body><table><tr><td>一、总体情况</td></tr><tr><td>本年度…</td></tr></table></body>")
    assert kinds(doc) == ["一、总体情况", "本年度…"]


def test_nested_table_in_a_data_cell_is_its_own_table() -> None:
    doc = page(
        """<body><p>附表</p><table>
        <tr><td>信息内容</td><td>数量</td><td>备注</td></tr>
        <tr><td>行政许可</td><td>12</td><td>其中：<br><b>见下表</b><table><tr><td>网上</td><td>7</td></tr>
        <tr><td>窗口</td><td>5</td></tr></table></td></tr>
        <tr><td>行政处罚</td><td>3</td><td>无</td></tr></table></body>"""
    )
    outer, inner = doc.tables()
    assert [[c.text for c in row] for row in outer.rows] == [
        ["信息内容", "数量", "备注"],
        ["行政许可", "12", "其中：\n见下表"],
        ["行政处罚", "3", "无"],
    ]
    assert [[c.text for c in row] for row in inner.rows] == [["网上", "7"], ["窗口", "5"]]
    assert inner.location == Location(table=2) and inner.rows[1][1].location == Location(table=2, row=2, col=2)
    assert kinds(doc) == ["附表", "T", "T"]


# ------------------------------------------------------------------- cells --


def test_cell_text_breaks_and_spaces() -> None:
    doc = page(
        """<body><table>
        <tr><td>本年新<br />制作数量</td><td><p>第一段</p><p>第二段</p></td><td> <p>&nbsp;</p> </td></tr>
        <tr><td>&nbsp;&nbsp;17&nbsp;</td><td>　0　</td><td>商业
        企业</td></tr></table></body>"""
    )
    (table,) = doc.tables()
    assert [[c.text for c in row] for row in table.rows] == [
        ["本年新\n制作数量", "第一段\n第二段", ""],
        ["17", "0", "商业 企业"],
    ]
    assert doc.paragraphs() == []  # paragraphs inside cells belong to the cells


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("12<span>3</span>4", "1234"),  # one inline element: one line
        ("<p>12</p>", "12"),
        (" <p>12</p> ", "12"),
        ("a<p>b</p>", "a\nb"),  # a block element after text, or before it, breaks the line
        ("<p>b</p>c", "b\nc"),
        ("<br/>x", "x"),
        ("x<br/>", "x"),
        ("5<o:p></o:p>", "5"),
        ("<hr/>", ""),
    ],
)
def test_a_cell_of_one_element_reads_as_with_several(cell: str, text: str) -> None:
    (table,) = page(f"<body><table><tr><td>行</td><td>{cell}</td><td>2</td></tr></table></body>").tables()
    assert table.rows[0][1].text == text
    # the same cell with a second element that adds nothing takes the general way: same text
    (table,) = page(f"<body><table><tr><td>行</td><td>{cell}<i></i></td><td>2</td></tr></table></body>").tables()
    assert table.rows[0][1].text == text


@pytest.mark.parametrize(
    ("value", "span"),
    [(None, 1), ("", 1), ("2", 2), ("3 ", 3), ("2;", 2), ('"4"', 4), ("0", 1), ("abc", 1), ("99999", 1000)],
)
def test_spans_are_read_defensively(value: str | None, span: int) -> None:
    assert reader._span(value) == span


def test_sloppy_spans_on_the_grid() -> None:
    doc = page(
        """<body><table>
        <tr><td rowspan="3 ">三、本年度办理结果</td><td colspan="2;">（一）予以公开</td><td>5</td></tr>
        <tr><td rowspan=0>（三）不予公开</td><td>1.属于国家秘密</td><td>0</td></tr>
        <tr><td>x</td><td>2.其他</td><td>1</td></tr></table></body>"""
    )
    assert resolve(
        [["三、本年度办理结果", "（一）予以公开", "<", "5"], ["^", "（三）不予公开", "1.属于国家秘密", "0"]]
    ) == [[(c.text, c.merged) for c in row] for row in doc.tables()[0].rows[:2]]
    assert [c.text for c in doc.tables()[0].rows[2]] == ["三、本年度办理结果", "x", "2.其他", "1"]


def test_rowspan_past_the_last_row_is_clipped() -> None:
    doc = page('<body><table><tr><td rowspan="50">a</td><td>1</td></tr><tr><td>2</td></tr></table></body>')
    assert [[(c.text, c.merged) for c in row] for row in doc.tables()[0].rows] == [
        [("a", False), ("1", False)],
        [("a", True), ("2", False)],
    ]


def test_oversized_colspan_adds_no_columns() -> None:
    doc = page(
        """<body><table><tr><td colspan="99">第二十条第（一）项</td></tr>
        <tr><td>规章</td><td>1</td><td>2</td></tr><tr><td colspan="1000000">x</td></tr></table></body>"""
    )
    rows = doc.tables()[0].rows
    assert [len(r) for r in rows] == [3, 3, 3]
    assert [(c.text, c.merged) for c in rows[0]] == [("第二十条第（一）项", False)] + [("第二十条第（一）项", True)] * 2


def test_short_rows_are_padded_with_blank_cells() -> None:
    doc = page("<body><table><tr><td>a</td><td>b</td><td>c</td></tr><tr><td>d</td></tr></table></body>")
    assert [(c.text, c.merged) for c in doc.tables()[0].rows[1]] == [("d", False), ("", False), ("", False)]


def test_unclosed_cells_and_rows() -> None:
    doc = page("<body><table><tr><td>规章<td>1<td>2<tr><td>行政规范性文件<td>3<td>4</table></body>")
    assert [[c.text for c in row] for row in doc.tables()[0].rows] == [["规章", "1", "2"], ["行政规范性文件", "3", "4"]]


def test_empty_tables_are_skipped() -> None:
    doc = page(
        "<body><p>甲</p><table><tr><td>&nbsp;</td><td> </td></tr></table><table><tr><td>a</td><td>1</td></tr>"
        "<tr><td>b</td><td>2</td></tr></table></body>"
    )
    assert kinds(doc) == ["甲", "T"]
    assert doc.tables()[0].location == Location(table=1)


# -------------------------------------------------------------- paragraphs --


def test_bare_text_and_br_lines_are_kept() -> None:
    doc = page("<body>第一行<br>第二行<br/><b>第三</b>行<div>块<span>内</span></div>尾巴<br><br>  <p>段</p>末</body>")
    assert texts(doc) == ["第一行", "第二行", "第三行", "块内", "尾巴", "段", "末"]


def test_pre_keeps_its_lines() -> None:
    doc = page("<body><pre>一、总体情况\n  本年度……\n\n二、主动公开</pre></body>")
    assert texts(doc) == ["一、总体情况", "本年度……", "二、主动公开"]


def test_tr_fragments_outside_a_table_are_a_table() -> None:
    doc = page("<tr><td>规章</td><td>1</td></tr><tr><td>行政规范性文件</td><td>2</td></tr><p>三、收到</p>")
    assert [[c.text for c in row] for row in doc.tables()[0].rows] == [["规章", "1"], ["行政规范性文件", "2"]]
    assert kinds(doc) == ["T", "三、收到"]


def test_hidden_and_chrome_named_parts_are_dropped_but_the_article_header_is_kept() -> None:
    body = "<p>" + "依据《中华人民共和国政府信息公开条例》编制本报告。" * 8 + "</p>"
    doc = page(
        f"""<body><div class="header"><a href="/">首页</a><a href="/x">政务公开</a></div>
        <div class="article-header"><h1>某区某局2023年政府信息公开工作年度报告</h1></div>
        <div id="content">{body}<div style="display: none">隐藏的统计代码</div>
        <ul class="related-list"><li><a href="/1">相关文章一</a></li></ul>
        <p>收到申请<span style="DISPLAY: NONE">防复制</span>12件<font hidden>隐</font>。</p></div>
        <aside>侧栏</aside><div id="footer">版权所有 某区某局</div></body>"""
    )
    assert texts(doc) == ["某区某局2023年政府信息公开工作年度报告", body[3:-4], "收到申请12件。"]


# ---------------------------------------------------------------- decoding --


GBK_PAGE = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><p>政府信息公开</p></body></html>'


@pytest.mark.parametrize(
    ("data", "encoding", "noted"),
    [
        (GBK_PAGE.encode("gbk"), "gb18030", False),
        (GBK_PAGE.replace("gb2312", "GBK").encode("gbk"), "gb18030", False),
        (GBK_PAGE.encode("utf-8"), "utf-8", True),  # says gb2312, is UTF-8
        (codecs.BOM_UTF8 + GBK_PAGE.encode("utf-8"), "utf-8-sig", False),  # the BOM wins over <meta>
        (codecs.BOM_UTF16_LE + GBK_PAGE.encode("utf-16-le"), "utf-16", False),
        (GBK_PAGE.replace("gb2312", "").encode("gb18030"), "gb18030", False),  # nothing declared
        (b'<?xml version="1.0" encoding="gbk"?>' + GBK_PAGE.encode("gbk"), "gb18030", False),
        (b'<?xml version="1.0" encoding="utf-8"?>\n' + GBK_PAGE.replace("gb2312", "utf-8").encode(), "utf-8", False),
        (GBK_PAGE.replace("gb2312", "utf-16").encode("utf-8"), "utf-8", False),  # a page that wrongly says UTF-16
    ],
)
def test_decoding(data: bytes, encoding: str, noted: bool) -> None:
    doc = page(data)
    assert texts(doc) == ["政府信息公开"]
    assert doc.source.encoding == encoding
    assert bool(doc.notes) == noted


def test_js_escaped_page() -> None:
    doc = fixture("js_escaped_2019.js")
    assert doc.source.format == "html"
    assert doc.notes == ["网页内容是 JavaScript 转义字符串，已还原为 HTML 后读取"]
    tables = doc.tables()
    assert len(tables) == 3
    assert_grid(tables[0], JS_T2_TAIL, 1)  # <tr> rows whose <table> is outside the fragment
    assert_grid(tables[1], JS_T3_HEAD, 2)
    assert_grid(tables[2], T4_2019[:-1] + [["3", "", "", "1", "4", "6", "", "", "2", "8"] + [""] * 5], 3)
    assert texts(doc) == [
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、政府信息公开工作存在的主要问题及改进情况",
    ]


def test_js_unicode_escapes() -> None:
    doc = page(
        'document.write("<p class=\\"x\\">\\u653f\\u5e9c<\\/p><p class=\\"y\\">\\ud83d\\ude00\\n\\u4fe1\\u606f<\\/p>");'
    )
    assert texts(doc) == ["政府", "😀 信息"]
    doc = page('<p class=\\"a\\">\\u0000\\u653f\\ud800<\\/p><p class=\\"b\\">x<\\/p>')
    assert texts(doc) == ["政\ufffd", "x"]


# ------------------------------------------------------------------ errors --


def test_binary_garbage_is_a_clear_error() -> None:
    with pytest.raises(ReportError, match="编码|二进制"):
        fixture("garbage_binary.html")


def test_control_characters_in_text_are_garbage() -> None:
    with pytest.raises(ReportError, match="二进制"):
        page(b"<html><body><div>" + bytes(range(1, 9)) * 200 + b"</div></body></html>")


def test_a_few_control_characters_are_dropped() -> None:
    assert texts(page(b"<body><p>\x01\x02\xe6\x94\xbf\xe5\xba\x9c\x0b</p></body>")) == ["政府"]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t ",
        b"<html><body></body></html>",
        b"<html><body><img src='x.png'><p>&nbsp;</p></body></html>",
        b"<script>var x = '<p>\xe6\x94\xbf</p>';</script><style>p{}</style>",
        b"<!-- \xe6\x94\xbf\xe5\xba\x9c -->",
        b"<frameset><frame src='a.html'></frameset>",
    ],
)
def test_pages_without_text(data: bytes) -> None:
    with pytest.raises(ReportError, match="网页中没有正文"):
        page(data)


def test_page_with_only_site_chrome() -> None:
    with pytest.raises(ReportError, match="网页中没有正文"):
        fixture("no_text.html")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([b"", b"<html><body><div>", b"<table><tr><td>", b"<p>\\u"]))
def test_any_bytes_give_a_document_or_a_report_error(data: bytes, prefix: bytes) -> None:
    try:
        doc = page(prefix + data)
    except ReportError as e:
        assert str(e) and "\n" not in str(e)
    else:
        assert doc.blocks


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="<>/=\"' \n\\tdrpbyle阿1", max_size=400))
def test_any_markup_gives_a_document_or_a_report_error(markup: str) -> None:
    try:
        doc = page(markup)
    except ReportError as e:
        assert str(e) and "\n" not in str(e)
    else:
        assert doc.blocks and all(b.text.strip() for b in doc.paragraphs())


# -------------------------------------------------------- other pages --


def test_read_bytes_sends_web_pages_here() -> None:
    data = (FIX / "report_2019_gbk.html").read_bytes()
    doc = read_bytes(data, "nb2019.shtml")
    assert doc.source.format == "html" and doc.source.file == "nb2019.shtml" and doc.source.encoding == "gb18030"


@pytest.mark.parametrize("ed", ["2021", "2019"])
@pytest.mark.parametrize("seed", range(4))
def test_synthetic_pages(ed: str, seed: int) -> None:
    rng = random.Random(seed)
    cells = synth_cells(rng, ed)
    doc = page(synth_report_html(cells, ed, "某市某区某局", 2023, rng))
    t2, t3, t4 = doc.tables()
    assert [c.text for c in t4.rows[-1]] == [str(v) for k, v in cells.items() if k.startswith("table4.")]
    assert len(t3.rows[0]) == 10 and len(t3.rows) == (28 if ed == "2021" else 26)
    assert texts(doc)[0] == "某市某区某局2023年政府信息公开工作年度报告"
    for chrome in ("无障碍", "请输入关键字", "您现在的位置", "相关链接", "网站标识码", "分享到"):
        assert not any(chrome in t for t in texts(doc)), chrome
    assert all(isinstance(b, Paragraph | Table) for b in doc.blocks)


def test_huge_grids_are_skipped_with_a_note() -> None:
    spans = '<table><tr><td rowspan="1000" colspan="1000">x</td></tr>' + "<tr><td>1</td></tr>" * 999 + "</table>"
    rows = "".join("<tr>" + "<td>7</td>" * 20 + "</tr>" for _ in range(600))
    doc = page(
        f"<body><p>附件</p>{spans}<table>{rows}</table><table><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></table></body>"
    )
    assert kinds(doc) == ["附件", "T"]
    assert doc.tables()[0].location == Location(table=1)
    assert doc.notes == [
        "网页中有一个表格过大（1000 个单元格），不是年报的统计表，未读取",
        "网页中有一个表格过大（12000 个单元格），不是年报的统计表，未读取",
    ]


def test_excerpt_cut_inside_a_table_keeps_what_follows() -> None:
    """Pieces of a page joined by ``[...]``, the cut falling inside 表三 (cells outside any row,
    the table never closed), as a JavaScript string: the paragraphs and tables after the cut
    are still read, in order."""
    rng = random.Random(7)
    page_html = synth_report_html(synth_cells(rng, "2021"), "2021", "某市某区某局", 2023, rng)
    body = page_html[page_html.index('<div class="content') : page_html.index('<div class="share')]
    t3 = body.index("（一）予以公开")
    cut = body.rindex("<tr>", 0, t3)
    resume = body.index("<td", body.index("（三）不予公开"))
    end = body.index("</table>", resume)
    excerpt = body[:cut] + "\n[...]\n" + body[resume:end] + body[end + len("</table>") :]
    escaped = excerpt.replace('"', '\\"').replace("</", "<\\/").replace("\n", "\\n")
    doc = page(f'var content = "{escaped}";')
    heads = [t for t in texts(doc) if t[:2] in ("四、", "五、", "六、")]
    assert heads == ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert any(any(c.text == "结果维持" for c in row) for t in doc.tables() for row in t.rows)
    assert any(any("属于行政查询事项" in c.text for c in row) for t in doc.tables() for row in t.rows)
