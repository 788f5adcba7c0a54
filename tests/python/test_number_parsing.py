"""int(s) and float(s) of plain decimal text are parsed by the runtime (pv_parse_int, and for
floats of at most 15 digits a correctly rounded division, else CPython's strtod): every result
must be CPython's, bit for bit, and every other text must give CPython's result or error."""
import random

import pyvorin
from pyvorin_testutil import module_from_source


def decimal_texts(rng, n):
    out = []
    for _ in range(n):
        nd = rng.randint(1, 18)
        s = "".join(rng.choice("0123456789") for _ in range(nd))
        k = rng.randint(0, nd)
        if rng.random() < 0.7:
            s = s[:k] + "." + s[k:]
        if rng.random() < 0.3:
            s = rng.choice("+-") + s
        if rng.random() < 0.1:
            s = rng.choice([" ", "\t", "\n", "\u3000"]) + s + rng.choice([" ", "\n", "\x1c"])
        if rng.random() < 0.05:
            s = s.replace("1", "_1")
        if rng.random() < 0.05:
            s += rng.choice(["e5", "E-3", "e+", "x", "٣"])
        out.append(s)
    return out + [".", "-.", "+.5", "5.", "-0", "-0.0", "0.1", "1e308", "123456789012345.6", "1234567890123456",
                  "999999999999999999", "-9223372036854775808", "9223372036854775808", "", " ", "1_000", "0x10"]


def outcome(fn, x):
    try:
        r = fn(x)
        return ("value", repr(r), type(r))
    except Exception as e:  # noqa: BLE001 - compared with CPython's
        return ("raised", type(e), str(e))


def test_float_and_int_of_decimal_text(tmp_path):
    mod = module_from_source("def f(x):\n    return float(x)\n\ndef g(x):\n    return int(x)\n\n"
                             "def h(xs):\n    return [float(x) for x in xs]\n", "numbers", str(tmp_path))
    rng = random.Random(11)
    texts = decimal_texts(rng, 20000)
    jf, jg = pyvorin.jit(mod.f), pyvorin.jit(mod.g)
    bad = []
    for x in texts:
        for fn, jfn in ((mod.f, jf), (mod.g, jg)):
            want, got = outcome(fn, x), outcome(jfn, x)
            if want != got:
                bad.append((x, want, got))
    assert not bad, bad[:10]
    assert jf.stats["native_calls"] > 0 and jg.stats["native_calls"] > 0
    # one call over the valid ones: bit-identical floats (repr round-trips)
    valid = [x for x in texts if outcome(mod.f, x)[0] == "value"]
    jh = pyvorin.jit(mod.h)
    assert [repr(v) for v in jh(valid)] == [repr(v) for v in mod.h(valid)]
    assert jh.stats["native_calls"] == 1
