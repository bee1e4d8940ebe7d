"""表三 arithmetic: 勾稽关系, result breakdown, row totals, printed subtotals."""

from __future__ import annotations

from collections.abc import Iterator

from nianbao.check.registry import rule
from nianbao.check.sums import broken
from nianbao.model import Diagnostic, Report
from nianbao.template.relations import ROW_NUMBER

_TOTAL = ROW_NUMBER["total_processed"]  # （七）总计


@rule("T3-BALANCE", "error", f"表三勾稽关系：一+二={_TOTAL}+四")
def balance(report: Report) -> Iterator[Diagnostic]:
    """表三每一列：一、本年新收 + 二、上年结转 =（七）总计 + 四、结转下年度继续办理。

    反例：自然人列 一=12、二=3，（七）总计=13、四=1：15≠14。
    正例：自然人列 一=12、二=3，（七）总计=14、四=1：15=15。
    """
    yield from broken(report, "T3-BALANCE")


@rule("T3-RESULTS-SUM", "error", f"表三{_TOTAL}等于各办理结果之和")
def results_sum(report: Report) -> Iterator[Diagnostic]:
    """表三每一列：（七）总计 =（一）+（二）+（三）1–8 +（四）1–3 +（五）1–5 +（六）（2019年版（六）为一行）。

    反例：总计列（一）予以公开=5、（二）部分公开=3、其余为0，（七）总计=9。
    正例：总计列（一）予以公开=5、（二）部分公开=3、其余为0，（七）总计=8。
    """
    yield from broken(report, "T3-RESULTS-SUM")


@rule("T3-ROW-SUM", "error", "表三每行总计等于各类申请人之和")
def row_sum(report: Report) -> Iterator[Diagnostic]:
    """表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。

    反例：（一）予以公开 自然人=258、商业企业=12、科研机构=1、社会公益组织=1，总计=270。
    正例：（一）予以公开 自然人=258、商业企业=12、科研机构=1、社会公益组织=1，总计=272。
    """
    yield from broken(report, "T3-ROW-SUM")


@rule("T3-SUBTOTAL", "error", "表三印出的小计等于其各项之和")
def subtotal(report: Report) -> Iterator[Diagnostic]:
    """报告若印出（三）至（六）的小计或“法人或其他组织小计”列（模板没有这些格），其值须等于各项之和。

    反例：（三）不予公开小计·自然人=10，而1–8项之和为9。
    正例：（三）不予公开小计·自然人=9，1–8项之和为9（或不印小计）。
    """
    yield from broken(report, "T3-SUBTOTAL")
