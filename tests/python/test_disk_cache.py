"""The persistent compile cache (docs/cache.md): hits in a fresh process with the full report, the
key (sources, callees in other files, global values, argument types, options), the entry's
checks (a flipped byte, a truncated file, another valid object, a planted entry, a bad key
file), racing writers, least-recently-used eviction, and `python3 -m pyvorin cache`.

Every test runs its Python in child processes, each a fresh interpreter with its own cache
directory, as a restarted kernel or a new script would."""
import json
import os
import stat
import subprocess
import sys
import textwrap

import pytest

PYTHON = "/usr/bin/python3"
BUILD = os.environ.get("PYVORIN_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
PYPATH = os.path.join(BUILD, "python")

PROGRAM = '''
import json, sys, warnings
warnings.simplefilter("always")
import pyvorin
caught = []
warnings.showwarning = lambda m, c, *a, **k: caught.append((c.__name__, str(m)))

@pyvorin.jit
def work(n):
    s = 0
    for i in range(n):
        s += i * i % 7
    if n < 0:
        raise ValueError("negative n")
    return s

out = {"value": work(1000)}
r = work.report
out["cache"] = r["cache"]
out["fields"] = {k: bool(r.get(k)) for k in ("ast", "types", "ir", "opt_ir", "asm", "line_map", "passes", "signatures")}
out["timings"] = r["timings_ms"]
try:
    work(-1)
except ValueError as e:
    import traceback
    tb = traceback.extract_tb(e.__traceback__)
    out["error"] = [str(e), tb[-1].lineno, tb[-1].filename.endswith("prog.py")]
out["stats"] = dict(work.stats)
out["warnings"] = caught
print(json.dumps(out))
'''


def run(tmp_path, program=PROGRAM, name="prog.py", env=None, cache=None, check=True):
    path = tmp_path / name
    path.write_text(textwrap.dedent(program))
    e = dict(os.environ, PYTHONPATH=PYPATH, PYVORIN_CACHE_DIR=str(cache or tmp_path / "cache"))
    e.update(env or {})
    p = subprocess.run([PYTHON, str(path)], capture_output=True, text=True, env=e, cwd=str(tmp_path), timeout=120)
    if check:
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout.strip().splitlines()[-1])
    return p


def entries(cache):
    return sorted(f for f in os.listdir(cache) if f.endswith((".o", ".json")))


def test_fresh_process_hits_with_the_full_report(tmp_path):
    first = run(tmp_path)
    assert first["cache"] == "miss" and first["value"] == sum(i * i % 7 for i in range(1000))
    cache = tmp_path / "cache"
    files = entries(cache)
    assert len(files) == 2
    stem = files[0][:-len(".json")]
    key, platform, cpu = stem.split("_", 2)[0], stem.split("_")[1] + "_" + stem.split("_")[2], stem.split("_", 3)[-1]
    assert len(key) == 64 and all(c in "0123456789abcdef" for c in key)
    assert platform.startswith("linux-x86") and cpu
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(cache / "secret.key").st_mode) == 0o600
    second = run(tmp_path)
    assert second["cache"] == "disk hit"
    assert second["value"] == first["value"]
    assert all(second["fields"].values()), second["fields"]
    assert set(second["timings"]) >= {"cache", "load", "total"}
    # errors keep CPython's type, message and line, and the file is this process's
    assert second["error"] == first["error"] == ["negative n", 14, True]
    assert second["stats"]["native_calls"] >= 1 and not second["warnings"]


def test_the_same_source_in_another_file_name_hits(tmp_path):
    """A notebook cell's file is a temporary path that names the kernel's process: not in the key."""
    first = run(tmp_path, name="prog.py")
    assert first["cache"] == "miss"
    other = tmp_path / "elsewhere"
    other.mkdir()
    again = run(other, cache=tmp_path / "cache", name="prog.py")
    assert again["cache"] == "disk hit" and again["value"] == first["value"]


@pytest.mark.parametrize("change", [
    ("s += i * i % 7", "s += i * i % 5"),       # the source
    ("work(1000)", "work(1000.0)"),              # the argument types
    ("@pyvorin.jit", "@pyvorin.jit(opt_level=1)"),  # the options
    ("@pyvorin.jit", "@pyvorin.jit(fast=True)"),
])
def test_what_the_key_covers(tmp_path, change):
    run(tmp_path)
    changed = run(tmp_path, program=PROGRAM.replace(*change).replace("range(n)", "range(int(n))") if "1000.0" in change[1]
                  else PROGRAM.replace(*change))
    assert changed["cache"] == "miss"
    assert len(entries(tmp_path / "cache")) >= 4  # the first entry stays beside the new ones


GLOBAL_PROGRAM = '''
import json, sys
import pyvorin
SCALE = {scale}
from helpers import helper

@pyvorin.jit
def work(n):
    return helper(n) * SCALE

print(json.dumps({{"value": work(5), "cache": work.report["cache"]}}))
'''


def test_callee_in_another_file_and_global_values(tmp_path):
    """Numba's cache misses an edited callee in another file (numba#6845): ours keys on it."""
    (tmp_path / "helpers.py").write_text("import pyvorin\n@pyvorin.jit\ndef helper(n):\n    return n + 1\n")
    assert run(tmp_path, GLOBAL_PROGRAM.format(scale=2)) == {"value": 12, "cache": "miss"}
    assert run(tmp_path, GLOBAL_PROGRAM.format(scale=2)) == {"value": 12, "cache": "disk hit"}
    # a global's value compiled in
    assert run(tmp_path, GLOBAL_PROGRAM.format(scale=3)) == {"value": 18, "cache": "miss"}
    # the callee's file edited
    (tmp_path / "helpers.py").write_text("import pyvorin\n@pyvorin.jit\ndef helper(n):\n    return n + 10\n")
    assert run(tmp_path, GLOBAL_PROGRAM.format(scale=3)) == {"value": 45, "cache": "miss"}
    assert run(tmp_path, GLOBAL_PROGRAM.format(scale=3)) == {"value": 45, "cache": "disk hit"}


def _damage(tmp_path, how):
    cache = tmp_path / "cache"
    obj = next(cache / f for f in entries(cache) if f.endswith(".o"))
    meta = obj.with_suffix(".json")
    if how == "flip object byte":
        data = bytearray(obj.read_bytes())
        data[len(data) // 2] ^= 0x40
        obj.write_bytes(bytes(data))
    elif how == "truncate object":
        obj.write_bytes(obj.read_bytes()[:100])
    elif how == "empty object":
        obj.write_bytes(b"")
    elif how == "remove object":
        obj.unlink()
    elif how == "flip metadata byte":
        data = bytearray(meta.read_bytes())
        i = data.index(b'"value"') if b'"value"' in data else len(data) // 2
        data[i + 2] ^= 0x01
        meta.write_bytes(bytes(data))
    elif how == "truncate metadata":
        meta.write_bytes(meta.read_bytes()[:200])
    elif how == "metadata not json":
        meta.write_text("not json at all")
    elif how == "edit report":
        # a valid JSON document whose report says something else: the signature catches it
        text = meta.read_text()
        edited = text.replace('"pure":true', '"pure":false', 1) if '"pure":true' in text else text.replace('"pure":false', '"pure":true', 1)
        assert edited != text
        meta.write_text(edited)
    elif how == "planted":
        # written with another user's (another directory's) key: valid format, wrong signature
        other = tmp_path / "other"
        other.mkdir()
        run(other, cache=other / "cache", program=PROGRAM.replace("i * i % 7", "i * i % 7 + 0"))
        o2 = next(other / "cache" / f for f in entries(other / "cache") if f.endswith(".o"))
        meta.write_bytes(o2.with_suffix(".json").read_bytes())
        obj.write_bytes(o2.read_bytes())
    elif how == "another valid object":
        other = tmp_path / "other"
        other.mkdir()
        run(other, cache=cache, program=PROGRAM.replace("i * i % 7", "i * i % 3"))
        objs = [cache / f for f in entries(cache) if f.endswith(".o")]
        replacement = next(o for o in objs if o != obj)
        obj.write_bytes(replacement.read_bytes())
    return obj, meta


@pytest.mark.parametrize("how", ["flip object byte", "truncate object", "empty object", "remove object",
                                 "flip metadata byte", "truncate metadata", "metadata not json", "edit report",
                                 "planted", "another valid object"])
def test_a_damaged_or_foreign_entry_is_never_loaded(tmp_path, how):
    expected = run(tmp_path)["value"]
    obj, meta = _damage(tmp_path, how)
    again = run(tmp_path)
    assert again["value"] == expected
    assert again["cache"] == "miss", how
    assert len(again["warnings"]) == 1 and again["warnings"][0][0] == "CacheWarning", again["warnings"]
    assert "ignored and will be rebuilt" in again["warnings"][0][1]
    # rebuilt: the next process hits, with no warning
    third = run(tmp_path)
    assert third["cache"] == "disk hit" and not third["warnings"] and third["value"] == expected


def test_a_key_file_others_can_read_is_replaced(tmp_path):
    run(tmp_path)
    secret = tmp_path / "cache" / "secret.key"
    os.chmod(secret, 0o644)
    again = run(tmp_path)
    assert again["cache"] == "miss"
    assert any("key file" in w[1] for w in again["warnings"]), again["warnings"]
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
    assert run(tmp_path)["cache"] == "disk hit"


def test_a_directory_open_to_others_is_made_private(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o777)
    os.chmod(cache, 0o777)
    assert run(tmp_path)["cache"] == "miss"
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700


def test_an_unusable_directory_warns_and_compiles(tmp_path):
    (tmp_path / "cache").write_text("a file where the directory should be")
    out = run(tmp_path)
    assert out["cache"] == "miss" and out["value"] == sum(i * i % 7 for i in range(1000))
    assert any("not a directory" in w[1] or "cannot be created" in w[1] for w in out["warnings"]), out["warnings"]


RACE = '''
import json, os, sys, time
import pyvorin
go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.001)
fns = []
for k in range(6):
    ns = {"pyvorin": pyvorin}
    src = f"def f{k}(n):\\n    s = 0\\n    for i in range(n):\\n        s += i * {k + 1}\\n    return s\\n"
    import linecache
    linecache.cache[f"<race-{k}>"] = (len(src), None, src.splitlines(True), f"<race-{k}>")
    exec(compile(src, f"<race-{k}>", "exec"), ns)
    fns.append(pyvorin.jit(ns[f"f{k}"]))
out = [(f(100), f.report["cache"]) for f in fns]
print(json.dumps(out))
'''


def test_racing_writers_and_readers_never_see_a_torn_entry(tmp_path):
    script = tmp_path / "race.py"
    script.write_text(RACE)
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=PYPATH, PYVORIN_CACHE_DIR=str(tmp_path / "cache"))
    for round_ in range(3):  # the first round races writers, the later ones readers with writers
        if go.exists():
            go.unlink()
        procs = [subprocess.Popen([PYTHON, str(script), str(go)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=env) for _ in range(4)]
        go.write_text("")
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
            assert "CacheWarning" not in err, err
            results = json.loads(out)
            assert [v for v, _ in results] == [sum(i * (k + 1) for i in range(100)) for k in range(6)]
            if round_ > 0:
                assert all(c == "disk hit" for _, c in results), results
    sys.path.insert(0, PYPATH)
    listing = subprocess.run([PYTHON, "-m", "pyvorin", "cache", "list"], capture_output=True, text=True, env=env)
    assert listing.returncode == 0 and "INVALID" not in listing.stdout and listing.stdout.count(" ok") == 6, listing.stdout
    assert not [f for f in os.listdir(tmp_path / "cache") if f.startswith(".tmp.")]


EVICT = '''
import json, linecache, sys
import pyvorin
k = int(sys.argv[1])
src = f"def g{k}(n):\\n    return n * {k + 2} + {k}\\n"
linecache.cache[f"<evict-{k}>"] = (len(src), None, src.splitlines(True), f"<evict-{k}>")
ns = {}
exec(compile(src, f"<evict-{k}>", "exec"), ns)
g = pyvorin.jit(ns[f"g{k}"])
print(json.dumps([g(2), g.report["cache"]]))
'''


def test_least_recently_used_entries_are_evicted_beyond_the_limit(tmp_path):
    script = tmp_path / "evict.py"
    script.write_text(EVICT)
    cache = tmp_path / "cache"

    def go(k, limit):
        env = dict(os.environ, PYTHONPATH=PYPATH, PYVORIN_CACHE_DIR=str(cache), PYVORIN_CACHE_SIZE=limit)
        p = subprocess.run([PYTHON, str(script), str(k)], capture_output=True, text=True, env=env, timeout=120)
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout)

    assert go(0, "512M") == [4, "miss"]
    one = sum(os.path.getsize(cache / f) for f in entries(cache))
    limit = str(int(one * 3.5))  # room for three entries
    for k in (1, 2):
        assert go(k, limit)[1] == "miss"
    assert go(0, limit)[1] == "disk hit"  # entry 0 is now the most recently used
    for k in (3, 4):
        assert go(k, limit)[1] == "miss"
    total = sum(os.path.getsize(cache / f) for f in entries(cache))
    assert total <= int(limit)
    assert go(0, limit)[1] == "disk hit"  # kept: used more recently than 1 and 2
    assert go(1, limit)[1] == "miss"      # evicted


def test_cache_command_line(tmp_path):
    run(tmp_path)
    env = dict(os.environ, PYTHONPATH=PYPATH, PYVORIN_CACHE_DIR=str(tmp_path / "cache"))

    def cli(*args):
        return subprocess.run([PYTHON, "-m", "pyvorin", "cache", *args], capture_output=True, text=True, env=env)

    info = cli("info")
    assert info.returncode == 0 and "entries:   1" in info.stdout and str(tmp_path / "cache") in info.stdout
    listing = cli("list")
    assert listing.returncode == 0 and "work(int)" in listing.stdout and " ok" in listing.stdout
    cleared = cli("clear")
    assert cleared.returncode == 0 and "removed 1 entry" in cleared.stdout
    assert entries(tmp_path / "cache") == []
    assert (tmp_path / "cache" / "secret.key").exists()
    bad = cli("frobnicate")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    assert subprocess.run([PYTHON, "-m", "pyvorin", "nope"], capture_output=True, text=True, env=env).returncode == 2


def test_turned_off(tmp_path):
    out = run(tmp_path, env={"PYVORIN_DISK_CACHE": "0"})
    assert out["cache"] == "miss"
    assert not (tmp_path / "cache").exists() or entries(tmp_path / "cache") == []
    off = run(tmp_path, program=PROGRAM.replace("@pyvorin.jit", "@pyvorin.jit(cache=False)"))
    assert off["cache"] == "off"
    assert not (tmp_path / "cache").exists() or entries(tmp_path / "cache") == []


def test_python_api(tmp_path):
    program = '''
    import json
    import pyvorin, pyvorin.cache as c
    c.configure(limit="64M")
    i = c.info()
    try:
        c.configure(limit="lots")
        bad = None
    except ValueError as e:
        bad = str(e)
    print(json.dumps({"limit": i["limit"], "dir": i["dir"], "enabled": i["enabled"], "bad": bad,
                      "entries": c.entries(), "cleared": c.clear()}))
    '''
    out = run(tmp_path, program=program)
    assert out["limit"] == 64 << 20 and out["dir"] == str(tmp_path / "cache") and out["enabled"]
    assert "must be a number of bytes" in out["bad"]
    assert out["entries"] == [] and out["cleared"] == 0


def test_objects_are_byte_identical_across_processes_and_compile_orders(tmp_path):
    """The same source, options and environment give the same object in any process, whatever was
    compiled before it there (no counters or addresses in the object)."""
    other = PROGRAM.replace("out = {\"value\": work(1000)}", "@pyvorin.jit\ndef before(x):\n    return x * 2.5\n\n"
                            "before(1.0)\nout = {\"value\": work(1000)}")
    assert other != PROGRAM
    run(tmp_path, cache=tmp_path / "a")
    (tmp_path / "second").mkdir()
    run(tmp_path / "second", program=other, cache=tmp_path / "b")
    a = {f: (tmp_path / "a" / f).read_bytes() for f in entries(tmp_path / "a") if f.endswith(".o")}
    b = {f: (tmp_path / "b" / f).read_bytes() for f in entries(tmp_path / "b") if f.endswith(".o")}
    assert len(a) == 1 and len(b) == 2
    [(name, data)] = a.items()
    assert b[name] == data  # same key, same bytes
