"""Comparison helpers for the container suites: a readable repr for huge containers, a deep
comparison of expected and got object graphs (types, float bits, dict/set order, aliasing) and a
side-by-side call of a function in CPython and under its dispatcher on deep-copied arguments."""
import contextlib
import copy
import gc
import io
import reprlib

from pyvorin_testutil import pure_cpython, run, same_value

MUTABLE = (list, dict, set)
CONTAINERS = (list, tuple, dict, set, frozenset, range)

_repr = reprlib.Repr()
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = _repr.maxfrozenset = 8
_repr.maxlevel = 4
_repr.maxlong = 60
_repr.maxother = 60


def short(obj):
    """A repr that stays readable for 10**5-element lists."""
    try:
        return _repr.repr(obj)
    except Exception:  # noqa: BLE001 - a repr that raises is still something to show
        return "<%s>" % type(obj).__name__


class Differ:
    """Walks an expected and a got object graph side by side. Mutable containers must alias the
    same way on both sides (one-to-one map between ids); everything else must be equal in value
    and type, floats bit-identical, dicts and sets in the same iteration order."""

    def __init__(self):
        self.e2g = {}
        self.g2e = {}
        self.active = set()

    def diff(self, e, g, path):
        if type(e) is not type(g):
            return "%s: expected %s %s, got %s %s" % (path, type(e).__name__, short(e),
                                                      type(g).__name__, short(g))
        if isinstance(e, MUTABLE):
            ie, ig = id(e), id(g)
            if ie in self.e2g or ig in self.g2e:
                if self.e2g.get(ie) != ig or self.g2e.get(ig) != ie:
                    return "%s: aliasing differs (CPython's object here is %s one seen before)" % (
                        path, "the same as" if ie in self.e2g else "not")
                return None
            self.e2g[ie] = ig
            self.g2e[ig] = ie
            if not isinstance(e, dict) and not gc.is_tracked(g):
                # CPython tracks every list and set; an untracked one leaks in a cycle.
                return "%s: the %s is not tracked by the garbage collector" % (
                    path, type(g).__name__)
        if isinstance(e, (list, tuple)):
            if len(e) != len(g):
                return "%s: expected len %d %s, got len %d %s" % (path, len(e), short(e), len(g),
                                                                  short(g))
            key = (id(e), id(g))
            if key in self.active:   # a cycle: already being compared further up
                return None
            self.active.add(key)
            try:
                for i, (a, b) in enumerate(zip(e, g)):
                    d = self.diff(a, b, "%s[%d]" % (path, i))
                    if d:
                        return d
            finally:
                self.active.discard(key)
            return None
        if isinstance(e, dict):
            if len(e) != len(g):
                return "%s: expected %d keys %s, got %d %s" % (path, len(e), short(e), len(g),
                                                               short(g))
            key = (id(e), id(g))
            if key in self.active:
                return None
            self.active.add(key)
            try:
                for i, ((ka, va), (kb, vb)) in enumerate(zip(e.items(), g.items())):
                    d = self.diff(ka, kb, "%s.keys()[%d]" % (path, i)) or \
                        self.diff(va, vb, "%s[%s]" % (path, short(ka)))
                    if d:
                        return d + ("" if e == g else "  (dicts differ: expected %s, got %s)" % (
                            short(e), short(g)))
            finally:
                self.active.discard(key)
            return None
        if isinstance(e, (set, frozenset)):
            # Element by element in iteration order: finds element types, order, and sets of
            # distinct nan objects (never == to each other) alike.
            if len(e) == len(g):
                for i, (a, b) in enumerate(zip(e, g)):
                    d = self.diff(a, b, "%s iteration[%d]" % (path, i))
                    if d:
                        return d + "  (%s: expected %s, got %s)" % (
                            "same elements, different iteration order or element types"
                            if e == g else "the sets differ", short(list(e)), short(list(g)))
                return None
            return "%s: expected %s, got %s" % (path, short(e), short(g))
        if isinstance(e, (int, float, complex, bool)) or e is None:
            if not same_value(e, g):
                return "%s: expected %s, got %s" % (path, short(e), short(g))
            return None
        if hasattr(e, "__next__") and hasattr(g, "__next__"):   # generators: what they yield
            return self.diff(list(e), list(g), path + " (yielded)")
        try:
            equal = e == g
        except Exception:  # noqa: BLE001
            equal = False
        if not equal:
            return "%s: expected %s, got %s" % (path, short(e), short(g))
        return None


def outcome_diff(expected, got, exp_args, got_args):
    """None when the two calls agree, else what differs."""
    if (expected.exc is None) != (got.exc is None):
        return "expected %s, got %s" % (describe(expected), describe(got))
    if expected.exc is not None:
        if type(expected.exc) is not type(got.exc) or str(expected.exc) != str(got.exc):
            return "expected %s, got %s" % (describe(expected), describe(got))
    differ = Differ()
    # The result and the arguments form one graph, so aliasing between them is compared too.
    d = differ.diff(expected.value, got.value, "result") if expected.exc is None else None
    if d:
        return d
    for i, (a, b) in enumerate(zip(exp_args, got_args)):
        d = differ.diff(a, b, "argument %d after the call" % i)
        if d:
            return d
    if expected.exc is None and isinstance(expected.value, CONTAINERS):
        for i, (a, b) in enumerate(zip(exp_args, got_args)):
            if (expected.value is a) != (got.value is b):
                return "result is argument %d in CPython: %s, compiled: %s" % (
                    i, expected.value is a, got.value is b)
    return None


def describe(outcome):
    if outcome.exc is not None:
        return "raised %s(%r)" % (type(outcome.exc).__name__, str(outcome.exc))
    return "returned %s %s" % (type(outcome.value).__name__, short(outcome.value))


def why_not_native(jf):
    """The fallback reason, or why no native call happened without one."""
    if jf.fallback_reason:
        return jf.fallback_reason
    try:
        status = jf.report.get("status")
    except Exception as e:  # noqa: BLE001
        status = "report unavailable: %s" % e
    return ("no fallback reason: the arguments fitted no native signature "
            "(signatures %r, report status %r)" % (jf.signatures, status))


def call_both(fn, jf, args, capsys=None):
    """(expected, got, expected stdout, got stdout, expected args after, got args after): fn in
    pure CPython and its dispatcher jf, each on its own deep copy of args (one deepcopy of the
    whole tuple, so an argument passed twice stays one object). Stdout is read through pytest's
    capsys when given, else through contextlib.redirect_stdout."""
    exp_args = copy.deepcopy(args)
    got_args = copy.deepcopy(args)
    if capsys is not None:
        capsys.readouterr()
        with pure_cpython(fn):
            expected = run(fn, *exp_args)
        expected_out = capsys.readouterr().out
        got = run(jf, *got_args)
        got_out = capsys.readouterr().out
    else:
        buf = io.StringIO()
        with pure_cpython(fn), contextlib.redirect_stdout(buf):
            expected = run(fn, *exp_args)
        expected_out = buf.getvalue()
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            got = run(jf, *got_args)
        got_out = buf.getvalue()
    return expected, got, expected_out, got_out, exp_args, got_args


def assert_agree(fn, jf, *args):
    """Fail with a readable message unless fn and jf agree on args (value, types, exception,
    stdout, argument mutation, aliasing)."""
    expected, got, expected_out, got_out, exp_args, got_args = call_both(fn, jf, args)
    d = outcome_diff(expected, got, exp_args, got_args)
    if d is None and expected_out != got_out:
        d = "printed %r, CPython printed %r" % (got_out[:500], expected_out[:500])
    if d is not None:
        native = jf.stats["native_calls"]
        raise AssertionError("%s(%s): %s%s" % (
            fn.__name__, ", ".join(short(a) for a in args), d,
            "" if native else "\n  (ran in CPython: %s)" % why_not_native(jf).replace("\n", " | ")))


# An error compiled code raises, by design, where a rerun in CPython would repeat an observable
# effect (docs/objects.md): fuzzers count these separately instead of failing on them.
RERUN_LIMIT = "so it cannot be rerun exactly in CPython"


def run_programs(progs, module_name, native_vars):
    """Runs generated programs (name, source, argument tuples) compiled and in CPython, and returns
    (failures, native, compiled, limited): the programs that differed, with their sources; how many
    kept a container native (native_vars(jf): the native variables' names) and how many made a
    native call; and the calls that ended in the documented RERUN_LIMIT error."""
    import os

    import pyvorin
    from pyvorin_testutil import module_from_source

    mod = module_from_source("\n\n".join(src for _, src, _ in progs), name=module_name)
    failures, limited, native, compiled = [], [], 0, 0
    for name, src, argsets in progs:
        fn = getattr(mod, name)
        if os.environ.get("PYVORIN_FUZZ_TRACE"):
            print("running", name, flush=True)
        jf = pyvorin.jit(fn)
        bad = []
        for args in argsets:
            expected, got, eo, go, ea, ga = call_both(fn, jf, args)
            d = outcome_diff(expected, got, ea, ga)
            if d is None and eo != go:
                d = "printed %r, CPython printed %r" % (go[:300], eo[:300])
            if d and got.exc is not None and RERUN_LIMIT in str(got.exc):
                limited.append("%s%s: %s" % (name, short(args), got.exc))
                continue
            if d:
                bad.append("%s%s: %s" % (name, short(args), d))
        if jf.stats["native_calls"]:
            compiled += 1
            if native_vars(jf):
                native += 1
        if bad:
            failures.append("\n".join(bad) + "\n  native: %s\n" % native_vars(jf) + src)
    return failures, native, compiled, limited
