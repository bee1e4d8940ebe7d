"""``nianbao parse``: read reports and print every cell of the three tables with its source, as
text tables or JSON. The body of the command, apart from the typer app so that ``nianbao.__main__``
can run its plain forms without building the app; importing it imports the pipeline."""

from __future__ import annotations

import sys
from pathlib import Path

from nianbao.cli_say import fail
from nianbao.model import ReportError
from nianbao.pipeline import process
from nianbao.render.console import print_report


def parse_files(files: list[Path], as_json: bool) -> int:
    """Print each report (tables, or one JSON document: a list when several files are given);
    the exit code: 0, or 2 when a file could not be read as a report (said on stderr)."""
    code = 0
    out: list[dict] = []
    for p in files:
        try:
            report = process(p).report
        except ReportError as e:
            fail(p, str(e))
            code = 2
            out.append({"file": str(p), "error": str(e)})
            continue
        if as_json:
            from nianbao.render.json import report_json

            out.append(report_json(report))
        else:
            print_report(report)
    if as_json and (len(files) > 1 or not code):
        import json

        data: object = out[0] if len(files) == 1 else out
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return code
