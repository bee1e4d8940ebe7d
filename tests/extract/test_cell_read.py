"""``model.cell_read`` builds a Value through a writable twin of its slots, by name: it must stay
the Value that ``Value(...)`` builds, frozen, whatever fields Value gains or reorders."""

from __future__ import annotations

import dataclasses

import pytest

from nianbao.model import Location, Value, cell_read


@pytest.mark.parametrize(
    "args",
    [
        (5, "5", Location(table=1, row=2, col=3), "注", 0.9),
        (None, "", None, None, None),
        (1.5, "1.5", None, None, None),
    ],
)
def test_cell_read_is_the_value_its_constructor_builds(args: tuple) -> None:
    v = cell_read(*args)
    assert v == Value(*args) and hash(v) == hash(Value(*args))
    assert [getattr(v, f.name) for f in dataclasses.fields(Value)] == [*args, False]
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.value = 0  # type: ignore[misc]
