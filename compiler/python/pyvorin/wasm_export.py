"""WebAssembly export (docs/export.md): compiled functions as a WebAssembly module for Node.js and
browsers, with a JavaScript loader and a demo page.

    out = pyvorin.wasm(area, "web/geometry.wasm", signatures=(float, float))
    out == {"wasm": "web/geometry.wasm", "js": "web/geometry.js", "html": "web/geometry.html",
            "header": "web/geometry.h", "object": "web/geometry.wasm.o"}

    // Node.js
    const geometry = await require("./web/geometry.js").load();
    geometry.area(2, 3.5)   // 7

The module is wasm32-wasi code that needs no Python: the functions' C entry points
(``<module>_<function>``, see the header) and Pyvorin's runtime (libpyvorin_export_wasm.a,
runtime/wasm/). Functions that use Python objects are refused with ``pyvorin.ExportError``.
"""
import os
import re

from . import _pyvorin
from .aot import ExportError, _PACKAGE, _export
from . import wasm_js

__all__ = ["wasm", "wasm_multi", "ExportError"]

_RUNTIME = "libpyvorin_export_wasm.a"
_JS_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
# Property names the loader's result object keeps for itself, or that JavaScript objects treat
# specially.
_RESERVED_JS = {"instance", "lastError", "__proto__", "constructor", "hasOwnProperty", "toString", "valueOf",
                "then"}


def _module_path(path):
    """(output directory, module name) of ``path``: a .wasm file whose stem is a C identifier."""
    try:
        path = os.fspath(path)
    except TypeError:
        raise TypeError(f"pyvorin.wasm: the output path must be a str or os.PathLike, not {type(path).__name__}") from None
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    directory, base = os.path.split(os.path.abspath(path))
    if not base.endswith(".wasm"):
        raise ValueError(f"pyvorin.wasm: the output path must name a .wasm file (as 'module.wasm'), not {path!r}")
    stem = base[:-len(".wasm")]
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", stem):
        raise ValueError(f"pyvorin.wasm: the module name (the file name without .wasm) becomes the prefix of C "
                         f"symbols and must be an identifier (letters, digits, _), not {stem!r}")
    return directory, stem


def _check_runtime():
    archive = os.path.join(_PACKAGE, _RUNTIME)
    if not os.path.exists(archive):
        raise RuntimeError(
            f"pyvorin.wasm: Pyvorin's WebAssembly runtime {archive} was not built: it needs clang-19, lld-19, "
            f"wasi-libc, libc++-19-dev-wasm32, libc++abi-19-dev-wasm32 and libclang-rt-19-dev-wasm32 when Pyvorin "
            f"is built (scripts/install-deps.sh), then a rebuild")


def _write(path, text):
    """Writes ``text`` to ``path`` atomically (a reader never sees half a file)."""
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)


def _build(functions, path, optimize, generate_html, signatures, js_names):
    if not isinstance(generate_html, bool):
        raise TypeError(f"pyvorin.wasm: generate_html must be True or False, not {generate_html!r}")
    directory, stem = _module_path(path)
    _check_runtime()
    out = _export(functions, stem, directory, signatures, optimize, "wasm32")
    spec_functions = []
    for f in out["functions"]:
        js_name = js_names.get(f["name"], f["name"])
        if js_name in _RESERVED_JS:
            raise ValueError(f"pyvorin.wasm: '{js_name}' cannot name a function in JavaScript here (the loader uses "
                             f"it); pass export_name=... or rename the function")
        spec_functions.append({"name": f["name"], "jsName": js_name, "symbol": f["symbol"], "params": list(f["params"]),
                               "types": list(f["types"]), "ret": f["ret"], "line": f["line"]})
    spec = {"module": stem, "wasm": f"{stem}.wasm", "lastError": f"{stem}_last_error", "functions": spec_functions}
    js_path = os.path.join(directory, f"{stem}.js")
    _write(js_path, wasm_js.loader(spec, _pyvorin.version))
    html_path = None
    if generate_html:
        html_path = os.path.join(directory, f"{stem}.html")
        _write(html_path, wasm_js.page(spec, f"{stem}.js"))
    return {"wasm": out["library"], "js": js_path, "html": html_path, "header": out["header"], "object": out["object"]}


def wasm(func, path, optimize=2, export_name=None, generate_html=True, signatures=None):
    """Compile ``func`` (a function or ``pyvorin.jit`` function) into the WebAssembly module
    ``path`` (``<dir>/<module>.wasm``; the module name must be an identifier).

    Writes ``<module>.wasm``, the loader ``<module>.js`` (Node.js and browsers), the demo page
    ``<module>.html`` (with ``generate_html``; serve the directory over HTTP to open it), the C
    header ``<module>.h`` and the object ``<module>.wasm.o``; returns their paths as
    ``{"wasm", "js", "html", "header", "object"}`` (``html`` None without the page).

    ``optimize``: LLVM's optimisation level, 0 to 3. ``export_name``: the function's name in
    JavaScript (default: its Python name). ``signatures``: its argument types, ``(int, float, ...)``
    (default: its annotations, or the one signature it was compiled for). Raises
    ``pyvorin.ExportError`` (function, reason, line) for a function that uses Python objects.
    """
    if isinstance(func, (list, tuple)):
        raise TypeError("pyvorin.wasm: expected one function; use pyvorin.wasm_multi for several")
    name = getattr(getattr(func, "py_func", func), "__name__", None)
    js_names = {}
    if export_name is not None:
        if not isinstance(export_name, str) or not _JS_IDENTIFIER.fullmatch(export_name):
            raise ValueError(f"pyvorin.wasm: export_name must be a JavaScript identifier, not {export_name!r}")
        js_names[name] = export_name
    return _build([func], path, optimize, generate_html, signatures, js_names)


def wasm_multi(funcs, path, optimize=2, generate_html=True, signatures=None):
    """Compile several functions into one WebAssembly module ``path``, as ``pyvorin.wasm`` does
    for one; ``signatures`` is ``{function name: (int, float, ...)}``. Each keeps its Python name in
    JavaScript."""
    if callable(funcs) or isinstance(funcs, (str, bytes)):
        raise TypeError("pyvorin.wasm_multi: expected a list of functions; use pyvorin.wasm for one")
    funcs = list(funcs)
    if signatures is not None and not isinstance(signatures, dict):
        raise TypeError("pyvorin.wasm_multi: signatures is a dict {function name: (types...)}")
    return _build(funcs, path, optimize, generate_html, signatures, {})
