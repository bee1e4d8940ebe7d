"""The ``nianbao`` command (and ``python -m nianbao``).

``nianbao parse FILE… [-f text|json]`` and ``nianbao check FILE… [-f text|json] [--strict]`` are
the commands run most, once per file by scripts: in these plain forms they run straight away,
without importing typer and building the app of every command (about a quarter of their
start-up). Any other form — other commands or options, help, a value typer would refuse, shell
completion — goes to the typer app in ``nianbao.cli``, as before."""

from __future__ import annotations

import os
import sys

FORMATS = {"text": False, "json": True}
FLAGS = {"parse": (), "check": ("--strict",)}  # the commands run without typer, and their flags


def main() -> None:
    plain = plain_form(sys.argv[1:])
    if plain is None or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        from nianbao.cli import main as full

        full()
    else:
        sys.exit(run_plain(*plain))


def plain_form(args: list[str]) -> tuple[str, list[str], bool, set[str]] | None:
    """The command, its files, whether JSON is asked for and the flags given, when ``args`` are
    ``parse`` or ``check`` with files, at most one ``-f``/``--format`` of text or json and each of
    the command's flags at most once; None for anything else."""
    if not args or args[0] not in FLAGS:
        return None
    files: list[str] = []
    fmt: str | None = None
    flags: set[str] = set()
    rest = iter(args[1:])
    for arg in rest:
        if arg in ("-f", "--format") and fmt is None:
            fmt = next(rest, "")
        elif arg.startswith("--format=") and fmt is None:
            fmt = arg.removeprefix("--format=")
        elif arg in FLAGS[args[0]] and arg not in flags:
            flags.add(arg)
        elif arg.startswith("-") or not arg:
            return None
        else:
            files.append(arg)
    if not files or (fmt is not None and fmt not in FORMATS):
        return None
    return args[0], files, FORMATS.get(fmt or "text", False), flags


def run_plain(command: str, files: list[str], as_json: bool, flags: set[str]) -> int:
    """The command's body with what ``nianbao.cli.main`` and typer add around it: output that
    escapes what the console cannot encode, nianbao's warnings in Chinese, Ctrl-C ends with 130,
    output into a closed pipe (``| head``) ends quietly with 1, output stdout cannot take (a full
    disk) is one line and 2.

    The imports (pathlib, the pipeline) make some 26,000 objects the cyclic garbage collector
    tracks, almost none of them garbage (about 140): they run without it, and what they made is
    frozen out of later collections, the one at exit included (4 % of the instructions of
    ``nianbao parse a.txt``)."""
    import gc
    import warnings
    from functools import partial

    gc.disable()
    from pathlib import Path

    from nianbao.cli_say import escaping_streams, flushed, unwritable, warning_line

    escaping_streams()
    paths = [Path(f) for f in files]
    if command == "parse":
        from nianbao.cli_parse import parse_files

        body = partial(parse_files, paths, as_json)
    else:
        from nianbao.cli_check import check_files

        body = partial(check_files, paths, as_json, "--strict" in flags)
    gc.freeze()
    gc.enable()
    warnings.showwarning = warning_line
    try:
        return flushed(body())
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return flushed(1)
    except OSError as e:
        return unwritable(e)


if __name__ == "__main__":
    main()
