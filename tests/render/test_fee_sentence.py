"""Section 六's fee sentence is public in render.docx and used by the HTML and compose pages."""

from nianbao.model import Fees
from nianbao.render.docx import fee_sentence
from tests.builders import case_report


def test_fee_sentence_names_each_given_figure() -> None:
    assert fee_sentence(case_report({"fees": {}})) == ""
    report = case_report({"fees": {"notices": 2, "collected_yuan": 0}})
    assert isinstance(report.fees, Fees)
    assert fee_sentence(report) == "本机关发出收费通知的件数为2件，实际收取的总金额为0元。"
