"""DOCX / .doc reader: grids cell by cell, list numbering as printed, bad files refused clearly."""

from __future__ import annotations

import io
import json
import random
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from nianbao.model import Location, ReportError, Source
from nianbao.pipeline import process
from nianbao.read import read_bytes, read_path
from nianbao.read.archive import BOMB
from nianbao.read.document import Paragraph, Table
from nianbao.read.docx import MAX_SPAN, read
from nianbao.read.numbering import chinese, format_number
from nianbao.render.docx import layouts, render_docx
from tests.read.docx_make import declare_size, docx_bytes, expand, grid_of, oddities_docx, sample_report

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "docx"
SRC = Source("t.docx", "0", "docx")


def tables_of(data: bytes) -> list[Table]:
    return read(data, SRC).tables()


# ------------------------------------------------------------- grids --


@pytest.mark.parametrize("ed", ["2021", "2019"])
def test_python_docx_made_grids_cell_by_cell(ed: str) -> None:
    report = sample_report(ed)
    tables = tables_of(render_docx(report))
    assert len(tables) == 3
    for table, layout in zip(tables, layouts(report).values(), strict=True):
        assert table.exact and table.layout == "docx"
        assert grid_of(table) == expand(layout)


def test_table3_template_merges_2021() -> None:
    t3 = tables_of(render_docx(sample_report("2021")))[1]
    rows = grid_of(t3)
    assert len(rows) == 3 + 25 and all(len(r) == 10 for r in rows)
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    # corner note: 3 columns × 3 rows, only the top-left slot is not merged
    assert [rows[r][c] for r in range(3) for c in range(3)] == [(note, False)] + [(note, True)] * 8
    assert rows[0][3:] == [("申请人情况", False)] + [("申请人情况", True)] * 6
    assert rows[1][3] == ("自然人", False) and rows[2][3] == ("自然人", True)
    assert rows[1][4:9] == [("法人或其他组织", False)] + [("法人或其他组织", True)] * 4
    assert rows[1][9] == ("总计", False) and rows[2][9] == ("总计", True)
    assert [t for t, _ in rows[2][4:9]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    # 三、本年度办理结果 spans 22 rows in column 1
    outcome = [rows[r][0] for r in range(5, 27)]
    assert outcome == [("三、本年度办理结果", False)] + [("三、本年度办理结果", True)] * 21
    # （三）不予公开 spans 8 rows in column 2; its items are in column 3
    assert [rows[r][1] for r in range(7, 15)] == [("（三）不予公开", False)] + [("（三）不予公开", True)] * 7
    assert rows[7][2] == ("1.属于国家秘密", False)
    # rows 一、二、四 span the three label columns
    assert (
        rows[3][:3] == [("一、本年新收政府信息公开申请数量", False)] + [("一、本年新收政府信息公开申请数量", True)] * 2
    )
    assert rows[27][:3] == [("四、结转下年度继续办理", False)] + [("四、结转下年度继续办理", True)] * 2
    # values: the sample report numbers cell i as i, every 5th blank
    assert [t for t, _ in rows[3][3:]] == ["10", "11", "12", "", "14", "15", "16"]
    assert [t for t, _ in rows[4][3:]] == ["17", "", "19", "20", "21", "22", ""]


def test_table2_and_table4_merges() -> None:
    t2, _, t4 = tables_of(render_docx(sample_report("2021")))
    rows2 = grid_of(t2)
    assert rows2[0] == [("第二十条第（一）项", False)] + [("第二十条第（一）项", True)] * 3
    assert rows2[1] == [("信息内容", False), ("本年制发件数", False), ("本年废止件数", False), ("现行有效件数", False)]
    assert rows2[2] == [("规章", False), ("0", False), ("1", False), ("2", False)]
    assert rows2[-1] == [("行政事业性收费", False), ("9116.36", False), ("9116.36", True), ("9116.36", True)]
    rows4 = grid_of(t4)
    assert len(rows4) == 4 and all(len(r) == 15 for r in rows4)
    assert rows4[0][:6] == [("行政复议", False)] + [("行政复议", True)] * 4 + [("行政诉讼", False)]
    assert rows4[1][0] == ("结果维持", False) and rows4[2][0] == ("结果维持", True)
    assert rows4[1][5] == ("未经复议直接起诉", False) and rows4[1][10] == ("复议后起诉", False)
    assert rows4[2][5] == ("结果维持", False)
    assert all(not merged for _, merged in rows4[3])


def test_cell_locations() -> None:
    t3 = tables_of(render_docx(sample_report("2021")))[1]
    assert t3.location == Location(table=2)
    assert t3.rows[4][3].location == Location(table=2, row=5, col=4)


def test_libreoffice_made_docx_continue_vmerge_and_sliver_columns() -> None:
    """LibreOffice writes <w:vMerge w:val="continue"/> and a 1-twip grid column in 表四."""
    data = (FIX / "lo_2021.docx").read_bytes()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert b'w:val="continue"' in xml and b'<w:gridCol w:w="1"/>' in xml
    report = sample_report("2021")
    tables = tables_of(data)
    assert [len(t.rows[0]) for t in tables] == [4, 10, 15]
    for table, layout in zip(tables, layouts(report).values(), strict=True):
        assert grid_of(table) == expand(layout)


# --------------------------------------------------------- paragraphs --


def test_numbering_tracked_changes_text_boxes_nested_tables() -> None:
    doc = read(oddities_docx(), SRC)
    paras = [(b.location.line, b.text) for b in doc.blocks if isinstance(b, Paragraph)]
    assert paras == [
        (1, "某某区2024年政府信息公开工作年度报告"),
        (2, "一、总体情况"),
        (3, "（一）主动公开"),
        (4, "（二）依申请公开"),
        (5, "二、主动公开政府信息情况"),
        (6, "（一）平台建设"),  # deeper levels restart under a new top-level item
        (7, "二.一.1 细目"),  # %1.%2.%3: each level in its own format, tab suffix after a digit
        (8, "二.一.2 细目"),
        (9, "1、收到和处理政府信息公开申请情况"),  # decimal "%1、" list, counted apart
        (10, "（1）小项"),
        (11, "2、政府信息公开行政复议、行政诉讼情况"),
        (12, "5、存在的主要问题及改进情况"),  # startOverride 5
        (13, "正文插入的文字年报"),  # w:del dropped, w:ins kept; text box, hidden text, ruby text ignored
        (14, "六、其他需要报告的事项"),  # numbered through the Heading 1 style, start 6
        (15, "结尾"),
    ]
    text = "".join(b.text for b in doc.paragraphs())
    for left_out in ("页眉", "页脚", "文本框", "删除", "隐藏", "nián"):
        assert left_out not in text
    outer, inner = doc.tables()
    assert grid_of(outer) == [[("甲\n第二段", False), ("乙", False)], [("丙", False), ("", False)]]
    assert grid_of(inner) == [[("内1", False), ("内2", False)]]
    assert (outer.location.table, inner.location.table) == (1, 2)
    assert doc.blocks.index(inner) == doc.blocks.index(outer) + 1
    assert doc.notes == [
        "12 个段落的编号是 Word 自动编号，已按 Word 显示的样子写出",
        "文档含修订标记：1 处已删除的文字未读取（按接受全部修订后的文本读取）",
        "1 处文本框或图形中的文字未读取",
        "1 处隐藏文字（不打印）未读取",
    ]


def test_rendered_headings_come_back_in_order() -> None:
    doc = read(render_docx(sample_report("2021")), SRC)
    heads = [p.text for p in doc.paragraphs() if p.text[:1] in "一二三四五六"]
    assert heads == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert doc.paragraphs()[0].text == "某某市某某区人民政府2024年政府信息公开工作年度报告"
    assert doc.paragraphs()[-1].text == "2025年1月20日"


@pytest.mark.parametrize(
    ("n", "fmt", "out"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCountingThousand", "十一"),
        (20, "chineseCounting", "二十"),
        (21, "chineseCounting", "二十一"),
        (105, "chineseCounting", "一百零五"),
        (110, "chineseCounting", "一百一十"),
        (3, "chineseLegalSimplified", "叁"),
        (2, "ideographTraditional", "乙"),
        (3, "decimalEnclosedCircle", "③"),
        (4, "decimalFullWidth", "４"),
        (28, "upperLetter", "BB"),
        (14, "lowerRoman", "xiv"),
        (7, "somethingNew", "7"),
    ],
)
def test_number_formats(n: int, fmt: str, out: str) -> None:
    assert format_number(n, fmt) == out
    assert chinese(1) == "一"


# ----------------------------------------------------------- bad files --


def _docx_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def test_zip_bomb_member_refused_before_inflating() -> None:
    good = render_docx(sample_report("2021"))
    members = {n: zipfile.ZipFile(io.BytesIO(good)).read(n) for n in zipfile.ZipFile(io.BytesIO(good)).namelist()}
    bomb = declare_size(_docx_zip(members), "word/document.xml", 3_000_000_000)
    assert zipfile.ZipFile(io.BytesIO(bomb)).getinfo("word/document.xml").file_size == 3_000_000_000
    with pytest.raises(ReportError, match="压缩炸弹"):
        read_bytes(bomb, "bomb.docx")


def test_zip_bomb_total_refused() -> None:
    members = {"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}
    members.update({f"word/media/m{i}.bin": b"0" for i in range(5)})
    data = _docx_zip(members)
    for i in range(5):
        data = declare_size(data, f"word/media/m{i}.bin", 45 * 1024 * 1024)
    with pytest.raises(ReportError) as e:
        read(data, SRC)
    assert str(e.value) == BOMB


def test_truncated_docx() -> None:
    data = render_docx(sample_report("2021"))
    with pytest.raises(ReportError, match="损坏"):
        read_bytes(data[: len(data) // 2], "half.docx")
    with pytest.raises(ReportError, match="损坏"):
        read(data[: len(data) // 2], SRC)


def test_corrupt_docx_xml() -> None:
    data = _docx_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document><w:body>\x00"})
    with pytest.raises(ReportError, match="文件已损坏"):
        read_bytes(data, "corrupt.docx")


@pytest.mark.parametrize("seed", range(30))
def test_damaged_bytes_read_or_refuse_in_one_line(seed: int) -> None:
    """Bytes flipped anywhere in a DOCX: either it still reads, or ReportError — nothing else."""
    rng = random.Random(seed)
    data = bytearray(render_docx(sample_report("2021")))
    for _ in range(rng.choice((1, 5, 50))):
        data[rng.randrange(len(data))] = rng.randrange(256)
    try:
        doc = read(bytes(data), SRC)
    except ReportError as e:
        assert str(e) and "\n" not in str(e)
    else:
        assert doc.source.format == "docx"


def test_zip_without_document_is_not_docx() -> None:
    with pytest.raises(ReportError, match="word/document.xml"):
        read(_docx_zip({"a.txt": b"x"}), SRC)


def _ole(*streams: str) -> bytes:
    """The start of an OLE2 compound file whose directory names ``streams``."""
    body = b"".join(s.encode("utf-16-le") + b"\x00" * 16 for s in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + body + b"\x00" * 512


def test_encrypted_docx_is_ole_with_encrypted_package() -> None:
    data = _ole("EncryptionInfo", "EncryptedPackage")
    with pytest.raises(ReportError, match="文件已加密"):
        read_bytes(data, "secret.docx")
    with pytest.raises(ReportError, match="文件已加密"):
        read(data, SRC)


def test_xls_under_doc_name() -> None:
    with pytest.raises(ReportError, match="Excel"):
        read_bytes(_ole("Workbook"), "report.doc")


# ----------------------------------------------------------------- .doc --


def test_doc_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReportError) as e:
        read_bytes(_ole("WordDocument"), "old.doc")
    assert "libreoffice-writer-nogui" in str(e.value)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_doc_made_by_libreoffice() -> None:
    doc = read_path(FIX / "lo_2019.doc")
    assert doc.source.format == "doc"
    assert any("LibreOffice" in n for n in doc.notes)
    report = sample_report("2019")
    for table, layout in zip(doc.tables(), layouts(report).values(), strict=True):
        assert grid_of(table) == expand(layout)
    assert "六、其他需要报告的事项" in [p.text for p in doc.paragraphs()]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_damaged_doc_gets_a_clear_message() -> None:
    with pytest.raises(ReportError, match="LibreOffice 无法转换"):
        read_bytes(_ole("WordDocument") + bytes(4096), "broken.doc")


def test_libreoffice_html_import() -> None:
    """A web page (site chrome, bullet lists) turned into DOCX by LibreOffice: every cell reads back."""
    doc = read((FIX / "lo_html.docx").read_bytes(), SRC)
    assert [(len(t.rows), len(t.rows[0])) for t in doc.tables()] == [(14, 4), (28, 10), (4, 15)]
    texts = [p.text for p in doc.paragraphs()]
    assert "•首页" in texts  # a Symbol-font bullet (U+F0B7) printed as •
    assert "三、收到和处理政府信息公开申请情况" in texts
    report = process((FIX / "lo_html.docx").read_bytes(), "lo_html.docx").report
    want = json.loads((FIX / "lo_html.cells.json").read_text(encoding="utf-8"))
    assert {p: report.value(p) for p in want} == want


def test_strict_open_xml_is_named() -> None:
    strict = b'<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body/></w:document>'
    with pytest.raises(ReportError, match="Strict Open XML"):
        read(_docx_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": strict}), SRC)


def test_absurd_grid_span_is_capped() -> None:
    """gridSpan="1000000000" must not build a billion slots."""
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.rows[0].cells[0].text = "甲"
    tcpr = t.rows[0].cells[1]._tc.get_or_add_tcPr()
    tcpr.append(parse_xml(f'<w:gridSpan {nsdecls("w")} w:val="1000000000"/>'))
    (table,) = read(docx_bytes(d), SRC).tables()
    assert len(table.rows[0]) <= 1 + MAX_SPAN
