"""PDF speed on one core.

* Text layer: synthetic reports of both editions rendered to the official DOCX,
  converted to PDF by LibreOffice (tables with merged cells, wrapped labels,
  tables split across pages), then read back with ``nianbao.read`` — pages per
  second (target ≥ 20).
* Scanned: pages of those PDFs rendered at 150 dpi, blurred and slightly rotated,
  saved as image-only PDFs and read through OCR with one ONNX Runtime thread —
  seconds per page (target ≤ 3), engine start-up excluded.

Run: ``.venv/bin/python bench/pdf_bench.py [--reports 10] [--scans 3]``. Needs
LibreOffice (``soffice``); the scanned part needs ``pip install 'nianbao[ocr]'``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "read"))

from pdf_make import soffice_pdfs  # noqa: E402

from nianbao.model import Report, Source, Value  # noqa: E402
from nianbao.read import ocr  # noqa: E402
from nianbao.read.pdf import PdfSettings, read  # noqa: E402
from nianbao.render.docx import render_docx  # noqa: E402
from nianbao.synth import synth_cells  # noqa: E402


def make_pdfs(n: int, tmp: Path) -> list[Path]:
    rng = random.Random(0)
    srcs = []
    for i in range(n):
        ed = ("2021", "2019")[i % 2]
        report = Report(Source("synth", "0", "txt"), agency="某某市某某区人民政府", year=2024, edition=ed)
        report.cells = {p: Value(v) for p, v in synth_cells(rng, ed).items()}
        src = tmp / f"r{i}.docx"
        src.write_bytes(render_docx(report))
        srcs.append(src)
    return soffice_pdfs(srcs, tmp)


def pages_of(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def source(name: str) -> Source:
    return Source(name, "0", "pdf")


def text_layer(pdfs: list[Path]) -> None:
    datas = [p.read_bytes() for p in pdfs]
    read(datas[0], source("warm-up"))  # imports
    pages = sum(pages_of(d) for d in datas)
    t, c = time.perf_counter(), time.process_time()
    for d in datas:
        read(d, source("bench.pdf"))
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    print(f"text layer: {len(datas)} PDFs, {pages} pages")
    print(
        f"  wall {wall:6.2f} s  {pages / wall:6.1f} pages/s   CPU {cpu:6.2f} s  {pages / cpu:6.1f} pages/s (one core)"
    )


def scans(pdfs: list[Path], n: int, tmp: Path) -> None:
    if not ocr.available():
        print("scanned: skipped (pip install 'nianbao[ocr]')")
        return
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    files = []
    for k in range(n):
        doc = pdfium.PdfDocument(pdfs[k % len(pdfs)])
        page = doc[min(1 + k // len(pdfs), len(doc) - 1)]  # page 2 holds 表三
        img = page.render(scale=150 / 72, grayscale=True).to_pil()
        img = img.rotate(0.3, fillcolor=255, resample=Image.BICUBIC).filter(ImageFilter.GaussianBlur(0.5))
        out = tmp / f"scan{k}.pdf"
        img.convert("RGB").save(out, resolution=150)
        files.append(out.read_bytes())
        doc.close()
    settings = PdfSettings(ocr_threads=1)
    t = time.perf_counter()
    ocr.engine(1)
    print(f"scanned: OCR engine start-up {time.perf_counter() - t:.2f} s (once per process)")
    wall, cpu, cells = [], [], 0
    for data in files:
        t, c = time.perf_counter(), time.process_time()
        doc = read(data, source("scan.pdf"), settings)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        cells += sum(1 for tb in doc.tables() for r in tb.rows for x in r if x.text and not x.merged)
    print(f"  {len(files)} pages at 150 dpi, {cells} cells read")
    print(
        f"  wall median {statistics.median(wall):5.2f} s/page   CPU median {statistics.median(cpu):5.2f} s/page"
        "  (one ONNX Runtime thread)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=10)
    ap.add_argument("--scans", type=int, default=3)
    args = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load {load:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = make_pdfs(args.reports, Path(tmp))
        text_layer(pdfs)
        scans(pdfs, args.scans, Path(tmp))


if __name__ == "__main__":
    main()
