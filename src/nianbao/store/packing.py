"""How a report is kept in bytes: zlib with preset dictionaries, and its provenance made lean.

No database here: an ingest worker packs a report's JSON (:func:`zipped_json`) and its original
(:func:`pack_original`) without importing SQLAlchemy (``pipeline/work.py`` says why)."""

from __future__ import annotations

import functools
import hashlib
import json
import zlib
from importlib import resources
from typing import Any

from nianbao.store import StoreError


class Packer:
    """zlib with a preset dictionary (``data/zdict-KIND-N.txt``, made by bench/store_dictionary.py
    from our own synthetic reports): the paths, headings and labels every report repeats cost
    nothing. Each compressed row names its dictionary (zlib's DICTID, the dictionary's Adler-32),
    so rows made with an earlier dictionary, or with none (version 7 and before), read as they
    are. A dictionary in use is never changed (tests/store/test_packing.py pins each file); a new
    one is added under the next number with a new schema version, so that a program without it
    refuses the store when opening it rather than failing on a row."""

    def __init__(self, kind: str, numbers: tuple[int, ...]) -> None:
        self.files = [f"data/zdict-{kind}-{n}.txt" for n in numbers]  # the last one packs

    @functools.cached_property
    def dictionaries(self) -> dict[int, bytes]:
        found = [resources.files("nianbao").joinpath(f).read_bytes() for f in self.files]
        return {zlib.adler32(d): d for d in found}

    def pack(self, data: bytes) -> bytes:
        z = zlib.compressobj(6, zdict=list(self.dictionaries.values())[-1])
        return z.compress(data) + z.flush()

    def unpack(self, data: bytes) -> bytes:
        if not data[1] & 0x20:  # FDICT not set: plain zlib
            return zlib.decompress(data)
        zdict = self.dictionaries.get(int.from_bytes(data[2:6], "big"))
        if zdict is None:
            raise StoreError("数据库中有本程序不认识的压缩字典写入的数据，请升级 nianbao")
        z = zlib.decompressobj(zdict=zdict)
        return z.decompress(data) + z.flush()


REPORTS = Packer("report", (1, 2))
ORIGINALS = Packer("original", (1,))


class Packed(bytes):
    """A file's bytes as ``originals.data`` keeps them, packed by :func:`pack_original` in an
    ingest worker rather than by the one writer (≈ 0.07 ms a text report, and a smaller message
    between them), with the size and sha256 of the bytes packed."""

    size: int
    sha256: str


def pack_original(data: bytes) -> Packed:
    """``data`` packed as ``originals.data`` keeps it, with the sha256 of the very bytes packed
    (the writer stores it only under that sha256)."""
    packed = Packed(ORIGINALS.pack(data))
    packed.size, packed.sha256 = len(data), hashlib.sha256(data).hexdigest()
    return packed


def zipped_json(value: Any) -> bytes:
    """``value`` as ``schema.ZippedJSON`` stores it: a report's ``provenance`` as :func:`lean_json` keeps it."""
    return REPORTS.pack(json.dumps(lean_json(value), ensure_ascii=False).encode())


def unzipped_json(packed: bytes) -> Any:
    """The value :func:`zipped_json` packed."""
    value = json.loads(REPORTS.unpack(packed))
    prov = value.get("provenance") if isinstance(value, dict) else None
    if isinstance(prov, list):  # [keys, where]: see lean_json
        leaves, at, keys = _leaves(value), -1, []
        for k in prov[0]:
            if not isinstance(k, str):
                at += k
                if not 0 <= at < len(leaves):  # not lean_json's steps (14201da wrote cell numbers)
                    raise StoreError("报告数据中数字的出处无法还原（由开发中的旧版写入），请删除此库后重新入库")
            keys.append(k if isinstance(k, str) else leaves[at])
        value["provenance"] = dict(zip(keys, prov[1], strict=True))
    return value


def lean_json(value: Any) -> Any:
    """A report's JSON with its ``provenance`` (cell path → where it was printed) as ``[keys,
    where]``, each key the step from the previous key's cell to its own among the report's own
    tables' cells (:func:`_leaves`; mostly 1), or the path where it is none of them: the 200-odd
    paths cost about 0.6 KB a report zlib'd, even with the dictionary. :func:`unzipped_json`
    gives back the same dict, in the same order."""
    prov = value.get("provenance") if isinstance(value, dict) else None
    if not isinstance(prov, dict):
        return value
    number = {path: i for i, path in enumerate(_leaves(value))}
    at, keys = -1, []
    for k in prov:
        if k in number:
            keys.append(number[k] - at)
            at = number[k]
        else:
            keys.append(k)
    return {**value, "provenance": [keys, list(prov.values())]}


def _leaves(report: dict) -> list[str]:
    """The paths of the values in a report JSON's tables, in their order."""
    out: list[str] = []

    def walk(node: dict, prefix: str) -> None:
        for k, v in node.items():
            if isinstance(v, dict):
                walk(v, f"{prefix}{k}.")
            else:
                out.append(f"{prefix}{k}")

    for table in ("table2", "table3", "table4"):
        if isinstance(report.get(table), dict):
            walk(report[table], f"{table}.")
    return out
