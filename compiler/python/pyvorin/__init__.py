"""Pyvorin: compile ordinary Python functions to native code with LLVM, and show how.

    import pyvorin

    @pyvorin.jit
    def add(a, b):
        return a + b

The compiler itself is C++ (the ``_pyvorin`` extension); this module decides *what* to compile:
it reads a function's source, resolves the globals it uses (other jitted functions, ``math``,
builtins), asks the compiler for one specialisation per tuple of argument types, and keeps the
reports. See docs/python-api.md.
"""
import ast
import builtins
import collections
import contextlib
import functools
import inspect
import json
import linecache
import io
import math
import struct
import sys
import textwrap
import threading
import types
import warnings

from . import _pyvorin
from . import cache as _disk_cache
from ._pyvorin import Dispatcher

__all__ = ["jit", "Dispatcher", "CompilationError", "disabled", "version", "llvm_version", "export", "ExportError",
           "wasm", "wasm_multi"]

# Fixed-width scalar types: NumPy's own scalar types, so a value behaves exactly as the NumPy scalar
# does. As annotations (pyvorinc) and constructors (pyvorin.int8(x), also in compiled code).
_SCALAR_TYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
                 "complex64", "complex128", "bool_")


def __getattr__(name):
    if name in _SCALAR_TYPES:
        import numpy
        return getattr(numpy, name)
    if name == "ExportError":
        from .aot import ExportError
        return ExportError
    if name in ("wasm", "wasm_multi"):
        from . import wasm_export as _wasm_module
        return getattr(_wasm_module, name)
    raise AttributeError(f"module 'pyvorin' has no attribute {name!r}")

version = _pyvorin.version
llvm_version = _pyvorin.llvm_version

# Argument type tags shared with the C++ dispatcher (pyvorin::TypeTag).
_TAG_NAMES = {0: "None", 1: "bool", 2: "int", 3: "float"}
_ANNOTATION_TAGS = {int: 2, float: 3, bool: 1, "int": 2, "float": 3, "bool": 1}
_MATH_CONSTANTS = ("pi", "e", "tau", "inf", "nan")

_lock = threading.RLock()
# The in-process compile cache: a re-run cell or a re-decorated function with the same source,
# globals, argument types and options reuses the compiled code. Bounded: each entry keeps its
# machine code and its report alive.
_cache = collections.OrderedDict()
_CACHE_LIMIT = 64


class CompilationError(Exception):
    """Raised in strict mode when a function cannot be compiled.

    Carries the same details as ``Dispatcher.fallback``: ``function``, ``code``, ``reason``,
    ``construct``, ``line`` and ``suggestion``.
    """

    def __init__(self, fallback):
        self.fallback = dict(fallback)
        self.function = fallback.get("function")
        self.code = fallback.get("code")
        self.reason = fallback.get("reason")
        self.construct = fallback.get("construct")
        self.line = fallback.get("line")
        self.suggestion = fallback.get("suggestion")
        super().__init__(fallback.get("text") or _render(fallback))


def _render(fb):
    return (f"[FALLBACK] function: {fb.get('function')}\nreason: {fb.get('reason')}\n"
            f"line: {fb.get('line')}\nsuggestion: {fb.get('suggestion')}")


def _fallback(code, function, reason, construct, line, suggestion):
    fb = {"code": code, "function": function, "reason": reason, "construct": construct,
          "line": line, "suggestion": suggestion}
    fb["text"] = _render(fb)
    return fb


def _check_options(strict, fast, opt_level, cache):
    for name, value in (("strict", strict), ("fast", fast), ("cache", cache)):
        if not isinstance(value, bool):
            raise TypeError(f"pyvorin.jit: {name} must be True or False, not {value!r}")
    if isinstance(opt_level, bool) or not isinstance(opt_level, int) or not 0 <= opt_level <= 3:
        raise ValueError(f"pyvorin.jit: opt_level must be 0, 1, 2 or 3, not {opt_level!r}")


def jit(func=None, *, strict=False, fast=False, opt_level=2, cache=True):
    """Compile ``func`` to native code, one specialisation per tuple of argument types.

    Use as ``@pyvorin.jit`` or ``@pyvorin.jit(strict=False, fast=False, opt_level=2, cache=True)``.
    Functions (or argument types) outside the compiled subset run in CPython, with the reason in
    ``fallback_reason``; with ``strict=True`` they raise ``CompilationError`` instead.
    """
    _check_options(strict, fast, opt_level, cache)
    options = {"strict": strict, "fast": fast, "opt_level": opt_level, "cache": cache}

    def decorate(f):
        __tracebackhide__ = True  # IPython: no pyvorin frames in user tracebacks
        if isinstance(f, Dispatcher):
            f = f.py_func
        if not isinstance(f, types.FunctionType):
            raise TypeError(f"pyvorin.jit expects a Python function, got {type(f).__name__}")
        d = Dispatcher(f, _on_miss)
        functools.update_wrapper(d, f)
        d.__dict__["_options"] = dict(options)
        d.__dict__["_report"] = _pending_report(f, options)
        d.__dict__["_fallback"] = None
        _prepare(d)
        return d

    if func is not None:
        return decorate(func)
    return decorate


@contextlib.contextmanager
def disabled():
    """Within this block every dispatcher runs the original Python function."""
    previous = _pyvorin.is_disabled()
    _pyvorin.set_disabled(True)
    try:
        yield
    finally:
        _pyvorin.set_disabled(previous)


# ---- source and globals ----

def _source_of(f):
    """The function's own source text, dedented, with the absolute line it starts at."""
    try:
        lines, first = inspect.getsourcelines(f)
    except (OSError, TypeError):
        return None
    return {"name": f.__name__, "source": textwrap.dedent("".join(lines)),
            "filename": f.__code__.co_filename, "first_line": max(first, 1)}


_CODE_FIELDS = ("co_argcount", "co_posonlyargcount", "co_kwonlyargcount", "co_code", "co_names",
                "co_varnames", "co_freevars", "co_cellvars")


def _same_code(a, b):
    """Whether two code objects run the same bytecode on the same constants (lines aside)."""
    if a.co_name != b.co_name or any(getattr(a, n) != getattr(b, n) for n in _CODE_FIELDS):
        return False
    if len(a.co_consts) != len(b.co_consts):
        return False
    for x, y in zip(a.co_consts, b.co_consts):
        if isinstance(x, types.CodeType) and isinstance(y, types.CodeType):
            if not _same_code(x, y):
                return False
        elif type(x) is not type(y) or (x != y and not (x != x and y != y)) or (
                isinstance(x, float) and math.copysign(1.0, x) != math.copysign(1.0, y)):
            return False
    return True


def _source_is_current(f):
    """Whether the function's file (as inspect reads it now) still compiles to the code ``f`` runs.

    inspect reads the file as it is now; after an edit it may hold other code than the function
    that was loaded, and compiling that text would run code that is not what CPython runs. The
    whole file is compiled (CPython's bytecode for a function depends on its module, e.g. on
    which names are imports), once per file text.
    """
    try:
        filename = inspect.getsourcefile(f) or f.__code__.co_filename
    except TypeError:
        return True
    linecache.checkcache(filename)
    text = "".join(linecache.getlines(filename, f.__globals__))
    if not text:
        return True  # inspect found the source elsewhere; nothing to compare against
    key = (filename, text)
    codes = _module_codes.get(key)
    if codes is None:
        try:
            module = compile(text, f.__code__.co_filename, "exec", dont_inherit=True,
                             flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)  # as IPython compiles cells
        except (SyntaxError, ValueError):
            return True  # nothing to compare against (the compiler reports what it cannot parse)
        codes = {}
        stack = [module]
        while stack:
            for c in stack.pop().co_consts:
                if isinstance(c, types.CodeType):
                    codes.setdefault(c.co_qualname, []).append(c)
                    stack.append(c)
        _module_codes[key] = codes
        while len(_module_codes) > 16:
            _module_codes.pop(next(iter(_module_codes)))
    # Same bytecode at the same lines: the text inspect returns is the code that runs, and a
    # native error names the line CPython's traceback would.
    return any(c.co_firstlineno == f.__code__.co_firstlineno and c.co_linetable == f.__code__.co_linetable
               and _same_code(c, f.__code__) for c in codes.get(f.__code__.co_qualname, ()))


_module_codes = {}  # (filename, text) -> {qualname: [code objects]}


class _StaleSource(Exception):
    """A function of the compile unit whose source file changed after it was loaded."""

    def __init__(self, func):
        super().__init__(func.__name__)
        self.func = func


def _stale_fallback(f, root):
    line = f.__code__.co_firstlineno
    name = root.__name__
    if f is root:
        reason = (f"its source in {f.__code__.co_filename} changed after the function was loaded, so "
                  "the text there is not the code that runs")
    else:
        reason = (f"it calls '{f.__name__}', whose source in {f.__code__.co_filename} changed after it "
                  "was loaded")
        line = root.__code__.co_firstlineno
    return _fallback("PV401", name, reason, "source", line,
                     "reload the module (importlib.reload) or re-run the cell, so the code that runs is "
                     "the code in the file")


_MATH_CONSTANT_VALUES = {"pi": 3.141592653589793, "e": 2.718281828459045, "tau": 6.283185307179586,
                         "inf": float("inf")}


def _builtins_of(f):
    """The builtins namespace CPython looks ``f``'s free names up in after its globals."""
    return f.__builtins__ if isinstance(f.__builtins__, dict) else vars(builtins)


def _genuine_builtin(name, value):
    """Whether ``value`` is CPython's own builtin ``name`` (not a replacement bound to that name)."""
    if isinstance(value, types.BuiltinFunctionType):
        if name == "open":  # builtins.open is io.open
            return value is io.open
        return value.__name__ == name and value.__self__ is builtins
    return isinstance(value, type) and value.__module__ == "builtins" and value.__name__ == name


def _genuine_math(attr, value):
    """Whether math.<attr> is still what the math module defines (compiled code inlines it)."""
    if isinstance(value, types.BuiltinFunctionType):
        return value.__name__ == attr and value.__self__ is math
    if attr == "nan":
        return isinstance(value, float) and value != value
    if attr in _MATH_CONSTANT_VALUES:
        return type(value) is float and value == _MATH_CONSTANT_VALUES[attr]
    return attr.startswith("__")  # module metadata; anything else was put there by someone


def _constant(value):
    """The binding of a global that is an int (within int64), float, bool or None: compiled code
    uses the value; the dispatcher's dependencies recompile when the global is rebound."""
    kind = "none" if value is None else type(value).__name__
    if kind == "tuple":  # of constants (nested tuples too): short ones only
        if len(value) > 16:
            return {"kind": "other", "detail": "a tuple of more than 16 items"}
        items = [_constant(v) if v is None or type(v) in (int, float, bool, tuple) else None for v in value]
        if any(i is None or i["kind"] != "constant" for i in items):
            return {"kind": "other", "detail": "a tuple holding values other than int, float, bool, None"}
        return {"kind": "constant", "type": "tuple", "items": items, "detail": repr(value)}
    if kind == "int" and not -2**63 <= value < 2**63:
        return {"kind": "other", "detail": "an int that does not fit in 64 bits"}
    if kind == "float":
        bits = struct.unpack("<q", struct.pack("<d", value))[0]  # exact: -0.0, a NaN's sign
    else:
        bits = int(value or 0)
    return {"kind": "constant", "type": kind, "value": bits, "detail": repr(value)}


# NumPy's scalar types that compiled code constructs (float64(x) after `from numpy import float64`
# or `from pyvorin import float64`, the same types)
_NUMPY_SCALAR_TYPES = {"bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32",
                       "float64", "complex64", "complex128"}


def _binding(name, f, unit, index_of, plain_callees=False):
    """How the global ``name`` of function ``f`` resolves now (see pyvorin::Binding).
    plain_callees: plain Python functions are compiled into the unit too (export, which has no
    CPython to call them in)."""
    g = f.__globals__
    if name in g:
        value = g[name]
    elif name == f.__name__ and f.__qualname__ == f.__name__:
        value = None  # a function being defined refers to itself before its name is bound
    else:
        bdict = _builtins_of(f)
        if name not in bdict:
            return None
        value = bdict[name]
        if _genuine_builtin(name, value):
            return {"kind": "builtin", "target": name}
        return {"kind": "other", "detail": f"builtins.{name}, rebound to a {type(value).__name__}"}
    if name == f.__name__ and f.__qualname__ == f.__name__ and (
            value is None or value is f or (isinstance(value, Dispatcher) and value.py_func is not f)):
        # Recursion: at call time the global is this function's dispatcher.
        return {"kind": "function", "index": index_of(f, unit)}
    if isinstance(value, Dispatcher):
        index = index_of(value.py_func, unit)
        unit[index].setdefault("dispatcher", value)
        return {"kind": "function", "index": index}
    if value is math:
        rebound = [a for a in _all_names(f.__code__) if a in vars(math) and not _genuine_math(a, vars(math)[a])]
        if rebound:
            return {"kind": "other", "detail": f"module 'math' whose math.{rebound[0]} was rebound"}
        return {"kind": "math_module"}
    if isinstance(value, types.BuiltinFunctionType) and getattr(math, getattr(value, "__name__", ""), None) is value:
        return {"kind": "math_function", "target": value.__name__}
    if isinstance(value, float):
        for c in _MATH_CONSTANTS:
            if getattr(math, c) is value:
                return {"kind": "math_constant", "target": c}
    if value is None or type(value) in (int, float, bool, tuple):
        c = _constant(value)
        if c["kind"] == "constant" or type(value) is not tuple:
            return c
    if type(value) in (list, dict, set, tuple, str) or _is_ndarray(value):
        # read where it is used (it may change in place); its type as an argument's
        tags = _pyvorin.type_tags(value)
        if tags is not None:
            return {"kind": "object", "tags": list(tags), "detail": f"a {type(value).__name__}"}
    if any(value is t for t in (range, int, float, bool)):
        return {"kind": "builtin", "target": value.__name__}
    if _genuine_builtin(name, value):
        return {"kind": "builtin", "target": name}
    if isinstance(value, types.FunctionType):
        if plain_callees and value.__name__ == value.__qualname__ and not value.__code__.co_freevars:
            return {"kind": "function", "index": index_of(value, unit)}
        return {"kind": "other", "detail": "a Python function that is not jitted"}
    if isinstance(value, type) and value.__module__ == "numpy" and value.__name__ in _NUMPY_SCALAR_TYPES:
        return {"kind": "numpy_type", "target": value.__name__}  # from numpy import float64: float64(x)
    if isinstance(value, types.ModuleType):
        if value.__name__ == "numpy" and _genuine_numpy(f, value):
            return {"kind": "numpy_module"}
        if value.__name__ == "pyvorin":  # pyvorin.float32(x): NumPy's scalar types (only those are compiled)
            return {"kind": "numpy_module"}
        if value.__name__ == "cmath" and type(getattr(value, "sqrt", None)).__name__ == "builtin_function_or_method":
            return {"kind": "cmath_module"}
        return {"kind": "other", "detail": f"module '{value.__name__}'"}
    return {"kind": "other", "detail": f"a {type(value).__name__}"}


def _is_ndarray(value):
    """An exact numpy.ndarray (a module-level array is read live, like a list)."""
    t = type(value)
    return t.__name__ == "ndarray" and t.__module__ == "numpy"


def _genuine_numpy(f, np):
    """numpy as imported: compiled code calls np.zeros, np.sqrt... by their NumPy meaning."""
    return getattr(np, "ndarray", None) is not None and type(getattr(np, "zeros", None)).__name__ == "builtin_function_or_method"


def _all_names(code):
    """The global names a function reads: its own and those of its comprehensions and generator
    expressions, which CPython compiles as nested code objects."""
    names = list(code.co_names)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            names.extend(n for n in _all_names(c) if n not in names)
    return tuple(names)


def _build_request(d, tags, plain_callees=False):
    """The compile unit: this function and every jitted function it reaches through its globals
    (and every plain one too with plain_callees)."""
    unit = []
    order = {}

    def index_of(f, unit):
        key = id(f)
        if key not in order:
            order[key] = len(unit)
            entry = {"func": f, "source": _source_of(f)}
            unit.append(entry)
        return order[key]

    index_of(d.py_func, unit)
    i = 0
    while i < len(unit):
        f = unit[i]["func"]
        if unit[i]["source"] is None:
            unit[i]["source"] = {"name": f.__name__, "source": "", "filename": f.__code__.co_filename,
                                 "first_line": f.__code__.co_firstlineno}
        elif not f.__code__.co_freevars and not _source_is_current(f):
            raise _StaleSource(f)
        globals_map = {}
        unit[i]["source"]["globals_address"] = id(f.__globals__)
        for name in _all_names(f.__code__):
            b = _binding(name, f, unit, index_of, plain_callees)
            if b is not None:
                globals_map[name] = b
        unit[i]["source"]["globals"] = globals_map
        i += 1
    options = d.__dict__["_options"]
    # What each global was at compile time: the dispatcher recompiles when one changes.
    deps = []
    for u in unit:
        f = u["func"]
        g = f.__globals__
        bdict = _builtins_of(f)
        # CPython looks globals, builtins and module attributes up at call time: rebinding any
        # of them (builtins.abs, math.sqrt) must reach compiled code as it reaches Python code.
        for name in _all_names(f.__code__):
            deps.append((g, name, name in g, g.get(name)))
            if name not in g:
                deps.append((bdict, name, name in bdict, bdict.get(name)))
            elif g[name] is math:
                mdict = vars(math)
                for attr in _all_names(f.__code__):
                    deps.append((mdict, attr, attr in mdict, mdict.get(attr)))
    d.__dict__["_pending_deps"] = deps
    d.__dict__["_pending_unit"] = [u.get("dispatcher") for u in unit]
    return {"functions": [u["source"] for u in unit], "arg_types": list(tags),
            "options": {"opt_level": options["opt_level"], "fast": options["fast"]}}


def _uses_numpy(request):
    for f in request["functions"]:
        for b in f["globals"].values():
            if b.get("kind") in ("numpy_module", "numpy_type") or 17 in b.get("tags", ()) or 18 in b.get("tags", ()):
                return True
    return 17 in request["arg_types"] or 18 in request["arg_types"]


def _environment(request):
    """What compiled code depends on besides the compiler: Python's version and ABI (object
    layouts, the C API), NumPy's version where the unit uses NumPy (part of the disk cache key)."""
    env = f"python {sys.version} {sys.implementation.cache_tag} {sys.abiflags} {sys.platform}"
    np = sys.modules.get("numpy")
    if np is not None and _uses_numpy(request):
        env += f"; numpy {np.__version__}"
    return env


def _cache_key(request):
    funcs = tuple((f["name"], f["source"], f["filename"], f["first_line"], f.get("globals_address"),
                   json.dumps(f["globals"], sort_keys=True))
                  for f in request["functions"])
    opts = request["options"]
    return funcs, tuple(request["arg_types"]), opts["opt_level"], opts["fast"]


# ---- compiling ----

def _pending_report(f, options):
    return {"name": f.__name__, "line": f.__code__.co_firstlineno, "status": "pending",
            "signatures": [], "fallback": None, "ast": "", "types": [], "ir": "", "opt_ir": "",
            "asm": "", "line_map": {}, "passes": [], "remarks": [], "timings_ms": {},
            "object_size": 0, "cache": "off" if not options["cache"] else "miss",
            "opt_level": options["opt_level"], "fast": options["fast"]}


def _set_fallback(d, fb, whole_function):
    __tracebackhide__ = True  # IPython: no pyvorin frames in user tracebacks
    d.__dict__["_fallback"] = fb
    report = d.__dict__["_report"]
    report["fallback"] = fb
    if not d._has_native():  # (not `compiled`, which would compile signatures callers noted, now)
        report["status"] = "fallback"
    if whole_function:
        d._fail()
    if d.__dict__["_options"]["strict"]:
        raise CompilationError(fb)


def _prepare(d):
    """Decoration time: what can be known without argument types, and eager compiles."""
    __tracebackhide__ = True  # IPython: no pyvorin frames in user tracebacks
    f = d.py_func
    name = f.__name__
    line = f.__code__.co_firstlineno
    source = _source_of(f)
    if source is None:
        return _set_fallback(d, _fallback(
            "PV400", name, "the source code of the function is not available", "source", line,
            "define the function in a file or a notebook cell so its source can be read"), True)
    try:
        fb = _pyvorin.check(source)
    except Exception as exc:  # a bug in Pyvorin: the function still runs, in CPython
        fb = _fallback("PV500", name, f"internal compiler error: {type(exc).__name__}: {exc}", "check", line,
                       "please report this; the function runs in CPython meanwhile")
    if fb is not None:
        return _set_fallback(d, fb, True)
    if f.__code__.co_freevars:
        return _set_fallback(d, _fallback(
            "PV102", name, "it is a closure over " + ", ".join(f.__code__.co_freevars), "closure",
            _first_use(source, f.__code__.co_freevars) or line,
            "move the function to the top level and pass the values as parameters"), True)
    if f.__code__.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR):
        return _set_fallback(d, _fallback(
            "PV103", name, "generators and coroutines are not compiled", "yield", line,
            "return a value instead of yielding (generators run in CPython)"), True)
    if not _source_is_current(f):
        return _set_fallback(d, _stale_fallback(f, f), True)
    params = inspect.signature(f).parameters
    annotations = f.__annotations__
    tags = []
    for p in params:
        tag = _ANNOTATION_TAGS.get(annotations.get(p))
        if tag is None:
            return
        tags.append(tag)
    _compile(d, tuple(tags))


def _first_use(source, names):
    """The absolute line where one of ``names`` is first used in the function's source."""
    try:
        tree = ast.parse(source["source"])
    except SyntaxError:
        return None
    lines = [n.lineno for n in ast.walk(tree)
             if (isinstance(n, ast.Name) and n.id in names) or (isinstance(n, ast.Nonlocal))]
    return min(lines) + source["first_line"] - 1 if lines else None


def _on_miss(d, tags):
    """Called by the dispatcher for a new tuple of argument types."""
    __tracebackhide__ = True  # IPython: no pyvorin frames in user tracebacks
    _compile(d, tuple(tags))


def _compile(d, tags):
    __tracebackhide__ = True  # IPython: no pyvorin frames in user tracebacks
    with _lock:
        if d._known(tuple(tags)):
            return  # another thread compiled (or rejected) these types while this one waited
        options = d.__dict__["_options"]
        try:
            request = _build_request(d, tags)
            key = _cache_key(request) if options["cache"] else None
            cached = _cache.get(key) if key is not None else None
            if cached is not None:
                result, status = cached, "hit"
                _cache.move_to_end(key)
            else:
                if key is not None and _disk_cache.enabled():
                    request["disk_cache"] = True
                    request["environment"] = _environment(request)
                result = _pyvorin.compile_unit(request)
                while result.get("cancelled"):
                    # Ctrl-C stopped the compile and its handler returned instead of raising
                    # KeyboardInterrupt (which it raises here by default): compile again.
                    result = _pyvorin.compile_unit(request)
                for w in result.get("warnings") or ():
                    warnings.warn(f"pyvorin: {w}", _disk_cache.CacheWarning, stacklevel=2)
                status = result.get("cache") or ("miss" if key is not None else "off")
                if key is not None and result["ok"]:
                    _cache[key] = result
                    while len(_cache) > _CACHE_LIMIT:
                        _cache.popitem(last=False)
        except _StaleSource as stale:
            # Its own file changed: every signature falls back; a callee's: this signature.
            d.__dict__.pop("_pending_deps", None)
            whole = stale.func is d.py_func
            if not whole:
                d._reject(tuple(tags))
            return _set_fallback(d, _stale_fallback(stale.func, d.py_func), whole)
        except Exception as exc:  # a bug in Pyvorin must not break the user's call
            f = d.py_func
            fb = _fallback("PV500", f.__name__, f"internal compiler error: {type(exc).__name__}: {exc}",
                           "compile", f.__code__.co_firstlineno,
                           "please report this; the function runs in CPython meanwhile")
            d._reject(tuple(tags))
            return _set_fallback(d, fb, False)
        report = dict(result["report"])
        report["cache"] = status
        callees = report.pop("callees", None) or []
        unit_dispatchers = d.__dict__.pop("_pending_unit", [])
        previous = d.__dict__["_report"]
        signatures = list(previous.get("signatures", [])) if previous.get("status") == "compiled" else []
        if result["ok"]:
            for sig in report["signatures"]:
                if sig not in signatures:
                    signatures.append(sig)
            report["signatures"] = signatures
            d.__dict__["_report"] = report
            d.__dict__["_fallback"] = None
            d._install(result["code"], tuple(tags), result["ret"], result["release_gil"],
                       result["pure"], result["long_running"], result.get("frame_bytes", 0),
                       result.get("numpy_scalars", False))
            d._add_deps(d.__dict__.pop("_pending_deps", []))
            _note_callees(d, callees, unit_dispatchers)
            return
        if previous.get("status") == "compiled":
            report["signatures"] = signatures
            report["status"] = "compiled"
        d.__dict__["_report"] = report
        d._reject(tuple(tags))
        d._add_deps(d.__dict__.pop("_pending_deps", []))
        _set_fallback(d, result["fallback"], False)


def _note_callees(d, callees, unit_dispatchers):
    """The jitted functions compiled into d's unit (and inlined there, mostly) are compiled too:
    each dispatcher notes the argument types it was compiled for, and compiles them on its own
    (its own IR, optimised IR and assembly, and native calls from Python) when it is inspected."""
    caller = d.py_func.__name__
    for c in callees:
        index = c.get("index", -1)
        cd = unit_dispatchers[index] if 0 <= index < len(unit_dispatchers) else None
        if cd is None or cd is d:
            continue
        cd.__dict__.setdefault("_callers", [])
        if caller not in cd.__dict__["_callers"]:
            cd.__dict__["_callers"].append(caller)
        tags = tuple(c["tags"])
        pending = cd.__dict__.setdefault("_as_callee", [])
        if tags not in pending and not cd._known(tags):
            pending.append(tags)


def _materialise(d):
    """Compiles the signatures d was compiled for as another function's callee (_note_callees)."""
    __tracebackhide__ = True  # IPython: no pyvorin frames in user tracebacks
    pending = d.__dict__.pop("_as_callee", None)
    if not pending:
        return
    try:
        while pending:
            tags = pending[0]
            if not d.failed and not d._known(tags):
                try:
                    _compile(d, tags)
                except CompilationError:
                    pass  # strict mode: the fallback is in the report; nothing called it from Python
            pending.pop(0)
    finally:
        if pending:  # interrupted (Ctrl-C) or failed: the rest is compiled at the next read
            d.__dict__.setdefault("_as_callee", [])[:0] = pending


# ---- inspection (Dispatcher.report, Dispatcher.inspect_*) ----

def _report(d):
    """The dispatcher's report, its assembly and line map generated on first read."""
    _materialise(d)
    report = d.__dict__["_report"]
    if report.get("asm") is None and report.get("opt_ir"):
        report = _pyvorin.complete_report(report)
        d.__dict__["_report"] = report
        if report.get("cache_key") and _disk_cache.enabled():
            # the disk entry keeps the assembly too: a later hit shows it without running LLVM
            try:
                _pyvorin.cache_update_report(report["cache_key"], {"asm": report["asm"], "line_map": report["line_map"]})
            except Exception:
                pass  # (a full disk: the next hit makes the assembly again)
    # what changes from call to call goes on a copy: the stored report is the compile's
    report = dict(report)
    callers = d.__dict__.get("_callers")
    if callers:
        report["callers"] = list(callers)
    runs = d.cpython_runs
    report["cpython_runs"] = runs
    if report.get("status") == "pending" and runs:
        report["status"] = "cpython"  # called, and each call ran in CPython for a reason of its own
    return report


def _inspect(d, what, *args, **kwargs):
    report = _report(d)
    if what == "ast":
        if not report.get("ast"):
            source = _source_of(d.py_func)
            if source is None:
                return ""
            return _pyvorin.ast_dump(source)
        return report["ast"]
    if what == "types":
        return "\n".join(f"{t['name']}: {t['type']} \u2190 {t['because']} (line {t['line']})"
                         for t in report.get("types", []))
    if what == "llvm":
        optimized = kwargs.get("optimized", args[0] if args else True)
        return report.get("opt_ir" if optimized else "ir", "")
    if what == "asm":
        syntax = kwargs.get("syntax", args[0] if args else "att")
        if syntax not in ("att", "intel"):
            raise ValueError(f"inspect_asm: syntax must be 'att' or 'intel', not {syntax!r}")
        if syntax == "att" or not report.get("opt_ir"):
            return report.get("asm", "")
        return _pyvorin.emit_assembly(report["opt_ir"], syntax, report.get("opt_level", 2))
    if what == "objects":
        return _annotate(d, report)
    if what in ("passes", "cfg"):
        from . import inspection
        if report.get("status") != "compiled":
            raise ValueError(f"inspect_{what}: '{d.py_func.__name__}' has no native code yet: call it first "
                             f"(its status is {report.get('status')!r})")
        if what == "passes":
            return inspection.PassesView(report, inspection.pass_view(report))
        source = None
        try:
            lines, first = inspect.getsourcelines(d.py_func)
            source = {"line": first, "text": "".join(lines)}
        except (OSError, TypeError):
            pass
        return inspection.CfgView(report, inspection.cfg_view(report, source))
    raise ValueError(what)


def _annotate(d, report):
    """Each variable's type and representation, then the source with each line marked by how many
    calls into CPython's C API it compiles to (as Cython's annotated view): '.' none, '+' one or
    two, '++' three to five, '+++' more."""
    out = ["variables:"]
    variables = report.get("variables") or []
    width = max((len(v["name"]) for v in variables), default=0)
    for v in variables:
        out.append(f"  {v['name']:<{width}}  {v['type']:<20} {v['representation']}")
    calls = {e["line"]: e for e in report.get("object_lines") or []}
    try:
        lines, first = inspect.getsourcelines(d.py_func)
    except (OSError, TypeError):
        lines, first = [], 0
    out.append("C-API calls per line:")
    for i, text in enumerate(lines):
        n = first + i
        e = calls.get(n)
        k = e["calls"] if e else 0
        mark = "." if k == 0 else "+" if k <= 2 else "++" if k <= 5 else "+++"
        note = f"  # {k}: {', '.join(e['functions'])}" if e else ""
        out.append(f"{n:5} {mark:<4}| {text.rstrip()}{note}")
    return "\n".join(out)


def export(functions, name, output_dir=".", signatures=None, opt_level=2):
    """A shared library and C header of compiled functions (pyvorin/aot.py, docs/export.md)."""
    from .aot import export as _export_library
    return _export_library(functions, name, output_dir=output_dir, signatures=signatures, opt_level=opt_level)


def load_ipython_extension(ipython):
    """``%load_ext pyvorin``: registers the %%pyvorin magics in IPython."""
    from .magic import load_ipython_extension as load
    load(ipython)


def unload_ipython_extension(ipython):
    try:
        from .magic import unload_ipython_extension as unload
    except ImportError:
        return
    unload(ipython)
