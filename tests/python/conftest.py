"""Shared pytest setup: makes the build tree's package importable when run outside ctest."""
import os
import sys

# ctest gives each suite its own disk cache (build/test-cache/<suite>), which outlives the run: a
# second run of an unchanged build would hit entries the first one stored, and reports that say
# "disk hit" where a test expects a compile. Each run starts from an empty cache.
_cache = os.environ.get("PYVORIN_CACHE_DIR", "")
if _cache and os.path.basename(os.path.dirname(os.path.abspath(_cache))) == "test-cache":
    import shutil
    shutil.rmtree(_cache, ignore_errors=True)

BUILD_DIR = os.environ.get("PYVORIN_BUILD_DIR") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build")
_pkg = os.path.join(os.path.abspath(BUILD_DIR), "python")
if _pkg not in sys.path:
    sys.path.insert(0, _pkg)
