"""bytearray arguments (issue 8 §3): read without a copy (indexing reads the buffer behind
ob_start, len reads ob_size), iterated, compared with bytes, searched and decoded natively; item
stores and append change the caller's own bytearray (an effect), with CPython's errors."""
import pytest

import pyvorin
import bytearray_cases as m
from container_testutil import why_not_native

CASES = [
    ("checksum", lambda: (bytearray(b"hello world" * 100),)), ("checksum", lambda: (b"abc",)),
    ("checksum", lambda: (bytearray(),)), ("count_byte", lambda: (bytearray(b"abcab"), 98)),
    ("count_byte", lambda: (bytearray(b"\xff\x00"), 0)), ("poke", lambda: (bytearray(b"abc"), 1, 65)),
    ("poke", lambda: (bytearray(b"abc"), 5, 65)), ("poke", lambda: (bytearray(b"abc"), 1, 300)),
    ("poke", lambda: (bytearray(b"abc"), -1, 0)), ("cmp", lambda: (bytearray(b"ab"), b"ac")),
    ("cmp", lambda: (bytearray(b"ab"), bytearray(b"ab"))),
]


def outcome(fn, args):
    try:
        r = fn(*args)
        return ("value", r, type(r), args)
    except Exception as e:  # noqa: BLE001 - compared with CPython's
        return ("raised", type(e), str(e), args)


@pytest.mark.parametrize("name,make", CASES, ids=["%s-%d" % (c[0], i) for i, c in enumerate(CASES)])
def test_bytearray_matches_cpython(name, make):
    fn = getattr(m, name)
    jf = pyvorin.jit(fn)
    assert outcome(jf, make()) == outcome(fn, make())
    assert jf.stats["native_calls"] == 1, why_not_native(jf)


def test_changes_reach_the_callers_bytearray():
    data = bytearray(b"abc")
    jf = pyvorin.jit(m.poke)
    assert jf(data, 0, 120) == 4
    assert data == bytearray(b"xbc\x07")
