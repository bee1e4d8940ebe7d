"""No module outside ``nianbao.template`` spells a label of the template: every row, column,
group and header label of the three tables, and the six section titles, are imported from
the template package, so a wording changes in one place.

Scope: string literals (f-string pieces included) in ``src/nianbao/**/*.py``. Docstrings and
comments are not scanned: they explain code to a reader and may quote the template.
Labels of fewer than three characters (规章, 其他, 总计, 合计, 小计) are ordinary words and
are not looked for."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from nianbao import template as T

SRC = Path(__file__).resolve().parents[2] / "src" / "nianbao"


def template_labels() -> set[str]:
    labels: set[str] = set()
    for ed in T.BY_NAME.values():
        for row in ed.table2 + ed.table3:
            labels.update((row.label, row.group, *row.variants))
            for c in row.columns:
                labels.update((c.label, *c.variants))
    for c in (*T.T3_COLUMNS, T.T3_SUBTOTAL_COLUMN, *T.T4_COLUMNS):
        labels.update((c.label, *c.variants))
    labels.update(label for _, label in T.T4_GROUPS)
    labels.update((*T.T2_BLOCK_HEADERS, *T.T2_HEADER_LABELS, *T.T3_HEADER_LABELS, *T.T3_GROUPS.values()))
    labels.update((T.T3_OUTCOME_LABEL, T.T4_LITIGATION))
    labels.update(s.title for s in T.SECTIONS)
    return {label for label in labels if len(label) >= 3}


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, kinds)
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }


def spelled(path: Path, labels: set[str], root: Path = SRC) -> list[str]:
    """'file:line: label' for each template label in a string literal of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    out = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs:
            out += [f"{path.relative_to(root)}:{n.lineno}: {label}" for label in sorted(labels) if label in n.value]
    return out


def test_the_labels_are_the_template_s() -> None:
    labels = template_labels()
    for label in ("一、本年新收政府信息公开申请数量", "结果维持", "行政许可", "法人或其他组织", "主动公开政府信息情况"):
        assert label in labels


def test_no_module_outside_the_template_package_spells_a_label() -> None:
    labels = template_labels()
    files = [p for p in SRC.rglob("*.py") if "template" not in p.relative_to(SRC).parts[:1]]
    assert len(files) > 50
    found = [hit for p in sorted(files) for hit in spelled(p, labels)]
    assert found == []


def test_the_scan_finds_a_spelled_label(tmp_path: Path) -> None:
    src = tmp_path / "m.py"
    src.write_text('"""结果维持 in a docstring is fine."""\n# 结果维持 in a comment too\nX = f"表四{1}结果维持"\n')
    assert spelled(src, template_labels(), tmp_path) == ["m.py:3: 结果维持"]


def test_no_web_page_template_spells_a_label() -> None:
    """The Jinja pages take labels from the context or the ``T3_LABEL`` global ({# comments #} aside)."""
    labels = template_labels()
    pages = sorted((SRC / "web" / "templates").glob("*.html"))
    assert pages
    found = []
    for p in pages:
        text = re.sub(r"\{#.*?#\}", "", p.read_text(encoding="utf-8"), flags=re.S)
        found += [f"{p.name}: {label}" for label in sorted(labels) if label in text]
    assert found == []
