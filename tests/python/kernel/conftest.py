"""Shared fixtures for the kernel tests: the build tree's kernelspec and package, and one running
xpyvorin (or ipykernel) per test module, driven through jupyter_client."""
import os
import sys

import pytest

# ctest gives each suite its own disk cache (build/test-cache/<suite>), which outlives the run: a
# second run of an unchanged build would hit entries the first one stored, and reports that say
# "disk hit" where a test expects a compile. Each run starts from an empty cache.
_cache = os.environ.get("PYVORIN_CACHE_DIR", "")
if _cache and os.path.basename(os.path.dirname(os.path.abspath(_cache))) == "test-cache":
    import shutil
    shutil.rmtree(_cache, ignore_errors=True)

BUILD_DIR = os.path.abspath(os.environ.get("PYVORIN_BUILD_DIR")
                            or os.path.join(os.path.dirname(__file__), "..", "..", "..", "build"))
os.environ.setdefault("PYVORIN_BUILD_DIR", BUILD_DIR)
os.environ.setdefault("JUPYTER_PATH", os.path.join(BUILD_DIR, "share", "jupyter"))
_package_parent = os.path.join(BUILD_DIR, "python")
if _package_parent not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (_package_parent, os.environ.get("PYTHONPATH")) if p)
if _package_parent not in sys.path:
    sys.path.insert(0, _package_parent)

sys.path.insert(0, os.path.dirname(__file__))
from kernel_util import KernelSession  # noqa: E402


@pytest.fixture(scope="module")
def kernel():
    """One xpyvorin kernel for the whole test module."""
    session = KernelSession("xpyvorin")
    yield session
    session.shutdown()


@pytest.fixture(scope="module")
def ipykernel():
    """One stock ipykernel (python3) for the whole test module."""
    session = KernelSession("python3")
    yield session
    session.shutdown()
