"""Builds the PDF and image fixtures of tests/read: template tables as HTML with
narrow cells (labels wrap), converted by LibreOffice; a borderless table; a
"scanned" page drawn with PIL and Noto Sans CJK.

``python tests/read/pdf_make.py`` rewrites the committed files in
tests/fixtures/pdf/. The tests import the builders to compare cell by cell.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

T3_HEADER_NUMBERS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
# (label, group, subgroup); label-only rows of the 2021 表三
T3_ROWS = [
    ("一、本年新收政府信息公开申请数量", None, None),
    ("二、上年结转政府信息公开申请数量", None, None),
    ("（一）予以公开", "三、本年度办理结果", None),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "三、本年度办理结果", None),
    *[
        (x, "三、本年度办理结果", "（三）不予公开")
        for x in (
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        )
    ],
    *[
        (x, "三、本年度办理结果", "（四）无法提供")
        for x in ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")
    ],
    *[
        (x, "三、本年度办理结果", "（五）不予处理")
        for x in (
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        )
    ],
    *[
        (x, "三、本年度办理结果", "（六）其他处理")
        for x in (
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "3.其他",
        )
    ],
    ("（七）总计", "三、本年度办理结果", None),
    ("四、结转下年度继续办理", None, None),
]


def t3_values() -> list[list[str]]:
    """Deterministic numbers, one row of 7 per label; blanks ("") included."""
    out = []
    for i in range(len(T3_ROWS)):
        parts = [(i * 7 + j * 3) % 13 for j in range(6)]
        cells = [str(p) for p in parts] + [str(sum(parts))]
        if i == 5:
            cells[2] = ""  # a blank cell stays blank
        out.append(cells)
    out[0][0] = "1024"  # a wide number
    return out


def t3_html(values: list[list[str]], *, repeat_header: bool = True, page_number_row: bool = False) -> str:
    """表三 with the template's merges and narrow label columns: labels wrap, the
    group label 三、本年度办理结果 prints one character per line."""
    w = ' width="60"'
    narrow = ' width="14"'
    head = (
        "<tr><td colspan=3 rowspan=3>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
        "<td colspan=7>申请人情况</td></tr>"
        "<tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>"
        "<tr><td>商 业 企 业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
    )
    body = []
    spans = {
        "三、本年度办理结果": 22,
        "（三）不予公开": 8,
        "（四）无法提供": 3,
        "（五）不予处理": 5,
        "（六）其他处理": 3,
    }
    seen: set[str] = set()
    for (label, group, sub), vals in zip(T3_ROWS, values, strict=True):
        tds = []
        if group is None:
            tds.append(f"<td colspan=3{w}>{label}</td>")
        else:
            if group not in seen:
                seen.add(group)
                tds.append(f"<td rowspan={spans[group]}{narrow}>{group}</td>")
            if sub is None:
                tds.append(f"<td colspan=2{w}>{label}</td>")
            else:
                if sub not in seen:
                    seen.add(sub)
                    tds.append(f"<td rowspan={spans[sub]}{w}>{sub}</td>")
                tds.append(f"<td{w}>{label}</td>")
        tds += [f"<td>{v}</td>" for v in vals]
        body.append("<tr>" + "".join(tds) + "</tr>")
        if page_number_row and label.startswith("二、"):
            body.append("<tr><td colspan=10>- 4 -</td></tr>")
    thead = f"<thead>{head}</thead>" if repeat_header else head
    return f'<table border=1 cellspacing=0 cellpadding=2 style="font-size:10pt">{thead}{"".join(body)}</table>'


def report_html(values: list[list[str]], *, repeat_header: bool = True, filler: int = 14, **table: bool) -> str:
    paras = "".join(
        f"<p>（{i}）本机关认真贯彻落实政府信息公开条例，做好主动公开和依申请公开工作，第{i}段。</p>"
        for i in range(1, filler + 1)
    )
    return (
        '<html><head><meta charset="utf-8"><style>body{font-family:"Noto Sans CJK SC";font-size:10.5pt}</style>'
        "</head><body>"
        "<p>某某区人民政府办公室2024年政府信息公开工作年度报告</p><p>一、总体情况</p>"
        f"{paras}"
        "<p>三、收到和处理政府信息公开申请情况</p>"
        f"{t3_html(values, repeat_header=repeat_header, **table)}"
        "<p>四、政府信息公开行政复议、行政诉讼情况</p>"
        "<p>本年度未发生行政复议、行政诉讼。</p>"
        '<div title="footer"><p align="center">- <sdfield type=PAGE subtype=RANDOM format=PAGE>1</sdfield> -</p></div>'
        "</body></html>"
    )


BORDERLESS_ROWS = [
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "3", "0", "12"],
    ["行政规范性文件", "15", "2", "140"],
]


def borderless_html() -> str:
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in BORDERLESS_ROWS)
    return (
        '<html><head><meta charset="utf-8"></head><body style="font-family:Noto Sans CJK SC">'
        "<p>二、主动公开政府信息情况</p>"
        f'<table border=0 cellspacing=0 cellpadding=6 width="90%">{rows}</table>'
        "<p>以上为主动公开情况。</p></body></html>"
    )


def soffice_pdf(src: Path, outdir: Path, password: str | None = None) -> Path:
    """Convert ``src`` (HTML/DOCX) to PDF with a private LibreOffice profile;
    ``password`` encrypts it (a password is needed to open it)."""
    return soffice_pdfs([src], outdir, password)[0]


def soffice_pdfs(srcs: list[Path], outdir: Path, password: str | None = None) -> list[Path]:
    """Convert several files in one LibreOffice run (start-up is most of the time)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    profile = Path(tempfile.gettempdir()) / f"lo_{uuid.uuid4().hex}"
    env = {**os.environ, "HOME": str(profile)}
    filt = "pdf:writer_pdf_Export"
    if password:
        filt += (
            ':{"EncryptFile":{"type":"boolean","value":"true"},'
            f'"DocumentOpenPassword":{{"type":"string","value":"{password}"}}}}'
        )
    args = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--writer", "--convert-to", filt]
    try:
        subprocess.run(
            [*args, "--outdir", str(outdir), *map(str, srcs)], env=env, check=True, capture_output=True, timeout=600
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = [outdir / (src.stem + ".pdf") for src in srcs]
    missing = [p.name for p in out if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice produced no PDF for {missing}")
    return out


SCAN_HEADER = ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
SCAN_ROWS = [
    ["规章", "3", "0", "12"],
    ["行政规范性文件", "15", "2", "140"],
    ["行政许可", "1067", "", ""],
]


def scan_image(*, grid: bool = True, rotate: float = 0.4, blur: float = 0.5):
    """A page with a title line, a 4-column table (ruled when ``grid``) and a closing line, at ~150 dpi."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(FONT, 26, index=2)
    img = Image.new("L", (1240, 900), 255)
    d = ImageDraw.Draw(img)
    d.text((100, 60), "二、主动公开政府信息情况", font=font, fill=0)
    xs = [100, 420, 660, 900, 1140]
    y0, h = 150, 60
    rows = [SCAN_HEADER, *SCAN_ROWS]
    for r, row in enumerate(rows):
        y = y0 + r * h
        for c, text in enumerate(row):
            d.text((xs[c] + 14, y + 14), text, font=font, fill=0)
    if grid:
        for r in range(len(rows) + 1):
            d.line([(xs[0], y0 + r * h), (xs[-1], y0 + r * h)], fill=0, width=2)
        for x in xs:
            d.line([(x, y0), (x, y0 + len(rows) * h)], fill=0, width=2)
    d.text((100, y0 + len(rows) * h + 60), "本年度行政事业性收费为零。", font=font, fill=0)
    if rotate:
        img = img.rotate(rotate, fillcolor=255, resample=Image.BICUBIC)
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    return img


def main() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        vals = t3_values()
        for name, html in (
            # filler lengths chosen so that a row is cut by the page break
            ("table3_repeat", report_html(vals, repeat_header=True, filler=17)),
            ("table3_norepeat", report_html(vals, repeat_header=False, filler=10, page_number_row=True)),
            ("borderless", borderless_html()),
        ):
            src = t / f"{name}.html"
            src.write_text(html, encoding="utf-8")
            shutil.copy(soffice_pdf(src, t), FIXTURES / f"{name}.pdf")
        src = t / "encrypted.html"
        src.write_text(borderless_html(), encoding="utf-8")
        shutil.copy(soffice_pdf(src, t, password="nianbao"), FIXTURES / "encrypted.pdf")
    scan_image().save(FIXTURES / "scan.png")
    scan_image(grid=False, rotate=0).save(FIXTURES / "scan_noruling.png")
    scan_image().convert("RGB").save(FIXTURES / "scan.pdf", resolution=150)
    data = (FIXTURES / "table3_repeat.pdf").read_bytes()
    (FIXTURES / "truncated.pdf").write_bytes(data[: len(data) // 3])


if __name__ == "__main__":
    main()
