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
            warm_seconds = self._evaluate_quietly(expr_code, disabled=False)[1]
            if warm_seconds is not None:
                compile_seconds = max(native_seconds - warm_seconds, 0.0)
                native_seconds = warm_seconds
        self.comparison = self._compare(expr_code, ast.get_source_segment(source, last_expr.value),
                                        native_seconds, compile_seconds)

    def _evaluate_quietly(self, expr_code, disabled):
        """Evaluates the last expression again with its output discarded, compilation on or off.
        Returns (value, seconds), or (exception, None) when it raised."""
        __tracebackhide__ = True
        sink = io.StringIO()
        mode = self.pyvorin.disabled() if disabled else contextlib.nullcontext()
        start = time.perf_counter()
        try:
            with mode, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                start = time.perf_counter()
                value = eval(expr_code, self.shell.user_global_ns, self.shell.user_ns)
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
        """Native/python call counts and signature counts of every dispatcher in reach."""
        counts = {}
        seen = [d for d, _, _ in self.dispatchers]
        seen += [v for v in list(self.shell.user_ns.values()) if _is_dispatcher(v)]
        for dispatcher in seen:
            if id(dispatcher) in counts:
                continue
            try:
                stats = dispatcher.stats
                counts[id(dispatcher)] = (dispatcher, stats.get("native_calls", 0),
                                          len(dispatcher.signatures))
            except Exception:
                continue
        return counts


def function_entry(dispatcher, first_line=None, source=None, options=None):
    """A dispatcher's entry of the report JSON, completed for display: the function's source is
    attached (for the line map) and the assembly follows --asm-syntax."""
    try:
        entry = dict(dispatcher.report or {})
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


def _called_native(before, after):
    for key, (_, native_calls, _) in after.items():
        previous = before.get(key, (None, 0, 0))[1]
        if native_calls > previous:
            return True
    return False


def _compiled_between(before, after):
    """Whether some dispatcher gained a native specialisation (so it compiled) in between."""
    for key, (_, _, signature_count) in after.items():
        if signature_count > before.get(key, (None, 0, 0))[2]:
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
