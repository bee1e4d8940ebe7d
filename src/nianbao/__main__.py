"""The ``nianbao`` command (and ``python -m nianbao``).

``nianbao parse FILE… [-f text|json]`` is the command run most, once per file by scripts: in these
plain forms it runs straight away, without importing typer and building the app of every command
(about a quarter of its start-up). Any other form — other commands, help, other options, a value
typer would refuse, shell completion — goes to the typer app in ``nianbao.cli``, as before."""

from __future__ import annotations

import os
import sys

FORMATS = {"text": False, "json": True}


def main() -> None:
    plain = plain_parse(sys.argv[1:])
    if plain is None or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        from nianbao.cli import main as full

        full()
    else:
        sys.exit(run_parse(*plain))


def plain_parse(args: list[str]) -> tuple[list[str], bool] | None:
    """The files and whether JSON is asked for, when ``args`` are ``parse`` with files and at most
    one ``-f``/``--format`` of text or json; None for anything else."""
    if args[:1] != ["parse"]:
        return None
    files: list[str] = []
    fmt: str | None = None
    rest = iter(args[1:])
    for arg in rest:
        if arg in ("-f", "--format") and fmt is None:
            fmt = next(rest, "")
        elif arg.startswith("--format=") and fmt is None:
            fmt = arg.removeprefix("--format=")
        elif arg.startswith("-") or not arg:
            return None
        else:
            files.append(arg)
    if not files or (fmt is not None and fmt not in FORMATS):
        return None
    return files, FORMATS.get(fmt or "text", False)


def run_parse(files: list[str], as_json: bool) -> int:
    """``parse_files`` with what typer's ``main`` adds around a command: nianbao's warnings in
    Chinese, Ctrl-C ends with 130, output into a closed pipe (``| head``) ends quietly with 1.

    The imports (pathlib, the pipeline) make some 26,000 objects the cyclic garbage collector
    tracks, almost none of them garbage (about 140): they run without it, and what they made is
    frozen out of later collections, the one at exit included (4 % of the instructions of
    ``nianbao parse a.txt``)."""
    import gc
    import warnings

    gc.disable()
    from pathlib import Path

    from nianbao.cli_parse import parse_files
    from nianbao.cli_say import warning_line

    gc.freeze()
    gc.enable()
    warnings.showwarning = warning_line
    try:
        return parse_files([Path(f) for f in files], as_json)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit's flush writes nowhere
        return 1


if __name__ == "__main__":
    main()
