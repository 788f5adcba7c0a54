"""The %%pyvorin cell flow: run the cell as Python with its top-level functions jitted, then
build the cell's report (docs/report-format.md), with the side-by-side CPython comparison.

The cell runs through CPython's own compile/exec in the user namespace, so output, errors and
definitions are exactly what plain Python gives; the only change is one extra, innermost decorator
on each top-level ``def`` (added to the AST, not to the text, so the source and line numbers that
tracebacks, ``inspect`` and the compiler see are the user's own).
"""
import ast
import contextlib
import io
import linecache
import hashlib
import time

REPORT_VERSION = 1
# A side-by-side time below this is repeated (timeit's autorange) until the repetitions take
# SHORT_BUDGET seconds, or flagged as too short to measure.
SHORT_SECONDS = 1e-3
SHORT_BUDGET = 0.05
MIME_TYPE = "application/vnd.pyvorin.report+json"

# Contexts of the %%pyvorin cells being run (a stack: a cell may run another one). The decorator
# inserted into the cell's AST looks the innermost one up, so nothing is added to the namespace.
_ACTIVE = []


def _cell_jit(func):
    """The decorator added to each top-level def of a %%pyvorin cell."""
    __tracebackhide__ = True
    return _ACTIVE[-1].jit(func)


class CellRun:
    """One execution of a %%pyvorin cell."""

    def __init__(self, shell, cell, options):
        import pyvorin  # the package's __init__, which owns jit() and disabled()

        self.pyvorin = pyvorin
        self.shell = shell
        self.cell = cell
        self.options = options
        self.dispatchers = []  # (dispatcher, first source line, source text), in definition order
        self.comparison = None
        self.value = None
        self.has_value = False
        self.filename = None
        self._source_lines = []
        self._def_ends = {}  # first line of each top-level def (its first decorator) -> last line

    # -- running ---------------------------------------------------------------------------

    def jit(self, func):
        __tracebackhide__ = True
        jit = self.pyvorin.jit(strict=self.options["strict"], fast=self.options["fast"],
                               opt_level=self.options["opt_level"], cache=self.options["cache"])
        first_line = func.__code__.co_firstlineno
        dispatcher = jit(func)
        self.dispatchers.append((dispatcher, first_line, self._function_source(func)))
        return dispatcher

    def run(self):
        """Runs the cell; returns normally or raises what the user's code raised."""
        __tracebackhide__ = True
        # A blank first line stands for the %%pyvorin line, so line numbers are the cell's own.
        source = "\n" + self.cell
        self._source_lines = source.splitlines()
        self.filename = _register_source(self.shell, source)
        flags = getattr(self.shell.compile, "flags", 0)
        tree = ast.parse(source, filename=self.filename)  # SyntaxError: Python's own
        last_expr = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last_expr = tree.body.pop()
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
                self._def_ends[first] = node.end_lineno
                node.decorator_list.append(_decorator_node(node))
        code = compile(tree, self.filename, "exec", flags=flags, dont_inherit=True)
        user_global_ns, user_ns = self.shell.user_global_ns, self.shell.user_ns
        _ACTIVE.append(self)
        try:
            exec(code, user_global_ns, user_ns)
        finally:
            _ACTIVE.pop()
        if last_expr is None:
            return
        expression = ast.Expression(last_expr.value)
        ast.copy_location(expression, last_expr)
        expr_code = compile(expression, self.filename, "eval", flags=flags, dont_inherit=True)
        # The reruns (a warm run, CPython's) work on copies of the mutable values the expression
        # names, taken before it runs: `push(xs, 3)` then compares like with like, and the user's
        # objects change once, as in a plain cell.
        self._snapshot = _snapshot(last_expr.value, user_ns) if self.options["compare"] else {}
        before = self._call_counts()
        start = time.perf_counter()
        self.value = eval(expr_code, user_global_ns, user_ns)
        native_seconds = time.perf_counter() - start
        self.has_value = not self.cell.rstrip().endswith(";")
        after = self._call_counts()
        if not self.options["compare"] or not _called_native(before, after):
            return
        compile_seconds = 0.0
        if _compiled_between(before, after):
            # The first evaluation also compiled: time a second, warm one (its output hidden) so
            # the comparison is between running and running.
            before = self._call_counts()
            warm_seconds = self._evaluate_quietly(expr_code, disabled=False)[1]
            if warm_seconds is not None:
                compile_seconds = max(native_seconds - warm_seconds, 0.0)
                native_seconds = warm_seconds
                after = self._call_counts()
        self.comparison = self._compare(expr_code, ast.get_source_segment(source, last_expr.value),
                                        native_seconds, compile_seconds)
        # Calls of the timed evaluation that ran in CPython (an int64 overflow reran, a keyword
        # argument...): the "native" time is then partly CPython's, and the report says so.
        self.comparison["cpython_runs"] = _runs_between(before, after)
        self._time_short(expr_code, last_expr.value)

    def _time_short(self, expr_code, expression):
        """A side too short to time once (under SHORT_SECONDS) is timed as timeit's autorange does
        (repeated until the repetitions take SHORT_BUDGET seconds), when repeating it cannot change
        anything: calls of effect-free compiled functions (no print, no change to an argument or a
        file, no call into CPython) on immutable values. Otherwise the comparison says that it is
        too short to measure."""
        c = self.comparison
        short = [side for side in ("native", "cpython") if c[side]["seconds"] < SHORT_SECONDS]
        if not short or c["cpython_runs"]:
            return  # long enough; or no speed-up is shown: the native side ran partly in CPython
        if not c["same"] or not self._replayable(expression):
            c["too_short"] = True
            return
        # the repetitions are the report's, not the user's calls: the counters are put back
        counts = self._call_counts()
        saved = {key: (d, d.stats) for key, (d, _, _, _) in counts.items()}
        try:
            native = self._autorange(expr_code, disabled=False) if "native" in short else (c["native"]["seconds"], 1)
            cpython = self._autorange(expr_code, disabled=True) if "cpython" in short else (c["cpython"]["seconds"], 1)
        finally:
            for d, stats in saved.values():
                try:
                    d._set_stats((stats["native_calls"], stats["python_calls"], stats.get("disabled_calls", 0)))
                except Exception:
                    pass
        if native is None or cpython is None:
            c["too_short"] = True
            return
        c["native"]["seconds"], c["native"]["repeats"] = native
        c["cpython"]["seconds"], c["cpython"]["repeats"] = cpython
        c["speedup"] = cpython[0] / max(native[0], 1e-12)

    def _replayable(self, expression):
        ns = self.shell.user_ns
        for node in ast.walk(expression):
            if isinstance(node, ast.Call):
                target = ns.get(node.func.id) if isinstance(node.func, ast.Name) else None
                if not _is_dispatcher(target):
                    return False
                try:
                    report = target.report
                except Exception:
                    return False
                if report.get("status") != "compiled" or not report.get("effect_free", False):
                    return False
            elif isinstance(node, ast.Name):
                if node.id in ns and not _is_dispatcher(ns[node.id]) and not _immutable(ns[node.id]):
                    return False
            elif not isinstance(node, (ast.Constant, ast.BinOp, ast.UnaryOp, ast.Tuple, ast.Load, ast.operator,
                                       ast.unaryop, ast.keyword)):
                return False
        return True

    def _autorange(self, expr_code, disabled):
        """(seconds per evaluation, repetitions), or None when an evaluation raised."""
        __tracebackhide__ = True
        sink = io.StringIO()
        mode = self.pyvorin.disabled() if disabled else contextlib.nullcontext()
        g, ns = self.shell.user_global_ns, self.shell.user_ns
        number = 1
        try:
            with mode, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                while True:
                    start = time.perf_counter()
                    for _ in range(number):
                        eval(expr_code, g, ns)
                    total = time.perf_counter() - start
                    if total >= SHORT_BUDGET or number >= 10_000_000:
                        return total / number, number
                    number = min(number * 10 if total < SHORT_BUDGET / 20 else number * 2, 10_000_000)
        except Exception:
            return None

    def _evaluate_quietly(self, expr_code, disabled):
        """Evaluates the last expression again with its output discarded, compilation on or off.
        Returns (value, seconds), or (exception, None) when it raised."""
        __tracebackhide__ = True
        sink = io.StringIO()
        mode = self.pyvorin.disabled() if disabled else contextlib.nullcontext()
        start = time.perf_counter()
        try:
            global_ns, local_ns = _fresh_copies(self._snapshot, self.shell.user_global_ns, self.shell.user_ns)
            with mode, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                start = time.perf_counter()
                value = eval(expr_code, global_ns, local_ns)
                return value, time.perf_counter() - start
        except Exception as error:  # a failing re-run is a difference, not a cell error
            return error, None

    def _compare(self, expr_code, expression, native_seconds, compile_seconds):
        """Evaluates the expression again with compilation off (its output is not shown twice)."""
        __tracebackhide__ = True
        start = time.perf_counter()
        cpython_value, cpython_seconds = self._evaluate_quietly(expr_code, disabled=True)
        if cpython_seconds is None:
            cpython_seconds = time.perf_counter() - start
            cpython_repr = f"{type(cpython_value).__name__}: {cpython_value}"
            same = False
        else:
            cpython_repr = _safe_repr(cpython_value)
            same = _same(self.value, cpython_value)
        native_run = max(native_seconds, 1e-9)
        return {
            "expression": expression or "",
            "cpython": {"repr": cpython_repr, "seconds": cpython_seconds},
            "native": {"repr": _safe_repr(self.value), "seconds": native_run,
                       "compile_seconds": compile_seconds},
            "same": same,
            "speedup": cpython_seconds / native_run,
        }

    # -- the report ------------------------------------------------------------------------

    def report(self):
        options = {k: v for k, v in self.options.items() if k != "help"}
        functions = [function_entry(d, line, text, self.options) for d, line, text in self.dispatchers]
        return {"version": REPORT_VERSION, "options": options, "functions": functions,
                "comparison": self.comparison}

    def _function_source(self, func):
        code = func.__code__
        end = self._def_ends.get(code.co_firstlineno)
        if code.co_filename != self.filename or end is None:
            return None
        return "\n".join(self._source_lines[code.co_firstlineno - 1:end])

    def _call_counts(self):
        """Native call counts, signature counts and CPython runs of every dispatcher in reach."""
        counts = {}
        seen = [d for d, _, _ in self.dispatchers]
        seen += [v for v in list(self.shell.user_ns.values()) if _is_dispatcher(v)]
        for dispatcher in seen:
            if id(dispatcher) in counts:
                continue
            try:
                stats = dispatcher.stats
                counts[id(dispatcher)] = (dispatcher, stats.get("native_calls", 0),
                                          len(dispatcher.signatures), dispatcher.cpython_runs)
            except Exception:
                continue
        return counts


def function_entry(dispatcher, first_line=None, source=None, options=None):
    """A dispatcher's entry of the report JSON, completed for display: the function's source is
    attached (for the line map) and the assembly follows --asm-syntax."""
    try:
        entry = dict(dispatcher.report or {})  # a copy: the dispatcher's own report keeps everything
    except Exception as error:  # a broken report must not cost the user the cell's results
        entry = {"status": "fallback",
                 "fallback": {"reason": f"report unavailable: {error}", "construct": "",
                              "line": first_line or 0, "suggestion": "report this as a bug"}}
    py_func = getattr(dispatcher, "py_func", None)
    entry.setdefault("name", getattr(py_func, "__name__", "?"))
    entry.setdefault("line", first_line or 0)
    entry.setdefault("status", "pending")
    if source is None and py_func is not None:
        try:
            import inspect
            source = inspect.getsource(py_func).rstrip("\n")
            first_line = py_func.__code__.co_firstlineno
        except (OSError, TypeError):
            source = None
    if source is not None:
        entry["source"] = {"line": first_line or entry["line"], "text": source}
    if options and options.get("asm_syntax") == "intel" and entry["status"] == "compiled":
        try:
            entry["asm"] = dispatcher.inspect_asm(syntax="intel")
        except Exception:
            pass
    show = (options or {}).get("show") or []
    if entry["status"] == "compiled" and ("passes" in show or "cfg" in show):
        # computed on request: the pipeline runs again with each pass recorded; graphviz draws
        from . import inspection
        if "passes" in show:
            try:
                entry["pass_steps"] = inspection.pass_view(entry)
            except Exception as error:
                entry["pass_steps"] = {"error": f"{type(error).__name__}: {error}"}
        if "cfg" in show:
            try:
                entry["cfg"] = inspection.cfg_view(entry, entry.get("source"))
            except Exception as error:
                entry["cfg"] = {"error": f"{type(error).__name__}: {error}"}
    if not (options or {}).get("debug_ir"):
        # shown without the debug metadata and the kernel's temporary cell paths (--debug-ir keeps them)
        from .ir_text import clean_asm, clean_ir
        cell_file = getattr(getattr(py_func, "__code__", None), "co_filename", None)
        for key in ("ir", "opt_ir"):
            if entry.get(key):
                entry[key] = clean_ir(entry[key], cell_file)
        if entry.get("asm"):
            entry["asm"] = clean_asm(entry["asm"], cell_file)
    return entry


def _decorator_node(function_node):
    """`__import__('pyvorin').magic_cell._cell_jit`, located on the def line so the function's
    first line (and so inspect.getsource) is unchanged."""
    node = ast.Attribute(
        value=ast.Attribute(
            value=ast.Call(func=ast.Name(id="__import__", ctx=ast.Load()),
                           args=[ast.Constant(value="pyvorin")], keywords=[]),
            attr="magic_cell", ctx=ast.Load()),
        attr="_cell_jit", ctx=ast.Load())
    target = function_node.decorator_list[0] if function_node.decorator_list else function_node
    for child in ast.walk(node):
        ast.copy_location(child, target)
        child.end_lineno, child.end_col_offset = target.lineno, target.col_offset
    return node


def _register_source(shell, source):
    """Puts the cell text in linecache (tracebacks, inspect.getsource and the compiler read it
    there) under IPython's name for this cell when there is a shell, else under our own."""
    number = getattr(shell, "execution_count", 0)
    compiler = getattr(shell, "compile", None)
    if compiler is not None and hasattr(compiler, "cache"):
        try:
            return compiler.cache(source, number, raw_code=source)
        except Exception:
            pass
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:12]
    name = f"<pyvorin-cell-{number}-{digest}>"
    linecache.cache[name] = (len(source), None, [line + "\n" for line in source.splitlines()], name)
    return name


def _is_dispatcher(value):
    try:
        import pyvorin
        cls = getattr(pyvorin, "Dispatcher", None)
        if cls is not None and isinstance(value, cls):
            return True
    except Exception:
        pass
    return hasattr(value, "py_func") and hasattr(value, "stats") and hasattr(value, "signatures") \
        and not isinstance(value, type)


# Copies bigger than this are not taken (the reruns then see what the first run left).
SNAPSHOT_LIMIT = 256 * 1024 * 1024


# ... nor copies of more objects than this (deepcopy's time grows with them).
SNAPSHOT_OBJECTS = 100_000


def _cheap_to_copy(values):
    """Whether a deep copy of `values` stays within SNAPSHOT_LIMIT bytes and SNAPSHOT_OBJECTS
    objects, counted through containers (an array by its nbytes)."""
    import sys
    seen, stack, size = set(), list(values), 0
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        nbytes = getattr(v, "nbytes", None)
        size += nbytes if isinstance(nbytes, int) else sys.getsizeof(v)
        if size > SNAPSHOT_LIMIT or len(seen) > SNAPSHOT_OBJECTS:
            return False
        if isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple, set, frozenset)):
            stack.extend(v)
        elif hasattr(v, "__dict__") and not isinstance(v, type):
            stack.extend(vars(v).values())
    return True


def _snapshot(expression, ns):
    """{name: deep copy} of the mutable values the expression names (lists, arrays...), or {} when
    one cannot be copied or would be too large (SNAPSHOT_LIMIT, SNAPSHOT_OBJECTS) to copy."""
    import copy
    names = {n.id for n in ast.walk(expression) if isinstance(n, ast.Name) and n.id in ns}
    values = {name: ns[name] for name in names if not _immutable(ns[name]) and not _is_dispatcher(ns[name])
              and not callable(ns[name]) and not isinstance(ns[name], type(ast))}
    if not values:
        return {}
    try:
        return copy.deepcopy(values) if _cheap_to_copy(values.values()) else {}
    except Exception:
        return {}


def _fresh_copies(snapshot, global_ns, local_ns):
    """(globals, locals) a rerun evaluates in: the user's, with the snapshot's values copied again.
    The copies are globals too, since a comprehension or lambda in the expression looks its free
    names up there."""
    if not snapshot:
        return global_ns, local_ns
    import copy
    copies = copy.deepcopy(snapshot)
    merged = dict(global_ns)
    if local_ns is not global_ns:
        merged.update(local_ns)
    merged.update(copies)
    return merged, merged


# _call_counts' entry of a dispatcher it did not see: (dispatcher, native calls, signatures, runs)
_NO_COUNTS = (None, 0, 0, [])


def _immutable(value):
    if value is None or type(value) in (int, float, bool, str, bytes, complex):
        return True
    if type(value) is tuple:
        return all(_immutable(v) for v in value)
    from . import _NUMPY_SCALAR_TYPES
    return type(value).__module__ == "numpy" and type(value).__name__ in _NUMPY_SCALAR_TYPES


def _runs_between(before, after):
    """[{"function", "reason", "calls"}]: the calls that ran in CPython in between, per reason."""
    out = []
    for key, (dispatcher, _, _, runs) in after.items():
        old = {r["reason"]: r["calls"] for r in (before.get(key, _NO_COUNTS)[3] or [])}
        name = getattr(getattr(dispatcher, "py_func", None), "__name__", "?")
        for r in runs or []:
            calls = r["calls"] - old.get(r["reason"], 0)
            if calls > 0:
                out.append({"function": name, "reason": r["reason"], "calls": calls})
    return out


def _called_native(before, after):
    for key, (_, native_calls, _, _) in after.items():
        previous = before.get(key, _NO_COUNTS)[1]
        if native_calls > previous:
            return True
    return False


def _compiled_between(before, after):
    """Whether some dispatcher gained a native specialisation (so it compiled) in between."""
    for key, (_, _, signature_count, _) in after.items():
        if signature_count > before.get(key, _NO_COUNTS)[2]:
            return True
    return False


def _safe_repr(value):
    try:
        return repr(value)
    except Exception as error:
        return f"<repr failed: {type(error).__name__}: {error}>"


def _same(a, b):
    """Equal values of the same type (NaN and other self-unequal values compare by repr)."""
    if type(a) is not type(b):
        return False
    try:
        equal = a == b
        if isinstance(equal, bool) and equal:
            return True
    except Exception:
        pass
    return _safe_repr(a) == _safe_repr(b)
