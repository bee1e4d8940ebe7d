"""How the store packs a report's JSON and a file's bytes (schema v8): given back exactly, key order
included, for every fixture report (and the seeds and real reports when ../shared is there)."""

from __future__ import annotations

import hashlib
import json
import pickle
import zlib
from importlib import resources
from pathlib import Path

import pytest
import sqlalchemy as sa

from nianbao.pipeline import process
from nianbao.pipeline.review import recheck
from nianbao.render.json import report_json
from nianbao.store import originals
from nianbao.store.db import Store, connect, writing
from nianbao.store.packing import ORIGINALS, REPORTS, Packer, pack_original, unzipped_json, zipped_json
from nianbao.store.schema import StoreError, documents, kept_view

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
    assert ORIGINALS.unpack(ORIGINALS.pack(data)) == data


def test_rows_of_version_7_read_as_they_are() -> None:
    document = {"file": "a.txt", "table3": {"x": {"total": 1}}, "provenance": {"table3.x.total": {"line": 3}}}
    assert unzipped_json(zlib.compress(_dumped(document).encode())) == document
    assert ORIGINALS.unpack(zlib.compress(b"abc")) == b"abc"
    assert REPORTS.unpack(REPORTS.pack(b"abc")) == b"abc"


def test_provenance_keys_that_are_not_steps_are_one_chinese_line() -> None:
    document = {"table3": {"x": {"total": 1, "a": 2}}, "provenance": [[1, 2], [{"line": 3}, {"line": 4}]]}
    for keys in ([1, 2], [-1]):  # cell numbers, as 14201da wrote them; a step before the first cell
        packed = REPORTS.pack(_dumped({**document, "provenance": [keys, [{}] * len(keys)]}).encode())
        with pytest.raises(StoreError, match="出处无法还原"):
            unzipped_json(packed)


def test_rows_packed_with_an_earlier_dictionary_read_as_they_are() -> None:
    data = "table3.new_received.total 一、总体情况".encode()
    earlier = Packer("report", (1,)).pack(data)
    assert REPORTS.unpack(earlier) == data and earlier != REPORTS.pack(data)


# every dictionary rows may name, by its sha256: stored rows need the very bytes to be read, so an
# edit (a newline converted, a line added) must fail here; a better one is added under the next number
DICTIONARIES = {
    "data/zdict-original-1.txt": "dab75231a5ccb5abd85ddc809b7e5054da46c26df363e14a1f3a79eaac1a0c75",
    "data/zdict-report-1.txt": "8960b97d77e9496405b6df095bdeb8f0f7159eb18e59c83e6be292cf2b1bb6eb",
    "data/zdict-report-2.txt": "090a5f6d38cef32e048ba1d5e66b7116e566960ce104881664d5e42c8a3c3e4c",
}


def test_the_dictionaries_in_use_never_change() -> None:
    assert {f for packer in (REPORTS, ORIGINALS) for f in packer.files} == DICTIONARIES.keys()  # none dropped
    for name, sha in DICTIONARIES.items():
        assert hashlib.sha256(resources.files("nianbao").joinpath(name).read_bytes()).hexdigest() == sha, name
    assert len(REPORTS.dictionaries) == len(REPORTS.files) and len(ORIGINALS.dictionaries) == len(ORIGINALS.files)


def test_a_row_packed_with_an_unknown_dictionary_is_one_chinese_line() -> None:
    z = zlib.compressobj(zdict=b"a dictionary this program does not have")
    with pytest.raises(StoreError, match="不认识的压缩字典"):
        REPORTS.unpack(z.compress(b"abc") + z.flush())


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


def test_a_text_file_s_lines_are_kept_when_its_original_is_not(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = FIXTURES / "xiji-zhen-2023-gb18030.txt"
    done = process(path.read_bytes(), path.name)  # read within the limits, stored under smaller ones
    monkeypatch.setenv("NIANBAO_LIMITS", "file_mb=0.001")
    store = Store(connect(db_url))
    saved = store.save(done.report, done.findings, done.source(), original=path.read_bytes())
    assert store.load_source(saved.report_id) == done.source()


def test_a_recheck_keeps_no_lines_beside_the_original(db_url: str) -> None:
    path = FIXTURES / "dongcheng-chengzhi-2023-utf16.txt"
    done = process(path.read_bytes(), path.name)
    store = Store(connect(db_url))
    rid = store.save(done.report, done.findings, done.source(), original=path.read_bytes()).report_id
    recheck(store, rid)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(documents.c.source).where(documents.c.report_id == rid)).scalar() is None
    assert store.load_source(rid) == done.source()


def test_an_original_packed_in_a_worker_is_stored_as_it_is(db_url: str) -> None:
    """A worker packs the file's bytes (off the one writer); they cross the pipe with their size and
    sha256, are stored without packing again, come back exactly, and a wrong sha256 is refused."""
    data = "二、主动公开政府信息情况\n".encode() * 50
    sha = hashlib.sha256(data).hexdigest()
    packed = pickle.loads(pickle.dumps(pack_original(data)))
    assert (packed.size, packed.sha256, ORIGINALS.unpack(packed)) == (len(data), sha, data)
    engine = connect(db_url)
    with writing(engine) as conn:
        assert originals.keep_many(conn, {sha: packed}) == 1
        with pytest.raises(StoreError, match="原文件内容与其 sha256 不符"):
            originals.keep_many(conn, {"0" * 64: packed})
    assert originals.load(engine, sha) == data
    with engine.connect() as conn:
        assert conn.execute(sa.select(originals.originals.c.size)).scalar() == len(data)
