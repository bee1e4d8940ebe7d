"""How the store packs a report's JSON and a file's bytes (schema v8): given back exactly, key order
included, for every fixture report (and the seeds and real reports when ../shared is there)."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from nianbao.pipeline import process
from nianbao.render.json import report_json
from nianbao.store.db import Store, connect
from nianbao.store.schema import ORIGINALS, REPORTS, Packer, kept_view, pack_original, unzipped_json, zipped_json

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
SHARED = Path(__file__).resolve().parents[3] / "shared"
FILES = sorted(FIXTURES.iterdir()) + [
    f for folder in ("seeds", "real", "wild") for f in sorted((SHARED / folder).glob("*")) if f.suffix != ".json"
]


def _dumped(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_report_and_its_file_come_back_exactly(path: Path) -> None:
    data = path.read_bytes()
    try:
        done = process(data, path.name)
    except Exception:  # not a report nianbao reads: nothing to store
        pytest.skip("not read")
    document = report_json(done.report, full=True)
    packed = zipped_json(document)
    assert _dumped(unzipped_json(packed)) == _dumped(document)  # every key, in its order
    assert len(packed) < len(zlib.compress(_dumped(document).encode(), 6))
    assert ORIGINALS.unpack(pack_original(data)) == data


def test_rows_of_version_7_read_as_they_are() -> None:
    document = {"file": "a.txt", "table3": {"x": {"total": 1}}, "provenance": {"table3.x.total": {"line": 3}}}
    assert unzipped_json(zlib.compress(_dumped(document).encode())) == document
    assert ORIGINALS.unpack(zlib.compress(b"abc")) == b"abc"
    assert REPORTS.unpack(REPORTS.pack(b"abc")) == b"abc"


def test_rows_packed_with_an_earlier_dictionary_read_as_they_are() -> None:
    data = "table3.new_received.total 一、总体情况".encode()
    earlier = Packer("report", (1,)).pack(data)
    assert REPORTS.unpack(earlier) == data and earlier != REPORTS.pack(data)


def test_a_text_file_s_lines_are_not_kept_beside_its_original() -> None:
    lines = zlib.compress(_dumped({"lines": ["一、总体情况"]}).encode())
    blocks = zlib.compress(_dumped({"blocks": []}).encode())
    assert kept_view(lines) is None and kept_view(blocks) == blocks and kept_view(None) is None


def test_a_text_file_s_lines_come_back_from_its_original(db_url: str) -> None:
    store = Store(connect(db_url))
    for path in sorted(FIXTURES.glob("*.[tm][xd]*")):  # every encoding the fixtures have (GB18030, UTF-16, BOM…)
        data = path.read_bytes()
        done = process(data, path.name)
        saved = store.save(done.report, done.findings, done.source(), original=data)
        assert store.load_source(saved.report_id) == done.source(), path.name
