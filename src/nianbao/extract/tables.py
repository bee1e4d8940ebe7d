"""表二 and 表三 (表四: :mod:`nianbao.extract.table4`): cells placed by their row and column labels.

Each table is a stream of cells (see :mod:`nianbao.extract.stream`). A row
label starts a logical row; its values are the number/blank cells after it in
its own physical row, or — when the label stands alone (one cell per line or
paragraph) — in the value-only rows that follow, until the next label."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from nianbao import template as T
from nianbao.extract import columns, gaps, labels, numbers
from nianbao.extract.stream import Item
from nianbao.model import LabelSeen, Location, Number, Reading, Uncertain, Value, cell_read
from nianbao.normalize import key


@dataclass
class LogicalRow:
    key: str
    label: Item
    form: str = ""
    exact_label: bool = True
    items: list[Item] = field(default_factory=list)  # candidate value cells (num/blank) in order
    name: str = ""  # sub-row name (其他对外管理服务事项 split)
    note: str | None = None  # how the row was told: a label matched loosely, a row placed by template order


@dataclass
class TableResult:
    table: str = ""
    cells: dict[str, Value] = field(default_factory=dict)
    edition: str | None = None
    marked: bool = False  # the edition is read from labels only one edition prints
    rows_found: set[str] = field(default_factory=set)
    labels: list[LabelSeen] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    split_items: list[dict[str, object]] = field(default_factory=list)
    uncertain: list[Uncertain] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every row of the table's edition was found."""
        if self.table == "table4":
            return bool(self.rows_found)
        ed = T.edition(self.edition)
        rows = ed.table2 if self.table == "table2" else ed.table3
        return bool(self.rows_found) and {r.key for r in rows} <= self.rows_found

    def complete_from(self, other: TableResult) -> set[Location]:
        """Take from ``other`` the rows this reading lacks and ``other`` read with
        numbers; returns where the cells taken were printed."""
        taken: set[Location] = set()
        cut = len(self.table) + 1
        for row in sorted(other.rows_found - self.rows_found):
            cells = {p: v for p, v in other.cells.items() if p[cut : p.rindex(".")] == row}
            if not any(v.value is not None for v in cells.values()):
                continue
            self.rows_found.add(row)
            self.cells.update(cells)
            taken |= {v.location for v in cells.values() if v.location}
            self.labels.extend(x for x in other.labels if x.path == f"{self.table}.{row}")
        return taken


def _values_of(row: LogicalRow, stream: list[Item], start: int, is_label: Callable[[str], bool] | None = None) -> None:
    """Collect the value cells of ``row``, whose label is ``stream[start]``.

    With ``is_label``, a label standing alone may continue on the next row
    (``| 5.要求…重新出具已获取 |`` then ``| 信息 | 2 | 0 | … |``): that row's values are
    its own when its one text cell is no label of its own."""
    own, n = row.label.row, len(stream)
    j = start + 1
    while j < n and stream[j].row == own and stream[j].kind != "text":
        j += 1
    own_vals = stream[start + 1 : j]
    if (
        (own_vals and "num" in [it.kind for it in own_vals])
        or (row.label.exact and own_vals)
        or (j < n and stream[j].row == own)
    ):
        row.items = own_vals
        return
    # the label stands alone in its row: take the value-only rows that follow
    collected = list(own_vals)
    k = j
    if is_label and not collected and k < n and stream[k].kind == "text" and not is_label(stream[k].key):
        m = k + 1
        while m < n and stream[m].row == stream[k].row and stream[m].kind != "text":
            m += 1
        if m > k + 1 and (m == n or stream[m].row != stream[k].row):
            row.items = stream[k + 1 : m]
            return
    while k < n:
        r, m = stream[k].row, k
        while m < n and stream[m].row == r and stream[m].kind != "text":
            m += 1
        if m < n and stream[m].row == r:
            break  # a row holding text: the next label's, or a header
        collected.extend(stream[k:m])
        k = m
    row.items = collected


def cell_value(it: Item | None, col: T.Column | None = None, row: LogicalRow | None = None) -> Value:
    """A cell's value; a cell with nothing printed is located at its row label."""
    if it is None:
        return cell_read(None, "", row.label.location if row else None, None, None)
    text = it.text
    p = numbers.parse(text, True) if col is not None and col.decimal else numbers.parse(text)
    if p is None:
        return Value(None, text, it.location, f"无法读取“{text}”")
    note = p.note
    if row is not None and row.note:
        note = f"{note}；{row.note}" if note else row.note
    return cell_read(p.value, text, it.location, note or None, it.confidence)


# ---------------------------------------------------------------- 表三 --


def table3(stream: list[Item]) -> TableResult:
    res = TableResult("table3")
    rows = _t3_rows(stream)
    if not rows:
        return res
    layout, placements = _t3_layout(stream, rows, res)
    res.edition = _t3_edition(rows)
    extra = _unlabelled_rows(stream, rows, layout.k, res)
    rows += extra
    placements += [columns.place(row.items, layout.k, layout.grid) for row in extra]
    for row, placed in zip(rows, placements, strict=True):
        if row.key in res.rows_found:
            continue  # a repeated header after a page break
        if not row.items and row.key.endswith(".total"):
            continue  # a group label, not a row
        _put_t3_row(res, row, layout.order, placed)
    return res


def _t3_layout(
    stream: list[Item], rows: list[LogicalRow], res: TableResult
) -> tuple[columns.Layout, list[columns.Placed]]:
    """The reading of 表三's columns, and each row placed by it."""
    header = _t3_header(stream, rows[0].label)
    values = [r.items for r in rows]
    options = columns.t3_layouts(header, _has_subtotal(stream, rows[0].label), values)
    layout, why, placements = columns.choose(options, values)
    if why:
        res.notes.append(why)
    return layout, placements


def _unlabelled_rows(stream: list[Item], rows: list[LogicalRow], k: int, res: TableResult) -> list[LogicalRow]:
    """Value rows printed apart from their labels, placed by template order (:mod:`gaps`)."""
    placed, unsure = gaps.fill(stream, rows, res.edition, k)
    res.uncertain.extend(unsure)
    out = []
    for key_, items, note in placed:
        out.append(LogicalRow(key_, items[0], gaps.ORDERED[key_].label, False, items, note=note))
        res.notes.append(f"表三：一行数字“{' '.join(it.text for it in items)}”{note}")
        # placed by inference: a sum that fails over it may be a misplacement, not the report's error
        res.uncertain.append(Uncertain(f"table3.{key_}", f"这一行{note}", items[0].location))
    if out and res.edition is None:
        res.edition = _t3_edition(rows + out)
    return out


def _put_t3_row(res: TableResult, row: LogicalRow, order: tuple[str, ...], placement: columns.Placed) -> None:
    placed, why = placement
    res.rows_found.add(row.key)
    res.cells.update(zip(_t3_paths(row.key, order), _t3_values(placed, row), strict=True))
    if why:
        path = f"table3.{row.key}"
        res.readings.append(Reading("table3", f"表三“{row.form}”行{why}，单元格置空", (path,), (), row.label.location))
        res.notes.append(f"表三“{row.form}”行{why}：{' '.join(x.text for x in row.items)}（单元格置空）")
    _label_seen(res, "table3", row)


def _t3_values(placed: list[Item | None], row: LogicalRow) -> list[Value]:
    """``cell_value`` of each placed cell of a 表三 row. A cell printed as the one before it at the
    same place (a row's run of zeros on one line, its blanks at the label) reads the same, so it is
    that same Value (immutable): one Value built per run, not per cell."""
    out: list[Value] = []
    last: Item | None = None
    v: Value | None = None
    for it in placed:
        if v is None or not (
            it is last
            or it is not None
            and last is not None
            and it.text == last.text
            and it.location is last.location
            and it.confidence == last.confidence
        ):
            v = cell_value(it, None, row)
        out.append(v)
        last = it
    return out


@lru_cache(maxsize=1024)
def _t3_paths(row_key: str, order: tuple[str, ...]) -> tuple[str, ...]:
    """The cell paths of a 表三 row, its columns in ``order`` (the same few per edition)."""
    return tuple(f"table3.{row_key}.{c}" for c in order)


def _t3_rows(stream: list[Item]) -> list[LogicalRow]:
    """Logical rows of 表三, one per row label, with their candidate values."""
    rows = []
    for i, it in enumerate(stream):
        if it.kind != "text":
            continue
        m = labels.t3_row(it.key) or _short_label(stream, i)
        if m:
            row = LogicalRow(m.key, it, m.form, m.exact, note=m.note)
            _values_of(row, stream, i, _t3_label)
            rows.append(row)
    return rows


def _t3_label(cell_key: str) -> bool:
    return labels.t3_row(cell_key) is not None or cell_key in labels.T3_COLUMN_KEYS


def _short_label(stream: list[Item], i: int) -> labels.Match | None:
    """A label cut to its bare words (``予以公开``) is a row label only when
    numbers follow it in its own row: a header cell may say the same words."""
    nxt = stream[i + 1] if i + 1 < len(stream) else None
    if nxt is None or nxt.row != stream[i].row or nxt.kind != "num":
        return None
    return labels.t3_row_words(stream[i].key)


def _t3_edition(rows: list[LogicalRow]) -> str | None:
    """The edition 表三's （六） group follows: its three 2021 items, or the single
    2019 row （六）其他处理 printed with numbers; None when neither is printed."""
    keys = {r.key for r in rows}
    if keys & {"other.no_correction", "other.fee_unpaid", "other.other"}:
        return "2021"
    if any(r.key == "other.total" and any(it.kind == "num" for it in r.items) for r in rows):
        return "2019"
    return None


def _t3_header(stream: list[Item], first_label: Item) -> dict[int, str] | None:
    """Grid column → 表三 column key, from the header cells of an exact grid."""
    if not first_label.exact:
        return None
    out: dict[int, str] = {}
    for it in stream:
        if it is first_label:
            break
        c = labels.T3_COLUMN_KEYS.get(it.key)
        if c and it.col is not None and c not in out.values():
            out[it.col] = c
    return out if len(out) >= 5 else None


def _has_subtotal(stream: list[Item], first_label: Item) -> bool:
    for it in stream:
        if it is first_label:
            return False
        if labels.T3_COLUMN_KEYS.get(it.key) == "legal_persons":
            return True
    return False


_T3_BY_KEY = {r.key: r for r in (*T.T3_2019, *T.T3_2021)}


def _label_seen(res: TableResult, table: str, row: LogicalRow) -> None:
    """Record a row label printed in a wording other than the template's."""
    r = _T3_BY_KEY.get(row.key)
    if r and row.exact_label and row.form and (row.form != r.label or row.note):
        res.labels.append(LabelSeen(f"{table}.{row.key}", row.label.text, r.label, row.label.location))


# ---------------------------------------------------------------- 表二 --


def table2(stream: list[Item]) -> TableResult:
    res = TableResult("table2")
    rows: list[LogicalRow] = []
    cur: LogicalRow | None = None
    markers: set[str] = set()
    for i, it in enumerate(stream):
        if it.kind != "text":
            continue
        col = labels.t2_column(it.key)
        if col:
            markers.add(col.label)
            cur = None
            continue
        rk = labels.t2_row(it.key)
        if rk:
            cur = LogicalRow(rk, it, it.text)
        elif labels.t2_ignored(it.key):
            cur = None
            continue
        elif cur and cur.key == T.SPLIT_ROW:
            cur = LogicalRow(T.SPLIT_ROW, it, it.text, name=it.text.replace("\n", ""))
        else:
            if cur and cur.items:
                cur = None
            continue
        _values_of(cur, stream, i)
        rows.append(cur)
        if rk:
            cur = cur if rk == T.SPLIT_ROW else None
    if not rows:
        return res
    keys = {r.key for r in rows}
    is19 = bool(markers & set(T.EDITION_MARKERS["2019"])) or bool(keys & {"other_services", "procurement"})
    res.edition = "2019" if is19 else "2021"
    res.marked = is19 or bool(markers & set(T.EDITION_MARKERS["2021"]))
    ed = T.edition(res.edition)
    items_sum: dict[str, list[Number | None]] = {}
    for row in rows:
        r = next((x for x in ed.table2 if x.key == row.key), None)
        if r is None:
            continue
        placed, why = columns.place(row.items, len(r.columns), None)
        vals = [cell_value(it, c, row) for it, c in zip(placed, r.columns, strict=True)]
        if row.name:
            res.split_items.append({"name": row.name, **{c.key: v for c, v in zip(r.columns, vals, strict=True)}})
            for c, v in zip(r.columns, vals, strict=True):
                items_sum.setdefault(c.key, []).append(v.value)
            continue
        if row.key in res.rows_found:
            continue
        if why:
            res.notes.append(f"表二“{r.label}”行{why}（单元格置空）")
            res.readings.append(
                Reading("table2", f"表二“{r.label}”行{why}", (f"table2.{row.key}",), (), row.label.location)
            )
        if not row.items and row.key == T.SPLIT_ROW:
            continue  # printed only as the head of its sub-rows
        res.rows_found.add(row.key)
        for c, v in zip(r.columns, vals, strict=True):
            res.cells[f"table2.{row.key}.{c.key}"] = v
        if row.form and key(row.form) != key(r.label):
            res.labels.append(LabelSeen(f"table2.{row.key}", row.form, r.label, row.label.location))
    if items_sum and T.SPLIT_ROW not in res.rows_found:
        res.rows_found.add(T.SPLIT_ROW)
        for c, vs in items_sum.items():
            total = None if any(v is None for v in vs) else sum(v for v in vs if v is not None)
            res.cells[f"table2.{T.SPLIT_ROW}.{c}"] = Value(total, derived=True)
    return res
