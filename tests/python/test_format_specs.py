"""f-string fields with literal format specs (issue 8 §1): compiled code formats ints, floats and
strs itself where the spec is in the subset of runtime/format.cpp, and through CPython's own
formatter otherwise; either way the text must be CPython's byte for byte. Specs come from the
whole mini-language ([[fill]align][sign][z][#][0][width][grouping][.precision][type]), generated
with a fixed seed plus a list of edge cases, and each runs over values that stress it (signs,
-0.0, rounding ties, big and small magnitudes, inf, nan, int64 bounds, non-ASCII text)."""
import random

import pytest

import pyvorin
from pyvorin_testutil import module_from_source

INTS = [0, 1, -1, 7, 42, -42, 999, 1000, -1000, 1234567, -9876543210, 2**31, 2**63 - 1, -2**63]
FLOATS = [0.0, -0.0, 1.0, 1.5, -2.5, 2.675, 0.125, 1e16, 1e-7, 123456.789, -0.0004999, 1e300, 5e-324,
          float("inf"), float("-inf"), float("nan"), 1234.5, 9.995, 0.5, 100.0]
STRS = ["", "a", "ab", "naïve", "☕𝔘", "a\0b", "x" * 20]

FILLS = ["", "*", "0", " ", "é", "☕", "{"]


def random_spec(rng, kind):
    parts = []
    if rng.random() < 0.5:
        fill = rng.choice(FILLS)
        parts.append(fill + rng.choice("<>=^") if fill else rng.choice("<>=^"))
    if rng.random() < 0.3:
        parts.append(rng.choice("+- "))
    if rng.random() < 0.05:
        parts.append("z")
    if rng.random() < 0.1:
        parts.append("#")
    if rng.random() < 0.2:
        parts.append("0")
    if rng.random() < 0.6:
        parts.append(str(rng.choice([1, 2, 5, 8, 10, 12, 20])))
    if rng.random() < 0.3:
        parts.append(rng.choice(",_"))
    if kind != "int" and rng.random() < 0.6:
        parts.append("." + str(rng.choice([0, 1, 2, 3, 6, 10])))
    types = {"int": ["", "", "d", "x", "X", "o", "b", "n", "c", "e", "%"],
             "float": ["", "", "f", "F", "e", "E", "%", "g", "G", "n"],
             "str": ["", "", "s"]}[kind]
    parts.append(rng.choice(types))
    return "".join(parts)


def accepted(spec, values):
    try:
        for v in values:
            format(v, spec)
        return True
    except (ValueError, TypeError, OverflowError):
        return False


EDGE = {
    "int": ["", "d", ",", "_", ">10", "<10", "^9", "=+8", "08", "+08", "08b", "#x", "x", "X", "_x", "_b", "o", ",d",
            "010,", "*^+12,", "☕>7", " ", "+", "-", "5", "c"],
    "float": ["", ".3f", ".0f", "f", "F", "e", "E", ".2e", "%", ".1%", "10.2%", ",.2f", "_.3f", "+.2f", " .2f", "012.3f",
              "=+12.2f", "*^15.4f", ">12", "<12", ".2", "g", ".3g", "z.2f", "#.0f", "e", ".10e", ",", "010,.2f"],
    "str": ["", "s", "10", "<10", ">10", "^11", "*^11", ".2", "10.3", "05", "☕^9"],
}


def build_cases():
    rng = random.Random(20261201)
    cases = []
    for kind, values in (("int", INTS), ("float", FLOATS), ("str", STRS)):
        specs = list(EDGE[kind])
        while len(specs) < len(EDGE[kind]) + 120:
            specs.append(random_spec(rng, kind))
        seen = set()
        for s in specs:
            if s in seen or "{" in s or "}" in s or "\\" in s or "'" in s:
                continue
            seen.add(s)
            cases.append((kind, s, [v for v in values if accepted(s, [v])]))
    return cases


CASES = build_cases()


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    lines = []
    for i, (kind, spec, _values) in enumerate(CASES):
        lines.append("def f%d(x):\n    return f'<{x:%s}>'\n" % (i, spec))
        lines.append("def g%d(x, n):\n    return f'{n}:{x:%s}|{x!r}' + format(x, '%s') + str(x) + repr(n)\n" % (i, spec, spec))
    mod = module_from_source("\n".join(lines), "format_spec_cases", str(tmp_path_factory.mktemp("fmt")))
    return mod


def test_generated_specs_cover_the_language():
    specs = [s for _k, s, _v in CASES]
    assert len(CASES) > 300
    for token in ("<", ">", "^", "=", "+", ",", "_", ".", "%", "e", "b", "x", "0", "☕"):
        assert any(token in s for s in specs), token


@pytest.mark.parametrize("index", range(len(CASES)), ids=["%s:%s" % (c[0], c[1]) for c in CASES])
def test_spec_matches_cpython(compiled, index):
    kind, spec, values = CASES[index]
    f = getattr(compiled, "f%d" % index)
    g = getattr(compiled, "g%d" % index)
    jf, jg = pyvorin.jit(f), pyvorin.jit(g)
    bad = []
    for v in values:
        for fn, jfn, args in ((f, jf, (v,)), (g, jg, (v, 7))):
            try:
                want = fn(*args)
            except Exception as e:  # noqa: BLE001 - any exception CPython raises must be raised alike
                want = (type(e), str(e))
            try:
                got = jfn(*args)
            except Exception as e:  # noqa: BLE001
                got = (type(e), str(e))
            if want != got or type(want) is not type(got):
                bad.append("%r with %r: CPython %r, compiled %r" % (spec, args, want, got))
    assert not bad, "\n".join(bad[:10])
    if values:
        assert jf.stats["native_calls"] > 0 and jg.stats["native_calls"] > 0, jf.fallback_reason


def test_fixed_point_digits_over_many_doubles(tmp_path):
    """'.Nf' (and ',', '%') for N in 0..17 over random bit patterns, exact ties (k + 0.5) / 10**N,
    wide magnitudes, subnormals and values near 2**64: the runtime's own rounding (128-bit, ties
    to even from the exact binary value) must give CPython's digits every time."""
    import struct
    src = "\n".join("def f%d(xs):\n    return [f'{x:.%df}|{x:,.%df}|{x:%%}' for x in xs]\n" % (p, p, p)
                    for p in range(18))
    mod = module_from_source(src, "fixed_point_cases", str(tmp_path))
    rng = random.Random(7)
    vals = [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0] for _ in range(3000)]
    for _ in range(3000):
        p = rng.randint(0, 17)
        vals.append((rng.randint(-10**6, 10**6) + 0.5) / 10**p)
        vals.append(rng.uniform(-1e6, 1e6))
        vals.append(rng.choice([1, -1]) * rng.random() * 10 ** rng.randint(-20, 20))
    vals = [v for v in vals if v == v and abs(v) != float("inf")]
    vals += [0.0, -0.0, 5e-324, -5e-324, 0.5, 1.5, 2.5, 0.125, 0.375, 2.675, 1e16, 9007199254740993.0,
             1.8e19, 1.9e19, 123456789012345678.0, -0.0049, 0.005, 0.015, 1e-17]
    for p in range(18):
        f = getattr(mod, "f%d" % p)
        jf = pyvorin.jit(f)
        want, got = f(vals), jf(vals)
        bad = [(x, w, g) for x, w, g in zip(vals, want, got) if w != g]
        assert not bad, "precision %d: %r" % (p, bad[:5])
        assert jf.stats["native_calls"] == 1
