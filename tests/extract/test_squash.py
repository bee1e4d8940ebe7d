"""normalize.squash, fold and key, regular expressions now, give what their dict-translate forms gave."""

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.normalize import fold, key, simplified, squash

_SPACES = dict.fromkeys(map(ord, "\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff\t\r\f\v"), " ")
_DROP = dict.fromkeys(map(ord, "“”‘’\"'`「」『』《》〈〉"), None)
_WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
_ODD = _WHITESPACE + "\u200b\ufeff\u200c\u200d\u2060\u180e\x00\x1c\x85 aA中１“」《\"'`"


def _old_squash(s: str) -> str:
    return re.sub(r"\s+", " ", s.translate(_SPACES)).strip()


def _old_fold(s: str) -> str:
    s = s.translate(_SPACES)
    return s if s.isascii() else simplified(unicodedata.normalize("NFKC", s))


def _old_key(s: str) -> str:
    return re.sub(r"\s+", "", _old_fold(s)).translate(_DROP).lower()


def test_every_whitespace_character_alone_and_between_text() -> None:
    for c in _ODD:
        for s in (c, c * 3, f"甲{c}乙", f"{c}甲 {c}乙{c}", f"a{c}\u200b{c}b"):
            assert squash(s) == _old_squash(s), repr(s)
            assert fold(s) == _old_fold(s), repr(s)
            assert key(s) == _old_key(s), repr(s)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ODD) | st.characters(), max_size=40))
def test_same_as_translate_then_collapse(s: str) -> None:
    assert squash(s) == _old_squash(s)
    assert fold(s) == _old_fold(s)
    assert key(s) == _old_key(s)
