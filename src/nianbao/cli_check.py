"""``nianbao check``: check reports, each by every rule and then across them, and print the
findings as text or JSON. The body of the command, apart from the typer app so that
``nianbao.__main__`` can run its plain forms without building the app; importing it imports the
pipeline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from nianbao.check import RULES, Checked, check_across, unreadable
from nianbao.cli_say import fail
from nianbao.model import ReportError
from nianbao.pipeline import process
from nianbao.render.check_json import check_json


def check_files(files: list[Path], as_json: bool, strict: bool, ignore: str = "") -> int:
    """Print the findings; the exit code: 2 when a file could not be read as a report or
    ``ignore`` names an unknown rule, 1 when an error was found (or a warning, if ``strict``), else 0."""
    skip = {s.strip().upper() for s in ignore.split(",") if s.strip()}
    if unknown := sorted(skip - set(RULES)):
        fail("--ignore", f"没有这些规则：{'、'.join(unknown)}（nianbao rules 列出全部规则）")
        return 2
    results: list[Checked] = []
    bad = False
    for p in files:  # each report is read and checked once, without the ignored rules
        try:
            done = process(p, ignore=skip)
        except ReportError as e:
            fail(p, str(e))
            bad = True
            results.append(Checked(str(p), None, [unreadable(str(p), str(e))]))
        else:
            results.append(Checked(str(p), done.report, done.findings))
    cross = check_across([c.report for c in results if c.report is not None], skip)
    if as_json:
        sys.stdout.write(json.dumps(check_json(results, cross), ensure_ascii=False, indent=2) + "\n")
    else:
        from nianbao.render.check_console import print_check  # Rich's console: text only

        print_check(results, cross)
    found = {d.severity for c in results for d in c.diagnostics} | {d.severity for d in cross}
    return 2 if bad else 1 if "error" in found or (strict and "warning" in found) else 0
