"""The command line's one-line messages on stderr, written without typer (``nianbao parse`` runs
without it, see ``nianbao.__main__``): a file that could not be read, and nianbao's own warnings."""

from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path


def say(line: str) -> None:
    """``line`` on stderr, flushed, as ``typer.echo(line, err=True)`` writes it."""
    print(line, file=sys.stderr, flush=True)


def fail(path: Path | str, reason: str) -> None:
    """One clear line on stderr naming the file and the reason (a reason with line breaks is joined)."""
    say(f"nianbao: {path}: {' '.join(reason.split())}")


def warning_line(message: Warning | str, category: type[Warning], filename: str, lineno: int, *rest: object) -> None:
    """nianbao's own warnings, written in Chinese (a PostgreSQL database whose LC_CTYPE makes search
    slow), as one plain line on stderr, not Python's form with the file, line and source; a library's
    warning as Python prints it."""
    if re.search(HAN, str(message)):  # compiled on the first warning, not at every start
        say(f"nianbao: 警告: {' '.join(str(message).split())}")
    else:
        SHOW_WARNING(message, category, filename, lineno, *rest)  # type: ignore[arg-type]


HAN = r"[\u4e00-\u9fff]"
SHOW_WARNING = warnings.showwarning
