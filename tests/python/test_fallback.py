"""Fallback tests: every construct outside the compiled subset makes the whole function run in
CPython, with `fallback_reason` naming the function, the reason, the absolute source line of the
construct and a suggestion; the call still returns CPython's result; strict mode raises
pyvorin.CompilationError with the same details."""
import contextlib
import inspect

import pytest

import pyvorin
from pyvorin_testutil import cpython_outcome, line_of, py_of, run, same_value

CTX = contextlib.nullcontext()
COUNTER = 0


def helper_plain(x):
    return x * 2


# ---------------------------------------------------------------------------------------------
# One unsupported construct per function; the marker finds its line in the source.
# ---------------------------------------------------------------------------------------------
def uses_eval(x):
    y = x + 1
    return eval("y * 2")


def uses_exec(x):
    y = x * 3
    exec("z = 1")
    return y


def generator(n):
    i = 0
    while i < n:
        yield i
        i += 1


def has_class(x):
    y = x - 1

    class Point:
        pass
    return y


def has_try(x):
    r = 0
    try:
        r = 10 // x
    except ZeroDivisionError:
        r = -1
    return r


def has_closure(x):
    k = x + 1

    def inner(y):
        return y + k
    return inner(2)


def has_lambda(x):
    k = x * 2
    f = lambda y: y + k  # noqa: E731
    return f(1)


def has_list(x):
    k = x + 1
    xs = [x, k]
    return x + k


def has_dict(x):
    k = x + 1
    d = {1: x, 2: k}
    return k


def has_set(x):
    k = x + 1
    s = {x, k}
    return k


def has_tuple(x):
    k = x + 1
    t = (x, k)
    return k


def has_list_comprehension(x):
    k = x + 1
    ys = [i * i for i in range(x)]
    return k


def has_generator_expression(x):
    k = x + 1
    total = sum(i for i in range(x))
    return total + k


def has_string(x):
    k = x + 1
    name = "pyvorin"
    return k


def returns_string(x):
    k = x + 1
    return "big" if k > 10 else "small"


def has_with(x):
    k = x + 1
    with CTX:
        k += 1
    return k


def has_global(x):
    global COUNTER
    COUNTER = COUNTER + x
    return COUNTER


def make_nonlocal():
    count = 0

    def bump(x):
        nonlocal count
        count = count + x
        return count
    return bump


uses_nonlocal = make_nonlocal()


def calls_unknown(x):
    k = x + 1
    return helper_plain(k)


def calls_unknown_builtin(x):
    k = x + 1
    return sum(range(k))


def star_args(*args):
    return 0


def star_kwargs(x, **kwargs):
    return x


def keyword_only(x, *, y):
    return x + y


def has_raise(x):
    k = x + 1
    if k > 100:
        raise ValueError("big") from None
    return k


def has_del(x):
    k = x + 1
    del x
    return k


def has_import(x):
    k = x + 1
    import os
    return k


def has_fstring_of_iterator(x):
    k = x + 1
    print(f"{zip([k], [k])}")
    return k


def has_in(x):
    k = x + 1
    return k in CTX_TUPLE


CTX_TUPLE = (1, 2, 3)


def loops_over_non_range(x):
    k = x + 1
    for v in CTX_TUPLE:
        k += v
    return k


def has_attribute(x):
    k = x + 1
    return k.bit_length()


def has_big_literal(x):
    k = x + 1
    return k + 123456789012345678901234567890


def print_to_file(x):
    k = x + 1
    print(k, flush=k > 0)
    return k


# (function, call args, call kwargs, marker of the construct's line, words one of which the
#  reason or construct must mention)
CASES = [
    (uses_eval, (3,), {}, "eval(\"", ["eval"]),
    (uses_exec, (3,), {}, "exec(\"", ["exec"]),
    (generator, (3,), {}, "yield", ["yield", "generator"]),
    (has_class, (3,), {}, "class Point", ["class"]),
    (has_try, (0,), {}, "try:", ["try", "except"]),
    (has_closure, (3,), {}, "def inner", ["closure", "nested", "def", "function"]),
    (has_lambda, (3,), {}, "lambda y", ["lambda"]),
    (has_with, (3,), {}, "with CTX", ["with"]),
    (has_global, (3,), {}, "global COUNTER", ["global"]),
    (uses_nonlocal, (3,), {}, "nonlocal count", ["nonlocal", "closure", "free variable"]),
    (calls_unknown, (3,), {}, "return helper_plain(", ["helper_plain"]),
    (star_args, (1, 2), {}, "def star_args", ["*args", "vararg", "variadic", "argument", "star"]),
    (star_kwargs, (1,), {"z": 2}, "def star_kwargs", ["**kwargs", "kwarg", "keyword", "argument",
                                                      "star"]),
    (keyword_only, (1,), {"y": 2}, "def keyword_only", ["keyword", "argument"]),
    (has_raise, (3,), {}, "raise ValueError", ["raise"]),
    (has_del, (3,), {}, "del x", ["del"]),
    (has_import, (3,), {}, "import os", ["import"]),
    (has_fstring_of_iterator, (3,), {}, "print(f", ["f-string", "generator", "iterable"]),
    (has_attribute, (3,), {}, "k.bit_length", ["attribute", "bit_length"]),
    (has_big_literal, (3,), {}, "return k + 1234", ["64", "literal", "int"]),
    (print_to_file, (3,), {}, "print(k, flush", ["flush", "print"]),
]
IDS = [py_of(c[0]).__name__ for c in CASES]

# Constructs that fell back before issue 7 and compile now (containers, str values, in, for over
# any iterable, sum): native, with CPython's result.
NOW_COMPILED = [has_list, has_dict, has_set, has_tuple, has_list_comprehension, has_generator_expression,
                has_string, returns_string, calls_unknown_builtin, has_in, loops_over_non_range]


@pytest.mark.parametrize("fn", NOW_COMPILED, ids=[py_of(f).__name__ for f in NOW_COMPILED])
def test_containers_compile_now(fn):
    f = py_of(fn)
    jf = pyvorin.jit(f)
    for x in (3, 12, -1):
        assert jf(x) == f(x) and type(jf(x)) is type(f(x))
    assert jf.fallback is None, jf.fallback_reason
    assert jf.stats["native_calls"] >= 3


def normalise_result(value):
    """Generator objects are compared by what they yield."""
    if hasattr(value, "__next__"):
        return list(value)
    return value


def reset_state():
    global COUNTER
    COUNTER = 0
    uses_nonlocal.__closure__[0].cell_contents = 0


def expected_result(fn, args, kwargs):
    reset_state()
    out = cpython_outcome(fn, *args, **kwargs)
    value = normalise_result(out.value)
    reset_state()
    return out, value


def assert_reason_format(text, name, line):
    assert isinstance(text, str), text
    lines = text.split("\n")
    assert lines[0] == "[FALLBACK] function: %s" % name, text
    assert len(lines) >= 4, text
    assert lines[1].startswith("reason: ") and lines[1][len("reason: "):].strip(), text
    assert lines[2] == "line: %d" % line, "expected line %d in:\n%s" % (line, text)
    assert lines[3].startswith("suggestion: ") and lines[3][len("suggestion: "):].strip(), text


@pytest.mark.parametrize("fn,args,kwargs,marker,words", CASES, ids=IDS)
def test_fallback_reason_and_line(fn, args, kwargs, marker, words):
    name = py_of(fn).__name__
    line = line_of(fn, marker)
    expected, expected_value = expected_result(fn, args, kwargs)
    jf = pyvorin.jit(fn)
    got = run(jf, *args, **kwargs)
    got_value = normalise_result(got.value)
    assert type(got.exc) is type(expected.exc), (expected, got)
    assert same_value(expected_value, got_value) if not isinstance(expected_value, list) else \
        expected_value == got_value, (expected_value, got_value)

    assert_reason_format(jf.fallback_reason, name, line)
    fb = jf.fallback
    assert isinstance(fb, dict), fb
    for key in ("code", "reason", "construct", "line", "suggestion"):
        assert key in fb, (key, fb)
    assert isinstance(fb["code"], str) and fb["code"], fb
    assert fb["line"] == line, (fb, line)
    assert "reason: " + fb["reason"] in jf.fallback_reason, (fb, jf.fallback_reason)
    assert "suggestion: " + fb["suggestion"] in jf.fallback_reason, (fb, jf.fallback_reason)
    text = (fb["reason"] + " " + str(fb["construct"])).lower()
    assert any(w.lower() in text for w in words), "reason/construct %r mentions none of %r" % (
        text, words)

    assert jf.compiled is False
    stats = jf.stats
    assert stats["python_calls"] >= 1 and stats["native_calls"] == 0, stats
    run(jf, *args, **kwargs)
    assert jf.stats["python_calls"] == stats["python_calls"] + 1, jf.stats
    reset_state()


@pytest.mark.parametrize("fn,args,kwargs,marker,words", CASES, ids=IDS)
def test_report_shows_fallback(fn, args, kwargs, marker, words):
    jf = pyvorin.jit(fn)
    run(jf, *args, **kwargs)
    reset_state()
    report = jf.report
    assert report["status"] == "fallback", report["status"]
    assert report["fallback"] is not None and report["fallback"]["line"] == line_of(fn, marker)
    assert report["fallback"]["reason"] == jf.fallback["reason"]


@pytest.mark.parametrize("fn,args,kwargs,marker,words", CASES, ids=IDS)
def test_strict_mode_raises(fn, args, kwargs, marker, words):
    name = py_of(fn).__name__
    line = line_of(fn, marker)
    lenient = pyvorin.jit(fn)
    run(lenient, *args, **kwargs)
    reset_state()
    with pytest.raises(pyvorin.CompilationError) as info:
        strict = pyvorin.jit(strict=True)(fn)   # the check stage may raise right here,
        strict(*args, **kwargs)                   # or at the first call
    reset_state()
    e = info.value
    assert isinstance(e, Exception)
    assert e.function == name, e.function
    assert e.line == line, (e.line, line)
    assert e.code == lenient.fallback["code"], (e.code, lenient.fallback)
    assert e.reason == lenient.fallback["reason"]
    assert e.construct == lenient.fallback["construct"]
    assert e.suggestion == lenient.fallback["suggestion"]
    assert str(e) == lenient.fallback_reason
    assert_reason_format(str(e), name, line)


def test_distinct_codes_for_distinct_reasons():
    # One catalogue of fallback reasons: unrelated kinds of construct have different codes
    # (related ones, e.g. try and with, or lambda and nested def, may share one).
    codes = {}
    for fn, args, kwargs, _marker, _words in CASES:
        if fn in (uses_eval, generator, has_class, has_try, has_lambda, has_big_literal, has_fstring_of_iterator,
                  has_global, star_args):
            jf = pyvorin.jit(fn)
            run(jf, *args, **kwargs)
            codes[py_of(fn).__name__] = jf.fallback["code"]
    reset_state()
    assert len(set(codes.values())) == len(codes), codes


@pyvorin.jit
def decorated_with_lambda(n):
    total = 0
    for i in range(n):
        total += i
    key = lambda v: -v  # noqa: E731
    return total


def test_decorated_function_reports_absolute_line():
    assert decorated_with_lambda(4) == 6
    assert_reason_format(decorated_with_lambda.fallback_reason, "decorated_with_lambda",
                         line_of(decorated_with_lambda, "key = lambda"))
    assert decorated_with_lambda.stats["python_calls"] >= 1


def test_global_side_effect_happens_once_per_call():
    global COUNTER
    COUNTER = 10
    jf = pyvorin.jit(has_global)
    assert jf(5) == 15 and COUNTER == 15
    assert jf(1) == 16 and COUNTER == 16
    COUNTER = 0


def test_generator_fallback_yields_values():
    jf = pyvorin.jit(generator)
    assert list(jf(4)) == [0, 1, 2, 3]
    assert jf.fallback_reason is not None


# An int on one path and a float on another: either native with CPython's run-time types or a
# fallback with a proper reason; never a wrong type.
def half_sum(n):
    total = 0
    for i in range(n):
        total += 0.5
    return total


def int_or_float(flag):
    x = 1
    if flag:
        x = 2.5
    return x


@pytest.mark.parametrize("fn,inputs", [(half_sum, [0, 3, 0, 1]), (int_or_float, [0, 1, 0])],
                         ids=["half_sum", "int_or_float"])
def test_int_on_one_path_float_on_another(fn, inputs):
    jf = pyvorin.jit(fn)
    for n in inputs:
        got = jf(n)
        expected = fn(n)
        assert type(got) is type(expected) and got == expected, (n, got, expected)
    if jf.fallback_reason is not None:
        lines, first = inspect.getsourcelines(fn)
        text = jf.fallback_reason.split("\n")
        assert text[0] == "[FALLBACK] function: %s" % fn.__name__
        assert text[1].startswith("reason: ") and text[3].startswith("suggestion: ")
        n = int(text[2][len("line: "):])
        assert first <= n < first + len(lines), (n, first)
        assert jf.fallback["line"] == n


def test_int_float_path_strict_raises_or_is_right():
    try:
        jf = pyvorin.jit(strict=True)(half_sum)
        results = [jf(0), jf(2)]
    except pyvorin.CompilationError as e:
        assert e.function == "half_sum"
        return
    assert type(results[0]) is int and results[0] == 0
    assert type(results[1]) is float and results[1] == 1.0


def test_strict_supported_function_compiles():
    jf = pyvorin.jit(strict=True)(helper_plain)
    assert jf(21) == 42
    assert jf.fallback_reason is None and jf.compiled
    assert jf.stats["native_calls"] == 1


def test_compilation_error_is_exception_with_attributes():
    assert issubclass(pyvorin.CompilationError, Exception)
    try:
        pyvorin.jit(strict=True)(uses_eval)(1)
    except pyvorin.CompilationError as e:
        for attr in ("function", "code", "reason", "construct", "line", "suggestion"):
            assert hasattr(e, attr), attr
    else:
        pytest.fail("strict mode did not raise for eval")
