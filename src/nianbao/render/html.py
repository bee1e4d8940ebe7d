"""A report as one HTML page ready for an agency's website: the title, the six
sections and tables 二/三/四 with the template's merged cells (the span layouts
that ``render/docx.py`` writes to Word)."""

from __future__ import annotations

from html import escape

from nianbao.model import Report
from nianbao.render.docx import Layout, _date, _title, fee_sentence, layouts
from nianbao.template import SECTION_TABLES, SECTIONS

STYLE = """body{font-family:"宋体",SimSun,serif;max-width:50em;margin:2em auto;line-height:1.8}
h1{font-family:"黑体",SimHei,sans-serif;text-align:center;font-size:1.6em}
h2{font-family:"黑体",SimHei,sans-serif;font-size:1.2em}
table{border-collapse:collapse;width:100%;margin:1em 0;font-size:.9em}
td{border:1px solid #000;padding:.2em .4em;text-align:center}
p.sign{text-align:right;margin:0}"""


def _table(layout: Layout) -> str:
    rows = []
    for row in layout:
        cells = []
        for text, colspan, rowspan in row:
            span = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
            cells.append(f"<td{span}>{escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def render_html(report: Report) -> bytes:
    """The report as a UTF-8 HTML page, in the official layout."""
    title = escape(_title(report))
    parts = [f"<h1>{title}</h1>"]
    tables = layouts(report)
    for spec in SECTIONS:
        parts.append(f"<h2>{spec.number}、{escape(spec.title)}</h2>")
        section = report.sections.get(spec.key)
        text = section.text if section else ""
        if spec.key == "other" and not text:
            text = fee_sentence(report)
        parts += [f"<p>{escape(line.strip())}</p>" for line in text.split("\n") if line.strip()]
        if spec.key in SECTION_TABLES:
            parts.append(_table(tables[SECTION_TABLES[spec.key]]))
    parts += [f'<p class="sign">{escape(x)}</p>' for x in (report.agency or "", _date(report.published)) if x]
    body = "\n".join(parts)
    page = (
        f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
        f"<style>\n{STYLE}\n</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
    return page.encode("utf-8")
