"""表四: fifteen values under a header of labels, read in template order.

A Markdown row may have lost the places of its numbers (seed 001: five blanks then
ten numbers); when both readings satisfy the totals, neither is guessed."""

from __future__ import annotations

from collections import Counter

from nianbao import template as T
from nianbao.extract import columns, numbers
from nianbao.extract.stream import Item
from nianbao.extract.tables import TableResult, cell_value
from nianbao.model import Number, Reading, Uncertain


def _fmt(v: Number | None) -> str:
    return "空" if v is None else str(v)


def table4(stream: list[Item]) -> TableResult:
    res = TableResult("table4")
    nums = Counter(it.row for it in stream if it.kind == "num")
    # header rows hold labels only; a row of values may open with a label of its own (``| 数量 | 1 | 0 | … |``)
    label_rows = {it.row for it in stream if it.kind == "text" and nums[it.row] < len(T.T4_COLUMNS)}
    vals = [it for it in stream if it.kind != "text" and it.row not in label_rows]
    paths = T.t4_paths()
    loose = bool(vals) and vals[0].loose and len(vals) == 15
    placed, why = (_t4_text(vals, res), None) if loose else columns.place(vals, 15, None)
    res.rows_found = {g for g, _ in T.T4_GROUPS}
    for p, it in zip(paths, placed, strict=True):
        res.cells[p] = cell_value(it)
    if _scattered(stream, vals) and not _t4_consistent(placed):
        why = "表四的数字与表头文字交错排列（文本提取打乱了表格的阅读顺序），按出现顺序读出的数字不合总计，可能未对应到正确的格"
        res.uncertain.append(Uncertain("table4", why, vals[0].location))
    if why:
        res.notes.append(f"表四{why}（单元格置空）")
        res.readings.append(Reading("table4", f"表四{why}", ("table4",), ()))
    return res


def _scattered(stream: list[Item], vals: list[Item]) -> bool:
    """The values are not printed together: header words stand between them (a PDF's text
    layer read column by column, as plain ``pdftotext`` gives it)."""
    if len(vals) < 2:
        return False
    first, last = stream.index(vals[0]), stream.index(vals[-1])
    return any(it.kind == "text" for it in stream[first:last])


def _t4_text(vals: list[Item], res: TableResult) -> list[Item | None]:
    """15 cells of a pipe/Markdown row: blanks may be real, or numbers may have
    lost their place (seed 001: five blanks then ten numbers)."""
    positional: list[Item | None] = [it if it.kind == "num" else None for it in vals]
    nums = [it for it in vals if it.kind == "num"]
    if len(nums) in (5, 10):
        shifted: list[Item | None] = list(nums) + [None] * (15 - len(nums))
        if shifted != positional and _t4_consistent(positional) and _t4_consistent(shifted):
            a, b = _t4_reading(positional), _t4_reading(shifted)
            msg = (
                f"表四数据行为{15 - len(nums)}个空格加{len(nums)}个数字，可有两种读法："
                f"读法一（按位置）{_t4_text_of(a)}；读法二（数字依次填入）{_t4_text_of(b)}。两种读法均符合总计关系，单元格置空"
            )
            res.readings.append(Reading("table4", msg, tuple(T.t4_paths()), (a, b), vals[0].location))
            res.notes.append(msg)
            return [None] * 15
    return positional


def _t4_consistent(cells: list[Item | None]) -> bool:
    for g in range(3):
        part = cells[g * 5 : g * 5 + 5]
        if all(p is None for p in part):
            continue
        if any(p is None for p in part):
            return False
        parsed = [numbers.parse(p.text) for p in part if p is not None]
        v = [x.value if x else None for x in parsed]
        if any(x is None for x in v) or sum(v[:4]) != v[4]:  # type: ignore[arg-type]
            return False
    return True


def _t4_reading(cells: list[Item | None]) -> dict[str, Number | None]:
    return {p: (cell_value(it).value) for p, it in zip(T.t4_paths(), cells, strict=True)}


def _t4_text_of(reading: dict[str, Number | None]) -> str:
    parts = []
    for g, label in T.T4_GROUPS:
        vs = [reading[f"table4.{g}.{c.key}"] for c in T.T4_COLUMNS]
        parts.append(
            f"{label}" + ("空白" if all(v is None for v in vs) else "（" + "、".join(_fmt(v) for v in vs) + "）")
        )
    return "，".join(parts)
