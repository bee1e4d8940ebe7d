"""Complete reports: text in every layout, and a government web page."""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, replace
from typing import Any

from nianbao.synth.grids import GridCell, Style, formatter, grid_for
from nianbao.synth.layouts import HALFWIDTH_PUNCT, LAYOUT_FUNCS, LAYOUTS, WEB_LAYOUTS, markdown_t3
from nianbao.synth.prose import NUMBERINGS, Block, blocks, published_date
from nianbao.synth.traditional import to_traditional
from nianbao.synth.values import Cells, Fees, edition_of
from nianbao.template import SECTIONS

HEADING_STYLES = ("plain", "bold", "run_in")
_RUN_IN_GAPS = ("：", "　", "。", "")  # "" only where the heading is bold (a web page's <strong>)


@dataclass(frozen=True)
class Variant:
    """How a synthetic report is written, as text or as a web page.

    ``fees`` (元) become the 信息处理费 sentence of section 六 (None: no such
    sentence); ``split`` the named sub-rows of the 2019 其他对外管理服务事项;
    ``published`` the 落款 date. Options: traditional characters, full-width
    digits, thousands separators, ``/`` for blank cells, NBSP/U+3000 noise, a
    decimal comma in the 2019 采购总金额 (``491,5000``), a heading numbering of
    :data:`NUMBERINGS`, the long 条例 forms of headings 四/五. Web pages only: ``untitled``
    (agency and year only in ``<title>`` and ``<meta name="ArticleTitle">``), ``index_table``
    (the site's 信息索引 table outside the article), ``word_markup`` (Word's HTML: text split
    over ``<span>``/``<font>`` runs, ``<o:p>`` in blank cells). ``headings``: one of
    :data:`HEADING_STYLES`: ``bold`` writes headings ``**一、总体情况**`` (Markdown converters),
    ``run_in`` runs a section heading into its first paragraph (``一、总体情况：2025年…``;
    on a web page ``<p><strong>一、总体情况</strong>2025年…</p>``)."""

    fees: Fees | None = None
    published: str | None = None
    split: list[dict[str, object]] | None = None
    traditional: bool = False
    fullwidth: bool = False
    thousands: bool = False
    slash: bool = False
    noise: bool = False
    decimal_comma: bool = False
    numbering: str = "template"
    long_headings: bool = False
    untitled: bool = False
    index_table: bool = False
    word_markup: bool = False
    headings: str = "plain"

    def __post_init__(self) -> None:
        if self.numbering not in NUMBERINGS:
            raise ValueError(f"unknown numbering {self.numbering!r}")
        if self.headings not in HEADING_STYLES:
            raise ValueError(f"unknown headings {self.headings!r}")

    def style(self) -> Style:
        return Style(self.thousands, self.fullwidth, self.slash, self.noise, self.decimal_comma)


def _written(cells: Cells, edition: str, agency: str, year: int, rng: random.Random, v: Variant):
    """The edition, the cell formatter and the report's blocks, drawn from ``rng`` in one order."""
    ed = edition_of(edition)
    fmt = formatter(cells, v.style(), rng)
    published = v.published or published_date(year, rng)
    return ed, fmt, blocks(cells, ed, agency, year, rng, v.fees, v.numbering, published, v.long_headings, v.untitled)


def synth_report_text(
    cells: Cells,
    edition: str,
    layout: str,
    agency: str,
    year: int,
    rng: random.Random,
    *,
    page_break: bool = False,
    **variant: Any,
) -> str:
    """A complete report as text in ``layout`` (one of :data:`LAYOUTS`), written
    as the keyword arguments of :class:`Variant` say; ``page_break`` puts a page
    break inside 表三 (page-number line, header rows repeated)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    v = Variant(**variant)
    ed, fmt, written = _written(cells, edition, agency, year, rng, v)
    lines: list[str] = []
    for b in _run_in(written, v, rng, ("：", "　", "。")):
        if b.kind != "table":
            prefix = "\u00a0 " if v.noise and b.kind == "h" and rng.random() < 0.3 else ""
            text = f"**{b.text}**" if v.headings == "bold" and b.kind == "h" else b.text
            text = f"## {text}" if layout == "html_md" and b.kind == "h" else text
            lines += [prefix + text] + ([""] if layout in ("paragraph", "markdown") else [])
            continue
        grid = grid_for(b.table, ed, v.split, fmt, v.style())
        if layout == "html_md":
            lines += ["", html_table(grid).replace("\n", ""), ""]
        elif layout == "markdown" and b.table == "table3":
            lines += markdown_t3(grid, ed)
        elif page_break and b.table == "table3":
            # a PDF page ends after 二、上年结转 (no merged cell crosses there); the next
            # page starts with a page-number line and the repeated header rows (V5/V6)
            page = rng.randint(2, 9)
            lines += LAYOUT_FUNCS[layout](grid[:5]) + [f"- {page} -"] + LAYOUT_FUNCS[layout](grid[:3] + grid[5:])
        else:
            lines += LAYOUT_FUNCS[layout](grid)
    text = "\n".join(lines) + "\n"
    if layout in WEB_LAYOUTS:
        text = text.translate(HALFWIDTH_PUNCT)
    return to_traditional(text) if v.traditional else text


def _run_in(written: list[Block], v: Variant, rng: random.Random, gaps: tuple[str, ...]) -> list[Block]:
    """With ``headings="run_in"``, each section heading followed by a paragraph joined to it:
    as one paragraph in text (``kind="p"``), as heading and text in a web page (``kind="hp"``)."""
    if v.headings != "run_in":
        return written
    titles = tuple(t for spec in SECTIONS for t in (spec.title, *spec.variants))
    out: list[Block] = []
    for b in written:
        prev = out[-1] if out else None
        if prev and prev.kind == "h" and b.kind == "p" and prev.text.endswith(titles):
            gap = rng.choice(gaps)
            out[-1] = replace(b, kind="hp" if gap == "" else "p", text=prev.text + (gap or "\n") + b.text)
        else:
            out.append(b)
    return out


# -------------------------------------------------------------------- HTML --

_NAV = ("首页", "政务公开", "政务服务", "互动交流", "走进{region}")


def synth_report_html(
    cells: Cells,
    edition: str,
    agency: str,
    year: int,
    rng: random.Random,
    *,
    charset: str = "utf-8",
    **variant: Any,
) -> str:
    """A government web page carrying the report: site header, navigation,
    breadcrumbs, the article with tables merged as in template.md §1.3–1.5
    (``rowspan``/``colspan``, ``<br />`` in headers, ``&nbsp;`` for blanks), a
    related-links list and a footer."""
    v = Variant(**variant)
    ed, fmt, written = _written(cells, edition, agency, year, rng, v)
    region = agency[:3]
    e = html.escape
    body: list[str] = []
    title = f"{agency}{year}年政府信息公开工作年度报告"
    for b in _run_in(written, v, rng, _RUN_IN_GAPS):
        if b.kind == "table":
            body.append(html_table(grid_for(b.table, ed, v.split, fmt, v.style()), rng if v.word_markup else None))
        elif b.kind == "h":
            body.append(f"<p><strong>{e(b.text)}</strong></p>")
        elif b.kind == "hp":
            head, text = b.text.split("\n", 1)
            body.append(f'<p style="text-indent:2em"><strong>{e(head)}</strong>{e(text)}</p>')
        else:
            body.append(f'<p style="text-indent:2em">{e(b.text)}</p>')
    nav = "".join(f'<li><a href="/{i}/">{e(n.format(region=region))}</a></li>' for i, n in enumerate(_NAV))
    links = "".join(
        f'<li><a href="/gknb/{year - k}.html">{e(agency)}{year - k}年政府信息公开工作年度报告</a></li>'
        for k in (1, 2, 3)
    )
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<title>{e(title)}_{e(region)}人民政府网站</title>
{f'<meta name="ArticleTitle" content="{e(title)}">' if v.untitled else ""}
<link rel="stylesheet" href="/css/main.css">
<script>var _hmt = _hmt || []; var siteId = "1101020001";</script>
</head>
<body>
<div class="top-bar">欢迎访问{e(region)}人民政府网站 | <a href="/wza/">无障碍</a> | <a href="/en/">English</a></div>
<header class="header"><div class="logo"><img src="/images/logo.png" alt="{e(region)}人民政府"></div>
<form class="search" action="/search"><input name="q" placeholder="请输入关键字"><button>搜索</button></form></header>
<nav class="nav"><ul>{nav}</ul></nav>
<div class="crumbs">您现在的位置：<a href="/">网站首页</a> » <a href="/xxgk/">信息公开</a> » <a href="/xxgk/nb/">年度报告</a></div>
{_index_table(agency, title, year, rng) if v.index_table else ""}
<div class="article">
{"" if v.untitled else f'<h1 class="title">{e(title)}</h1>'}
<div class="info"><span>发布日期：{year + 1}-01-{rng.randint(10, 31):02d}</span>{"" if v.untitled else f"<span>来源：{e(agency)}</span>"}
<span>浏览次数：{rng.randint(50, 9000)}</span><span>字号：<a>大</a> <a>中</a> <a>小</a></span></div>
<div class="content TRS_Editor">
{chr(10).join(body)}
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a> <a href="javascript:window.print()">打印本页</a> <a>关闭窗口</a></div>
</div>
<div class="related"><h3>相关链接</h3><ul>{links}</ul></div>
<footer class="footer"><p>主办：{e(region)}人民政府办公室　承办：{e(region)}政务服务数据管理局</p>
<p>网站标识码：1101020001　京ICP备05060933号　京公网安备11010202000001号</p>
<p>地址：{e(region)}行政中心1号楼　邮编：100032　联系电话：010-12345678</p></footer>
</body>
</html>
"""
    return to_traditional(page) if v.traditional else page


def _index_table(agency: str, title: str, year: int, rng: random.Random) -> str:
    """The 信息索引 table government sites print above an article: label cells and value cells."""
    e = html.escape
    day = f"{year + 1}-01-{rng.randint(10, 31):02d}"
    rows = (
        ("索引号", f"{rng.randint(10**8, 10**9 - 1)}/{year + 1}-{rng.randint(1, 99):05d}", "分类", "信息公开年报"),
        ("发布机构", agency, "公开日期", day),
        ("文号", "", "发文日期", day),
    )
    trs = "".join(
        "<tr>" + "".join(f'<td class="c{i % 2}">{e(t)}</td>' for i, t in enumerate(r)) + "</tr>" for r in rows
    )
    name = f'<tr><td class="c0">名称</td><td class="c1" colspan="3">{e(title)}</td></tr>'
    return f'<div class="xxgk-index"><table class="table_content"><tbody>{name}{trs}</tbody></table></div>'


def html_table(rows: list[list[GridCell]], word: random.Random | None = None) -> str:
    """A table as CMS editors write it; with ``word`` (the rng), as Word saves it: every
    line its own ``<p>``, its text split over ``<span>``/``<font>`` runs, ``<o:p>`` in blanks."""
    out = ['<table border="1" cellspacing="0" cellpadding="0" style="width:100%;border-collapse:collapse">', "<tbody>"]
    for row in rows:
        tds = []
        for c in row:
            attrs = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            )
            if word is not None:
                inner = _word_cell(c.text, word)
            else:
                text = "&nbsp;" if not c.text.strip() else "<br />".join(html.escape(p) for p in c.text.split("\n"))
                inner = f"<p>{text}</p>" if c.path is None else text
            tds.append(f'<td{attrs} style="border:1px solid #000">{inner}</td>')
        out.append("<tr>" + "".join(tds) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _word_cell(text: str, rng: random.Random) -> str:
    if not text.strip():
        return "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>"
    paras = []
    for line in text.split("\n"):
        runs, i = [], 0
        while i < len(line):
            n = rng.randint(1, 3)
            piece = html.escape(line[i : i + n])
            tag = "font face=宋体" if rng.random() < 0.3 else "span\nstyle='font-size:10.5pt;font-family:宋体'"
            runs.append(f"<{tag}>{piece}</{tag.split()[0]}>")
            i += n
        paras.append(f"<p class=MsoNormal align=center>{''.join(runs)}<o:p></o:p></p>")
    return "".join(paras)
