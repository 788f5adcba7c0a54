"""The persistent compile cache (docs/cache.md).

Compiled objects are kept on disk, in ``~/.pyvorin_cache/disk_compile/`` (``PYVORIN_CACHE_DIR``
overrides it), keyed by a SHA-256 of the function's source and its compiled callees' sources, the
values of the globals compiled in, the argument types, the options, and the versions of Pyvorin,
LLVM, Python and NumPy, the target and the CPU. A later process (a restarted kernel) loads the
object instead of compiling, and gets the full report back with it.

    python3 -m pyvorin cache list|info|clear [--dir DIR]
    %pyvorin_cache list|info|clear|on|off|limit SIZE|dir PATH      (IPython / xpyvorin)
"""
import os
import sys
import time

from . import _pyvorin

__all__ = ["CacheWarning", "enabled", "enable", "disable", "info", "entries", "clear", "configure", "main"]


class CacheWarning(UserWarning):
    """A disk cache entry was damaged or foreign (ignored, rebuilt), or the cache cannot be used."""


_enabled = os.environ.get("PYVORIN_DISK_CACHE", "1").strip().lower() not in ("0", "off", "no", "false")


def enabled():
    """Whether compiles use the disk cache (``PYVORIN_DISK_CACHE=0`` turns it off at start)."""
    return _enabled


def enable():
    global _enabled
    _enabled = True


def disable():
    """Compiles neither read nor write the disk cache (the in-process cache still works)."""
    global _enabled
    _enabled = False


def configure(dir=None, limit=None):
    """Use another directory and/or size limit (bytes, or a text such as ``"256M"``). Returns
    ``(dir, limit)``."""
    if dir is not None:
        dir = os.path.abspath(os.path.expanduser(os.fspath(dir)))
    if isinstance(limit, str):
        parsed = _pyvorin.parse_size(limit)
        if parsed is None or parsed == 0:
            raise ValueError(f"pyvorin cache: the size limit must be a number of bytes or like 512M or 1G, not {limit!r}")
        limit = parsed
    elif limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
            raise ValueError(f"pyvorin cache: the size limit must be a positive number of bytes, not {limit!r}")
    return _pyvorin.cache_configure(dir, limit)


def info():
    """``{"dir", "limit", "entries", "bytes", "platform", "cpu", "pyvorin", "build", "llvm", "enabled"}``"""
    out = dict(_pyvorin.cache_info())
    out["enabled"] = _enabled
    return out


def entries():
    """Every entry: ``{"key", "stem", "function", "signature", "bytes", "last_used", "created",
    "valid", "problem"}``, valid meaning its metadata's signature and object size check out."""
    return list(_pyvorin.cache_list())


def clear():
    """Removes every entry; returns how many there were."""
    return _pyvorin.cache_clear()


def _size(n):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


def format_info(i=None):
    i = i or info()
    return (f"directory: {i['dir']}\n"
            f"entries:   {i['entries']} ({_size(i['bytes'])} of {_size(i['limit'])}, least recently used evicted beyond)\n"
            f"target:    {i['platform']}, cpu {i['cpu']}\n"
            f"compiler:  pyvorin {i['pyvorin']} (build {i['build'][:12]}), LLVM {i['llvm']}\n"
            f"enabled:   {'yes' if i['enabled'] else 'no'}")


def format_entries(rows=None):
    rows = entries() if rows is None else rows
    if not rows:
        return "the disk cache is empty"
    out = []
    for r in sorted(rows, key=lambda r: -r.get("last_used", 0)):
        sig = ", ".join(r.get("signature") or [])
        used = time.strftime("%Y-%m-%d %H:%M", time.localtime(r.get("last_used", 0)))
        state = "ok" if r.get("valid") else f"INVALID: {r.get('problem')}"
        out.append(f"{r['key'][:16]}  {r.get('function', '?')}({sig})  {_size(r.get('bytes', 0))}  used {used}  {state}")
    return "\n".join(out)


def main(argv=None):
    """``python3 -m pyvorin cache list|info|clear [--dir DIR]``; returns the exit status."""
    import argparse
    parser = argparse.ArgumentParser(prog="python3 -m pyvorin cache",
                                     description="Pyvorin's disk compile cache.")
    parser.add_argument("command", choices=["list", "info", "clear"])
    parser.add_argument("--dir", help="the cache directory (default: $PYVORIN_CACHE_DIR or ~/.pyvorin_cache/disk_compile)")
    args = parser.parse_args(argv)
    if args.dir:
        configure(dir=args.dir)
    if args.command == "info":
        print(format_info())
    elif args.command == "list":
        print(format_entries())
    else:
        n = clear()
        print(f"removed {n} {'entry' if n == 1 else 'entries'} from {info()['dir']}")
    return 0
