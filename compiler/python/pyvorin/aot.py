"""Ahead-of-time export (docs/export.md): compiled functions as a shared library with a C header,
or as a WebAssembly module, for programs that run without Python.

    lib = pyvorin.export([area, norm], "geometry", output_dir="build",
                         signatures={"area": (float, float), "norm": (float, float, float)})
    lib == {"object": "build/geometry.o", "library": "build/libgeometry.so", "header": "build/geometry.h"}
"""
import inspect
import os
import re
import types

from . import _pyvorin
from .ir_text import is_cell_file

__all__ = ["export", "ExportError"]

_TYPE_TAGS = {int: 2, float: 3, bool: 1, "int": 2, "float": 3, "bool": 1}
_PACKAGE = os.path.dirname(os.path.abspath(__file__))


class ExportError(Exception):
    """A function cannot be exported: ``refused`` holds one diagnostic per function (function,
    reason, line, suggestion), as ``Dispatcher.fallback`` does."""

    def __init__(self, refused):
        self.refused = [dict(r) for r in refused]
        super().__init__("cannot export:\n" + "\n".join(r.get("text") or r.get("reason", "") for r in self.refused))


def _dispatcher(f):
    from . import Dispatcher, jit
    if isinstance(f, Dispatcher):
        return f
    if isinstance(f, types.FunctionType):
        return jit(f)
    raise TypeError(f"pyvorin.export: expected a function or a pyvorin.jit function, got {type(f).__name__}")


def _tags(d, given):
    """The argument type tags to export ``d`` with: given, else its one compiled signature, else
    its annotations."""
    name = d.py_func.__name__
    params = list(inspect.signature(d.py_func).parameters)
    if given is not None:
        if isinstance(given, str):
            given = [t.strip() for t in given.split(",") if t.strip()]
        given = list(given)
        if len(given) != len(params):
            raise TypeError(f"pyvorin.export: {name}() takes {len(params)} argument(s), but its signature gives "
                            f"{len(given)} type(s)")
        tags = []
        for p, t in zip(params, given):
            tag = _TYPE_TAGS.get(t)
            if tag is None:
                shown = t if isinstance(t, str) else getattr(t, "__name__", repr(t))
                raise TypeError(f"pyvorin.export: parameter '{p}' of {name}() has type {shown}: exported functions take "
                                f"int, float or bool (C's int64_t, double, bool)")
            tags.append(tag)
        return tags
    sigs = d.report.get("signatures") or [] if d.report.get("status") == "compiled" else []
    if len(sigs) == 1:
        try:
            return [_TYPE_TAGS[a] for a in sigs[0]["args"]]
        except KeyError:
            pass  # refused below, with the reason, by the compiler
    annotations = d.py_func.__annotations__
    if params and all(annotations.get(p) in _TYPE_TAGS for p in params):
        return [_TYPE_TAGS[annotations[p]] for p in params]
    if not params:
        return []
    why = (f"it was compiled for {len(sigs)} signatures" if len(sigs) > 1 else
           "it has no int/float/bool annotations and was not compiled for one signature")
    raise TypeError(f"pyvorin.export: give the argument types of {name}() ({why}): "
                    f"signatures={{'{name}': ({', '.join('int' for _ in params)})}}")


def _export(functions, name, output_dir, signatures, opt_level, target):
    from . import _build_request, _StaleSource
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"pyvorin.export: the name must be a C identifier (letters, digits, _), not {name!r}")
    if isinstance(opt_level, bool) or opt_level not in (0, 1, 2, 3):
        raise ValueError(f"pyvorin.export: opt_level must be 0, 1, 2 or 3, not {opt_level!r}")
    if callable(functions) and not isinstance(functions, (list, tuple)):
        functions = [functions]
    functions = list(functions)
    if not functions:
        raise ValueError("pyvorin.export: no functions to export")
    if signatures is None:
        signatures = {}
    elif not isinstance(signatures, dict):
        if len(functions) != 1:
            raise TypeError("pyvorin.export: with several functions, signatures is a dict {name: (types...)}")
        signatures = {getattr(functions[0], "__name__", ""): signatures}
    output_dir = os.path.abspath(os.fspath(output_dir))
    os.makedirs(output_dir, exist_ok=True)
    items = []
    for f in functions:
        d = _dispatcher(f)
        fname = d.py_func.__name__
        tags = _tags(d, signatures.get(fname))
        try:
            request = _build_request(d, tuple(tags), plain_callees=True)
        except _StaleSource as stale:
            raise ExportError([{"function": fname, "reason": f"the source of '{stale.func.__name__}' changed after it was "
                                "loaded", "line": d.py_func.__code__.co_firstlineno, "text":
                                f"{fname}: the source of '{stale.func.__name__}' changed after it was loaded; reload it"}])
        request["options"]["opt_level"] = opt_level
        for source in request["functions"]:
            # A notebook cell's temporary file names the kernel's process: the library says
            # "<cell>" (its lines are the cell's), and is the same from one kernel to the next.
            if is_cell_file(source.get("filename", "")):
                source["filename"] = "<cell>"
        items.append({"request": request, "params": list(inspect.signature(d.py_func).parameters)})
    wasm = target == "wasm32"
    archive = os.path.join(_PACKAGE, "libpyvorin_export_wasm.a" if wasm else "libpyvorin_export.a")
    library = f"{name}.wasm" if wasm else f"lib{name}.so"
    out = _pyvorin.export_unit(items, name, output_dir, target, opt_level, archive, library)
    if out["refused"]:
        raise ExportError(out["refused"])
    return out


def export(functions, name, output_dir=".", signatures=None, opt_level=2):
    """Compile ``functions`` (functions or ``pyvorin.jit`` functions) into a shared library that
    runs without Python, with a C header.

    Writes ``<output_dir>/<name>.o``, ``<output_dir>/lib<name>.so`` and ``<output_dir>/<name>.h`` and
    returns ``{"object", "library", "header"}`` (paths). Each function becomes
    ``int32_t <name>_<function>(args..., <ret> *result)``, returning 0 or an error status (see the
    header and docs/export.md), and ``<name>_last_error()`` describes the last failure.

    ``signatures``: ``{function name: (int, float, ...)}`` (or one tuple with one function); by
    default a function's annotations, or the one signature it was compiled for. Functions that
    use Python objects are refused: ``ExportError`` names each with the reason and line.
    """
    out = _export(functions, name, output_dir, signatures, opt_level, "host")
    return {"object": out["object"], "library": out["library"], "header": out["header"]}
