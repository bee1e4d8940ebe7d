"""The command line's one-line messages on stderr, written without typer (``nianbao parse`` runs
without it, see ``nianbao.__main__``): a file that could not be read or written and why, and
nianbao's own warnings; output streams that write what their encoding cannot hold as escapes, not
a traceback; and stdout's last flush, quiet when its reader has gone, one line when it is full."""

from __future__ import annotations

import codecs
import errno
import os
import re
import sys
import warnings
from pathlib import Path


def escaping_streams() -> None:
    """stdout and stderr write a character their encoding cannot hold (a console in ASCII or
    Latin-1, ``PYTHONIOENCODING=ascii``, ``LC_ALL=C``) as ``\\uXXXX``, not a UnicodeEncodeError:
    read by a person as Python's escapes, and JSON output stays JSON that decodes to the same text
    (a character beyond U+FFFF is written as its UTF-16 pair). Bytes the system gave that were not
    text in its encoding (a file name in argv, ``surrogateescape``) are written back as they came.
    An error handler asked for in ``PYTHONIOENCODING`` (``ascii:replace``) is kept. A stream
    whose descriptor was closed before the start (``>&-``: Python makes it None) writes nowhere."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # open until the exit
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) in DEFAULTS:
            stream.reconfigure(errors=ESCAPE)  # type: ignore[union-attr]


def _escape(e: UnicodeError) -> tuple[str | bytes, int]:
    if not isinstance(e, UnicodeEncodeError):
        raise e
    try:
        return SURROGATE_ESCAPE(e)
    except UnicodeEncodeError:
        pass
    units = e.object[e.start : e.end].encode("utf-16-be", "surrogatepass")
    return "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2)), e.end


DEFAULTS = ("strict", "surrogateescape", "backslashreplace")  # Python's own (stderr: the last)
ESCAPE = "nianbao-escape"
SURROGATE_ESCAPE = codecs.lookup_error("surrogateescape")
codecs.register_error(ESCAPE, _escape)


def flushed(code: int) -> int:
    """``code`` once stdout's buffered output is written; 1 when its reader has gone (``| head``),
    stdout then put on the null device so that the exit's own flush says nothing either; 2 when
    it cannot take the output (``unwritable``)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _to_null()
        return 1
    except OSError as e:
        return unwritable(e)
    return code


def unwritable(e: OSError) -> int:
    """2, once an error writing stdout (a full disk, ``> /dev/full``) is said in one line, as
    ``export -o -`` says it: ``nianbao: -: 无法写入：磁盘已满``; stdout is then put on the null
    device, so that the exit's own flush says nothing more. An error about a file (it has the
    file's name), or one no write fails with (a connection refused), is not stdout's: it is raised
    again."""
    if e.filename is not None or e.errno not in WRITE_ERRORS:
        raise e
    fail("-", f"无法写入：{os_reason(e)}")
    _to_null()
    return 2


# what writing stdout fails with: a full disk or quota, a file too large, the device, a read-only
# file system, a closed descriptor
WRITE_ERRORS = frozenset((errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS, errno.EBADF))


def _to_null() -> None:
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def why_unwritable(path: Path) -> str | None:
    """Why ``path`` cannot be written (``os_reason``), or None: asked before a command's work, so
    that a wrong ``-o`` is said at once. It is opened to append (an existing file is left as it
    was) and, when it was not there, removed again."""
    existed = path.exists()
    try:
        with path.open("ab"):
            pass
    except OSError as e:
        return os_reason(e)
    if not existed:
        path.unlink(missing_ok=True)
    return None


def os_reason(e: OSError) -> str:
    """Why a file could not be written or read, in Chinese (the system's text when unusual)."""
    return OS_REASONS.get(e.errno, e.strerror or str(e)) if e.errno is not None else str(e)


OS_REASONS = {
    errno.ENOENT: "文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "只读文件系统",
    errno.ENOTDIR: "路径中有一段不是文件夹",
}


def say(line: str) -> None:
    """``line`` on stderr, flushed, as ``typer.echo(line, err=True)`` writes it."""
    print(line, file=sys.stderr, flush=True)


def fail(*about: Path | str) -> None:
    """One clear line on stderr: what it is about, if anything (the file, 数据库, 机关…), and the
    reason last (a reason with line breaks is joined): ``nianbao: a.txt: 文件不存在``."""
    *what, reason = about
    say(": ".join(["nianbao", *map(str, what), " ".join(str(reason).split())]))


def warn(*about: Path | str) -> None:
    """A warning in one line on stderr, as ``fail`` writes a line with 警告 before the reason:
    ``nianbao: a.txt: 警告: …`` (``nianbao: 警告: …`` when it is about nothing in particular)."""
    *what, reason = about
    fail(*what, "警告", reason)


def warning_line(message: Warning | str, category: type[Warning], filename: str, lineno: int, *rest: object) -> None:
    """nianbao's own warnings, written in Chinese (a PostgreSQL database whose LC_CTYPE makes search
    slow), as one plain line on stderr, not Python's form with the file, line and source; a library's
    warning as Python prints it."""
    if re.search(HAN, str(message)):  # compiled on the first warning, not at every start
        warn(str(message))
    else:
        SHOW_WARNING(message, category, filename, lineno, *rest)  # type: ignore[arg-type]


HAN = r"[\u4e00-\u9fff]"
SHOW_WARNING = warnings.showwarning
