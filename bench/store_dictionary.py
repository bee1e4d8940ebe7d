"""Make the zlib preset dictionaries of the store (``src/nianbao/data/zdict-*.txt``) from three
synthetic reports (``nianbao.synth``, both editions, two layouts): the report JSON as the store
keeps it (``report_json(report, full=True)`` as ``packing.lean_json`` packs it: the cell paths,
section keys, headings, labels) and the report text (the template's headings and table labels).
Nothing from ``../shared``.

A dictionary in use is never changed: the rows compressed with it name it by its Adler-32 and
need it to be read (``store.schema``). A better one is added under the next number and made the
one new rows use; this script writes the files of number ``--number``.

Run: ``.venv/bin/python bench/store_dictionary.py --number 3 --kind report`` (in use: report 1
and 2, original 1).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from nianbao.pipeline import process
from nianbao.render.json import report_json
from nianbao.store.packing import lean_json
from nianbao.synth import LAYOUTS, synth_cells, synth_fees, synth_report_text

DATA = Path(__file__).resolve().parent.parent / "src" / "nianbao" / "data"
LIMIT = 32 * 1024  # zlib uses the last 32 KB of a dictionary
SAMPLES = ((99, "2019", LAYOUTS[0]), (97, "2021", LAYOUTS[1]), (98, "2021", LAYOUTS[0]))  # the most alike last


def sample(seed: int, edition: str, layout: str) -> tuple[str, str]:
    """A synthetic report's JSON as stored, and its text."""
    rng = random.Random(seed)
    year = 2023 if edition == "2021" else 2020
    text = synth_report_text(
        synth_cells(rng, edition), edition, layout, "某某市某某区人民政府", year, rng, fees=synth_fees(rng)
    )
    found = process(text.encode(), "x.txt")
    return json.dumps(lean_json(report_json(found.report, full=True)), ensure_ascii=False), text


def tail(text: str) -> str:
    """The end of ``text`` that fits in a dictionary, cut at a character."""
    data = text.encode()[-LIMIT:]
    return data.decode(errors="ignore")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--number", type=int, required=True)
    ap.add_argument("--kind", choices=("report", "original", "both"), default="both")
    args = ap.parse_args()
    number = args.number
    made = [sample(*s) for s in SAMPLES]
    for kind, text in (("report", "".join(j for j, _ in made)), ("original", "".join(t for _, t in made))):
        if args.kind not in (kind, "both"):
            continue
        out = DATA / f"zdict-{kind}-{number}.txt"
        if out.exists():
            print(f"{out} exists: a dictionary in use is never changed", file=sys.stderr)
            return 1
        out.write_text(tail(text), encoding="utf-8")
        print(f"{out}: {out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
