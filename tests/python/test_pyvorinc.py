"""pyvorinc, the command-line driver: source files are read as CPython imports them (UTF-8 BOM,
PEP 263 coding cookies, CPython's SyntaxError otherwise), and every bad input or argument ends
with a clear message naming what is wrong and a non-zero exit status."""
import os
import re
import shutil
import subprocess

import pytest

BUILD_DIR = os.path.abspath(os.environ.get("PYVORIN_BUILD_DIR") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build"))
PYVORINC = os.path.join(BUILD_DIR, "bin", "pyvorinc")

SIMPLE = b"def f(x):\n    return x + 1\n"


def pyvorinc(*args, user=None):
    cmd = [PYVORINC, *map(str, args)]
    if user is not None:
        cmd = ["setpriv", "--reuid=" + user, "--regid=" + user, "--clear-groups", *cmd]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def cpython_syntax_error(data, filename):
    """The SyntaxError CPython raises when it imports (compiles) these bytes, or None."""
    try:
        compile(data, filename, "exec")
    except SyntaxError as e:
        return e
    return None


def assert_error(result, *fragments, status=None):
    assert result.returncode != 0, "exit status 0; stdout=%r stderr=%r" % (result.stdout, result.stderr)
    if status is not None:
        assert result.returncode == status, result
    assert "pyvorinc: error:" in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, "%r not in %r" % (fragment, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr


# --- the output file ----------------------------------------------------------------------------

def test_output_written_to_o_path_is_what_stdout_gets(tmp_path):
    src = write(tmp_path, "m.py", SIMPLE)
    out = tmp_path / "f.ll"
    printed = pyvorinc(src, "--args", "int", "--emit", "ir")
    written = pyvorinc(src, "--args", "int", "--emit", "ir", "-o", out)
    assert printed.returncode == 0 and written.returncode == 0, (printed, written)
    assert written.stdout == "" and written.stderr == ""
    assert out.read_text() == printed.stdout
    assert "define" in printed.stdout


def test_output_into_a_missing_directory_fails_naming_path_and_os_error(tmp_path):
    src = write(tmp_path, "m.py", SIMPLE)
    out = tmp_path / "nonexistent" / "x"
    r = pyvorinc(src, "--args", "int", "-o", out)
    assert_error(r, "'%s'" % out, os.strerror(2), status=1)
    assert not out.exists()


def test_output_write_error_is_reported(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    src = write(tmp_path, "m.py", SIMPLE)
    r = pyvorinc(src, "--args", "int", "-o", "/dev/full")
    assert_error(r, "'/dev/full'", "No space left on device", status=1)


def test_standard_output_write_error_is_reported(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    src = write(tmp_path, "m.py", SIMPLE)
    with open("/dev/full", "w") as full:
        r = subprocess.run([PYVORINC, str(src), "--args", "int"], stdout=full, stderr=subprocess.PIPE,
                           text=True, timeout=120)
    assert r.returncode == 1, r
    assert "pyvorinc: error: cannot write to standard output: No space left on device" in r.stderr, r.stderr


def test_output_to_a_directory_is_reported(tmp_path):
    src = write(tmp_path, "m.py", SIMPLE)
    r = pyvorinc(src, "--args", "int", "-o", tmp_path)
    assert_error(r, "'%s'" % tmp_path, "Is a directory", status=1)


# --- source encodings: as CPython ---------------------------------------------------------------

LATIN1 = b"# -*- coding: latin-1 -*-\ndef f(x):\n    print('caf\xe9')\n    return x\n"


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbf" + SIMPLE,                                   # UTF-8 BOM
    b"\xef\xbb\xbf# -*- coding: utf-8 -*-\n" + SIMPLE,           # BOM and a utf-8 cookie
    b"#!/usr/bin/python3\n# vim: set fileencoding=utf-8 :\n" + SIMPLE,  # cookie on line 2
    LATIN1,
], ids=["bom", "bom-utf8-cookie", "cookie-line-2", "latin-1"])
def test_sources_cpython_accepts_compile(tmp_path, data):
    assert cpython_syntax_error(data, "m.py") is None
    src = write(tmp_path, "m.py", data)
    r = pyvorinc(src, "--function", "f", "--args", "int", "--emit", "types")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert "x: int" in r.stdout


def test_latin1_source_is_decoded_with_its_cookie(tmp_path):
    # 'café' in the latin-1 file is U+00E9; compiled code prints it as UTF-8 (C3 A9), as CPython does.
    src = write(tmp_path, "m.py", LATIN1)
    r = pyvorinc(src, "--function", "f", "--args", "int", "--emit", "ir")
    assert r.returncode == 0, r.stderr
    assert 'c"caf\\C3\\A9\\00"' in r.stdout


def test_cookie_line_numbers_stay_those_of_the_file(tmp_path):
    src = write(tmp_path, "m.py", b"\xef\xbb\xbf# coding: latin-1\n\n\ndef g(a):\n    b = a * 2\n    return b\n"
                .replace(b"latin-1", b"utf-8"))
    r = pyvorinc(src, "--function", "g", "--args", "int", "--emit", "types")
    assert r.returncode == 0, r.stderr
    assert "(line 5)" in r.stdout, r.stdout


@pytest.mark.parametrize("data", [
    b"# a form feed \x0c and a line separator \xe2\x80\xa8 in a comment\n" + SIMPLE,
    b"# old Mac line ends\rx = 1\r" + SIMPLE.replace(b"\n", b"\r"),
    b"# Windows line ends\r\n" + SIMPLE.replace(b"\n", b"\r\n"),
], ids=["ff-ls", "cr", "crlf"])
def test_lines_end_where_the_tokenizer_ends_them(tmp_path, data):
    # str.splitlines() also splits at \x0c and U+2028: the function's text would be cut at the
    # wrong lines. CPython ends lines only at \n, \r\n and \r.
    assert cpython_syntax_error(data, "m.py") is None
    src = write(tmp_path, "m.py", data)
    r = pyvorinc(src, "--function", "f", "--args", "int", "--emit", "types")
    assert r.returncode == 0, r.stderr
    line = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n").index(b"    return x + 1") + 1
    assert "return: int" in r.stdout and "(line %d)" % line in r.stdout, r.stdout
    ast_out = pyvorinc(src, "--function", "f", "--args", "int", "--emit", "ast")
    assert ast_out.returncode == 0, ast_out.stderr


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbf# -*- coding: latin-1 -*-\n" + SIMPLE,           # a BOM says UTF-8, the cookie not
    b"# -*- coding: no-such-codec -*-\n" + SIMPLE,                 # unknown encoding
    b"def f(x):\n    print('caf\xe9')\n    return x\n",            # not UTF-8, no cookie
    b"def f(x):\n    return x +\n",                                # plain syntax error
], ids=["bom-latin-1-cookie", "unknown-encoding", "invalid-utf-8", "syntax-error"])
def test_sources_cpython_rejects_fail_with_cpythons_message(tmp_path, data):
    expected = cpython_syntax_error(data, "m.py")
    assert expected is not None
    src = write(tmp_path, "m.py", data)
    r = pyvorinc(src, "--function", "f", "--args", "int")
    where = str(src) if not expected.lineno else "%s:%d" % (src, expected.lineno)
    assert_error(r, "%s: SyntaxError: %s" % (where, expected.msg), status=1)


# --- inputs -------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"x = 1\nprint(x)\n", b"class C:\n    def f(self):\n        pass\n"],
                         ids=["empty", "statements", "class-only"])
def test_a_file_without_functions_says_so(tmp_path, data):
    src = write(tmp_path, "m.py", data)
    r = pyvorinc(src)
    assert_error(r, "'%s' defines no function" % src, status=1)
    assert "named ''" not in r.stderr


def test_a_missing_function_lists_the_functions_of_the_file(tmp_path):
    src = write(tmp_path, "m.py", SIMPLE + b"\ndef helper(y):\n    return y\n")
    r = pyvorinc(src, "--function", "g", "--args", "int")
    assert_error(r, "no function named 'g' in '%s'" % src, "it defines: f, helper", status=1)


def test_a_directory_argument_says_it_is_a_directory(tmp_path):
    r = pyvorinc(tmp_path, "--function", "f")
    assert_error(r, "'%s' is a directory" % tmp_path, status=1)
    assert "no function" not in r.stderr


def test_a_missing_input_file_names_it_and_the_os_error(tmp_path):
    missing = tmp_path / "missing.py"
    r = pyvorinc(missing, "--function", "f")
    assert_error(r, "cannot read '%s'" % missing, os.strerror(2), status=1)


def test_an_unreadable_input_file_names_it_and_the_os_error(tmp_path):
    src = write(tmp_path, "m.py", SIMPLE)
    src.chmod(0)
    user = None
    if os.geteuid() == 0:  # root reads anything: drop to nobody for this run
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv")
        user = "65534"  # nobody
        tmp_path.chmod(0o755)
        for parent in list(tmp_path.parents)[:3]:
            if not os.access(parent, os.X_OK, effective_ids=False):
                pytest.skip("the temporary directory is not reachable by nobody")
    r = pyvorinc(src, "--function", "f", user=user)
    if user and ("error while loading shared libraries" in r.stderr or r.stderr.startswith("setpriv:")):
        pytest.skip("nobody cannot run the build tree's pyvorinc here: " + r.stderr.strip())
    assert_error(r, "cannot read '%s'" % src, os.strerror(13), status=1)


def test_two_input_files_are_a_usage_error(tmp_path):
    a = write(tmp_path, "a.py", SIMPLE)
    b = write(tmp_path, "b.py", SIMPLE)
    r = pyvorinc(a, b, "--function", "f", "--args", "int")
    assert_error(r, "one input file at a time", "'%s'" % a, "'%s'" % b, status=2)
    assert r.stdout == ""


def test_no_input_file_is_a_usage_error():
    assert_error(pyvorinc("--function", "f"), "no input file", status=2)


# --- options ------------------------------------------------------------------------------------

@pytest.mark.parametrize("args,fragments", [
    (["--emit", "llvm"], ["--emit must be one of", "got llvm"]),
    (["-O4"], ["-O0, -O1, -O2 or -O3", "got -O4"]),
    (["-Ofast"], ["-O0, -O1, -O2 or -O3", "got -Ofast"]),
    (["-O"], ["-O0, -O1, -O2 or -O3", "got -O"]),
    (["--asm-syntax", "masm"], ["--asm-syntax must be att or intel"]),
    (["--bogus"], ["unknown option --bogus"]),
    (["--function"], ["--function needs a value"]),
    (["-o"], ["-o needs a value"]),
], ids=["emit", "O4", "Ofast", "O", "asm-syntax", "unknown", "function-value", "o-value"])
def test_bad_options_are_usage_errors(tmp_path, args, fragments):
    src = write(tmp_path, "m.py", SIMPLE)
    r = pyvorinc(src, *args)
    assert_error(r, *fragments, status=2)
    assert "usage: pyvorinc" in r.stderr


@pytest.mark.parametrize("spec,got", [("decimal", "'decimal'"), ("int,", "''"), ("int,,int", "''"), ("Int", "'Int'"),
                                      ("list[int", "'list[int'"), ("dict[int],int", "'dict[int]'")])
def test_bad_args_name_the_bad_type(tmp_path, spec, got):
    src = write(tmp_path, "m.py", b"def f(x, y):\n    return x + y\n")
    r = pyvorinc(src, "--function", "f", "--args", spec)
    assert_error(r, "argument types must be int, float, bool, str, containers of them", "got " + got, status=2)


def test_container_argument_types(tmp_path):
    src = write(tmp_path, "m.py", b"def f(xs, d):\n    return xs[0] + d['k']\n")
    r = pyvorinc(src, "--function", "f", "--args", "list[int],dict[str, int]", "--emit", "types")
    assert r.returncode == 0, r.stderr
    assert "list[int]" in r.stdout and "dict[str, int]" in r.stdout


def test_args_count_must_match_the_parameters(tmp_path):
    src = write(tmp_path, "m.py", b"def f(x, y):\n    return x + y\n")
    r = pyvorinc(src, "--function", "f", "--args", "int")
    # The compiler's own fallback (PV code and CPython's wording), as for a call with too few.
    assert r.returncode == 1, r
    assert "f() takes 2 positional arguments but 1 were given" in r.stderr, r.stderr


def test_unannotated_parameters_ask_for_args(tmp_path):
    src = write(tmp_path, "m.py", b"def f(x: int, y):\n    return x + y\n")
    r = pyvorinc(src, "--function", "f")
    assert_error(r, "parameter 2 of 'f' is not annotated int, float or bool", "--args", status=2)
    annotated = write(tmp_path, "n.py", b"def f(x: int, y: float):\n    return x + y\n")
    ok = pyvorinc(annotated, "--function", "f", "--emit", "types")
    assert ok.returncode == 0 and "y: float" in ok.stdout, ok


# --- module constants ---------------------------------------------------------------------------

CONSTANTS = b"""\
K0 = 0.5
IDENT = 1
FLAG: bool = True
DEBUG = None
NEG = -3
BIG = 1180591620717411303424
TWICE = 1
TWICE = 2
RB = 1
SAME = FN = 1

def bump():
    global RB
    RB = 2

def FN():
    return 0

def f(x: float):
    if DEBUG is None and FLAG:
        return x * K0 + IDENT + NEG
    return 0.0

def twice(n: int):
    return n + TWICE

def rebound(n: int):
    return n + RB

def big(n: int):
    return n + BIG

def same(n: int):
    return n + SAME
"""


def test_top_level_literals_are_constants(tmp_path):
    path = write(tmp_path, "consts.py", CONSTANTS)
    r = pyvorinc(path, "--function", "f", "--emit", "types")
    assert r.returncode == 0, r.stderr
    for line in ("K0: float \u2190 global constant K0 = 0.5", "IDENT: int \u2190 global constant IDENT = 1",
                 "FLAG: bool \u2190 global constant FLAG = True", "DEBUG: None \u2190 global constant DEBUG = None",
                 "NEG: int \u2190 global constant NEG = -3"):
        assert line in r.stdout, r.stdout
    r = pyvorinc(path, "--function", "f", "--emit", "opt-ir")
    assert r.returncode == 0, r.stderr
    assert "5.000000e-01" in r.stdout
    r = pyvorinc(path, "--function", "same", "--emit", "opt-ir")
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("function, name, fragment", [
    ("twice", "TWICE", "not a constant for pyvorinc"),      # bound twice
    ("rebound", "RB", "not a constant for pyvorinc"),       # a function may rebind it (global RB)
    ("big", "BIG", "does not fit in 64 bits"),
])
def test_other_module_names_are_pv301(tmp_path, function, name, fragment):
    path = write(tmp_path, "consts.py", CONSTANTS)
    r = pyvorinc(path, "--function", function)
    assert r.returncode == 1, r
    assert "[FALLBACK] function: " + function in r.stderr
    assert f"global '{name}'" in r.stderr and fragment in r.stderr, r.stderr


def test_emit_passes_lists_each_pass_that_changed_the_ir_with_its_diff(tmp_path):
    src = write(tmp_path, "loop.py", b"def f(n):\n    t = 0\n    for i in range(n):\n        t += i\n    return t\n")
    result = pyvorinc(src, "--function", "f", "--args", "int", "--emit", "passes")
    assert result.returncode == 0, result
    headers = re.findall(r"^\*\*\* (\d+)\. (\w+) on (\S+) \(\+(\d+) -(\d+)\) \*\*\*$", result.stdout, re.M)
    assert [int(h[0]) for h in headers] == list(range(1, len(headers) + 1)), headers
    passes = [h[1] for h in headers]
    for expected in ("SROAPass", "InstCombinePass", "LoopRotatePass", "IndVarSimplifyPass"):
        assert expected in passes, passes
    assert all(int(h[3]) + int(h[4]) > 0 for h in headers)
    assert "\n@@ -" in result.stdout and "; pv.f.0: " in result.stdout
    # at -O0 nothing changes the IR
    quiet = pyvorinc(src, "--function", "f", "--args", "int", "--emit", "passes", "-O0")
    assert quiet.returncode == 0 and "***" not in quiet.stdout, quiet
