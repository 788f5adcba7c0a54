"""Ahead-of-time export (docs/export.md): pyvorin.export and pyvorinc --emit obj|so|h give a shared
library and C header; a C program compiled with clang-19 against the header, linked with the
library and run without Python, gets CPython's values, printed text and exceptions (as status codes
and messages). Functions that need Python are refused with the reason and line; only the API is
exported; two builds in two processes are byte-identical."""
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

import pyvorin

BUILD = os.environ.get("PYVORIN_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
PYVORINC = os.path.join(BUILD, "bin", "pyvorinc")
CLANG = shutil.which("clang-19") or "/usr/lib/llvm-19/bin/clang"

pytestmark = pytest.mark.skipif(not os.path.exists(CLANG), reason="clang-19 is not installed")

# The C toolchain and the C programs run without the sanitizer runtime the ASan build preloads
# into this process (clang's front end frees nothing on purpose: LeakSanitizer would fail it).
CLEAN_ENV = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith(("ASAN_", "LSAN_", "UBSAN_"))}


def cc(*args):
    subprocess.run([CLANG, *args], check=True, env=CLEAN_ENV)

MODULE = '''
import math

def area(w: float, h: float) -> float:
    return w * h

def fact(n: int) -> int:
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r

def floordiv(a: int, b: int) -> int:
    return a // b

def modulo(a: int, b: int) -> int:
    return a % b

def hyp(x: float, y: float) -> float:
    print("hyp of", x, y, x / 3)
    return math.sqrt(x * x + y * y)

def is_even(n: int) -> bool:
    return n % 2 == 0

def depth(n: int) -> int:
    if n == 0:
        return 0
    return depth(n - 1) + 1

def root(x: float) -> float:
    return math.sqrt(x)

def rounded(x: float, n: int) -> float:
    return round(x, n)

def collatz(n: int) -> int:
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps

def shout(n: int) -> None:
    for i in range(n):
        print(i, i * 0.1, i % 2 == 0)

def uses_helper(n: int) -> int:
    return fact(n) - depth(n)
'''

FUNCTIONS = ["area", "fact", "floordiv", "modulo", "hyp", "is_even", "depth", "root", "rounded", "collatz", "shout",
             "uses_helper"]

# (function, args) calls: values, errors and prints, compared with CPython
CALLS = [("area", (2.5, 4.0)), ("area", (1e308, 10.0)), ("area", (-0.0, 3.0)),
         ("fact", (20,)), ("fact", (21,)), ("fact", (0,)),
         ("floordiv", (-7, 2)), ("floordiv", (7, -2)), ("floordiv", (1, 0)), ("floordiv", (-2**63, -1)),
         ("modulo", (-7, 3)), ("modulo", (7, -3)), ("modulo", (5, 0)),
         ("hyp", (3.0, 4.0)), ("hyp", (1e200, 1e200)),
         ("is_even", (7,)), ("is_even", (-4,)),
         ("depth", (500,)), ("depth", (5000,)),
         ("root", (2.0,)), ("root", (-1.0,)),
         ("rounded", (2.675, 2)), ("rounded", (0.5, 0)), ("rounded", (1234.5678, -2)),
         ("collatz", (27,)), ("collatz", (97,)),
         ("shout", (3,)),
         ("uses_helper", (10,)), ("uses_helper", (25,))]

STATUS = {"ZeroDivisionError": 1, "ValueError": 2, "OverflowError": 3, "RecursionError": 6}


def cpython(module, name, args):
    """(status, value text, printed text) as CPython gives them (an int beyond int64 is status 4)."""
    import contextlib
    import io
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            v = getattr(module, name)(*args)
    except RecursionError:
        return 6, "RecursionError", out.getvalue()
    except Exception as e:
        return STATUS[type(e).__name__], type(e).__name__, out.getvalue()
    if type(v) is int and not -2**63 <= v < 2**63:
        return 4, "OverflowError", out.getvalue()
    return 0, repr(v), out.getvalue()


def c_program(calls, types, module="m"):
    """A C program that makes each call and prints 'status value' or 'status message'."""
    c_types = {"int": "int64_t", "float": "double", "bool": "bool"}
    lines = ["#include <inttypes.h>", "#include <stdio.h>", f'#include "{module}.h"', "int main(void) {", "  int s;"]
    for k, (name, args) in enumerate(calls):
        params, ret = types[name]
        lit = ", ".join(repr(a) if isinstance(a, float) else (f"INT64_C({a})" if a != -2**63 else "INT64_MIN") for a in args)
        lines.append("  {")
        if ret == "None":
            lines.append(f"    s = {module}_{name}({lit});")
            lines.append('    fflush(stdout); if (s) printf("@@ %d %s\\n", s, ' + module + '_last_error()); else printf("@@ 0 None\\n");')
        else:
            lines.append(f"    {c_types[ret]} r = 0;")
            lines.append(f"    s = {module}_{name}({lit}{', ' if lit else ''}&r);")
            fmt = {"int": '"@@ 0 %" PRId64 "\\n", r', "float": '"@@ 0 %.17g\\n", r', "bool": '"@@ 0 %s\\n", r ? "True" : "False"'}[ret]
            lines.append('    fflush(stdout); if (s) printf("@@ %d %s\\n", s, ' + module + '_last_error()); else printf(' + fmt + ');')
        lines.append("    fflush(stdout);")
        lines.append("  }")
    lines += ["  return 0;", "}"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    d = tmp_path_factory.mktemp("export")
    (d / "mod.py").write_text(MODULE)
    sys.path.insert(0, str(d))
    try:
        import mod
    finally:
        sys.path.remove(str(d))
    out = pyvorin.export([getattr(mod, n) for n in FUNCTIONS], "m", output_dir=d / "out")
    return d, mod, out


def test_library_header_and_object_are_written(exported):
    d, mod, out = exported
    assert set(out) == {"object", "library", "header"}
    assert out["library"] == str(d / "out" / "libm.so") and os.path.exists(out["library"])
    header = open(out["header"]).read()
    assert "int32_t m_fact(int64_t n, int64_t *result);" in header
    assert "int32_t m_area(double w, double h, double *result);" in header
    assert "int32_t m_is_even(int64_t n, bool *result);" in header
    assert "int32_t m_shout(int64_t n);" in header
    assert "const char *m_last_error(void);" in header
    assert "PYVORIN_ZERO_DIVISION_ERROR = 1" in header and "fact(n: int) -> int" in header


def test_only_the_api_is_exported_and_python_is_not_needed(exported):
    d, mod, out = exported
    nm = subprocess.run(["nm", "-D", "--defined-only", out["library"]], capture_output=True, text=True, check=True).stdout
    symbols = sorted(line.split()[-1] for line in nm.splitlines() if line.strip())
    assert symbols == sorted([f"m_{n}" for n in FUNCTIONS] + ["m_last_error"])
    needed = subprocess.run(["readelf", "-d", out["library"]], capture_output=True, text=True, check=True).stdout
    assert "libpython" not in needed and "libpyvorin" not in needed
    undefined = subprocess.run(["nm", "-D", "--undefined-only", out["library"]], capture_output=True, text=True).stdout
    assert "Py" not in undefined.replace("PyObj", "")


def test_a_c_program_matches_cpython(exported):
    d, mod, out = exported
    types = {}
    import inspect
    for n in FUNCTIONS:
        f = getattr(mod, n)
        sig = inspect.signature(f)
        types[n] = ([p.annotation.__name__ for p in sig.parameters.values()],
                    "None" if sig.return_annotation is None else sig.return_annotation.__name__)
    (d / "out" / "main.c").write_text(c_program(CALLS, types))
    exe = d / "out" / "main"
    cc("-std=c11", "-Wall", "-Werror", "-o", str(exe), str(d / "out" / "main.c"), "-I", str(d / "out"),
       "-L", str(d / "out"), "-lm", f"-Wl,-rpath,{d / 'out'}", "-l:libm.so")
    env = {k: v for k, v in CLEAN_ENV.items() if not k.startswith("PYTHON")}
    run = subprocess.run([str(exe)], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    chunks = run.stdout.split("@@ ")
    printed, results = chunks[0], []
    for chunk in chunks[1:]:
        line, _, rest = chunk.partition("\n")
        results.append((line, printed))
        printed = rest
    assert len(results) == len(CALLS)
    for (name, args), (line, printed) in zip(CALLS, results):
        status, value, expected_print = cpython(mod, name, args)
        got_status, _, got = line.partition(" ")
        assert int(got_status) == status, (name, args, line)
        assert printed == expected_print, (name, args)
        if status == 0:
            if value in ("True", "False", "None") or types[name][1] == "int":
                assert got == value, (name, args)
            else:
                assert float(got) == float(value) and math.copysign(1, float(got)) == math.copysign(1, float(value)), (name, args)
        else:
            assert got.startswith(value + ": "), (name, args, got)
            assert f"(in {name if name != 'uses_helper' else 'fact'}" in got or "(in " in got
            assert "line " in got


def test_error_messages_name_function_line_and_file(exported):
    d, mod, out = exported
    src = d / "out" / "err.c"
    src.write_text('#include <stdio.h>\n#include "m.h"\nint main(void) { int64_t r; int s = m_floordiv(1, 0, &r);\n'
                   '  printf("%d|%s\\n", s, m_last_error()); s = m_fact(30, &r); printf("%d|%s\\n", s, m_last_error());\n'
                   '  double x; s = m_root(-1, &x); printf("%d|%s\\n", s, m_last_error()); return 0; }\n')
    exe = d / "out" / "err"
    cc("-o", str(exe), str(src), "-I", str(d / "out"), str(out["library"]), f"-Wl,-rpath,{d / 'out'}")
    lines = subprocess.run([str(exe)], capture_output=True, text=True, check=True, env=CLEAN_ENV).stdout.splitlines()
    assert lines[0] == f"1|ZeroDivisionError: integer division or modulo by zero (in floordiv, line 14 of {d / 'mod.py'})"
    assert lines[1].startswith("4|OverflowError: an int result does not fit in 64 bits") and "(in fact, line 10" in lines[1]
    assert lines[2] == f"2|ValueError: math domain error (in root, line 32 of {d / 'mod.py'})"


REFUSED = '''
def total(xs):
    s = 0
    for x in xs:
        s += x
    return s

def greet(n: int):
    s = "hi" * n
    return len(s)

def calls_python(n: int) -> int:
    return helper_not_jitted(n)

def helper_not_jitted(n):
    return [n]
'''


def test_functions_that_need_python_are_refused_with_reason_and_line(tmp_path):
    (tmp_path / "refused.py").write_text(REFUSED)
    sys.path.insert(0, str(tmp_path))
    try:
        import refused
    finally:
        sys.path.remove(str(tmp_path))
    with pytest.raises(TypeError, match="parameter 'xs' of total\\(\\) has type list\\[int\\]"):
        pyvorin.export(refused.total, "r", output_dir=tmp_path / "out", signatures=("list[int]",))
    with pytest.raises(TypeError, match="give the argument types of total"):
        pyvorin.export(refused.total, "r", output_dir=tmp_path / "out")
    with pytest.raises(pyvorin.ExportError) as e:
        pyvorin.export(refused.greet, "r", output_dir=tmp_path / "out")
    [r] = e.value.refused
    assert r["function"] == "greet" and r["line"] == 9 and "exported code runs without Python" in r["reason"]
    with pytest.raises(pyvorin.ExportError) as e:
        pyvorin.export([refused.calls_python], "r", output_dir=tmp_path / "out")
    assert e.value.refused[0]["function"] == "calls_python"
    assert not (tmp_path / "out" / "libr.so").exists()
    with pytest.raises(ValueError, match="C identifier"):
        pyvorin.export(refused.greet, "not-a-name", output_dir=tmp_path / "out")


def _sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_two_builds_in_two_processes_are_byte_identical(tmp_path):
    (tmp_path / "mod.py").write_text(MODULE)
    script = textwrap.dedent(f'''
        import sys, json
        sys.path.insert(0, {str(tmp_path)!r})
        import pyvorin, mod
        # compile something else first: the order of compilation must not matter
        if sys.argv[2] == "warm":
            pyvorin.jit(mod.collatz)(27)
        out = pyvorin.export([getattr(mod, n) for n in {FUNCTIONS!r}], "m", output_dir=sys.argv[1])
        print(json.dumps(out))
    ''')
    (tmp_path / "build.py").write_text(script)
    env = dict(os.environ, PYTHONPATH=os.path.join(BUILD, "python"), PYVORIN_CACHE_DIR=str(tmp_path / "cache"))
    outs = []
    for k, order in enumerate(("cold", "warm")):
        p = subprocess.run([sys.executable, str(tmp_path / "build.py"), str(tmp_path / f"b{k}"), order], capture_output=True,
                           text=True, env=env, timeout=300)
        assert p.returncode == 0, p.stderr
        outs.append(json.loads(p.stdout))
    for kind in ("object", "library", "header"):
        assert _sha(outs[0][kind]) == _sha(outs[1][kind]), kind
    # and pyvorinc makes the same object as the Python API
    subprocess.run([PYVORINC, str(tmp_path / "mod.py"), *sum((["--function", n] for n in FUNCTIONS), []), "--module", "m",
                    "--emit", "obj", "-o", str(tmp_path / "cli.o")], check=True, capture_output=True)
    assert _sha(tmp_path / "cli.o") == _sha(outs[0]["object"])


def test_pyvorinc_emits_obj_so_and_h(tmp_path):
    (tmp_path / "geo.py").write_text(MODULE)
    src = str(tmp_path / "geo.py")
    h = subprocess.run([PYVORINC, src, "--function", "fact", "--function", "area", "--emit", "h"], capture_output=True, text=True)
    assert h.returncode == 0, h.stderr
    assert "int32_t geo_fact(int64_t n, int64_t *result);" in h.stdout and "geo_area(double w" in h.stdout
    so = subprocess.run([PYVORINC, src, "--function", "fact", "--function", "collatz", "--module", "g", "--emit", "so", "-o",
                         str(tmp_path / "libg.so")], capture_output=True, text=True)
    assert so.returncode == 0, so.stderr
    assert (tmp_path / "g.h").exists() and not (tmp_path / "libg.so.o").exists()
    (tmp_path / "main.c").write_text('#include <stdio.h>\n#include "g.h"\nint main(void) { int64_t a, b;\n'
                                     '  int s = g_fact(10, &a) | g_collatz(27, &b); printf("%d %lld %lld\\n", s, (long long)a, (long long)b); }\n')
    cc("-o", str(tmp_path / "main"), str(tmp_path / "main.c"), "-I", str(tmp_path), str(tmp_path / "libg.so"), f"-Wl,-rpath,{tmp_path}")
    assert subprocess.run([str(tmp_path / "main")], capture_output=True, text=True, env=CLEAN_ENV).stdout == "0 3628800 111\n"
    bad = subprocess.run([PYVORINC, str(tmp_path / "geo.py"), "--function", "fact", "--function", "area", "--emit", "ir"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "one --function at a time" in bad.stderr
    (tmp_path / "lists.py").write_text("def total(xs):\n    return sum(xs)\n")
    refused = subprocess.run([PYVORINC, str(tmp_path / "lists.py"), "--function", "total", "--args", "list[int]", "--emit", "so",
                              "-o", str(tmp_path / "libl.so")], capture_output=True, text=True)
    assert refused.returncode == 1 and "parameter 'xs' is list[int]" in refused.stderr and "line: 1" in refused.stderr


@pytest.mark.skipif(not shutil.which("node") or not os.path.exists(os.path.join(BUILD, "python", "pyvorin", "libpyvorin_export_wasm.a")),
                    reason="Node.js or the WebAssembly runtime is missing")
def test_pyvorinc_emits_wasm_with_loader_and_page(tmp_path):
    (tmp_path / "geo.py").write_text(MODULE)
    out = tmp_path / "web"
    out.mkdir()
    p = subprocess.run([PYVORINC, str(tmp_path / "geo.py"), "--function", "fact", "--function", "floordiv", "--emit", "wasm",
                        "-o", str(out / "geo.wasm")], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert sorted(os.listdir(out)) == ["geo.h", "geo.html", "geo.js", "geo.wasm"]
    (out / "t.js").write_text('(async () => { const m = await require("./geo.js").load();\n'
                              '  console.log(String(m.fact(20)), m.floordiv(-7, 2));\n'
                              '  try { m.floordiv(1, 0); } catch (e) { console.log(e.pythonType, e.status); } })();\n')
    run = subprocess.run(["node", str(out / "t.js")], capture_output=True, text=True, cwd=str(out), timeout=60, env=CLEAN_ENV)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[:2] == [f"{math.factorial(20)} -4", "ZeroDivisionError 1"]
    page = (out / "geo.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "geo.js" in page  # (it makes a form per function from the loader)
