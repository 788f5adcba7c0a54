"""Property tests of the disk compile cache's checks (docs/cache.md, "Trust"): whatever damage is
done to an entry's files, a fresh process computes CPython's result, never crashes, and either
loads the entry (only when the bytes are unchanged) or ignores it with exactly one CacheWarning
and rebuilds it, so that the process after it gets a clean disk hit.

Each example copies one pristine cache directory (made once per module, holding the entry under
test and another function's entry), damages it, and runs child processes on the copy."""
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import tempfile

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PYTHON = "/usr/bin/python3"
BUILD = os.environ.get("PYVORIN_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
PYPATH = os.path.abspath(os.path.join(BUILD, "python"))

# argv[1]: "work" (the entry under test) or "other" (the other entry, whose files some damage uses)
PROGRAM = '''
import json, sys, warnings
warnings.simplefilter("always")
caught = []
warnings.showwarning = lambda m, c, *a, **k: caught.append((c.__name__, str(m)))
import pyvorin

@pyvorin.jit
def work(n):
    s = 0
    for i in range(n):
        s += i * i % 7 + (i >> 3)
    return s

@pyvorin.jit
def other(n):
    t = 1
    for i in range(n):
        t = (t * 31 + i) % 1000003
    return t

f = work if sys.argv[1] == "work" else other
value = f(1000)
r = f.report
print(json.dumps({"value": value, "expected": f.py_func(1000), "cache": r.get("cache"), "status": r.get("status"),
                  "fallback": (r.get("fallback") or {}).get("reason"), "warnings": caught}))
'''

SIGNED_PREFIX = b'{"hmac":"'
SIGNED_MIDDLE = b'","meta":'


def _run(workdir, cache, which="work"):
    env = dict(os.environ, PYTHONPATH=PYPATH, PYVORIN_CACHE_DIR=str(cache))
    env.pop("PYVORIN_DISK_CACHE", None)
    p = subprocess.run([PYTHON, os.path.join(workdir, "prog.py"), which], capture_output=True, text=True, env=env,
                       cwd=workdir, timeout=120)
    assert p.returncode == 0, f"the child process failed (status {p.returncode}):\n{p.stderr}"
    return json.loads(p.stdout.strip().splitlines()[-1])


def _entry_files(cache, function):
    """(object, metadata) paths of the entry made for `function`."""
    for name in sorted(os.listdir(cache)):
        if name.endswith(".json") and not name.startswith("."):
            path = os.path.join(cache, name)
            with open(path, "rb") as fh:
                meta = json.loads(fh.read())["meta"]
            if meta.get("function") == function:
                return path[:-len(".json")] + ".o", path
    raise AssertionError(f"no entry for {function} in {sorted(os.listdir(cache))}")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A cache directory with the entries of `work` and `other`, made once."""
    base = tmp_path_factory.mktemp("pristine")
    (base / "prog.py").write_text(PROGRAM)
    cache = base / "cache"
    for which in ("work", "other"):
        out = _run(str(base), cache, which)
        assert out["cache"] == "miss" and out["status"] == "compiled" and not out["warnings"], out
        assert out["value"] == out["expected"]
    return str(base), str(cache)


def _copy(pristine):
    base, cache = pristine
    work = tempfile.mkdtemp(prefix="example-", dir=base)
    shutil.copy(os.path.join(base, "prog.py"), os.path.join(work, "prog.py"))
    shutil.copytree(cache, os.path.join(work, "cache"))  # (modes kept: 0700 directory, 0600 key)
    return work, os.path.join(work, "cache")


def _read(path):
    with open(path, "rb") as fh:
        return fh.read()


def _write(path, data):
    # in place, as an editor or a stray process would (the inode, owner and mode stay)
    with open(path, "r+b") as fh:
        fh.truncate(0)
        fh.write(data)


def _split_signed(data):
    """(hmac, body) of a metadata file."""
    start = len(SIGNED_PREFIX) + 64 + len(SIGNED_MIDDLE)
    assert data.startswith(SIGNED_PREFIX) and data[len(SIGNED_PREFIX) + 64:start] == SIGNED_MIDDLE
    return data[len(SIGNED_PREFIX):len(SIGNED_PREFIX) + 64], data[start:-1]


# ---- damage (each a tuple the damage() function below applies) ----

which_file = st.sampled_from(["o", "json"])
flips = st.lists(st.tuples(st.floats(min_value=0, max_value=1, exclude_max=True), st.integers(1, 255)),
                 min_size=1, max_size=8)
META_KEYS = ["created", "entry", "format", "function", "key", "object_sha256", "object_size", "report", "signature",
             "an_extra_key"]
json_values = st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**63 - 1), st.text(max_size=12),
                        st.lists(st.integers(0, 20), max_size=3))

DAMAGE = st.one_of(
    st.tuples(st.just("flip"), which_file, flips),
    st.tuples(st.just("truncate"), which_file, st.floats(min_value=0, max_value=1)),
    st.tuples(st.just("append"), which_file, st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("swap")),
    st.tuples(st.just("other entry"), st.sampled_from(["o", "json", "both"])),
    st.tuples(st.just("hmac"), st.one_of(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
                                         st.text(max_size=70))),
    st.tuples(st.just("meta"), st.sampled_from(META_KEYS), st.one_of(st.just("delete"), json_values)),
)


def damage(cache, how):
    obj, meta = _entry_files(cache, "work")
    files = {"o": obj, "json": meta}
    kind = how[0]
    if kind == "flip":
        path = files[how[1]]
        data = bytearray(_read(path))
        for where, mask in how[2]:
            if data:
                data[int(where * len(data))] ^= mask
        _write(path, bytes(data))
    elif kind == "truncate":
        path = files[how[1]]
        data = _read(path)
        _write(path, data[:int(how[2] * len(data))])
    elif kind == "append":
        path = files[how[1]]
        _write(path, _read(path) + how[2])
    elif kind == "swap":
        o, j = _read(obj), _read(meta)
        _write(obj, j)
        _write(meta, o)
    elif kind == "other entry":
        other_obj, other_meta = _entry_files(cache, "other")
        if how[1] in ("o", "both"):
            _write(obj, _read(other_obj))
        if how[1] in ("json", "both"):
            _write(meta, _read(other_meta))
    elif kind == "hmac":
        data = _read(meta)
        _, body = _split_signed(data)
        _write(meta, SIGNED_PREFIX + how[1].encode("utf-8", "surrogatepass") + SIGNED_MIDDLE + body + b"}")
    elif kind == "meta":
        # a valid document with one metadata key rewritten, not signed again
        doc = json.loads(_read(meta))
        if how[2] == "delete":
            doc["meta"].pop(how[1], None)
        else:
            doc["meta"][how[1]] = how[2]
        _write(meta, json.dumps(doc, separators=(",", ":")).encode())
    else:
        raise AssertionError(how)


def _check_after_damage(work, cache, unchanged, out):
    cache_warnings = [w for w in out["warnings"] if w[0] == "CacheWarning"]
    assert out["status"] == "compiled", out  # never an internal error: the function still compiles
    assert out["value"] == out["expected"], out
    assert not [w for w in out["warnings"] if w[0] != "CacheWarning" and "pyvorin" in w[1]], out["warnings"]
    if unchanged:
        assert out["cache"] == "disk hit" and not cache_warnings, out
    else:
        assert out["cache"] == "miss", out
        assert len(cache_warnings) == 1, out["warnings"]
        assert "ignored and will be rebuilt" in cache_warnings[0][1], cache_warnings
    third = _run(work, cache)
    assert third["cache"] == "disk hit" and not third["warnings"], third
    assert third["value"] == third["expected"]


def _snapshot(cache):
    obj, meta = _entry_files(cache, "work")
    return _read(obj), _read(meta)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(how=DAMAGE)
@example(how=("truncate", "o", 1.0))         # no change at all: a hit
@example(how=("flip", "json", [(0.5, 1)]))
@example(how=("swap",))
@example(how=("other entry", "both"))         # another valid, signed entry under this entry's name
@example(how=("hmac", "0" * 64))
@example(how=("meta", "object_size", "12"))
def test_a_damaged_entry_is_never_loaded_and_is_rebuilt(pristine, how):
    work, cache = _copy(pristine)
    try:
        before = _snapshot(cache)
        obj, meta = _entry_files(cache, "work")
        damage(cache, how)
        unchanged = (_read(obj), _read(meta)) == before  # (damage never removes a file)
        _check_after_damage(work, cache, unchanged, _run(work, cache))
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---- authenticated but malformed metadata ----
#
# Entries are signed with the user's key, so only Pyvorin itself writes an entry that passes the
# check; yet a bug, or an older writer of the same format, can sign metadata of another shape. Such
# an entry must be treated like any other bad one: a miss with one warning, never an internal
# error, an exception in the caller, or a crash.

RESIGN_PATHS = ["format", "key", "object_size", "object_sha256", "entry", "entry.symbol", "entry.args", "entry.ret",
                "entry.release_gil", "entry.pure", "entry.long_running", "entry.numpy_scalars", "entry.frame_bytes",
                "report", "report.signatures", "report.name"]
wrong_types = st.one_of(st.just("delete"), st.just("x"), st.just(7.5), st.just({"a": 1}))


def resign(cache, path, value):
    obj, meta = _entry_files(cache, "work")
    with open(os.path.join(cache, "secret.key"), "rb") as fh:
        secret = fh.read()
    _, body = _split_signed(_read(meta))
    doc = json.loads(body)
    *parents, last = path.split(".")
    node = doc
    for p in parents:
        node = node[p]
    if value == "delete":
        node.pop(last, None)
    else:
        node[last] = value
    body = json.dumps(doc, separators=(",", ":")).encode()
    sig = hmac.new(secret, body, hashlib.sha256).hexdigest().encode()
    _write(meta, SIGNED_PREFIX + sig + SIGNED_MIDDLE + body + b"}")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(RESIGN_PATHS), value=wrong_types)
# found by this test: DiskCache::load's meta.value("format"/"object_size") throws nlohmann's
# type_error out of compile() (an internal error: the function falls back to CPython, in every
# process, and the entry is never removed)
@example(path="format", value="x")
@example(path="object_size", value="x")
# found by this test: a report without "signatures" is served, and pyvorin._compile's
# report["signatures"] raises KeyError in the caller of the jitted function
@example(path="report.signatures", value="delete")
# found by this test: load_cached's get<int>() takes 7.5 as 7 (TypeTag::Dict) for the result type,
# and the call returns a wrong value: the entry's calling facts are not checked against the request
@example(path="entry.ret", value=7.5)
def test_an_authenticated_but_malformed_entry_is_rebuilt(pristine, path, value):
    work, cache = _copy(pristine)
    try:
        resign(cache, path, value)
        out = _run(work, cache)
        assert out["status"] == "compiled", out
        assert out["value"] == out["expected"], out
        cache_warnings = [w for w in out["warnings"] if w[0] == "CacheWarning"]
        if out["cache"] == "disk hit":  # a change nothing reads (the report's name, say)
            assert not cache_warnings, out
        else:
            assert out["cache"] == "miss" and len(cache_warnings) == 1, out
        third = _run(work, cache)
        assert third["cache"] == "disk hit" and not third["warnings"], third
        assert third["value"] == third["expected"] and third["status"] == "compiled"
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---- sources that differ only in blanks ----
#
# The key normalises the source (line endings, trailing blanks): blanks at the end of a line
# inside a triple-quoted string are part of the string, so such sources must not share an entry.

BLANKS_PROGRAM = '''
import json
import pyvorin

@pyvorin.jit
def measure(n):
    s = """ab{blanks}
cd"""
    return len(s) * 1000 + n

print(json.dumps({{"value": measure(7), "expected": measure.py_func(7), "cache": measure.report.get("cache"),
                  "status": measure.report.get("status"), "fallback": None, "warnings": []}}))
'''


@pytest.fixture(scope="module")
def blanks_pristine(tmp_path_factory):
    """A cache directory holding the entry of BLANKS_PROGRAM without blanks."""
    base = tmp_path_factory.mktemp("blanks")
    (base / "prog.py").write_text(BLANKS_PROGRAM.format(blanks=""))
    out = _run(str(base), base / "cache")
    assert out["cache"] == "miss" and out["value"] == out["expected"], out
    return str(base), str(base / "cache")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blanks=st.text(alphabet=" \t", min_size=1, max_size=4))
# found by this test: normalised_source strips the blanks, the key is the same, and the process
# gets the object compiled for "ab\ncd" (a disk hit computing len 5 where CPython says 8)
@example(blanks="   ")
def test_blanks_inside_a_string_literal_are_in_the_key(blanks_pristine, blanks):
    work, cache = _copy(blanks_pristine)
    try:
        with open(os.path.join(work, "prog.py"), "w") as fh:
            fh.write(BLANKS_PROGRAM.format(blanks=blanks))
        out = _run(work, cache)
        assert out["value"] == out["expected"], out
    finally:
        shutil.rmtree(work, ignore_errors=True)
