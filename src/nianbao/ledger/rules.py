"""The ledger's rules (``../shared/spec/ledger.md``), reported as :class:`Diagnostic`
like the rules of ``nianbao check``.

A rule is one small function registered with ``@ledger_rule(id, severity, title)``;
it takes a :class:`Scope` and yields diagnostics naming the rows involved. Its
docstring is its documentation: a Chinese summary, ``反例：`` and ``正例：``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from nianbao.ledger import columns as C
from nianbao.ledger.compose import differences
from nianbao.ledger.deadlines import CalendarError, row_due, workdays_between
from nianbao.ledger.read import Ledger, Row
from nianbao.ledger.tally import tally
from nianbao.model import Diagnostic, Location, Report, Severity
from nianbao.template import T4_COLUMNS, path_label

_PENDING = next(c.label for c in T4_COLUMNS if c.key == "pending")  # 尚未审结

LISTED = 8  # a LEDGER-DIFFERS message spells out at most this many cells
DATED = {c.key for c in C.APPLICATION_COLUMNS if c.kind == "date"}  # an unreadable one: no deadline


@dataclass(frozen=True)
class Scope:
    """The ledger as checked: rows received after ``year`` are left out; nothing may be dated after ``today``;
    ``typed`` is the agency's own report of ``year``, when it has one."""

    ledger: Ledger
    year: int | None
    today: date
    typed: Report | None = None

    @property
    def applications(self) -> list[Row]:
        return [r for r in self.ledger.applications if self._in(r.get("received"))]

    @property
    def cases(self) -> list[Row]:
        return [r for r in self.ledger.cases if self._in(r.get("opened"))]

    def _in(self, d: date | None) -> bool:
        return self.year is None or d is None or d.year <= self.year


@dataclass(frozen=True)
class LedgerRule:
    id: str
    severity: Severity
    title: str
    func: Callable[[Scope], Iterable[Diagnostic]]

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()


LEDGER_RULES: list[LedgerRule] = []


def ledger_rule(id: str, severity: Severity, title: str) -> Callable:
    def register(func: Callable[[Scope], Iterable[Diagnostic]]) -> Callable[[Scope], Iterable[Diagnostic]]:
        LEDGER_RULES.append(LedgerRule(id, severity, title, func))
        return func

    return register


def check_ledger(
    ledger: Ledger, year: int | None = None, today: date | None = None, typed: Report | None = None
) -> list[Diagnostic]:
    """Every finding of the ledger rules, in rule order."""
    scope = Scope(ledger, year, today or date.today(), typed)
    return [d for r in LEDGER_RULES for d in r.func(scope)]


def _finding(
    rule_id: str,
    scope: Scope,
    rows: list[Row],
    message: str,
    cells: tuple[str, ...] = (),
    severity: Severity | None = None,
    **values: object,
) -> Diagnostic:
    """A diagnostic about ledger ``rows`` (named ``申请!5``), or about report ``cells``."""
    rule = next(r for r in LEDGER_RULES if r.id == rule_id)
    return Diagnostic(
        rule=rule_id,
        severity=severity or rule.severity,
        message=message,
        cells=cells or tuple(f"{r.sheet}!{r.row}" for r in rows),
        location=Location(row=rows[0].row) if rows else None,
        file=scope.ledger.file,
        values={"sheet": rows[0].sheet if rows else None, "rows": [r.row for r in rows], **values},
    )


# ------------------------------------------------------------ the rules --


@ledger_rule("LEDGER-COLUMNS", "error", "台账缺少工作表或列")
def missing_columns(scope: Scope) -> Iterator[Diagnostic]:
    """台账须有“申请”“复议诉讼”两张工作表及说明所列的各列（列的次序不限）；缺少统计表三、表四所用的列是错误，缺少其他列（补正、延期、收费、备注）是警告。

    反例：“申请”表没有“答复日期”一列。
    正例：用 nianbao ledger template 生成的空白台账填写，各列齐全。
    """
    keys = {c.header: c.key for cols in C.SHEETS.values() for c in cols}
    for sheet, header in scope.ledger.missing:
        what = f"缺少“{header}”一列" if header else "缺少这张工作表"
        level: Severity = "error" if not header or keys[header] in C.TALLIED else "warning"
        yield _finding("LEDGER-COLUMNS", scope, [], f"「{sheet}」{what}", severity=level, sheet=sheet, header=header)


@ledger_rule("LEDGER-REQUIRED", "error", "必填项为空")
def required(scope: Scope) -> Iterator[Diagnostic]:
    """每一行须填编号、收到日期（立案日期）、申请人类型（类型、结果）。

    反例：一行申请有答复日期，却没有收到日期。
    正例：收到日期 2024-03-05。
    """
    for sheet, rows in ((C.APPLICATIONS, scope.applications), (C.CASES, scope.cases)):
        for r in rows:
            empty = [
                c.header for c in C.SHEETS[sheet] if c.required and c.key not in r.values and c.key not in r.invalid
            ]
            if empty:
                yield _finding("LEDGER-REQUIRED", scope, [r], f"{r.name}未填{'、'.join(empty)}", empty=empty)


@ledger_rule("LEDGER-ID-DUPLICATE", "error", "编号重复")
def duplicate_ids(scope: Scope) -> Iterator[Diagnostic]:
    """同一张工作表里编号不得重复：每件申请、每个案件一行。

    反例：两行申请编号都是 2024-007。
    正例：第二行改为 2024-008，或删去重复登记的一行。
    """
    for sheet, rows in ((C.APPLICATIONS, scope.ledger.applications), (C.CASES, scope.ledger.cases)):
        seen = Counter(r.get("id") for r in rows if r.get("id"))
        for ident, n in seen.items():
            if n > 1:
                same = [r for r in rows if r.get("id") == ident]
                at = "、".join(str(r.row) for r in same)
                yield _finding("LEDGER-ID-DUPLICATE", scope, same, f"「{sheet}」编号 {ident} 出现{n}次（第{at}行）")


@ledger_rule("LEDGER-VALUE", "error", "日期、金额或选项无法识别")
def unreadable_values(scope: Scope) -> Iterator[Diagnostic]:
    """日期须是真实日期，金额须是非负数，申请人类型、办理结果、类型、结果须是下拉列表中的一项（两版模板的表述都接受）。

    反例：收到日期填“2024-02-30”；办理结果填“已答复”。
    正例：收到日期 2024-02-28；办理结果“予以公开”。
    """
    checks = {"applicant": C.applicant_key, "result": C.result_key, "kind": C.kind_key, "outcome": C.outcome_key}
    for r in scope.applications + scope.cases:
        bad = dict(r.invalid)
        bad |= {k: r.get(k) for k, known in checks.items() if r.get(k) and known(r.get(k)) is None}
        if bad:
            headers = {c.key: c.header for c in C.SHEETS[r.sheet]}
            what = "、".join(f"{headers[k]}“{v}”" for k, v in bad.items())
            yield _finding("LEDGER-VALUE", scope, [r], f"{r.name}无法识别：{what}", values=bad)


@ledger_rule("LEDGER-DATE-ORDER", "error", "日期先后不对")
def date_order(scope: Scope) -> Iterator[Diagnostic]:
    """收到日期 ≤ 补正通知日期 ≤ 补正收到日期 ≤ 答复日期；收到日期 ≤ 征求第三方意见日期 ≤ 收到第三方意见日期 ≤ 答复日期；立案日期 ≤ 结案日期；只收到补正而无补正通知、只收到第三方意见而无征求日期也不对。

    反例：收到日期 2024-05-10，答复日期 2024-05-08。
    正例：答复日期 2024-05-20。
    """
    orders = {
        C.APPLICATIONS: (
            ("received", "correction_sent", "correction_received", "answered"),
            ("received", "third_party_sent", "third_party_received", "answered"),
        ),
        C.CASES: (("opened", "closed"),),
    }
    for r in scope.applications + scope.cases:
        headers = {c.key: c.header for c in C.SHEETS[r.sheet]}
        wrong = []
        for order in orders[r.sheet]:
            dated = [(k, r.get(k)) for k in order if r.get(k)]
            wrong += [
                (a, b) for (a, da), (b, db) in zip(dated, dated[1:], strict=False) if da > db and (a, b) not in wrong
            ]
        for sent, got in (("correction_sent", "correction_received"), ("third_party_sent", "third_party_received")):
            if r.get(got) and not r.get(sent) and sent not in r.invalid:
                yield _finding("LEDGER-DATE-ORDER", scope, [r], f"{r.name}有{headers[got]}，却没有{headers[sent]}")
        for a, b in wrong:
            msg = f"{r.name}{headers[a]}（{r.get(a)}）晚于{headers[b]}（{r.get(b)}）"
            yield _finding("LEDGER-DATE-ORDER", scope, [r], msg, first=a, second=b)


@ledger_rule("LEDGER-DATE-FUTURE", "error", "日期晚于今天")
def future_dates(scope: Scope) -> Iterator[Diagnostic]:
    """台账记的是已发生的事，日期不得晚于核对当天。

    反例：今天是 2025-01-10，答复日期填 2025-10-01（多半是把 01-10 错填）。
    正例：答复日期 2025-01-10。
    """
    for r in scope.applications + scope.cases:
        late = [c.header for c in C.SHEETS[r.sheet] if c.kind == "date" and r.get(c.key) and r.get(c.key) > scope.today]
        if late:
            msg = f"{r.name}的{'、'.join(late)}晚于今天（{scope.today}）"
            yield _finding("LEDGER-DATE-FUTURE", scope, [r], msg, columns=late)


@ledger_rule("LEDGER-ANSWER-RESULT", "error", "已答复的须有办理结果，未答复的不应有")
def answer_and_result(scope: Scope) -> Iterator[Diagnostic]:
    """有答复日期的申请须填办理结果；没有答复日期（仍在办理）的不应填办理结果。案件同理：结案的须有结果，“尚未审结”的不应有结案日期。

    反例：答复日期 2024-06-03，办理结果空着。
    正例：办理结果“予以公开”。
    """
    for r in scope.applications:
        answered, result = "answered" in r.values or "answered" in r.invalid, bool(r.get("result"))
        if answered and not result:
            yield _finding("LEDGER-ANSWER-RESULT", scope, [r], f"{r.name}已答复，但没有填办理结果")
        elif result and not answered:
            yield _finding("LEDGER-ANSWER-RESULT", scope, [r], f"{r.name}填了办理结果，但没有答复日期")
    for r in scope.cases:
        pending = C.outcome_key(r.get("outcome") or "") == C.PENDING
        if pending and r.get("closed"):
            yield _finding("LEDGER-ANSWER-RESULT", scope, [r], f"{r.name}有结案日期，结果却是“{_PENDING}”")
        elif r.get("outcome") and not pending and not r.get("closed"):
            yield _finding("LEDGER-ANSWER-RESULT", scope, [r], f"{r.name}结果为“{r.get('outcome')}”，但没有结案日期")


@ledger_rule("LEDGER-FEE", "error", "收费与收费通知不符")
def fees(scope: Scope) -> Iterator[Diagnostic]:
    """实收金额须有收费通知；“申请人逾期未按收费通知要求缴纳费用”的申请须有收费通知金额。

    反例：实收金额 200 元，收费通知金额空着。
    正例：收费通知金额 200 元，实收金额 200 元。
    """
    for r in scope.applications:
        notice = r.get("fee_notice_yuan")
        if r.get("fee_collected_yuan") and not notice:
            yield _finding("LEDGER-FEE", scope, [r], f"{r.name}实收{r.get('fee_collected_yuan')}元，但没有收费通知金额")
        if C.result_key(r.get("result") or "") == "other.fee_unpaid" and not notice:
            yield _finding("LEDGER-FEE", scope, [r], f"{r.name}办理结果为逾期未缴费，但没有收费通知金额")


@ledger_rule("LEDGER-CORRECTION", "error", "逾期不补正须有补正通知")
def correction(scope: Scope) -> Iterator[Diagnostic]:
    """办理结果为“申请人无正当理由逾期不补正”的申请须有补正通知日期。

    反例：办理结果“其他处理/申请人无正当理由逾期不补正…”，补正通知日期空着。
    正例：补正通知日期 2024-04-02。
    """
    for r in scope.applications:
        if C.result_key(r.get("result") or "") == "other.no_correction" and not r.get("correction_sent"):
            yield _finding("LEDGER-CORRECTION", scope, [r], f"{r.name}办理结果为逾期不补正，但没有补正通知日期")


@ledger_rule("LEDGER-CASE-APPLICATION", "warning", "案件所涉申请不在台账中")
def case_application(scope: Scope) -> Iterator[Diagnostic]:
    """“复议诉讼”表的申请编号应是“申请”表中的一个编号（可不填）。

    反例：申请编号填 2024-099，“申请”表中没有这个编号。
    正例：申请编号 2024-009，与“申请”表一致。
    """
    ids = {r.get("id") for r in scope.ledger.applications}
    for r in scope.cases:
        if r.get("application") and r.get("application") not in ids:
            msg = f"{r.name}所涉申请编号 {r.get('application')} 不在「{C.APPLICATIONS}」表中"
            yield _finding("LEDGER-CASE-APPLICATION", scope, [r], msg)


@ledger_rule("LEDGER-LATE", "warning", "超过法定期限答复或仍未答复")
def late(scope: Scope) -> Iterator[Diagnostic]:
    """答复期限为收到申请（补正后为收到补正）之日起20个工作日，延期的再加至多20个工作日，按国务院公布的节假日安排计算（含调休上班的周末）；等待补正期间不计，征求第三方意见所需的工作日（条例第三十二条）也不计。逾期答复的列出逾期的工作日数；过了期限仍未答复的也列出。

    反例：2024-09-20 收到、未延期，2024-10-25 才答复（期限为 2024-10-23）。
    正例：2024-10-23 或之前答复，或经延期于 2024-11-20 或之前答复。
    """
    end = min(scope.today, date(scope.year, 12, 31)) if scope.year else scope.today
    uncovered: list[Row] = []
    reason = ""
    for r in scope.applications:
        if not r.get("received") or r.invalid.keys() & DATED:
            continue
        try:
            limit = row_due(r)
            answered = r.get("answered")
            if limit is None:
                continue
            if answered and answered > limit:
                days = workdays_between(limit, answered)
                by = f"{days}个工作日" if days else "（答复日不是工作日）"
                msg = f"{r.name}于{answered}答复，超过期限（{limit}）{by}"
                yield _finding("LEDGER-LATE", scope, [r], msg, due=str(limit), days_late=days)
            elif not answered and end > limit:
                days = workdays_between(limit, end)
                msg = f"{r.name}至{end}仍未答复，已超过期限（{limit}）{days}个工作日"
                yield _finding("LEDGER-LATE", scope, [r], msg, due=str(limit), days_late=days, open=True)
        except CalendarError as e:
            uncovered.append(r)
            reason = str(e)
    if uncovered:
        yield _finding("LEDGER-LATE", scope, uncovered, f"{len(uncovered)}件申请无法计算期限：{reason}")


@ledger_rule("LEDGER-DIFFERS", "warning", "机关自填的表格与台账统计不符")
def typed_tables(scope: Scope) -> Iterator[Diagnostic]:
    """机关另有自己填写的年度报告（或草稿）时，表三、表四中与台账统计不同的每一格都列出（以台账为准）。

    反例：草稿表三“一、本年新收·自然人”填 12，台账中本年收到的自然人申请有 13 件。
    正例：草稿改为 13，或补登漏记的申请后两者一致。
    """
    if scope.typed is None or scope.year is None:
        return
    diff = differences(scope.typed, tally(scope.ledger, scope.year).report)
    if diff:
        listed = "；".join(f"{path_label(p)}填{typed:g}，台账为{counted:g}" for p, typed, counted in diff[:LISTED])
        more = f"等{len(diff)}格" if len(diff) > LISTED else ""
        msg = f"{scope.typed.source.file}与台账统计不符：{listed}{more}"
        cells = tuple(p for p, _, _ in diff)
        yield _finding("LEDGER-DIFFERS", scope, [], msg, cells, typed={p: t for p, t, _ in diff})
