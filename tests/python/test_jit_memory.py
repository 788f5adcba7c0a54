"""JIT memory: compiled code is freed when nothing can call it any more (its dispatcher is gone,
or it was replaced on redefinition or invalidation), the in-process cache is bounded, and a long
session of compiles keeps memory and executable mappings flat.

PYVORIN_MEMORY_COMPILES sets how many compiles the long test makes (default 50,000)."""
import gc
import linecache
import os

import pyvorin

live = pyvorin._pyvorin.jit_live_objects


def mappings():
    with open("/proc/self/maps") as f:
        return sum(1 for _ in f)


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


_counter = [0]


def make_function(body, params="a, b"):
    """A fresh function whose source linecache can show (as a notebook cell's would be)."""
    _counter[0] += 1
    name = f"generated_{_counter[0]}"
    filename = f"<pyvorin-memory-{_counter[0]}>"
    source = f"def {name}({params}):\n" + "".join(f"    {line}\n" for line in body)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {}
    exec(compile(source, filename, "exec"), namespace)
    return namespace[name], filename


def test_code_is_freed_with_its_dispatcher():
    gc.collect()
    before = live()
    f, filename = make_function(["return a * 3 + b"])
    d = pyvorin.jit(f, cache=False)
    assert d(2, 1) == 7 and d(2.0, 1) == 7.0
    assert live() == before + 2
    del d, f
    gc.collect()
    assert live() == before
    linecache.cache.pop(filename)


def test_replaced_and_invalidated_code_is_freed():
    gc.collect()
    before = live()
    helper, fa = make_function(["return a + b"])
    helper = pyvorin.jit(helper, cache=False)
    user, fb = make_function(["return helper(a, b) * 2"])
    user.__globals__["helper"] = helper
    user = pyvorin.jit(user, cache=False)
    assert user(1, 2) == 6
    assert live() == before + 1  # the unit of user (helper's code is inside it)
    for k in range(5):
        other, fc = make_function([f"return a - b + {k}"])
        user.py_func.__globals__["helper"] = pyvorin.jit(other, cache=False)
        assert user(1, 2) == 2 * (k - 1)  # recompiled against the new helper
        assert live() == before + 1  # the code of the previous helper's unit was freed
        linecache.cache.pop(fc)
    del user, helper
    gc.collect()
    assert live() == before
    linecache.cache.pop(fa), linecache.cache.pop(fb)


def test_redefining_a_function_frees_the_old_code_and_the_cache_is_bounded():
    gc.collect()
    before = live()
    for k in range(3 * pyvorin._CACHE_LIMIT):
        f, filename = make_function([f"return a * {k} + b"])
        d = pyvorin.jit(f)  # cached: the cache keeps at most _CACHE_LIMIT entries
        assert d(1, 1) == k + 1
        linecache.cache.pop(filename)
    del d, f
    gc.collect()
    assert len(pyvorin._cache) <= pyvorin._CACHE_LIMIT
    assert live() - before <= pyvorin._CACHE_LIMIT
    # The same function decorated again (a re-run cell) is a hit: the code is reused.
    f, filename = make_function(["return a * 1000 + b"])
    first, second = pyvorin.jit(f), pyvorin.jit(f)
    assert first(1, 2) == 1002
    loaded = live()
    assert second(1, 2) == 1002
    assert live() == loaded
    # (the first may come from the disk cache, which a previous run of this suite filled)
    assert first.report["cache"] in ("miss", "disk hit") and second.report["cache"] == "hit"
    linecache.cache.pop(filename)


def test_many_compiles_keep_memory_and_mappings_flat():
    total = int(os.environ.get("PYVORIN_MEMORY_COMPILES", "50000"))
    warm = max(total // 10, 100)
    gc.collect()
    base_live = live()
    samples = {}
    for i in range(total):
        f, filename = make_function([f"return a * {i} + b"])
        d = pyvorin.jit(f, cache=False, opt_level=0)
        assert d(2, 3) == 2 * i + 3
        assert d.compiled
        del d, f
        linecache.cache.pop(filename)
        if i + 1 in (warm, total):
            gc.collect()
            samples[i + 1] = (mappings(), rss_kib(), live())
    maps_warm, rss_warm, live_warm = samples[warm]
    maps_end, rss_end, live_end = samples[total]
    assert live_warm == live_end == base_live
    if "libasan" in os.environ.get("LD_PRELOAD", ""):
        # ASan's allocator maps as it goes and keeps freed blocks in its quarantine (each compile
        # frees its JITDylib, module and report), so its RSS grows with churn, not with leaks:
        # the leak check is the live objects above and LeakSanitizer at exit.
        return
    assert maps_end - maps_warm <= 8, samples
    # Flat: well under 200 bytes per compile after the warm-up (a leak of the code alone would
    # be two pages per compile).
    assert (rss_end - rss_warm) * 1024 <= 200 * (total - warm) + 4 * 1024 * 1024, samples


def test_live_objects_share_a_few_mappings():
    # Small objects are packed into shared arenas: 500 live compiled functions add a handful of
    # mappings, not two each.
    gc.collect()
    before_maps, before_live = mappings(), live()
    kept, names = [], []
    for i in range(500):
        f, filename = make_function([f"return a * {i} - b"])
        d = pyvorin.jit(f, cache=False)
        assert d(3, 1) == 3 * i - 1
        kept.append(d)
        names.append(filename)
    assert live() == before_live + 500
    assert mappings() - before_maps <= 16
    # Code freed and allocated again in the same arenas still runs correctly.
    del kept[::2]
    gc.collect()
    for i in range(250):
        f, filename = make_function([f"return a + {i} * b"])
        d = pyvorin.jit(f, cache=False)
        assert d(1, 2) == 1 + 2 * i
        names.append(filename)
    for k, d in enumerate(kept):
        i = 2 * k + 1
        assert d(3, 1) == 3 * i - 1
    for n in names:
        linecache.cache.pop(n)
