"""File and bytes cases for test_files.py (issue 8 §2 and §3): functions that open, read, write,
seek and close files through `open()` with a literal mode, use `with` blocks that must close on
every exit, take files opened in Python, and work with bytes. Each Case lists argument tuples and
the files that exist before each call (name -> bytes). test_files.py runs every call twice, in
CPython and compiled, each in its own fresh directory holding identical copies of those files (the
functions use relative names, so messages such as "[Errno 2] No such file or directory: 'x'" are
the same on both sides), and compares the value, the exception type and message, the printed
text, the files opened in Python and passed in (closed or not, and the position), and every file
in the directory afterwards, byte for byte. Every call must run natively."""
import pyvorin


class PyFile:
    """An argument that test_files.py replaces by open(name, mode, **kw) in the call's directory
    (a file opened in Python and passed in); afterwards the harness compares its closed state and
    position on both sides, then closes it."""

    def __init__(self, name, mode="r", **kw):
        self.name = name
        self.mode = mode
        self.kw = kw

    def __repr__(self):
        return "PyFile(%r, %r%s)" % (self.name, self.mode,
                                      "".join(", %s=%r" % kv for kv in sorted(self.kw.items())))


class Case:
    __slots__ = ("fn", "argsets", "files", "name")

    def __init__(self, fn, argsets, files):
        self.fn = fn
        self.argsets = argsets
        self.files = files
        self.name = fn.__name__

    def __repr__(self):
        return "Case(%s)" % self.name


CASES = []

TEXT = "héllo wörld\nzweite Zeile €\n\nlast line without newline ✓"
TEXT_BYTES = TEXT.encode("utf-8")
CRLF = b"one\r\ntwo\rthree\nfour\r\n\r\nfive"
BINARY = bytes(range(256)) + b"\x00\xff\r\n\n\r"
LATIN1 = "café ÿ ñ Ç".encode("latin-1")
BAD_UTF8 = b"ok\xff\xfe tail"


def add(fn, argsets, files=None):
    CASES.append(Case(getattr(fn, "py_func", fn),
                      [a if isinstance(a, tuple) else (a,) for a in argsets], dict(files or {})))


# ---------------------------------------------------------------------------------------------
# Text write / read round trips
# ---------------------------------------------------------------------------------------------
def write_then_read(p, s):
    f = open(p, "w")
    n = f.write(s)
    f.close()
    g = open(p, "r")
    back = g.read()
    g.close()
    return n, back, back == s


add(write_then_read, [("a.txt", TEXT), ("a.txt", ""), ("b.txt", "x\r\ny\rz\n"),
                      ("c.txt", "日本語テキスト\n🐍 snake\n"), ("d.txt", "\x00\x01 nul\n")])


def write_utf8_explicit(p, s):
    with open(p, "w", encoding="utf-8") as f:
        n = f.write(s)
    with open(p, encoding="utf-8") as f:
        return n, f.read()


add(write_utf8_explicit, [("u.txt", TEXT), ("u.txt", "ä" * 1000)])


def read_whole(p):
    with open(p) as f:
        return f.read()


add(read_whole, ["in.txt", "crlf.txt", "empty.txt"],
    files={"in.txt": TEXT_BYTES, "crlf.txt": CRLF, "empty.txt": b""})


def read_bad_utf8(p):
    with open(p, encoding="utf-8") as f:
        return f.read()


add(read_bad_utf8, ["bad.txt"], files={"bad.txt": BAD_UTF8})


def read_errors_replace(p):
    with open(p, encoding="utf-8", errors="replace") as f:
        a = f.read()
    with open(p, encoding="utf-8", errors="surrogateescape") as f:
        b = f.read()
    with open(p, encoding="ascii", errors="ignore") as f:
        c = f.read()
    return a, b, c


add(read_errors_replace, ["bad.txt"], files={"bad.txt": BAD_UTF8})


def read_n_chars(p, n):
    with open(p) as f:
        a = f.read(n)
        b = f.read(n)
        rest = f.read()
        end = f.read(n)
    return a, b, rest, end


add(read_n_chars, [("in.txt", 0), ("in.txt", 1), ("in.txt", 3), ("in.txt", 7), ("in.txt", 1000),
                   ("in.txt", -1)], files={"in.txt": TEXT_BYTES})


# ---------------------------------------------------------------------------------------------
# newline= on reading and on writing
# ---------------------------------------------------------------------------------------------
def read_newline_none(p):
    with open(p, newline=None) as f:
        return f.read()


def read_newline_empty(p):
    with open(p, newline="") as f:
        return f.read()


def read_newline_lf(p):
    with open(p, newline="\n") as f:
        return f.read()


def read_newline_crlf(p):
    with open(p, newline="\r\n") as f:
        return f.read()


def readlines_newline_empty(p):
    with open(p, newline="") as f:
        return f.readlines()


def readlines_newline_crlf(p):
    with open(p, newline="\r\n") as f:
        return f.readlines()


def readlines_default(p):
    with open(p) as f:
        return f.readlines()


for _fn in (read_newline_none, read_newline_empty, read_newline_lf, read_newline_crlf,
            readlines_newline_empty, readlines_newline_crlf, readlines_default):
    add(_fn, ["crlf.txt"], files={"crlf.txt": CRLF})


def write_newline_none(p):
    with open(p, "w", newline=None) as f:
        f.write("a\nb\r\nc\rd\n")


def write_newline_empty(p):
    with open(p, "w", newline="") as f:
        f.write("a\nb\r\nc\rd\n")


def write_newline_lf(p):
    with open(p, "w", newline="\n") as f:
        f.write("a\nb\r\nc\rd\n")


def write_newline_crlf(p):
    with open(p, "w", newline="\r\n") as f:
        f.write("a\nb\r\nc\rd\n")
        f.writelines(["x\n", "y\n"])


def write_crlf_literal(p):
    f = open(p, "w")
    f.write("line one\r\nline two\r\n")
    f.close()
    f = open(p, "rb")
    data = f.read()
    f.close()
    return data


for _fn in (write_newline_none, write_newline_empty, write_newline_lf, write_newline_crlf,
            write_crlf_literal):
    add(_fn, ["out.txt"])


# ---------------------------------------------------------------------------------------------
# encodings
# ---------------------------------------------------------------------------------------------
def latin1_round_trip(p, s):
    with open(p, "w", encoding="latin-1") as f:
        f.write(s)
    with open(p, "rb") as g:
        raw = g.read()
    with open(p, encoding="latin-1") as f:
        back = f.read()
    return raw, back


add(latin1_round_trip, [("l.txt", "café ÿ ñ Ç"), ("l.txt", "".join(chr(i) for i in range(1, 256))),
                        ("l.txt", "price: 5€")])   # '€' is not latin-1: UnicodeEncodeError


def read_latin1(p):
    with open(p, encoding="latin-1") as f:
        return f.read()


def read_latin1_as_utf8(p):
    with open(p, encoding="utf-8") as f:
        return f.read()


add(read_latin1, ["l.txt"], files={"l.txt": LATIN1})
add(read_latin1_as_utf8, ["l.txt"], files={"l.txt": LATIN1})


def write_ascii_strict(p, s):
    f = open(p, "w", encoding="ascii")
    f.write("before\n")
    f.write(s)
    f.close()


add(write_ascii_strict, [("a.txt", "plain\n"), ("a.txt", "naïve\n")])


def write_buffering_zero_binary(p):
    f = open(p, "wb", buffering=0)
    n = f.write(b"unbuffered")
    f.close()
    return n


def write_line_buffered(p):
    f = open(p, "w", buffering=1)
    f.write("first\n")
    g = open(p, "rb")
    seen = g.read()
    g.close()
    f.write("second")
    f.close()
    return seen


add(write_buffering_zero_binary, ["u.bin"])
add(write_line_buffered, ["lb.txt"])


# ---------------------------------------------------------------------------------------------
# modes: append, exclusive create, r+, w+ and binary
# ---------------------------------------------------------------------------------------------
def append_lines(p, n):
    for i in range(n):
        f = open(p, "a")
        f.write("line " + str(i) + " ü\n")
        f.close()
    with open(p) as f:
        return f.read()


add(append_lines, [("log.txt", 3), ("new.txt", 2), ("log.txt", 0)],
    files={"log.txt": "existing ✓\n".encode("utf-8")})


def exclusive_create(p):
    f = open(p, "x")
    f.write("created")
    f.close()
    return "ok"


add(exclusive_create, ["exists.txt", "fresh.txt"], files={"exists.txt": b"old contents"})


def rplus_read_then_write(p):
    f = open(p, "r+")
    first = f.readline()
    f.write("INSERTED")
    f.seek(0)
    whole = f.read()
    f.close()
    return first, whole


add(rplus_read_then_write, ["in.txt"], files={"in.txt": b"alpha\nbeta\ngamma\n"})


def rplus_overwrite_start(p):
    with open(p, "r+") as f:
        f.write("XY")
        pos = f.tell()
        rest = f.read()
    return pos, rest


add(rplus_overwrite_start, ["in.txt"], files={"in.txt": b"abcdefgh\n"})


def rplus_missing(p):
    with open(p, "r+") as f:
        return f.read()


add(rplus_missing, ["missing.txt"])


def wplus_truncate(p):
    with open(p, "w+") as f:
        f.write("0123456789")
        f.seek(4)
        t = f.truncate()
        f.seek(0)
        return t, f.read()


add(wplus_truncate, ["t.txt"], files={"t.txt": b"long old contents that go away"})


def truncate_binary(p, n):
    with open(p, "r+b") as f:
        r = f.truncate(n)
        f.seek(0, 2)
        return r, f.tell()


add(truncate_binary, [("b.bin", 3), ("b.bin", 0), ("b.bin", 400)], files={"b.bin": BINARY})


def binary_write_read(p, data):
    with open(p, "wb") as f:
        n = f.write(data)
    with open(p, "rb") as f:
        back = f.read()
    return n, back, back == data


add(binary_write_read, [("b.bin", BINARY), ("b.bin", b""), ("b.bin", b"a\r\nb\n")])


def binary_append(p, data):
    with open(p, "ab") as f:
        f.write(data)
        f.write(b"|")
    with open(p, "rb") as f:
        return f.read()


add(binary_append, [("b.bin", b"more"), ("nb.bin", b"\x00\x01")], files={"b.bin": b"start:"})


def binary_seek_tell(p):
    with open(p, "rb") as f:
        out = [f.tell()]
        f.seek(10)
        out.append(f.tell())
        a = f.read(4)
        out.append(f.tell())
        f.seek(-3, 2)
        out.append(f.tell())
        b = f.read()
        f.seek(-6, 1)
        out.append(f.tell())
        c = f.read(2)
        end = f.seek(0, 2)
        out.append(end)
        d = f.read(5)
    return out, a, b, c, d


add(binary_seek_tell, ["b.bin"], files={"b.bin": BINARY})


def binary_seek_negative(p):
    with open(p, "rb") as f:
        f.seek(-1)


add(binary_seek_negative, ["b.bin"], files={"b.bin": BINARY})


def binary_read_n(p, n):
    out = []
    with open(p, "rb") as f:
        while True:
            chunk = f.read(n)
            if not chunk:
                break
            out.append(chunk)
    return out


add(binary_read_n, [("b.bin", 1), ("b.bin", 7), ("b.bin", 100), ("b.bin", 10000)],
    files={"b.bin": BINARY})


def binary_readline(p):
    lines = []
    with open(p, "rb") as f:
        line = f.readline()
        while line != b"":
            lines.append(line)
            line = f.readline()
    return lines


add(binary_readline, ["crlf.bin"], files={"crlf.bin": CRLF})


def binary_iterate(p):
    total = 0
    count = 0
    with open(p, "rb") as f:
        for line in f:
            count += 1
            total += len(line)
    return count, total


add(binary_iterate, ["b.bin", "crlf.bin"], files={"b.bin": BINARY, "crlf.bin": CRLF})


def text_seek_tell(p):
    with open(p, "r") as f:
        f.readline()
        pos = f.tell()
        second = f.readline()
        f.seek(pos)
        again = f.readline()
        f.seek(0)
        first = f.read(3)
    return second, again == second, first


add(text_seek_tell, ["in.txt"], files={"in.txt": TEXT_BYTES})


def text_seek_nonzero_end(p):
    with open(p) as f:
        f.seek(2, 2)


add(text_seek_nonzero_end, ["in.txt"], files={"in.txt": TEXT_BYTES})


# ---------------------------------------------------------------------------------------------
# lines: readline until '', readlines, iteration, writelines
# ---------------------------------------------------------------------------------------------
def readline_until_empty(p):
    lines = []
    f = open(p)
    while True:
        line = f.readline()
        if line == "":
            break
        lines.append(line)
    tail = f.readline()
    f.close()
    return lines, tail


add(readline_until_empty, ["in.txt", "crlf.txt", "empty.txt"],
    files={"in.txt": TEXT_BYTES, "crlf.txt": CRLF, "empty.txt": b""})


def readline_limit(p, n):
    with open(p) as f:
        return f.readline(n), f.readline(n), f.readline()


add(readline_limit, [("in.txt", 2), ("in.txt", 0), ("in.txt", 100)], files={"in.txt": TEXT_BYTES})


def readlines_all(p):
    with open(p) as f:
        lines = f.readlines()
    return len(lines), lines


add(readlines_all, ["in.txt", "empty.txt"], files={"in.txt": TEXT_BYTES, "empty.txt": b""})


def iterate_lines(p):
    out = []
    with open(p) as f:
        for line in f:
            out.append(line.rstrip("\n").upper())
    return out


add(iterate_lines, ["in.txt", "crlf.txt", "empty.txt"],
    files={"in.txt": TEXT_BYTES, "crlf.txt": CRLF, "empty.txt": b""})


def count_words(p):
    words = 0
    chars = 0
    longest = ""
    for line in open(p, encoding="utf-8"):
        words += len(line.split())
        chars += len(line)
        if len(line) > len(longest):
            longest = line
    return words, chars, longest


add(count_words, ["in.txt"], files={"in.txt": TEXT_BYTES})


def iterate_then_read(p):
    with open(p) as f:
        for line in f:
            if line.startswith("zweite"):
                break
        rest = f.read()
    return line, rest


add(iterate_then_read, ["in.txt"], files={"in.txt": TEXT_BYTES})


def print_lines(p):
    with open(p) as f:
        for i, line in enumerate(f):
            print(i, line, end="")
    print()


add(print_lines, ["in.txt"], files={"in.txt": TEXT_BYTES})


def writelines_list(p, n):
    lines = []
    for i in range(n):
        lines.append("zeile " + str(i) + ": " + "é" * i + "\n")
    with open(p, "w") as f:
        f.writelines(lines)
    with open(p) as f:
        return f.read()


add(writelines_list, [("w.txt", 0), ("w.txt", 5)])


def writelines_generator(p, n):
    with open(p, "w") as f:
        f.writelines(str(i) + "² = " + str(i * i) + "\n" for i in range(n))
    with open(p) as f:
        return f.readlines()


add(writelines_generator, [("w.txt", 0), ("w.txt", 6)])


def writelines_binary(p):
    with open(p, "wb") as f:
        f.writelines([b"a", b"\x00", b"\xff\n"])


add(writelines_binary, ["w.bin"])


def copy_text(src, dst):
    n = 0
    with open(src) as f, open(dst, "w") as g:
        for line in f:
            g.write(line)
            n += 1
    return n


add(copy_text, [("in.txt", "copy.txt"), ("crlf.txt", "copy.txt"), ("missing.txt", "copy.txt")],
    files={"in.txt": TEXT_BYTES, "crlf.txt": CRLF})


def flush_then_read(p):
    f = open(p, "w")
    f.write("flushed")
    before = open(p).read()
    f.flush()
    g = open(p)
    after = g.read()
    g.close()
    f.close()
    return before, after


add(flush_then_read, ["f.txt"])


def file_attributes(p):
    with open(p, "w", encoding="latin-1") as f:
        a = (f.name, f.mode, f.encoding, f.closed, f.readable(), f.writable(), f.seekable())
    with open(p, "rb") as g:
        b = (g.name, g.mode, g.closed, g.readable(), g.writable())
    return a, b, f.closed, g.closed


add(file_attributes, ["attr.txt"])


# ---------------------------------------------------------------------------------------------
# errors: missing files, wrong direction, closed files
# ---------------------------------------------------------------------------------------------
def open_missing(p):
    f = open(p)
    return f.read()


add(open_missing, ["x", "no/such/dir.txt"])


def open_missing_binary(p):
    with open(p, "rb") as f:
        return f.read()


add(open_missing_binary, ["x"])


def open_directory(p):
    with open(p, "w") as f:
        f.write("x")


def write_to_reader(p):
    with open(p) as f:
        f.write("nope")


def writelines_to_reader(p):
    with open(p) as f:
        f.writelines(["nope"])


def read_from_writer(p):
    with open(p, "w") as f:
        f.write("partial")
        return f.read()


def binary_write_to_reader(p):
    with open(p, "rb") as f:
        f.write(b"nope")


def write_bytes_to_text(p):
    with open(p, "w") as f:
        f.write(b"bytes")


def write_str_to_binary(p):
    with open(p, "wb") as f:
        f.write("str")


def write_int_to_text(p):
    with open(p, "w") as f:
        f.write(5)


add(write_to_reader, ["in.txt"], files={"in.txt": b"contents\n"})
add(writelines_to_reader, ["in.txt"], files={"in.txt": b"contents\n"})
add(read_from_writer, ["in.txt"], files={"in.txt": b"old\n"})
add(binary_write_to_reader, ["in.txt"], files={"in.txt": b"contents\n"})
add(write_bytes_to_text, ["o.txt"])
add(write_str_to_binary, ["o.bin"])
add(write_int_to_text, ["o.txt"])


def write_formatted(p, n):
    with open(p, "w") as f:
        for i in range(n):
            f.write("line %d: %s\n" % (i, "ü" * i))
            f.write("%d\n" % i)


add(write_formatted, [("fmt.txt", 3)])


def read_after_close(p):
    f = open(p)
    f.close()
    return f.read()


def write_after_close(p):
    f = open(p, "w")
    f.write("kept")
    f.close()
    f.write("lost")


def readline_after_with(p):
    with open(p) as f:
        first = f.readline()
    return first, f.readline()


def iterate_after_close(p):
    f = open(p)
    f.close()
    n = 0
    for line in f:
        n += 1
    return n


def double_close(p):
    f = open(p)
    f.close()
    f.close()
    return f.closed


def binary_read_after_close(p):
    with open(p, "rb") as f:
        pass
    return f.read()


def tell_after_close(p):
    with open(p, "rb") as f:
        pass
    return f.tell()


for _fn in (read_after_close, write_after_close, readline_after_with, iterate_after_close,
            double_close, binary_read_after_close, tell_after_close):
    add(_fn, ["in.txt"], files={"in.txt": b"contents\nsecond\n"})


# ---------------------------------------------------------------------------------------------
# with: closes on every exit
# ---------------------------------------------------------------------------------------------
def with_normal_end(p):
    with open(p, "w") as f:
        f.write("body ran")
        inside = f.closed
    return inside, f.closed


add(with_normal_end, ["w.txt"])


def with_returns_file(p):
    with open(p) as f:
        return f


def with_returns_value(p, k):
    with open(p) as f:
        for line in f:
            if line.startswith(k):
                return line, f
    return "", f


add(with_returns_file, ["in.txt"], files={"in.txt": TEXT_BYTES})
add(with_returns_value, [("in.txt", "zweite"), ("in.txt", "nothing")], files={"in.txt": TEXT_BYTES})


def with_return_write(p):
    with open(p, "w") as f:
        f.write("written before return")
        return f.closed


add(with_return_write, ["w.txt"])


def with_break(p, n):
    lines = []
    for i in range(5):
        with open(p, "a") as f:
            f.write("iteration " + str(i) + "\n")
            if i == n:
                break
            lines.append(f.closed)
    return lines, f.closed


add(with_break, [("loop.txt", 0), ("loop.txt", 2), ("loop.txt", 9)])


def with_break_returns_file(p, n):
    for i in range(5):
        with open(p, "a") as f:
            f.write("iteration " + str(i) + "\n")
            if i == n:
                break
    return f


add(with_break_returns_file, [("loop.txt", 0), ("loop.txt", 3)])


def with_break_box(p, box):
    for i in range(5):
        with open(p, "a") as f:
            box.append(f)
            f.write(str(i))
            if i == 2:
                break
    return len(box)


add(with_break_box, [("loop.txt", [])])


def with_continue(p):
    closed = []
    for i in range(4):
        with open(p, "a") as f:
            if i % 2 == 0:
                continue
            f.write("odd " + str(i) + "\n")
        closed.append(f.closed)
    return closed, f.closed


add(with_continue, ["loop.txt"])


def with_continue_box(p, box):
    for i in range(4):
        with open(p, "a") as f:
            box.append(f)
            if i % 2 == 0:
                continue
            f.write("odd " + str(i) + "\n")
    return len(box)


add(with_continue_box, [("loop.txt", [])])


def with_while_break_continue(p):
    i = 0
    with open(p, "w") as f:
        while True:
            i += 1
            if i % 3 == 0:
                continue
            if i > 10:
                break
            f.write(str(i) + ",")
    return f, i


add(with_while_break_continue, ["w.txt"])


def with_continue_in_inner_loop(p):
    n = 0
    with open(p) as f:
        for line in f:
            if not line.strip():
                continue
            n += 1
    return n, f.closed


add(with_continue_in_inner_loop, ["in.txt"], files={"in.txt": TEXT_BYTES})


def with_raises_value_error(p, box):
    with open(p, "w") as f:
        box.append(f)
        f.write("before the error\n")
        int("x")
        f.write("never\n")
    return "unreachable"


def with_raises_index_error(p, box):
    xs = [1, 2, 3]
    with open(p, "w") as f:
        box.append(f)
        f.write("before the error\n")
        f.write(str(xs[7]))
    return "unreachable"


def with_raises_zero_division(p, box, d):
    with open(p, "a") as f:
        box.append(f)
        f.write(str(100 // d) + "\n")
    return f.closed


add(with_raises_value_error, [("e.txt", [])])
add(with_raises_index_error, [("e.txt", [])])
add(with_raises_zero_division, [("e.txt", [], 5), ("e.txt", [], 0)])


def with_raises_reading(p, box):
    with open(p) as f:
        box.append(f)
        total = 0
        for line in f:
            total += int(line)
    return total


add(with_raises_reading, [("n.txt", []), ("bad.txt", [])],
    files={"n.txt": b"1\n2\n3\n", "bad.txt": b"1\n2\nthree\n"})


def with_passed_file_raises(f):
    with f:
        f.write("from compiled code\n")
        int("not a number")


def with_passed_file_returns(f):
    with f:
        return f.readline()


def with_passed_file_ends(f):
    with f:
        f.write(b"bin\x00")
    return f.closed


add(with_passed_file_raises, [(PyFile("p.txt", "w"),)])
add(with_passed_file_returns, [(PyFile("in.txt", "r"),)], files={"in.txt": TEXT_BYTES})
add(with_passed_file_ends, [(PyFile("p.bin", "wb"),)])


def nested_withs(a, b):
    with open(a) as f:
        with open(b, "w") as g:
            for line in f:
                g.write(line[::-1])
            inner = g.closed
        middle = (g.closed, f.closed)
    return inner, middle, f.closed


add(nested_withs, [("in.txt", "out.txt"), ("missing.txt", "out.txt")],
    files={"in.txt": b"abc\ndef\n"})


def nested_withs_raise(a, b, box):
    with open(a, "w") as f:
        box.append(f)
        f.write("outer\n")
        with open(b, "w") as g:
            box.append(g)
            g.write("inner\n")
            int("boom")


add(nested_withs_raise, [("a.txt", "b.txt", [])])


def two_item_with(a, b):
    with open(a, "rb") as f, open(b, "wb") as g:
        data = f.read()
        g.write(data[::-1])
    return len(data), f.closed, g.closed


add(two_item_with, [("in.bin", "out.bin"), ("missing.bin", "out.bin"), ("in.bin", "no/dir/x")],
    files={"in.bin": BINARY})


def two_item_with_return(a, b):
    with open(a) as f, open(b, "w") as g:
        for line in f:
            if "Zeile" in line:
                g.write(line)
                return f, g
            g.write("skip\n")
    return f, g


add(two_item_with_return, [("in.txt", "out.txt")], files={"in.txt": TEXT_BYTES})


def with_without_as(p):
    f = open(p, "w")
    with f:
        f.write("no as")
    return f.closed


add(with_without_as, ["w.txt"])


def two_item_with_second_fails(f, b):
    with f, open(b, "w") as g:
        g.write("never")
    return "unreachable"


add(two_item_with_second_fails, [(PyFile("in.txt"), "no/such/dir/out.txt"), (PyFile("in.txt"), "out.txt")],
    files={"in.txt": TEXT_BYTES})


def two_item_with_raises(f, b):
    with f, open(b, "w") as g:
        g.write(f.readline())
        g.write(str([1][5]))
    return "unreachable"


add(two_item_with_raises, [(PyFile("in.txt"), "out.txt")], files={"in.txt": TEXT_BYTES})


def with_break_in_nested_loops(p, stop):
    n = 0
    with open(p) as f:
        for line in f:
            for ch in line:
                n += 1
                if ch == stop:
                    break
            if n > 30:
                return f, n
    return f, n


add(with_break_in_nested_loops, [("in.txt", "w"), ("in.txt", "#")], files={"in.txt": TEXT_BYTES})


def with_error_in_loop_body(p, box, k):
    for i in range(3):
        with open(p, "a") as f:
            box.append(f)
            f.write(str(10 // (k - i)) + "\n")
    return f


add(with_error_in_loop_body, [("e.txt", [], 9), ("e.txt", [], 1)])


@pyvorin.jit
def count_lines_of(f):
    n = 0
    for _line in f:
        n += 1
    return n


def file_to_callee(p):
    with open(p) as f:
        n = count_lines_of(f)
        tail = f.readline()
    return n, tail, f


add(file_to_callee, ["in.txt"], files={"in.txt": TEXT_BYTES})


def print_file_object(p):
    with open(p, "w") as f:
        print(f)
    g = open(p, "rb")
    print(g)
    g.close()
    print(g)


add(print_file_object, ["shown.txt"])


def big_file_lines(p, n):
    with open(p, "w") as f:
        for i in range(n):
            f.write("row " + str(i) + " " + "ß" * (i % 50) + "\n")
    total = 0
    lines = 0
    with open(p) as f:
        for line in f:
            lines += 1
            total += len(line)
    with open(p, "rb") as g:
        size = len(g.read())
    return lines, total, size


add(big_file_lines, [("big.txt", 20000)])


def exclusive_binary(p):
    with open(p, "xb") as f:
        f.write(b"new")


add(exclusive_binary, ["exists.bin", "fresh.bin"], files={"exists.bin": b"old"})


def utf16_round_trip(p, s):
    with open(p, "w", encoding="utf-16") as f:
        f.write(s)
    with open(p, encoding="utf-16") as f:
        return f.read()


add(utf16_round_trip, [("u16.txt", "grüße 🐍\n")])


def binary_readline_limit(p):
    with open(p, "rb") as f:
        return f.readline(3), f.readline(100), f.readlines()


add(binary_readline_limit, ["crlf.bin"], files={"crlf.bin": CRLF})


def read_splitlines(p):
    with open(p, newline="") as f:
        data = f.read()
    return data.splitlines(), data.split("\n"), len(data)


add(read_splitlines, ["crlf.txt"], files={"crlf.txt": CRLF})


# ---------------------------------------------------------------------------------------------
# files opened in Python and passed in
# ---------------------------------------------------------------------------------------------
def passed_readline(f):
    return f.readline()


def passed_read_n(f, n):
    return f.read(n)


def passed_write(f, s):
    return f.write(s)


def passed_identity(f, g):
    return f is g, f


def passed_lines(f):
    n = 0
    for line in f:
        n += len(line)
        if n > 20:
            break
    return n


def passed_close(f):
    f.write("then closed\n")
    f.close()
    return f.closed


def passed_seek_rw(f):
    f.seek(2)
    head = f.read(3)
    f.seek(0, 2)
    end = f.tell()
    f.write(b"++")
    f.seek(-4, 1)
    return head, end, f.read()


def passed_readlines(f):
    return f.readlines()


add(passed_readline, [(PyFile("in.txt"),), (PyFile("in.bin", "rb"),), (PyFile("empty.txt"),)],
    files={"in.txt": TEXT_BYTES, "in.bin": CRLF, "empty.txt": b""})
add(passed_read_n, [(PyFile("in.txt"), 4), (PyFile("in.bin", "rb"), 4), (PyFile("in.bin", "rb"), -1)],
    files={"in.txt": TEXT_BYTES, "in.bin": BINARY})
add(passed_write, [(PyFile("o.txt", "w"), "üñî\n"), (PyFile("o.txt", "a"), "appended\n"),
                   (PyFile("in.txt", "r"), "not writable")],
    files={"o.txt": b"start\n", "in.txt": b"x"})
add(passed_identity, [(PyFile("in.txt"), PyFile("in.txt"))], files={"in.txt": TEXT_BYTES})
add(passed_lines, [(PyFile("in.txt"),), (PyFile("in.bin", "rb"),)],
    files={"in.txt": TEXT_BYTES, "in.bin": CRLF})
add(passed_close, [(PyFile("c.txt", "w"),), (PyFile("c.txt", "a", encoding="latin-1"),)],
    files={"c.txt": b"old\n"})
add(passed_seek_rw, [(PyFile("rw.bin", "r+b"),)], files={"rw.bin": b"0123456789"})
add(passed_readlines, [(PyFile("crlf.txt", newline=""),), (PyFile("crlf.bin", "rb"),)],
    files={"crlf.txt": CRLF, "crlf.bin": CRLF})


# ---------------------------------------------------------------------------------------------
# bytes
# ---------------------------------------------------------------------------------------------
def bytes_literals():
    a = b"abc"
    b = b"\x00\xff\n\t"
    c = b""
    d = rb"\d+"
    e = b"one" b"two"
    return a, b, c, d, e


add(bytes_literals, [()])


def bytes_index(b, i):
    return b[i], b[i] + 1


add(bytes_index, [(b"abc", 0), (b"abc", 2), (b"abc", -1), (b"abc", -3), (b"\xff\x00", 0),
                  (b"abc", 3), (b"abc", -4), (b"", 0)])


def bytes_literal_index(i):
    b = b"hello"
    return b[i] + b[-1]


add(bytes_literal_index, [0, 4, -5, 5, -6])


def bytes_slices(b):
    return b[1:], b[:-1], b[::2], b[::-1], b[1:6:2], b[-2:], b[5:1:-1], b[100:], b[2:2]


add(bytes_slices, [b"", b"a", b"abcdefgh", bytes(range(20))])


def bytes_slice_vars(b, i, j, k):
    return b[i:j:k]


add(bytes_slice_vars, [(b"abcdefgh", 0, 8, 3), (b"abcdefgh", -1, -9, -2), (b"abcdefgh", 1, 3, 1),
                       (b"abcdefgh", 0, 5, 0)])


def bytes_len(b):
    return len(b), len(b + b), len(b"\x00" * 3)


add(bytes_len, [b"", b"abc", BINARY])


def bytes_sum(b):
    total = 0
    for x in b:
        total += x
    return total


add(bytes_sum, [b"", b"abc", BINARY, b"\xff" * 1000])


def bytes_iter_types(b):
    out = []
    for x in b:
        out.append(x * 2)
    return out


add(bytes_iter_types, [b"\x00\x01\xff"])


def bytes_contains(b, x):
    return x in b, x not in b


add(bytes_contains, [(b"abc", 98), (b"abc", 100), (b"abc", b"bc"), (b"abc", b""), (b"abc", b"ca"),
                     (b"abc", 256), (b"abc", -1)])


def bytes_decode(b):
    return b.decode("utf-8")


add(bytes_decode, [b"plain", "héllo €".encode("utf-8"), b"", BAD_UTF8, b"\xe2\x82", b"\xc3("])


def bytes_decode_default(b):
    return b.decode(), b.decode("latin-1"), b.decode("ascii", "replace")


add(bytes_decode_default, [b"abc", LATIN1, b"\xff"])


def bytes_methods(b):
    return (b.split(b","), b.split(), b.find(b"c"), b.find(b"zz"), b.rfind(b","),
            b.startswith(b"a"), b.startswith(b"b"), b.endswith(b"c"), b.upper(), b.strip(),
            b.replace(b",", b";"), b.count(b","), b.index(b","), b.hex(), b.join([b"x", b"y"]))


add(bytes_methods, [b"a,b,c", b"  a,,b c ,  ", b"x,y"])


def bytes_index_missing(b):
    return b.index(b"#")


add(bytes_index_missing, [b"abc", b"a#c"])


def bytes_concat(a, b):
    return a + b, b + a, a + b"!", b"" + a


add(bytes_concat, [(b"ab", b"cd"), (b"", b""), (b"\x00", b"\xff")])


def bytes_repeat(b, n):
    return b * n, n * b


add(bytes_repeat, [(b"ab", 3), (b"ab", 0), (b"ab", -2), (b"", 10)])


def bytes_concat_str(b):
    return b + "str"


add(bytes_concat_str, [b"ab"])


def bytes_compare(a, b):
    return a == b, a != b, a < b, a <= b, a > b


add(bytes_compare, [(b"ab", b"ab"), (b"ab", b"abc"), (b"b", b"abc"), (b"", b"")])


def bytes_from_list(n):
    xs = []
    for i in range(n):
        xs.append(i * 37 % 256)
    return bytes(xs)


add(bytes_from_list, [0, 5, 300])


def bytes_from_bad_list(v):
    return bytes([1, 2, v])


add(bytes_from_bad_list, [3, 256, -1])


def bytes_constructors(n):
    return bytes(n), bytes(), bytes(b"copy"), bytes(range(n))


add(bytes_constructors, [0, 4])


def str_encode(s):
    a = s.encode()
    b = s.encode("utf-8")
    c = s.encode("latin-1", "replace")
    return a, b, c, len(a)


add(str_encode, ["", "abc", "héllo €", "🐍"])


def str_encode_error(s):
    return s.encode("ascii")


add(str_encode_error, ["abc", "naïve"])


def encode_decode_round(s):
    b = s.encode("utf-8")
    total = 0
    for x in b:
        total += x
    return b.decode("utf-8") == s, total, len(b) - len(s)


add(encode_decode_round, ["", "plain", "ünïcödé", "日本"])


def bytes_builder(n):
    out = b""
    for i in range(n):
        out = out + bytes([65 + i % 26])
    return out


add(bytes_builder, [0, 30])


def bytes_truth_and_str(b):
    r = 0
    if b:
        r = 1
    return r, str(b), repr(b)


add(bytes_truth_and_str, [b"", b"a'b\"\x00"])


def bytes_print(b):
    print(b, b[0], b[1:])
    print(len(b), b.decode("latin-1"))


add(bytes_print, [b"xyz\xe9"])


def bytes_builtins(b):
    return sum(b), max(b), min(b), list(b), sorted(b), b.count(97), b[::-1] == b, list(reversed(b))


add(bytes_builtins, [b"abcba", b"\x00\xff", b"a"])


def bytes_builtins_empty(b):
    return max(b)


add(bytes_builtins_empty, [b"", b"z"])


def bytes_keys(words):
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return counts, b"a" in counts, sorted(counts)


add(bytes_keys, [([b"a", b"b", b"a", b""],)])


def bytes_vs_str(b, s):
    return b == s, b != s, b.decode() == s


add(bytes_vs_str, [(b"abc", "abc"), (b"", "")])


def bytes_enumerate(b):
    out = []
    for i, x in enumerate(b):
        if x == 44:
            out.append(i)
    return out, [x + 1 for x in b], any(x > 127 for x in b)


add(bytes_enumerate, [b"a,b,,c", b"", b"\x80,"])


# ---------------------------------------------------------------------------------------------
# files and bytes together
# ---------------------------------------------------------------------------------------------
def checksum_file(p):
    with open(p, "rb") as f:
        data = f.read()
    s = 0
    for i in range(len(data)):
        s = (s * 31 + data[i]) % 1000003
    return s, data[:4], data[-2:], data.count(b"\n")


add(checksum_file, ["b.bin", "crlf.bin", "empty.bin"],
    files={"b.bin": BINARY, "crlf.bin": CRLF, "empty.bin": b""})


def csv_bytes(p):
    rows = []
    with open(p, "rb") as f:
        for line in f:
            fields = line.strip().split(b",")
            rows.append([x.decode("utf-8") for x in fields])
    return rows


add(csv_bytes, ["t.csv"], files={"t.csv": "a,b,c\n1,2,3\nä,ö,ü\n".encode("utf-8")})


def encode_to_file(p, s):
    with open(p, "wb") as f:
        f.write(s.encode("utf-8"))
        f.write(b"\n")
    with open(p, "r", encoding="utf-8") as g:
        return g.read()


add(encode_to_file, [("e.txt", "grüße 🐍")])



# ---------------------------------------------------------------------------------------------
# Not in CASES: used by test_files.py's own tests
# ---------------------------------------------------------------------------------------------
def append_then_overflow(p, n):
    f = open(p, "a")
    f.write("the line\n")
    x = n * 4  # overflow
    f.close()
    return x


def with_append_then_overflow(p, n):
    with open(p, "a") as f:
        f.write("the line\n")
        x = n * 4  # overflow
        f.write("after\n")
    return x


def passed_write_then_overflow(f, n):
    f.write("the line\n")
    x = n * 4  # overflow
    return x


def literal_overflow_after_write(p):
    f = open(p, "a")
    f.write("the line\n")
    x = 2**62
    x = x * 4  # overflow
    f.close()
    return x


def write_many_and_close(p, n):
    f = open(p, "w")
    for i in range(n):
        f.write("record " + str(i) + ": ünïcode ✓\n")
    f.close()
    return n


def write_many_with(p, n):
    with open(p, "wb") as f:
        for i in range(n):
            f.write(b"rec,")
            f.write(bytes([i % 256]))
    return n


def write_and_flush(p, n):
    f = open(p, "a")
    for i in range(n):
        f.write("flushed " + str(i) + "\n")
    f.flush()
    return f


def raise_in_with_many(p):
    with open(p, "w") as f:
        f.write("x")
        int("x")


def write_no_close(p, n):
    f = open(p, "w")
    for i in range(n):
        f.write("unclosed " + str(i) + "\n")
    return n


def write_no_close_with_exception(p):
    f = open(p, "w")
    f.write("unclosed before the error\n")
    return int("x")


def bytes_sum_any(b):
    total = 0
    for x in b:
        total += x
    return total, len(b), b[0], b[-2:]


def interrupted_write(p, box, n):
    with open(p, "w") as f:
        box.append(f)
        for i in range(n):
            f.write("x")
    return n
def print_report(path, rows):
    with open(path, "w") as f:
        for name, n in rows:
            print(name, n, sep=": ", file=f)
        print("total", sum(n for _, n in rows), file=f, flush=True)
        print(file=f)
    with open(path) as f:
        return f.read()

def print_to_binary(path):
    with open(path, "wb") as f:
        print("x", file=f)
