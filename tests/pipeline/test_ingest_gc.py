"""While ingest writes, the garbage collector is made rare; after it, even when it fails, the
collector's thresholds and frozen objects are as they were."""

from __future__ import annotations

import gc

import pytest

from nianbao.pipeline.ingest import _few_collections


@pytest.fixture(autouse=True)
def _gc_as_found():
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    yield
    gc.set_threshold(*threshold)
    if gc.get_freeze_count() and not frozen:
        gc.unfreeze()


def test_thresholds_and_freeze_restored_even_on_failure() -> None:
    gc.set_threshold(700, 10, 10)
    before = gc.get_freeze_count()
    with pytest.raises(KeyboardInterrupt), _few_collections():
        assert gc.get_threshold() == (100_000, 10, 10) and gc.get_freeze_count() > 0
        raise KeyboardInterrupt
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() == before


def test_what_a_caller_froze_stays_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Watched through gc.unfreeze, not the count of frozen objects: that count also drops when a
    frozen object is freed, as another test's thread (Dask's, a pool's) may do meanwhile."""
    gc.freeze()
    thawed: list[bool] = []
    monkeypatch.setattr(gc, "unfreeze", lambda: thawed.append(True))
    with _few_collections():
        pass
    assert not thawed and gc.get_freeze_count() > 0
