"""``python3 -m pyvorin cache list|info|clear``: the disk compile cache (pyvorin/cache.py)."""
import sys


def _main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python3 -m pyvorin cache {list,info,clear} [--dir DIR]")
        return 0 if argv else 2
    if argv[0] != "cache":
        print(f"python3 -m pyvorin: unknown command {argv[0]!r}; the command is: cache", file=sys.stderr)
        return 2
    from .cache import main
    return main(argv[1:])


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
