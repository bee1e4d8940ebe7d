"""normalize.squash, one regular expression, gives what the translate-then-collapse form gave."""

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.normalize import squash

_SPACES = dict.fromkeys(map(ord, "\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff\t\r\f\v"), " ")
_WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
_ODD = _WHITESPACE + "\u200b\ufeff\u200c\u200d\u2060\u180e\x00\x1c\x85 a中１"


def _old_squash(s: str) -> str:
    return re.sub(r"\s+", " ", s.translate(_SPACES)).strip()


def test_every_whitespace_character_alone_and_between_text() -> None:
    for c in _ODD:
        for s in (c, c * 3, f"甲{c}乙", f"{c}甲 {c}乙{c}", f"a{c}\u200b{c}b"):
            assert squash(s) == _old_squash(s), repr(s)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ODD) | st.characters(), max_size=40))
def test_same_as_translate_then_collapse(s: str) -> None:
    assert squash(s) == _old_squash(s)
