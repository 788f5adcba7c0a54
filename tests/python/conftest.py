"""Shared pytest setup: makes the build tree's package importable when run outside ctest."""
import os
import sys

BUILD_DIR = os.environ.get("PYVORIN_BUILD_DIR") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build")
_pkg = os.path.join(os.path.abspath(BUILD_DIR), "python")
if _pkg not in sys.path:
    sys.path.insert(0, _pkg)
