"""The %%pyvorin IPython magics, one implementation for the xpyvorin kernel (which loads it at
start) and for stock IPython/ipykernel (`%load_ext pyvorin`).

    %%pyvorin [options]       run the cell with its top-level functions compiled, show a report
    %pyvorin --help           usage
    %pyvorin_report NAME      show a compiled function's report again
    %pyvorin_config [options] show or set the defaults for later cells (--reset restores them)
    %pyvorin_cache [info|list|clear|on|off|limit SIZE|dir PATH]   the disk compile cache

Option parsing and report rendering are C++ (_pyvorin.magics); the cell flow is magic_cell.py.
"""
import ast
import json
import sys

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class

from .magic_cell import CellRun, function_entry, _is_dispatcher, REPORT_VERSION
from .magic_render import display_report


def _magics():
    from . import _pyvorin
    return _pyvorin.magics


@magics_class
class PyvorinMagics(Magics):
    """%%pyvorin and its line magics; holds the per-shell defaults and the last cell's report."""

    def __init__(self, shell=None, **kwargs):
        super().__init__(shell=shell, **kwargs)
        self.defaults = json.loads(_magics().default_options())
        self.last_report = None
        self._cell_ran = False

    def _parse(self, line, defaults=None):
        try:
            options = _magics().parse_options(line or "", json.dumps(defaults or self.defaults))
        except ValueError as error:
            raise UsageError(str(error)) from None
        return json.loads(options)

    @line_cell_magic
    def pyvorin(self, line, cell=None):
        """Compile the cell's functions with Pyvorin; see %pyvorin --help."""
        __tracebackhide__ = True
        options = self._parse(line)
        if options["help"] or cell is None:
            if cell is None and not options["help"]:
                raise UsageError("%pyvorin is a cell magic: start a cell with %%pyvorin "
                                 "(%pyvorin --help for the options)")
            print(_magics().usage())
            return None
        run = CellRun(self.shell, cell, options)
        self.last_report = None  # %pyvorin_report never shows an earlier cell's report as this one's
        self._cell_ran = True
        try:
            run.run()
        except BaseException:
            # The cell's own error is the error reply; still show what was compiled before it
            # (KeyboardInterrupt too: an interrupted cell shows what it compiled).
            self._show(run, failed=True)
            try:
                _hide_magic_frames(self.shell, sys.exc_info()[2])
            except Exception:  # never hide the user's exception behind a problem of this
                pass
            raise
        self._show(run)
        return run.value if run.has_value else None

    def _show(self, run, failed=False):
        __tracebackhide__ = True
        if failed and not run.dispatchers:
            return
        try:
            report = run.report()
            self.last_report = report  # also for --quiet cells: %pyvorin_report shows it
            if not run.options["quiet"]:
                display_report(report)
        except Exception as error:
            if failed:
                return  # never hide the user's exception behind a report problem
            raise RuntimeError(f"pyvorin: internal error while building the report: {error}") from error

    @line_magic
    def pyvorin_report(self, line):
        """%pyvorin_report [NAME] [--show=SECTIONS] [--asm-syntax=att|intel]: a function's report
        again (its latest compile), or without NAME the last cell's report."""
        words = line.split()
        names = [w for w in words if not w.startswith("-")]
        if len(names) > 1:
            raise UsageError("usage: %pyvorin_report [NAME] [--show=SECTIONS] [--asm-syntax=att|intel]")
        options = self._parse(" ".join(w for w in words if w.startswith("-")))
        if not names:
            self._show_last_report(options, "--show" in line)
            return
        try:
            target = eval(names[0], self.shell.user_global_ns, self.shell.user_ns)
        except Exception:
            raise UsageError(f"%pyvorin_report: name '{names[0]}' is not defined") from None
        if not _is_dispatcher(target):
            raise UsageError(f"%pyvorin_report: '{names[0]}' is not a Pyvorin-compiled function "
                             f"(it is a {type(target).__name__}); define it in a %%pyvorin cell")
        report = {"version": REPORT_VERSION, "options": {k: v for k, v in options.items() if k != "help"},
                  "functions": [function_entry(target, options=options)], "comparison": None}
        display_report(report)

    def _show_last_report(self, options, show_given):
        """%pyvorin_report without a name: the last report again (with --show, other sections)."""
        if self.last_report is None:
            if self._cell_ran:
                raise UsageError("%pyvorin_report: the last %%pyvorin cell made no report (it stopped before "
                                 "defining a function); give a function name")
            raise UsageError("%pyvorin_report: no %%pyvorin cell has run yet; give a function name")
        report = json.loads(json.dumps(self.last_report))
        if show_given:
            report["options"]["show"] = options["show"]
        display_report(report)

    @line_magic
    def pyvorin_config(self, line):
        """%pyvorin_config [OPTIONS | --reset]: show or set the defaults of %%pyvorin cells."""
        words = line.split()
        if "--reset" in words:
            self.defaults = json.loads(_magics().default_options())
            words.remove("--reset")
        if words:
            options = self._parse(" ".join(words))
            if options.pop("help"):
                print(_magics().usage())
                return
            self.defaults = options
        print("%%pyvorin defaults: " + _magics().options_line(json.dumps(self.defaults)))

    @line_magic
    def pyvorin_cache(self, line):
        """%pyvorin_cache [info|list|clear|on|off|limit SIZE|dir PATH]: the disk compile cache
        (docs/cache.md). Without a command: info."""
        from . import cache
        words = line.split()
        command = words[0] if words else "info"
        usage = "usage: %pyvorin_cache [info | list | clear | on | off | limit SIZE | dir PATH]"
        if command in ("info", "list", "clear", "on", "off") and len(words) > 1:
            raise UsageError(usage)
        if command == "info":
            print(cache.format_info())
        elif command == "list":
            print(cache.format_entries())
        elif command == "clear":
            n = cache.clear()
            print(f"removed {n} {'entry' if n == 1 else 'entries'} from {cache.info()['dir']}")
        elif command in ("on", "off"):
            cache.enable() if command == "on" else cache.disable()
            print(f"the disk cache is {command} for this session")
        elif command in ("limit", "dir"):
            if len(words) != 2:
                raise UsageError(usage)
            try:
                directory, limit = cache.configure(**({"limit": words[1]} if command == "limit" else {"dir": words[1]}))
            except (ValueError, OSError) as error:
                raise UsageError(f"%pyvorin_cache: {error}") from None
            print(f"the disk cache is {directory}, limited to {cache._size(limit)}")
        else:
            raise UsageError(f"%pyvorin_cache: unknown command {command!r}\n{usage}")


def _hide_magic_frames(shell, tb):
    """The traceback of an error of the cell starts at the user's code, as in a plain cell: the
    frames above this magic (the cell's `get_ipython().run_cell_magic(...)` line, IPython's
    run_cell_magic) and the magic's own (hidden by __tracebackhide__, which IPython still
    mentions) are skipped by raising the traceback printer's offset for this one traceback; it is
    put back after the cell (post_execute) or before the next one (pre_execute), whichever comes
    first. `tb`: the traceback from the magic's frame down."""
    printer = getattr(shell, "InteractiveTB", None)
    if printer is None or not isinstance(getattr(printer, "tb_offset", None), int):
        return
    # The frames between the cell's code (its frame's locals are the user namespace) and this
    # magic's frame: those the traceback holds above the magic.
    frame = sys._getframe(1)  # the magic method's frame
    above = 0
    f = frame.f_back
    while f is not None and f.f_locals is not shell.user_ns:
        # only IPython's own frames (run_cell_magic, its decorators) between the cell and the
        # magic: run_cell_magic called from a user's function is not a %%pyvorin cell
        name = f.f_code.co_filename
        if "IPython" not in name.split("/") and not name.startswith("<decorator-gen"):
            return
        above += 1
        f = f.f_back
    if f is None or f.f_back is None or f.f_back.f_code.co_name != "run_code":
        return  # not a %%pyvorin cell that IPython runs (run_cell_magic called by code): leave it
    above += 1  # the cell's own frame
    while tb is not None and tb.tb_frame.f_locals.get("__tracebackhide__"):  # the magic's own frames
        above += 1
        tb = tb.tb_next
    if tb is None:
        return  # the error is the magic's own (nothing of the user's below): keep the whole traceback
    saved = printer.tb_offset
    printer.tb_offset = saved + above

    def restore(*_):
        printer.tb_offset = saved
        for event in ("post_execute", "pre_execute"):
            try:
                shell.events.unregister(event, restore)
            except ValueError:
                pass

    # after this cell (IPython's run_cell), or at the latest before the next one runs (ipykernel
    # runs cells through run_cell_async, which triggers pre_execute but not post_execute)
    shell.events.register("post_execute", restore)
    shell.events.register("pre_execute", restore)


class _SyntaxCheck:
    """An input transformer that parses a %%pyvorin cell's body before the cell runs, so a
    SyntaxError in it is reported exactly as in a plain cell (no magic frames around it).
    `has_side_effects` keeps it out of is_complete checks of half-typed cells.

    It does not raise (IPython 8 counts an exception of an input transformer twice, so the
    execution count would skip a number): a body that does not parse, even after IPython's own
    transformations, is handed on without its %%pyvorin line (a blank line keeps the line
    numbers), and IPython's compile step reports the SyntaxError as it does for any cell."""

    has_side_effects = True

    def __init__(self, shell):
        self.shell = shell

    def __call__(self, lines):
        if not lines or not lines[0].startswith("%%pyvorin"):
            return lines
        words = lines[0].split()
        if words[0] != "%%pyvorin" or {"--help", "-h"} & set(words[1:]):
            return lines
        source = "\n" + "".join(lines[1:])  # line numbers as in the cell, as magic_cell does
        try:
            ast.parse(source)
            return lines
        except SyntaxError:
            pass
        try:  # IPython syntax in the body (`%time f()`) is the magic's own error at run time
            ast.parse(self.shell.transform_cell(source))
            return lines
        except Exception:
            pass
        return ["\n"] + list(lines[1:])


_OPTION_WORDS = ("--strict", "--fast", "-O0", "-O1", "-O2", "-O3", "--show=", "--asm-syntax=att",
                 "--asm-syntax=intel", "--no-compare", "--no-cache", "--quiet", "--help")


def _complete_options(shell, event):
    """Tab completion of %%pyvorin / %pyvorin_config options, and of --show=... sections."""
    words = event.line.split()
    current = words[-1] if words and not event.line.endswith((" ", "\t")) else ""
    if current.startswith("--show="):
        sections = list(_magics().section_names()) + ["all", "none"]
        return [name for name in sections if name.startswith(event.symbol)]
    if current.startswith("--asm-syntax="):
        return [name for name in ("att", "intel") if name.startswith(event.symbol)]
    return [word for word in _OPTION_WORDS if word.startswith(current)]


def _complete_report_names(shell, event):
    """Tab completion of %pyvorin_report NAME: the compiled functions in the namespace."""
    return sorted(name for name, value in shell.user_ns.items()
                  if not name.startswith("_") and _is_dispatcher(value) and name.startswith(event.symbol))


def load_ipython_extension(ipython):
    """Registers the magics (called by `pyvorin.load_ipython_extension`, i.e. %load_ext pyvorin)."""
    ipython.register_magics(PyvorinMagics)
    for key in ("%%pyvorin", "%pyvorin", "%pyvorin_config"):
        ipython.set_hook("complete_command", _complete_options, str_key=key)
    ipython.set_hook("complete_command", _complete_report_names, str_key="%pyvorin_report")
    transforms = ipython.input_transformers_cleanup
    transforms[:] = [t for t in transforms if not isinstance(t, _SyntaxCheck)]
    transforms.append(_SyntaxCheck(ipython))


def unload_ipython_extension(ipython):
    magics = ipython.magics_manager.magics
    for kind in ("line", "cell"):
        for name in ("pyvorin", "pyvorin_report", "pyvorin_config", "pyvorin_cache"):
            magics[kind].pop(name, None)
    transforms = ipython.input_transformers_cleanup
    transforms[:] = [t for t in transforms if not isinstance(t, _SyntaxCheck)]
