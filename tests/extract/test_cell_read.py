"""``model.cell_read`` and ``read.document.paragraph`` build through a writable twin of the slots
(``model.writable_twin``), by name: each must stay the object its constructor builds, frozen, whatever
fields the class gains or reorders."""

from __future__ import annotations

import dataclasses

import pytest

from nianbao.model import Location, Value, cell_read
from nianbao.read.document import Paragraph, at_line, paragraph


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


def test_paragraph_is_the_paragraph_its_constructor_builds() -> None:
    p = paragraph("一、总体情况", at_line(3))
    assert (
        type(p) is Paragraph
        and p == Paragraph("一、总体情况", Location(line=3))
        and hash(p) == hash(Paragraph("一、总体情况", Location(line=3)))
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.text = ""  # type: ignore[misc]
