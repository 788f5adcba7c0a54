"""pyvorin.wasm / pyvorin.wasm_multi: functions compiled to a WebAssembly module, run under Node.js
through the generated JavaScript loader, against CPython: values and their types, printed text,
Python exceptions (status, type and message), int64 overflow, refusals, and byte-identical builds."""
import contextlib
import hashlib
import io
import json
import math
import os
import random
import shutil
import struct
import subprocess
import sys

import pytest

import pyvorin
from pyvorin.wasm_export import wasm, wasm_multi
from pyvorin_testutil import line_of, run_python

NODE = shutil.which("node")
WASM_LD = shutil.which("wasm-ld-19") or shutil.which("wasm-ld", path="/usr/lib/llvm-19/bin")
pytestmark = pytest.mark.skipif(not NODE or not WASM_LD, reason="needs Node.js (node) and wasm-ld-19 (lld-19)")

INT64_MIN, INT64_MAX = -2 ** 63, 2 ** 63 - 1


# ---- the exported functions (plain Python: CPython runs the same objects as the reference) ----

def mul_add(a: int, b: int) -> int:
    return a * b + a - b


def floordiv(a: int, b: int) -> int:
    return a // b


def modulo(a: int, b: int) -> int:
    return a % b


def power(a: int, b: int) -> int:
    return a ** b


def true_div(a: int, b: int) -> float:
    return a / b


def float_ops(x: float, y: float) -> float:
    return x * y - x / y + x % y


def float_floordiv(x: float, y: float) -> float:
    return x // y


def root(x: float) -> float:
    return math.sqrt(x)


def expo(x: float) -> float:
    return math.exp(x)


def floor_of(x: float) -> int:
    return math.floor(x)


def logarithm(x: float) -> float:
    return math.log(x) + math.log2(x)


def rounded(x: float, n: int) -> float:
    return round(x, n)


def show(x: float):
    print(x, -x, x * 3, x / 7, sep=" | ")


def show_mixed(n: int, flag: bool) -> int:
    print("n =", n, "flag =", flag, end="; ")
    print(n * 2, not flag)
    return n + 1


def in_range(x: float, lo: float, hi: float) -> bool:
    return lo <= x < hi


def is_even(n: int) -> bool:
    return n % 2 == 0


def depth(n: int) -> int:
    if n <= 0:
        return 0
    return 1 + depth(n - 1)


def collatz(n: int) -> int:
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def harmonic(n: int) -> float:
    total = 0.0
    for k in range(1, n + 1):
        total += 1.0 / k
    return total


def uses_list(n: int) -> int:
    values = [n, n + 1]
    return values[0]


EXPORTED = [mul_add, floordiv, modulo, power, true_div, float_ops, float_floordiv, root, expo, floor_of, logarithm,
            rounded, show, show_mixed, in_range, is_even, depth, collatz, harmonic]

# Node.js side: load the module with the generated loader, run each call, report values exactly
# (ints as decimal text, floats as their bits) with the JavaScript type they came back as.
RUNNER = r"""
const fs = require("fs");
const lib = require(process.argv[2]);
const calls = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
let printed = [];
const m = lib.loadSync({stdout: (text) => printed.push(text)});
const rets = Object.fromEntries(lib.functions.map((f) => [f.jsName, f.ret]));
const dv = new DataView(new ArrayBuffer(8));
function decode(a) {
  if ("i" in a) return BigInt(a.i);
  if ("f" in a) { dv.setBigUint64(0, BigInt("0x" + a.f)); return dv.getFloat64(0); }
  return a.b;
}
function encode(v, ret) {
  if (ret === "float") { dv.setFloat64(0, v); return dv.getBigUint64(0).toString(16).padStart(16, "0"); }
  if (ret === "int") return BigInt(v).toString();
  return v === undefined ? null : v;
}
const results = calls.map((c) => {
  printed = [];
  try {
    const v = m[c.f](...c.args.map(decode));
    return {ok: true, js: typeof v, v: encode(v, rets[c.f]), repr: lib.formatPython(v, rets[c.f]), out: printed.join("")};
  } catch (e) {
    if (!(e instanceof lib.PyvorinError)) return {ok: false, js: e.name + ": " + e.message};
    return {ok: false, status: e.status, type: e.pythonType, message: e.message, out: printed.join("")};
  }
});
process.stdout.write(JSON.stringify(results));
"""


def bits(x):
    return format(struct.unpack("<Q", struct.pack("<d", x))[0], "016x")


def encode(value):
    if isinstance(value, bool):
        return {"b": value}
    if isinstance(value, int):
        return {"i": str(value)}
    return {"f": bits(value)}


def run_node(module_js, calls, tmp_path):
    runner = tmp_path / "runner.js"
    runner.write_text(RUNNER)
    data = tmp_path / "calls.json"
    data.write_text(json.dumps([{"f": f, "args": [encode(a) for a in args]} for f, args in calls]))
    proc = subprocess.run([NODE, str(runner), str(module_js), str(data)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def ulps(a, b):
    """Units in the last place between two finite doubles of one sign."""
    return abs(struct.unpack("<q", struct.pack("<d", a))[0] - struct.unpack("<q", struct.pack("<d", b))[0])


def cpython(fn, args):
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            return fn(*args), None, out.getvalue()
    except Exception as exc:  # the Python exception the wasm call must report
        return None, exc, out.getvalue()


# Exported ints are int64_t: an intermediate int beyond it ends the call with status 4 (the
# header's PYVORIN_INT_OVERFLOW) even where the final value would fit again.
INTERMEDIATES = {"mul_add": lambda a, b: (a * b, a * b + a), "show_mixed": lambda n, flag: (n * 2,)}


def mismatch(fn, args, got, tolerance_ulps=0):
    """Why the wasm outcome ``got`` differs from CPython's for fn(*args), or None."""
    value, exc, printed = cpython(fn, args)
    where = f"{fn.__name__}{tuple(args)!r}"
    steps = INTERMEDIATES.get(fn.__name__, lambda *a: ())(*args)
    if "status" not in got and not got["ok"]:
        return f"{where}: the loader threw {got['js']}"
    if exc is None and any(not INT64_MIN <= v <= INT64_MAX for v in steps):
        # what was printed before stays printed, as in CPython
        if got["ok"] or got["status"] != 4 or not printed.startswith(got["out"]):
            return f"{where}: an intermediate int leaves int64: expected status 4, got {got}"
        return None
    if got.get("out", "") != printed:
        return f"{where}: printed {got.get('out')!r}, CPython {printed!r}"
    if exc is not None:
        name = type(exc).__name__
        if got["ok"]:
            return f"{where}: returned {got['repr']}, CPython raised {name}: {exc}"
        if got["type"] != name:
            return f"{where}: raised {got['message']!r}, CPython {name}: {exc}"
        if name != "RecursionError" and not got["message"].startswith(f"{name}: {exc} (in {fn.__name__}, line "):
            return f"{where}: message {got['message']!r}, CPython {name}: {exc}"
        return None
    if isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= INT64_MAX:
        if got["ok"] or got["status"] != 4 or got["type"] != "OverflowError" or "64 bits" not in got["message"]:
            return f"{where}: CPython gives {value}, beyond int64: expected status 4, got {got}"
        return None
    if not got["ok"]:
        return f"{where}: raised {got['message']!r}, CPython returned {value!r}"
    if isinstance(value, bool):
        ok = got["js"] == "boolean" and got["v"] is value
    elif isinstance(value, int):
        ok = got["v"] == str(value) and got["js"] == ("number" if abs(value) <= 2 ** 53 - 1 else "bigint")
    elif isinstance(value, float):
        w = struct.unpack("<d", bytes.fromhex(got["v"])[::-1])[0]
        ok = got["js"] == "number" and (got["v"] == bits(value) or (math.isnan(value) and math.isnan(w)) or (
            tolerance_ulps and math.isfinite(value) and math.isfinite(w) and ulps(value, w) <= tolerance_ulps))
        ok = ok and got["repr"] == (repr(value) if not math.isnan(value) else "nan")
    else:
        ok = value is None and got["js"] == "undefined"
    return None if ok else f"{where}: got {got}, CPython {value!r}"


def compare(built, tmp_path, calls, tolerance=None):
    results = run_node(built["js"], [(f.__name__, args) for f, args in calls], tmp_path)
    tolerance = tolerance or {}
    failures = [m for (f, args), got in zip(calls, results)
                if (m := mismatch(f, args, got, tolerance.get(f.__name__, 0)))]
    assert not failures, f"{len(failures)} of {len(calls)} calls differ from CPython:\n  " + "\n  ".join(failures[:30])


# ---- inputs ----

rng = random.Random(20240611)
EDGE_INTS = [0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 2 ** 31, -2 ** 31, 2 ** 32 + 1, 2 ** 53 + 1, -(2 ** 53 + 1),
             3037000499, 3037000500, -3037000500, 2 ** 62, -2 ** 62, INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1]
RANDOM_INTS = [max(INT64_MIN, min(INT64_MAX, rng.randint(-10 ** k, 10 ** k))) for k in
               (rng.randint(0, 19) for _ in range(120))]
INTS = EDGE_INTS + RANDOM_INTS
EDGE_FLOATS = [0.0, -0.0, 0.1, 0.5, 1.0, -1.0, 2.5, -2.5, 3.0, 1e16, 1e-5, 1e-4, 9.999999999999999e15, 5e-324,
               2.2250738585072014e-308, 1.7976931348623157e308, math.inf, -math.inf, math.nan, math.pi, 123456.789,
               1e22, 1e23, 0.30000000000000004, 709.78, 710.0, -745.2, 4503599627370495.5, 2.0 ** 63, -2.0 ** 63]


def random_double():
    while True:
        x = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if math.isfinite(x):
            return x


RANDOM_FLOATS = ([random_double() for _ in range(150)] + [rng.uniform(-1e3, 1e3) for _ in range(150)] +
                 [round(rng.uniform(-100, 100), rng.randint(0, 6)) for _ in range(100)])
FLOATS = EDGE_FLOATS + RANDOM_FLOATS


def int_pairs(count):
    pairs = [(a, b) for a in EDGE_INTS for b in EDGE_INTS]
    pairs += [(rng.choice(INTS), rng.choice(INTS)) for _ in range(count)]
    pairs += [(rng.randint(-1000, 1000), rng.randint(-50, 50)) for _ in range(count)]
    return pairs


def float_pairs(count):
    return [(rng.choice(FLOATS), rng.choice(FLOATS)) for _ in range(count)] + [(x, y) for x in EDGE_FLOATS
                                                                              for y in EDGE_FLOATS]


# ---- tests ----

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = wasm_multi(EXPORTED, str(tmp_path_factory.mktemp("wasm") / "pvtest.wasm"))
    for key in ("wasm", "js", "html", "header", "object"):
        assert os.path.isfile(out[key]), (key, out)
    return out


def test_outputs(built):
    assert built["wasm"].endswith("pvtest.wasm") and built["js"].endswith("pvtest.js")
    with open(built["wasm"], "rb") as f:
        assert f.read(4) == b"\0asm"
    with open(built["header"]) as f:
        header = f.read()
    assert "int32_t pvtest_mul_add(int64_t a, int64_t b, int64_t *result);" in header
    assert "int32_t pvtest_show(double x);" in header


def test_int_arithmetic(built, tmp_path):
    calls = [(f, pair) for pair in int_pairs(400) for f in (mul_add, floordiv, modulo, true_div)]
    calls += [(power, (a, b)) for a in list(range(-12, 13)) + [2 ** 31, -3037000500, INT64_MIN]
              for b in (0, 1, 2, 3, 5, 17, 31, 62, 63, 64)]
    compare(built, tmp_path, calls)


def test_float_arithmetic(built, tmp_path):
    calls = [(f, pair) for pair in float_pairs(600) for f in (float_ops, float_floordiv)]
    calls += [(f, (x,)) for x in FLOATS for f in (root, floor_of, logarithm)]
    compare(built, tmp_path, calls)


def test_exp(built, tmp_path):
    # math.exp is wasi-libc's (musl) exp: the same algorithm as glibc's, which on CPUs with FMA
    # runs a variant using fused multiply-adds that rounds differently in the last bit for a few
    # arguments in 10000 (test_exp_pow_bit_identical_without_fma checks the non-FMA results).
    xs = FLOATS + [rng.uniform(-750, 710) for _ in range(1000)]
    compare(built, tmp_path, [(expo, (x,)) for x in xs], tolerance={"expo": 1})


def test_exp_pow_bit_identical_without_fma(built, tmp_path):
    xs = [rng.uniform(-700, 700) for _ in range(2000)] + [rng.uniform(-5, 5) for _ in range(2000)]
    script = ("import json, math, sys\nxs = json.loads(sys.stdin.read())\n"
              "print(json.dumps([math.exp(x).hex() for x in xs]))\n")
    env = dict(os.environ, GLIBC_TUNABLES="glibc.cpu.hwcaps=-AVX2_Usable,-FMA_Usable,-AVX2,-FMA,-FMA4")
    proc = subprocess.run([sys.executable, "-c", script], input=json.dumps(xs), capture_output=True, text=True,
                          env=env, check=True)
    expected = [float.fromhex(h) for h in json.loads(proc.stdout)]
    results = run_node(built["js"], [("expo", (x,)) for x in xs], tmp_path)
    wrong = [(x, e, r) for x, e, r in zip(xs, expected, results) if not r["ok"] or r["v"] != bits(e)]
    assert not wrong, f"{len(wrong)} of {len(xs)} differ from glibc's exp without FMA: {wrong[:5]}"


def test_round(built, tmp_path):
    ns = list(range(-12, 18)) + [-400, -309, -308, -20, 22, 100, 323, 324, 1000, -1000]
    calls = [(rounded, (x, rng.choice(ns))) for x in FLOATS for _ in range(3)]
    calls += [(rounded, (x, n)) for x in (0.125, 2.675, 1.005, 5e-324, 1e300, -1.7976931348623157e308, 123.5)
              for n in ns]
    compare(built, tmp_path, calls)


def test_print_float_repr(built, tmp_path):
    calls = [(show, (x,)) for x in FLOATS]
    calls += [(show_mixed, (n, flag)) for n in EDGE_INTS for flag in (True, False)]
    compare(built, tmp_path, calls)


def test_bool_results(built, tmp_path):
    calls = [(in_range, (rng.choice(FLOATS), rng.choice(FLOATS), rng.choice(FLOATS))) for _ in range(400)]
    calls += [(in_range, (x, -1.0, 1.0)) for x in EDGE_FLOATS]
    calls += [(is_even, (n,)) for n in INTS]
    compare(built, tmp_path, calls)


def test_loops_and_recursion(built, tmp_path):
    calls = [(collatz, (n,)) for n in list(range(1, 200)) + [27, 97, 871, 6171, 77031, 837799, 2 ** 40 + 1]]
    calls += [(harmonic, (n,)) for n in (0, 1, 2, 3, 10, 100, 1000, 12345, 100000)]
    calls += [(depth, (n,)) for n in (-5, 0, 1, 10, 500, 900)]
    compare(built, tmp_path, calls)
    # past CPython's recursion limit (1000): RecursionError, as CPython raises
    results = run_node(built["js"], [("depth", (n,)) for n in (1001, 5000, 10 ** 6)], tmp_path)
    for n, r in zip((1001, 5000, 10 ** 6), results):
        assert not r["ok"] and r["status"] == 6 and r["type"] == "RecursionError", (n, r)
        assert r["message"].startswith("RecursionError: maximum recursion depth exceeded (in depth, line "), r
    with pytest.raises(RecursionError):
        depth(5000)


def test_errors(built, tmp_path):
    results = run_node(built["js"], [("floordiv", (7, 0)), ("mul_add", (2 ** 62, 3)), ("root", (-1.0,)),
                                     ("floor_of", (1e300,)), ("expo", (1000.0,)), ("mul_add", (2, 5))], tmp_path)
    zero, over, domain, big, rng_err, fine = results
    assert zero["status"] == 1 and zero["type"] == "ZeroDivisionError"
    assert zero["message"] == (f"ZeroDivisionError: integer division or modulo by zero (in floordiv, line "
                               f"{line_of(floordiv, 'a // b')} of {__file__})")
    assert over["status"] == 4 and over["type"] == "OverflowError"
    assert "does not fit in 64 bits" in over["message"] and f"line {line_of(mul_add, 'a * b')}" in over["message"]
    assert domain["status"] == 2 and domain["message"].startswith("ValueError: math domain error (in root, line ")
    assert big["status"] == 4
    assert rng_err["status"] == 3 and rng_err["message"].startswith("OverflowError: math range error")
    assert fine == {"ok": True, "js": "number", "v": "7", "repr": "7", "out": ""}


def test_loader_argument_checks(built, tmp_path):
    script = tmp_path / "args.js"
    script.write_text(f"""
const lib = require({json.dumps(built["js"])});
const m = lib.loadSync({{bigint: true}});
const out = [];
for (const f of [() => m.mul_add(1.5, 2), () => m.mul_add(2n ** 63n, 1), () => m.mul_add(1), () => m.in_range("x", 0, 1),
                 () => m.is_even(2 ** 53), () => m.floordiv(-7, 2), () => m.show_mixed(4, 1), () => m.floordiv(1, 0)])
  try {{ const v = f(); out.push(typeof v + " " + String(v)); }} catch (e) {{ out.push(e.name + ": " + e.message); }}
try {{ m.floordiv(1, 0); }} catch (e) {{ out.push([e instanceof Error, e instanceof lib.PyvorinError, e.status, e.pythonType,
                                              e.functionName, m.lastError() === e.message].join(",")); }}
console.log(JSON.stringify(out));
""")
    proc = subprocess.run([NODE, str(script)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.splitlines()[-1])
    assert out[0] == "TypeError: mul_add(): argument 'a' must be an int (an integral Number or a BigInt), not 1.5"
    assert out[1] == "RangeError: mul_add(): argument 'a' is 9223372036854775808: exported functions take 64-bit ints"
    assert out[2] == "TypeError: mul_add() takes 2 arguments but 1 was given"
    assert out[3].startswith("TypeError: in_range(): argument 'x' must be a float")
    assert out[4] == "boolean true" and out[5] == "bigint -4" and out[6] == "bigint 5"
    assert out[7].startswith("PyvorinError: ZeroDivisionError: integer division or modulo by zero (in floordiv")
    assert out[8] == "true,true,1,ZeroDivisionError,floordiv,true"
    assert proc.stdout.splitlines()[0] == "n = 4 flag = True; 8 False"  # print() went to process.stdout


def test_single_function_export_name(tmp_path):
    out = wasm(mul_add, str(tmp_path / "single.wasm"), export_name="mulAdd", generate_html=False, optimize=1)
    assert out["html"] is None and not (tmp_path / "single.html").exists()
    script = tmp_path / "single.mjs"
    script.write_text("import lib from %s;\nconst m = await lib.load();\nconsole.log(JSON.stringify("
                      "[Object.keys(m), m.mulAdd(6, 7), lib.functions[0].name]));\n" % json.dumps(out["js"]))
    proc = subprocess.run([NODE, str(script)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [["mulAdd"], 6 * 7 + 6 - 7, "mul_add"]


def test_argument_validation(tmp_path):
    with pytest.raises(ValueError, match="must be an identifier"):
        wasm(mul_add, str(tmp_path / "my-module.wasm"))
    with pytest.raises(ValueError, match=r"must name a \.wasm file"):
        wasm(mul_add, str(tmp_path / "module.js"))
    with pytest.raises(ValueError, match="JavaScript identifier"):
        wasm(mul_add, str(tmp_path / "m.wasm"), export_name="not valid")
    with pytest.raises(ValueError, match="opt_level"):
        wasm(mul_add, str(tmp_path / "m.wasm"), optimize=7)
    with pytest.raises(TypeError, match="wasm_multi"):
        wasm([mul_add], str(tmp_path / "m.wasm"))
    with pytest.raises(TypeError, match="generate_html"):
        wasm(mul_add, str(tmp_path / "m.wasm"), generate_html="yes")


def test_refuses_lists(tmp_path):
    with pytest.raises(pyvorin.ExportError) as info:
        wasm_multi([mul_add, uses_list], str(tmp_path / "refused.wasm"))
    refused = info.value.refused
    assert [r["function"] for r in refused] == ["uses_list"], refused
    assert refused[0]["line"] == line_of(uses_list, "values = [n, n + 1]"), refused  # where the list is made
    assert "uses_list" in str(info.value) and str(refused[0]["line"]) in str(info.value)
    assert not (tmp_path / "refused.wasm").exists()


def test_package_attributes():
    assert pyvorin.wasm is wasm and pyvorin.wasm_multi is wasm_multi
    assert pyvorin.wasm is wasm  # still the function the second time (not the module)


def _sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_reproducible_across_processes(built, tmp_path):
    code = f"""
        import sys
        sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})
        import test_wasm
        from pyvorin.wasm_export import wasm_multi
        wasm_multi(test_wasm.EXPORTED, sys.argv[1] if len(sys.argv) > 1 else {str(tmp_path)!r} + "/%s/pvtest.wasm")
    """
    digests = []
    for run in ("a", "b"):
        proc = run_python(code.replace("%s", run), timeout=300,
                          env={"PYVORIN_CACHE_DIR": str(tmp_path / f"cache-{run}")})
        assert proc.returncode == 0, proc.stderr
        digests.append({ext: _sha256(tmp_path / run / f"pvtest.{ext}") for ext in ("wasm", "js", "html", "h", "wasm.o")})
    assert digests[0] == digests[1]
    assert digests[0]["wasm"] == _sha256(built["wasm"])  # and the same as this process's build elsewhere
