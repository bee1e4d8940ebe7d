"""HTML reader speed: a 55 KB government CMS page (420 menu links, 40 inline scripts, 200
footer links around a synthetic report with its three tables) and the test fixture pages,
read with ``nianbao.read.html.read`` on one core; prints the median and p95 CPU time per page
next to lxml's bare parse of the same bytes. Target: median ≤ 5 ms for the 55 KB page.

Run: ``.venv/bin/python bench/html_bench.py [--n 200]``. ``--reference SRC`` (e.g. a ``git worktree``'s
``src``) also times that tree's ``nianbao/read/html.py`` (loaded over this tree's other modules), the two
readers run in turn on each page in the same process.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import time
from pathlib import Path

from lxml import etree

from nianbao.model import Source
from nianbao.read import html
from nianbao.synth import synth_cells, synth_report_html

TARGET_MS = 5.0
FIXTURES = Path(__file__).parent.parent / "tests" / "fixtures" / "html"


def cms_page() -> bytes:
    """The synthetic report page, its chrome grown to a real CMS page's size."""
    rng = random.Random(0)
    page = synth_report_html(synth_cells(rng, "2021"), "2021", "某市某区某局", 2023, rng)
    menu = "".join(f'<li><a href="/col/col{i}/index.html">栏目{i}</a></li>' for i in range(420))
    scripts = "".join(
        f'<script>var s{i} = "<div>{i}</div>"; if (s{i}.length < 3) {{ s{i} = ""; }}</script>' for i in range(40)
    )
    footer = "".join(f'<a href="/link/{i}.html">友情链接{i}</a> ' for i in range(200))
    page = page.replace("<body>", f'<body>{scripts}<div class="menu"><ul>{menu}</ul></div>', 1)
    page = page.replace("</body>", f'<div class="footer-links">{footer}</div></body>', 1)
    return page.encode("utf-8")


def cpu_ms(fns, data: bytes, n: int) -> list[list[float]]:
    """CPU milliseconds of each of ``fns`` on ``data``, ``n`` times, the functions in turn."""
    for fn in fns:
        fn(data)
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(n):
        for fn, times in zip(fns, out, strict=True):
            t = time.process_time()
            fn(data)
            times.append((time.process_time() - t) * 1000)
    return out


def reference_reader(src: str):
    """``nianbao/read/html.py`` of the source tree ``src``, as a module of its own."""
    spec = importlib.util.spec_from_file_location("reference_html", Path(src) / "nianbao" / "read" / "html.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stats(ms: list[float]) -> str:
    return f"median {statistics.median(ms):5.2f} ms  p95 {sorted(ms)[int(0.95 * (len(ms) - 1))]:5.2f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="runs per page (default 200)")
    ap.add_argument("--reference", metavar="SRC", help="also time this source tree's HTML reader, in turn")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    source = Source("bench.html", "", "html")
    pages = [("cms_page (synthetic)", cms_page())] + [
        (p.name, p.read_bytes()) for p in sorted(FIXTURES.glob("report_*"))
    ]
    readers = [html] + ([reference_reader(args.reference)] if args.reference else [])
    status = 0
    for name, data in pages:
        *ms, base = cpu_ms(
            [*(lambda d, m=m: m.read(d, source) for m in readers), lambda d: etree.fromstring(d, etree.HTMLParser())],
            data,
            args.n,
        )
        print(
            f"{name:28s} {len(data) // 1024:3d} KB  read {stats(ms[0])}  (lxml parse alone {statistics.median(base):4.2f} ms)"
        )
        if args.reference:
            print(f"{'':28s} {'':6s} reference {stats(ms[1])}")
        if name.startswith("cms_page") and statistics.median(ms[0]) > TARGET_MS:
            status = 1
    print(f"target: cms_page median ≤ {TARGET_MS} ms -> {'met' if status == 0 else 'NOT met'}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
