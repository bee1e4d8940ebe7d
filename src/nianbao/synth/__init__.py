"""Synthetic annual reports for tests and benchmarks.

``synth_cells`` draws a value for every printed cell of an edition such that
every template identity holds (表三 勾稽关系 per column, the results summing to
（七）总计, row totals, 表四 totals). ``synth_report_text`` and
``synth_report_html`` render a complete report from those values in the text
layouts real reports come in (template.md §4.2) and as a web page with the
template's merged cells; ``synth_report_pdf`` lays it out as a WPS-made PDF.
Everything is deterministic given the ``rng``.

The values fed in are the expected output of the parser: a test compares what
was read with what was generated, never with what was parsed before.
"""

from nianbao.synth.layouts import LAYOUTS
from nianbao.synth.pdf import synth_report_pdf
from nianbao.synth.prose import NUMBERINGS, published_date
from nianbao.synth.report import synth_report_html, synth_report_text
from nianbao.synth.traditional import to_traditional
from nianbao.synth.values import SPLIT_NAMES, Cells, Fees, split_other_services, synth_cells, synth_fees

__all__ = [
    "LAYOUTS",
    "NUMBERINGS",
    "SPLIT_NAMES",
    "Cells",
    "Fees",
    "published_date",
    "split_other_services",
    "synth_cells",
    "synth_fees",
    "synth_report_html",
    "synth_report_pdf",
    "synth_report_text",
    "to_traditional",
]
