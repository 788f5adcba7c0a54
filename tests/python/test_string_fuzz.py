"""Random-program fuzzer for native str (issue 8): string_fuzz_gen.py writes seeded functions over
str (literals of every width, +, +=, *, indexing, slicing, comparisons, the methods, f-strings
with format specs, str/repr/int/float/ord/chr, dicts and sets keyed by str, raise, assert, print)
with random nesting; every program runs compiled and in CPython on a few inputs, and any
difference in value, types, exception type and message, printed text or argument mutation fails.

The programs run in child processes (string_fuzz_gen.py child ...): a program that kills its
process is reported as a crash and the run goes on in a new child from the next program.
A call that ran in CPython is fine only with a fallback reason; the reasons are counted and
printed (pytest -s), and the test requires most programs to have run natively.

PYVORIN_FUZZ_SEED / PYVORIN_FUZZ_COUNT change the seed and the number of programs;
PYVORIN_FUZZ_AVOID=tag,tag leaves generator features out (see string_fuzz_gen.AVOID users).
`python3 test_string_fuzz.py [seed [count]]` prints the whole report.
"""
import collections
import json
import os
import re
import subprocess
import sys

import pytest

import string_fuzz_gen as gen
from pyvorin_testutil import package_parent

HERE = os.path.dirname(os.path.abspath(__file__))
CHILD_TIMEOUT = int(os.environ.get("PYVORIN_FUZZ_TIMEOUT", "600"))


def _child_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [package_parent(), HERE] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


def _reason_key(reason):
    """The fallback's reason line, without the function name and line number."""
    m = re.search(r"reason: ([^\n]*)", reason)
    text = m.group(1) if m else reason.split("\n")[0]
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text)
    return re.sub(r"line \d+", "line N", text)[:160]


def run_fuzz(seed=gen.SEED, count=gen.COUNT):
    """Returns a dict: failures (mismatch texts with sources), crashes, no_reason (calls in CPython
    with no fallback reason), reasons (Counter of fallback reasons), programs, native_programs."""
    progs = gen.generate(seed, count)
    results = {}
    crashes = []
    start = 0
    env = _child_env()
    while start < count:
        cmd = [sys.executable, os.path.join(HERE, "string_fuzz_gen.py"), "child", str(seed), str(count), str(start)]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=CHILD_TIMEOUT, env=env, cwd=HERE)
            stdout, stderr, rc = p.stdout, p.stderr, p.returncode
        except subprocess.TimeoutExpired as e:
            stdout = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            stderr = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
            rc = "timeout"
        last_started = None
        for line in stdout.splitlines():
            if line.startswith("START "):
                last_started = int(line.split()[1])
            elif line.startswith("RESULT "):
                r = json.loads(line[7:])
                results[r["idx"]] = r
        if rc == 0 and (last_started is None or last_started in results):
            break
        if last_started is None or last_started in results:
            # died outside a program (import, module generation): nothing to blame
            crashes.append("child died before a program started (rc %s):\n%s" % (rc, stderr[-2000:]))
            break
        name, src, argsets = progs[last_started]
        crashes.append("%s: the process %s (rc %s) on inputs %r\nstderr tail: %s\n%s" % (
            name, "timed out" if rc == "timeout" else "died", rc, argsets, stderr[-800:], src))
        start = last_started + 1

    failures, no_reason, reasons, example = [], [], collections.Counter(), {}
    native_programs = 0
    for idx in sorted(results):
        r = results[idx]
        name, src, _ = progs[idx]
        if r["bad"]:
            failures.append("\n".join(r["bad"]) + "\n" + src)
        if r["native_calls"]:
            native_programs += 1
        for reason in r["fallbacks"]:
            if reason:
                reasons[_reason_key(reason)] += 1
                example.setdefault(_reason_key(reason), name)
            else:
                no_reason.append(name)
    return {"failures": failures, "crashes": crashes, "no_reason": sorted(set(no_reason)),
            "reasons": reasons, "example": example, "programs": count, "ran": len(results), "native_programs": native_programs}


def summary(res):
    lines = ["string fuzz: %d programs, %d ran to the end of their calls, %d with a native call, "
             "%d mismatching, %d crashes, %d with a CPython call without a reason" % (
                 res["programs"], res["ran"], res["native_programs"], len(res["failures"]),
                 len(res["crashes"]), len(res["no_reason"]))]
    lines.append("fallback reasons (calls):")
    for reason, n in res["reasons"].most_common():
        lines.append("  %4d  %s  (e.g. %s)" % (n, reason, res["example"][reason]))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def fuzz_result():
    return run_fuzz()


def test_string_fuzz_no_crash(fuzz_result):
    print(summary(fuzz_result))
    assert not fuzz_result["crashes"], "%d programs killed their process:\n\n%s" % (
        len(fuzz_result["crashes"]), "\n\n".join(fuzz_result["crashes"][:10]))


def test_string_fuzz_matches_cpython(fuzz_result):
    f = fuzz_result["failures"]
    assert not f, "%d of %d programs differ from CPython:\n\n%s" % (
        len(f), fuzz_result["programs"], "\n\n".join(f[:12]))


def test_string_fuzz_fallbacks_have_reasons(fuzz_result):
    assert not fuzz_result["no_reason"], "calls ran in CPython without a fallback reason: %s" % (
        ", ".join(fuzz_result["no_reason"][:20]))


def test_string_fuzz_mostly_native(fuzz_result):
    # the fuzzer must exercise the compiled str code, not just the fallback
    assert fuzz_result["native_programs"] >= fuzz_result["ran"] // 2, summary(fuzz_result)


if __name__ == "__main__":
    r = run_fuzz(int(sys.argv[1]) if len(sys.argv) > 1 else gen.SEED,
                 int(sys.argv[2]) if len(sys.argv) > 2 else gen.COUNT)
    for text in r["crashes"] + r["failures"]:
        print(text)
        print()
    print(summary(r))
