"""Long generated functions: they compile, agree with CPython, and their IR stays in the shape that
keeps compile time near linear in the function's length (docs/performance.md, "Compile time
scaling"). No timing is asserted: the shape is what made LLVM quadratic (one block per checked
operation in a single dominator chain; a flag per local), so the shape is what is checked."""
import linecache
import re
import traceback

import pytest

import pyvorin
from pyvorin_testutil import check_all

_made = 0


def make(body, params="a", name="gen"):
    """A function from body lines (indented here), registered in linecache like an IPython cell so
    that pyvorin can read its source; returns (function, absolute line of body[0])."""
    global _made
    _made += 1
    name = f"{name}_{_made}"
    src = f"def {name}({params}):\n" + "".join(f"    {line}\n" for line in body)
    filename = f"<pvtest-scaling-{name}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = {}
    exec(compile(src, filename, "exec"), ns)
    return ns[name], 2


def chain(n):
    """n statements on one local: +, * and % (each + and * checked for int64 overflow)."""
    body = ["x = a"]
    for k in range(1, n):
        body.append("x = x * 3" if k % 4 == 0 else ("x = x % 1000003" if k % 4 == 1 else f"x = x + {k}"))
    return body + ["return x"]


def locals_chain(n):
    """n locals, each from two earlier ones: the overflow checks cannot be proven away."""
    body = ["v0 = a"] + [f"v{k} = v{k - 1} + v{k // 2} % 97 - {k % 11}" for k in range(1, n)]
    return body + [f"return v{n - 1}"]


def function_ir(ir, name):
    """The text of the compiled function (not the entry wrapper) in a module's IR as lowered."""
    m = re.search(r"^define [^\n]*@pv\.%s\.0\(.*?^}" % re.escape(name), ir, re.S | re.M)
    assert m, "no @pv.%s.0 in the IR" % name
    return m.group(0)


def blocks_and_insts(ir):
    """Basic blocks and instructions of every function defined in a module's IR (after
    optimisation the function may be inlined into its entry wrapper)."""
    blocks = insts = 0
    for body in re.findall(r"^define [^\n]*\{\n(.*?)^}", ir, re.S | re.M):
        lines = body.splitlines()
        blocks += 1 + sum(1 for l in lines if re.match(r"^[\w.$-]+:", l))
        insts += sum(1 for l in lines if l.startswith("  ") and not l.strip().startswith(";"))
    return blocks, insts


@pytest.mark.parametrize("level", [2, 3])
def test_2000_line_function_compiles_and_agrees(level):
    fn, _ = make(chain(2000))
    jf = pyvorin.jit(opt_level=level, cache=False)(fn)
    # 2**61 overflows in native code: rerun in CPython, exact.
    check_all(fn, [0, 1, -7, 123456789, 2**61, -2**62], jf=jf)
    assert jf.stats["native_calls"] >= 1
    assert jf.report["status"] == "compiled"


def test_straight_line_checks_share_blocks_and_grow_linearly():
    sizes = {}
    for n in (250, 1000):
        fn, _ = make(locals_chain(n))
        jf = pyvorin.jit(cache=False)(fn)
        check_all(fn, [5, -3, 2**60], jf=jf)
        sizes[n] = blocks_and_insts(jf.inspect_llvm(optimized=True))
    blocks_1000, insts_1000 = sizes[1000]
    # ~2,000 checked operations share a few dozen blocks (runs of at most 128 checks) instead of
    # one block each in a single dominator chain (before: ~3,800 blocks after optimisation).
    assert blocks_1000 <= 1000 // 8, sizes
    assert insts_1000 <= 4.5 * sizes[250][1], sizes


def test_definitely_assigned_locals_have_no_bound_flags():
    fn, _ = make(["x = a + 1", "y = x * 2", "if y > 3:", "    z = y", "else:", "    z = x", "return x + y + z"])
    jf = pyvorin.jit(cache=False)(fn)
    check_all(fn, [0, 1, 5], jf=jf)
    ir = function_ir(jf.inspect_llvm(optimized=False), fn.__name__)
    assert ".bound" not in ir and "isbound" not in ir, ir
    assert "i32 8," not in ir  # no PV_UNBOUND_LOCAL raise

    maybe, _ = make(["if a > 0:", "    v = 1", "return v + a"])
    jm = pyvorin.jit(cache=False)(maybe)
    check_all(maybe, [1, 0, -1], jf=jm)
    ir = function_ir(jm.inspect_llvm(optimized=False), maybe.__name__)
    assert "%v.bound = alloca i1" in ir and "%v.isbound" in ir, ir
    assert "%a.bound" not in ir, ir


def test_loop_carried_and_else_paths_keep_their_checks():
    # `last` is read before its assignment in the first iteration and `w` is assigned only when the
    # loop ends without a break: both keep their checks. `while True` is left only by its break,
    # after `q` is assigned, and `t` is assigned before the loops: no checks for them.
    fn, _ = make(["t = 0", "for i in range(a):", "    if i > 0:", "        t = t + last", "    last = i",
                  "for j in range(a):", "    if j == 3:", "        break", "else:", "    w = 1",
                  "while True:", "    q = a", "    break", "return t + w + q"])
    jf = pyvorin.jit(cache=False)(fn)
    check_all(fn, [0, 1, 3, 4, 6], jf=jf)
    ir = function_ir(jf.inspect_llvm(optimized=False), fn.__name__)
    assert "%last.isbound" in ir and "%w.isbound" in ir, ir
    assert "%t.isbound" not in ir and "%q.isbound" not in ir and "%a.isbound" not in ir, ir


def test_error_in_a_merged_run_reports_its_own_line(capsys):
    # Printing first makes an overflow an OverflowError naming the line (no silent rerun). The
    # overflow is in the middle of a long run of checks, and later lines would fail too (a zero
    # divisor computed from the overflowed value): the first failure is the one reported.
    body = ['print("start")', "x = a"] + [f"x = x + {k}" for k in range(1, 300)]
    body += ["y = x * 4"] + [f"x = x + {k}" for k in range(300)] + ["z = x // (y - y)", "return z"]
    fn, first = make(body)
    line = first + body.index("y = x * 4")
    jf = pyvorin.jit(cache=False)(fn)
    with pytest.raises(ZeroDivisionError):
        jf(1)
    assert capsys.readouterr().out == "start\n"
    with pytest.raises(OverflowError) as info:
        jf(2**62)
    assert fn.__name__ in str(info.value) and str(line) in str(info.value), str(info.value)
    assert capsys.readouterr().out == "start\n"


def test_unbound_local_in_a_merged_run_reports_its_line():
    body = ["if a > 0:", "    v = a", "x = a"] + [f"x = x + {k}" for k in range(200)] + ["w = v + x"]
    body += [f"x = x * 3 + {k}" for k in range(200)] + ["return w + x"]
    fn, first = make(body)
    line = first + body.index("w = v + x")
    jf = pyvorin.jit(cache=False)(fn)
    check_all(fn, [1, 0, -3], jf=jf)
    with pytest.raises(UnboundLocalError) as info:
        jf(0)
    assert traceback.extract_tb(info.value.__traceback__)[-1].lineno == line


def test_long_loop_bodies_are_merged_and_agree():
    # 24 checked operations per iteration (a merged run inside the loop), a division whose divisor
    # can be 0 and a data-dependent break: value, exception and message as in CPython.
    body = ["t = 0", "for i in range(a):", "    x = i * b"]
    body += [f"    x = x + t * {k % 3 + 1} - {k}" for k in range(24)]
    body += ["    t = t + x // (i - c)", "    if t > 10**15:", "        break", "return t"]
    fn, _ = make(body, params="a, b, c")
    jf = pyvorin.jit(cache=False)(fn)
    check_all(fn, [(5, 2, 7), (6, 3, 2), (0, 1, 1), (40, 3, 50), (30, 2**40, 99), (4, -2**62, 9)], jf=jf)
    ir = jf.inspect_llvm(optimized=False)
    assert ir.count("call void @pv_raise") >= 48  # as lowered: one raise block per check


def test_o0_keeps_the_checks_as_lowered():
    fn, _ = make(locals_chain(50))
    jf = pyvorin.jit(cache=False, opt_level=0)(fn)
    check_all(fn, [5, 2**61], jf=jf)
    assert "MergeChecksPass" not in [p["name"] for p in jf.report["passes"]]
    assert "raise.kind" not in jf.inspect_llvm(optimized=True)
    j2 = pyvorin.jit(cache=False, opt_level=2)(fn)
    j2(5)
    assert "MergeChecksPass" in [p["name"] for p in j2.report["passes"]]
