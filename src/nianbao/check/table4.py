"""表四 arithmetic: each group's 总计."""

from __future__ import annotations

from collections.abc import Iterator

from nianbao.check.registry import rule
from nianbao.check.sums import broken
from nianbao.model import Diagnostic, Report


@rule("T4-SUM", "error", "表四各组总计等于四种结果之和")
def t4_sum(report: Report) -> Iterator[Diagnostic]:
    """表四行政复议、未经复议直接起诉、复议后起诉各自：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。

    反例：行政复议 结果维持=1、结果纠正=1、其他结果=0、尚未审结=0，总计=3。
    正例：行政复议 结果维持=1、结果纠正=1、其他结果=0、尚未审结=0，总计=2。
    """
    yield from broken(report, "T4-SUM")
