"""Runs every function of realistic_corpus under pyvorin.jit and in CPython on the same inputs.
Fails on any mismatch (value, types, float bits, exception, argument mutation, aliasing, stdout);
prints the native rate and the fallback reasons grouped with counts (no threshold asserted).

    PYTHONPATH=build/python python3 -m pytest -s tests/python/test_realistic_corpus.py
    PYTHONPATH=build/python python3 tests/python/test_realistic_corpus.py   # summary only"""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pytest  # noqa: E402

import realistic_corpus  # noqa: E402
from container_testutil import call_both, outcome_diff, short, why_not_native  # noqa: E402

RESULTS = {}   # name -> dict(native, calls, reason, mismatches)


def first_line(reason):
    """The 'reason:' line of a fallback report (else its first line)."""
    if not reason:
        return ""
    lines = reason.strip().splitlines()
    for line in lines:
        if line.startswith("reason: "):
            return line[len("reason: "):]
    return lines[0]


def run_function(name):
    if name in RESULTS:
        return RESULTS[name]
    jf, arg_tuples = realistic_corpus.CASES[name]
    fn = jf.py_func
    mismatches = []
    in_cpython = []
    for args in arg_tuples:
        before = jf.stats["native_calls"]
        before_py = jf.stats["python_calls"]
        expected, got, exp_out, got_out, exp_args, got_args = call_both(fn, jf, args)
        d = outcome_diff(expected, got, exp_args, got_args)
        if d is None and exp_out != got_out:
            d = "printed %r, CPython printed %r" % (got_out[:300], exp_out[:300])
        if d is not None:
            mismatches.append("%s(%s) [%s]: %s" % (
                name, ", ".join(short(a) for a in args),
                "native" if jf.stats["native_calls"] > before else "CPython", d))
        if jf.stats["python_calls"] > before_py and jf.stats["native_calls"] == before:
            in_cpython.append(", ".join(short(a) for a in args))
    native = jf.stats["native_calls"] > 0
    reason = None
    if jf.stats["python_calls"] > 0 or not native:
        reason = why_not_native(jf) if jf.fallback_reason or not native else \
            "some inputs ran in CPython without a fallback reason"
    rec = {"native": native, "stats": dict(jf.stats), "reason": reason,
           "mismatches": mismatches, "in_cpython": in_cpython}
    RESULTS[name] = rec
    return rec


def summary():
    total = len(realistic_corpus.CASES)
    for name in realistic_corpus.CASES:
        run_function(name)
    native = [n for n, r in RESULTS.items() if r["native"]]
    partial = [n for n, r in RESULTS.items() if r["native"] and r["stats"]["python_calls"]]
    lines = ["", "=== realistic corpus: %d / %d functions native (%.0f%%); %d of them with some "
             "inputs in CPython" % (len(native), total, 100.0 * len(native) / total, len(partial))]
    groups = collections.defaultdict(list)
    for n, r in RESULTS.items():
        if r["reason"]:
            groups[first_line(r["reason"])].append(n)
    lines.append("--- fallback reasons (first line), grouped:")
    for reason, names in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        lines.append("%3d  %s" % (len(names), reason))
        lines.append("       " + ", ".join(names))
    mism = [m for r in RESULTS.values() for m in r["mismatches"]]
    lines.append("--- mismatches: %d" % len(mism))
    lines.extend("  " + m for m in mism)
    return "\n".join(lines)


@pytest.mark.parametrize("name", list(realistic_corpus.CASES))
def test_agrees_with_cpython(name):
    rec = run_function(name)
    assert not rec["mismatches"], "\n".join(rec["mismatches"])


def test_zz_summary(capsys):
    text = summary()
    with capsys.disabled():
        print(text)


if __name__ == "__main__":
    print(summary())
    for n, r in RESULTS.items():
        if r["reason"]:
            print("\n## %s %s\n%s\n  inputs run in CPython: %s" % (
                n, r["stats"], r["reason"], " | ".join(r["in_cpython"])))
    sys.exit(1 if any(r["mismatches"] for r in RESULTS.values()) else 0)
