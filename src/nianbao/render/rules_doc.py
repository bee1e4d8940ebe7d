"""The rule catalogue as documentation: ``docs/rules.md`` and ``nianbao rules``, generated
from :data:`nianbao.check.RULES` and the rules' docstrings.

Regenerate the page with ``python -m nianbao.render.rules_doc`` (a test fails when it is stale)."""

from __future__ import annotations

import sys
from pathlib import Path

from nianbao.check import catalogue
from nianbao.check.registry import Rule
from nianbao.template.names import SEVERITY_NAMES

DOC = Path("docs/rules.md")


def rules_markdown() -> str:
    """The whole docs/rules.md page."""
    rules = catalogue()
    out = [
        "# 规则目录（Rule catalogue）",
        "",
        "由 `src/nianbao/check/` 中各规则函数的文档生成，请勿手改；"
        "用 `python -m nianbao.render.rules_doc` 重新生成。`nianbao rules` 在终端打印同样内容。",
        "",
        "严重程度：**错误**（error）报告按印出的样子是错的；**警告**（warning）很可能有错或不合格式，须人工核对；"
        "**提示**（info）值得知道，常常是正当的。",
        "",
    ]
    for title, across in (("单份报告", False), ("多份报告之间", True)):
        out += [f"## {title}", "", "| 规则 | 严重程度 | 说明 |", "|---|---|---|"]
        out += [
            f"| [`{r.id}`](#{r.id.lower()}) | {SEVERITY_NAMES[r.severity]} | {r.title} |"
            for r in rules
            if r.across is across
        ]
        out.append("")
    for r in rules:
        out += [f"### {r.id}", "", f"**{r.title}**（{SEVERITY_NAMES[r.severity]}）", "", r.summary, ""]
        out += [f"- 反例：{r.doc_part('反例：')}", f"- 正例：{r.doc_part('正例：')}", ""]
    return "\n".join(out)


def rules_text() -> str:
    """The catalogue for a terminal (``nianbao rules``)."""
    return "\n\n".join(_rule_text(r) for r in catalogue()) + "\n"


def rules_json() -> list[dict[str, object]]:
    """The catalogue as data (``nianbao rules --format json``)."""
    return [
        {
            "id": r.id,
            "severity": r.severity,
            "title": r.title,
            "across": r.across,
            "summary": r.summary,
            "counter_example": r.doc_part("反例："),
            "example": r.doc_part("正例："),
        }
        for r in catalogue()
    ]


def _rule_text(r: Rule) -> str:
    scope = "（多份报告）" if r.across else ""
    return "\n".join(
        [
            f"{r.id}  [{SEVERITY_NAMES[r.severity]}]  {r.title}{scope}",
            f"  {r.summary}",
            f"  反例：{r.doc_part('反例：')}",
            f"  正例：{r.doc_part('正例：')}",
        ]
    )


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DOC
    target.write_text(rules_markdown(), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
