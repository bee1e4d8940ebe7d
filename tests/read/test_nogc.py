"""``gc_paused``: the collector is off while a parse runs and the caller's setting is kept."""

from __future__ import annotations

import gc

import pytest

from nianbao.read.nogc import gc_paused


@gc_paused
def _state(fail: bool = False) -> bool:
    if fail:
        raise ValueError("x")
    return gc.isenabled()


def test_the_collector_is_off_during_the_call_and_on_after() -> None:
    assert gc.isenabled()
    assert _state() is False
    assert gc.isenabled()
    with pytest.raises(ValueError):
        _state(fail=True)
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        assert _state() is False
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_thresholds_are_not_touched() -> None:
    before = gc.get_threshold()
    _state()
    assert gc.get_threshold() == before
