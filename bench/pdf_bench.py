"""PDF speed on one core.

* Text layer: pages per second of CPU time (``time.process_time``), median of
  ``--rounds`` rounds, each round reading every PDF of a set once and
  extracting pypdfium2's plain text from the same PDFs (the reference, measured
  in the same run, interleaved: this VM is shared and its speed drifts). Sets:
  the real WPS-made reports in ``../shared/real`` (skipped when absent; target
  ≥ 60 pages/s), synthetic WPS-like PDFs (``nianbao.synth.synth_report_pdf``:
  glyphs placed one by one, frames, a table cut by a page break) and synthetic
  reports of both editions rendered to the official DOCX and converted to PDF
  by LibreOffice (tables with merged cells, wrapped labels; skipped without
  ``soffice``).
* Scanned: pages of those PDFs rendered at 150 dpi, blurred and slightly rotated,
  saved as image-only PDFs and read through OCR with one ONNX Runtime thread —
  CPU seconds per page (target ≤ 3), engine start-up excluded: the median of
  reading each page once, and of the best of ``--repeat`` reads (this VM's
  speed drifts by a third from one minute to the next).

Run: ``.venv/bin/python bench/pdf_bench.py [--reports 10] [--scans 6] [--rounds 5] [--repeat 3]``.
The scanned part needs LibreOffice and ``pip install 'nianbao[ocr]'``.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import shutil
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
from nianbao.synth import synth_cells, synth_fees, synth_report_pdf  # noqa: E402

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"


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


def wps_like(n: int) -> list[bytes]:
    """Synthetic WPS-like PDFs, every other one with the options of a harder layout."""
    out = []
    for i in range(n):
        rng = random.Random(i)
        ed = ("2021", "2019")[i % 2]
        cells, fees = synth_cells(rng, ed), synth_fees(rng)
        options = (
            {"page_border": True, "running_header": "某某市某某区人民政府文件", "repeat_header": True} if i % 2 else {}
        )
        out.append(synth_report_pdf(cells, ed, "某某市某某区人民政府", 2024, rng, fees=fees, **options))
    return out


def plain_text(data: bytes) -> None:
    """The reference: pypdfium2's text of every page, no positions, no tables."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        for page in doc:
            page.get_textpage().get_text_range()
    finally:
        doc.close()


def text_layer(name: str, datas: list[bytes], rounds: int) -> None:
    for d in datas:  # imports, caches
        read(d, source("warm-up.pdf"))
    pages = sum(pages_of(d) for d in datas)
    ours, ref = [], []
    for _ in range(rounds):
        c = time.process_time()
        for d in datas:
            read(d, source("bench.pdf"))
        ours.append(time.process_time() - c)
        c = time.process_time()
        for d in datas:
            plain_text(d)
        ref.append(time.process_time() - c)
    speed, reference = pages / statistics.median(ours), pages / statistics.median(ref)
    print(
        f"  {name:28} {len(datas):2} PDFs {pages:3} pages   nianbao {speed:6.1f} pages/s"
        f"   pypdfium2 text {reference:6.1f} pages/s   ({reference / speed:4.1f}x)"
    )


def scanned(page) -> bytes:
    """A page rendered at 150 dpi, 0.3° askew and blurred, as an image-only PDF."""
    from PIL import Image, ImageFilter

    img = page.render(scale=150 / 72, grayscale=True).to_pil()
    img = img.rotate(0.3, fillcolor=255, resample=Image.BICUBIC).filter(ImageFilter.GaussianBlur(0.5))
    out = io.BytesIO()
    img.convert("RGB").save(out, format="PDF", resolution=150)
    return out.getvalue()


def scans(pdfs: list[Path], n: int, repeat: int) -> None:
    """Dense table pages (page 2 of each report: 表三, often 表四), then every page of two reports."""
    if not n:
        return
    if not ocr.available():
        print("scanned: skipped (pip install 'nianbao[ocr]')")
        return
    import pypdfium2 as pdfium

    docs = [pdfium.PdfDocument(p) for p in pdfs]
    dense = [scanned(docs[k % len(docs)][min(1 + k // len(docs), len(docs[k % len(docs)]) - 1)]) for k in range(n)]
    whole = [scanned(doc[k]) for doc in docs[:2] for k in range(len(doc))]
    for doc in docs:
        doc.close()
    settings = PdfSettings(ocr_threads=1)
    t = time.perf_counter()
    ocr.engine(1)
    print(f"scanned: OCR engine start-up {time.perf_counter() - t:.2f} s (once per process)")
    read(dense[0], source("warm-up.pdf"), settings)
    print(f"  one ONNX Runtime thread, 150 dpi, CPU time per page (each page read once / best of {repeat}):")
    for name, files in (("dense table pages", dense), ("all pages of 2 reports", whole)):
        first, best, cells = [], [], 0
        for data in files:
            times = []
            for _ in range(repeat):
                c = time.process_time()
                doc = read(data, source("scan.pdf"), settings)
                times.append(time.process_time() - c)
            first.append(times[0])
            best.append(min(times))
            cells += sum(1 for tb in doc.tables() for r in tb.rows for x in r if x.text and not x.merged)
        print(
            f"  {name:23} {len(files):2} pages {cells:4} cells   median {statistics.median(first):5.2f} s"
            f" / {statistics.median(best):5.2f} s   mean {statistics.mean(first):5.2f} s   worst {max(first):5.2f} s"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=10)
    ap.add_argument("--scans", type=int, default=6)
    ap.add_argument("--rounds", type=int, default=5, help="text layer: rounds over every set (the median is reported)")
    ap.add_argument("--repeat", type=int, default=3, help="reads of each scanned page (the best is reported too)")
    args = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load {load:.1f}")
    print(f"text layer, CPU time per core, median of {args.rounds} rounds (reference in the same run):")
    real = sorted(REAL.glob("*.pdf"))
    if real:
        text_layer("real WPS reports", [p.read_bytes() for p in real], args.rounds)
    else:
        print(f"  real WPS reports: skipped ({REAL} is absent)")
    text_layer("synthetic WPS-like", wps_like(args.reports), args.rounds)
    if not shutil.which("soffice"):
        print("  LibreOffice PDFs and scanned pages: skipped (no soffice)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = make_pdfs(args.reports, Path(tmp))
        text_layer("synthetic, LibreOffice", [p.read_bytes() for p in pdfs], args.rounds)
        scans(pdfs, args.scans, args.repeat)


if __name__ == "__main__":
    main()
