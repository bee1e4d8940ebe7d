"""Hostile inputs (issue 10) through ``nianbao parse`` under an address-space limit of
1.5 GB and 60 s: each ends with exit 0 or 2, at most one line on stderr, no traceback."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile import hostile_make as make

MEMORY = 1536 * 1024 * 1024
TIMEOUT = 60
NIANBAO = [sys.executable, "-c", "from nianbao.cli import main; main()"]


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def parse(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MALLOC_ARENA_MAX": "2", "OMP_NUM_THREADS": "1"}
    return subprocess.run(
        [*NIANBAO, "parse", str(path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=_limit,
        env=env,
        check=False,
    )


def refused(path: Path) -> str:
    """The one line a refused input prints (exit 2)."""
    done = parse(path)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    lines = done.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def survives(path: Path) -> None:
    done = parse(path)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.returncode in (0, 2), (done.returncode, done.stderr[-2000:])
    assert len(done.stderr.splitlines()) <= int(done.returncode == 2), done.stderr


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


CASES: dict[str, tuple[str, Callable[[], bytes], str]] = {
    **{
        f"xlsx_merge_{k}": ("x.xlsx", lambda v=v: make.xlsx(make.merged_sheet(v)), "合并单元格")
        for k, v in make.MERGE_SPELLINGS.items()
    },
    "docx_understated_member": ("x.docx", lambda: make.understated("docx"), "声明"),
    "xlsx_understated_member": ("x.xlsx", lambda: make.understated("xlsx"), "声明"),
    "xlsx_corrupt_sheet": ("x.xlsx", make.corrupt_sheet, "损坏"),
    "docx_many_members": ("x.docx", make.many_members, "部件数"),
    "pdf_huge_page": ("x.pdf", lambda: make.pdf("0 0 14400 14400"), "像素"),
    "pdf_huge_page_user_unit": ("x.pdf", lambda: make.pdf("0 0 14400 14400", user_unit=75), "像素"),
    "pdf_many_pages": ("x.pdf", lambda: make.pdf("0 0 595 842", pages=100_000), "pdf_pages"),
    "tiff_frames": ("x.tif", make.tiff_frames, "像素总数"),
    "gif_frames": ("x.gif", make.gif_frames, "像素总数"),
    "docx_huge_xml": ("x.docx", make.huge_docx, "上限"),
    "text_pipes": ("x.txt", lambda: b"|" * (15 * make.MB), "上限"),
    "text_lines": ("x.txt", lambda: "一、总体情况\n".encode() + b"a\n" * 5_000_000, "text_lines"),
    "html_tags": ("x.html", lambda: ("<html><body>" + "<p>|\t|</p>" * 900_000).encode(), "html_tags"),
    "text_tabs": ("x.txt", lambda: "一、总体情况\n".encode() + b"\t" * (5 * make.MB) + b"x\n", "上限"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_with_one_line(case: str, tmp_path: Path) -> None:
    name, build, reason = CASES[case]
    line = refused(write(tmp_path, name, build()))
    assert reason in line


@pytest.mark.parametrize(
    "build",
    [
        make.numbered_headings,
        make.huge_fee,
        lambda: make.huge_cell("9" * 5000),
        lambda: make.huge_cell("9" * 400 + ".5"),
        lambda: make.huge_cell("9" * 400 + ",123"),
    ],
)
def test_absurd_text_reads(build: Callable[[], bytes], tmp_path: Path) -> None:
    survives(write(tmp_path, "r.txt", build()))


def test_special_files(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    assert "普通文件" in refused(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    assert "普通文件" in refused(zero)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "r.txt", "一、总体情况".encode())
    path.chmod(0)
    assert "权限" in refused(path)
