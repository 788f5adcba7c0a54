"""String and file benchmark kernels (issue 8 §4): plain Python functions over str values and text
files. strings.py loads this file once per implementation (CPython, Numba, Pyvorin) and decorates
every kernel, as containers.py does with container_kernels.py. Kernels never mutate their inputs,
so one input serves every call; the file kernels take a path and open the file themselves.

make_args builds the inputs deterministically (a fixed seed): pseudo-English text from a fixed
vocabulary with Zipf-like word frequencies, report rows, two strings over a 4-letter alphabet, and
two text files written into a directory the caller gives (strings.py uses a temporary directory
that it deletes at the end; the smoke test uses pytest's tmp_path).
"""
import os
import random


def word_freq(text):
    counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    return counts


def build_report(rows):
    lines = []
    for name, qty, price in rows:
        lines.append(f"{name:<12}{qty:>6}{price:>10.2f}")
    return "\n".join(lines)


def lcs(a, b):
    m = len(b)
    prev = [0] * (m + 1)
    for ch in a:
        cur = [0] * (m + 1)
        for j in range(1, m + 1):
            if ch == b[j - 1]:
                cur[j] = prev[j - 1] + 1
            else:
                up = prev[j]
                left = cur[j - 1]
                cur[j] = up if up > left else left
        prev = cur
    return prev[m]


def csv_totals(path):
    totals = {}
    with open(path) as f:
        for line in f:
            fields = line.split(",")
            qty = int(fields[1])
            price = float(fields[2])
            key = fields[0]
            totals[key] = totals.get(key, 0.0) + qty * price
    return totals


def count_lines(path):
    n = 0
    nonempty = 0
    chars = 0
    with open(path) as f:
        for line in f:
            n += 1
            chars += len(line)
            if line.strip():
                nonempty += 1
    return (n, nonempty, chars)


# The timed kernels, in table order.
KERNELS = ["word_freq", "build_report", "lcs", "csv_totals", "count_lines"]

# Helpers every implementation must decorate too (called from kernels): none.
HELPERS = []

# Kernels that take the path of a file make_args writes.
FILE_KERNELS = {"csv_totals", "count_lines"}

# Input parameters per profile; make_args turns them into the kernel's arguments.
#   word_freq: characters of text; build_report: rows; lcs: the two lengths;
#   csv_totals: lines of the file; count_lines: characters of the file.
SIZES = {
    "full": {
        "word_freq": (1_000_000,),
        "build_report": (100_000,),
        "lcs": (2000, 2000),
        "csv_totals": (100_000,),
        "count_lines": (10_000_000,),
    },
    "quick": {
        "word_freq": (100_000,),
        "build_report": (10_000,),
        "lcs": (300, 300),
        "csv_totals": (10_000,),
        "count_lines": (1_000_000,),
    },
    "tiny": {
        "word_freq": (300,),
        "build_report": (7,),
        "lcs": (13, 17),
        "csv_totals": (20,),
        "count_lines": (600,),
    },
}

# ------------------------------------------------------------------------------------ the inputs

_ONSETS = ["b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "w", "th", "st",
           "br", "ch", "gr", "pl", "sh", "tr", ""]
_VOWELS = ["a", "e", "i", "o", "u", "ea", "ou", "ai"]
_CODAS = ["", "", "n", "r", "s", "t", "nd", "ng", "st", "ll"]
# A few words beyond ASCII, as real text has (len() counts code points, not bytes).
_NON_ASCII = ["café", "naïve", "résumé", "Straße", "Zürich", "façade", "año", "smörgåsbord"]


def vocabulary(rng, n=3000):
    """n distinct pseudo-English words (1-3 syllables), rarest last, with common short words and a
    few non-ASCII words mixed in."""
    words = ["the", "of", "and", "to", "a", "in", "is", "it", "that", "was", "for", "on", "with"]
    seen = set(words)
    while len(words) < n:
        if rng.random() < 0.004:
            w = rng.choice(_NON_ASCII)
        else:
            w = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                        for _ in range(rng.choice((1, 1, 2, 2, 2, 3))))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def _zipf_words(rng, vocab):
    cum, total = [], 0.0
    for rank in range(len(vocab)):
        total += 1.0 / (rank + 1)
        cum.append(total)
    while True:
        yield from rng.choices(vocab, cum_weights=cum, k=1024)


def pseudo_english(rng, nchars, vocab=None):
    """About nchars characters (exactly nchars or a few fewer) of sentences: a capitalised first
    word, 4-20 words, a '.', ',' now and then, and a newline after about one sentence in six."""
    vocab = vocab or vocabulary(rng)
    words = _zipf_words(rng, vocab)
    out, size = [], 0
    while size < nchars:
        sentence = [next(words) for _ in range(rng.randint(4, 20))]
        sentence[0] = sentence[0].capitalize()
        for i in range(len(sentence) - 1):
            if rng.random() < 0.06:
                sentence[i] += ","
        s = " ".join(sentence) + "." + ("\n" if rng.random() < 0.17 else " ")
        out.append(s)
        size += len(s)
    return "".join(out)[:nchars]


def report_rows(rng, n):
    vocab = vocabulary(rng, 500)
    rows = []
    for _ in range(n):
        name = rng.choice(vocab)
        if rng.random() < 0.1:
            name = name + "_" + rng.choice(vocab)  # some names longer than the 12-column field
        rows.append((name, rng.randint(-50, 5000), rng.randint(-10_000, 10_000_000) / 100))
    return rows


def write_csv(path, rng, nlines, nkeys=1000):
    """nlines lines 'key,qty,price' (key from nkeys names, qty an int, price with 2 decimals)."""
    vocab = vocabulary(rng, nkeys)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for _ in range(nlines):
            key = rng.choice(vocab)
            fh.write(f"{key},{rng.randint(1, 500)},{rng.randint(1, 2_000_000) / 100:.2f}\n")


def write_text(path, rng, nchars, width=72):
    """About nchars characters of pseudo-English wrapped at width columns (lines of 1 to width
    characters), paragraphs separated by an empty line or, now and then, a line of spaces."""
    lines = []
    for para in pseudo_english(rng, nchars).split("\n"):
        line = ""
        for w in para.split(" "):
            if line and len(line) + 1 + len(w) > width:
                lines.append(line)
                line = w
            else:
                line = line + " " + w if line else w
        lines.append(line)
        lines.append("   " if rng.random() < 0.2 else "")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")


def make_args(kernel, params, tmpdir, seed=12345):
    """The kernel's arguments for SIZES[profile][kernel]; deterministic. The file kernels' files are
    written into tmpdir (once per kernel and size: an existing file is reused)."""
    rng = random.Random(seed)
    if kernel == "word_freq":
        (n,) = params
        return (pseudo_english(rng, n),)
    if kernel == "build_report":
        (n,) = params
        return (report_rows(rng, n),)
    if kernel == "lcs":
        n, m = params
        return ("".join(rng.choice("ACGT") for _ in range(n)),
                "".join(rng.choice("ACGT") for _ in range(m)))
    if kernel == "csv_totals":
        (n,) = params
        path = os.path.join(tmpdir, f"sales_{n}.csv")
        if not os.path.exists(path):
            write_csv(path, rng, n)
        return (path,)
    if kernel == "count_lines":
        (n,) = params
        path = os.path.join(tmpdir, f"text_{n}.txt")
        if not os.path.exists(path):
            write_text(path, rng, n)
        return (path,)
    raise KeyError(kernel)


# ------------------------------------------------------------------------------------ edge cases

# Small inputs where a native implementation can differ from CPython: Unicode whitespace for
# split() and strip(), code points beyond ASCII and beyond the BMP, format specs on odd floats,
# files without a final newline, '\r' and '\r\n' (text mode reads both as '\n'), multi-byte
# characters and '\r\n' across the 8 KiB chunks CPython's TextIOWrapper reads, invalid UTF-8, and
# int()/float() fields with spaces and signs. tests/python/test_benchmarks_smoke.py checks every
# implementation against CPython on them (the same value, or the same exception type).
_EDGE_TEXT = {
    "empty": "",
    "spaces only": " \t\n \r\n  ",
    "runs of whitespace": "a  b\tc\nd\r\ne a\x0bb\x0cc",
    "Unicode whitespace": "x\u3000y\u2003x\x1cz\x1dz\x1ez\x1fz\x85q\xa0q\u2028r\u2029r\u200bs",
    "non-ASCII words": "café naïve café 😀 😀 Straße straße ΣΑΣ",
}
_EDGE_ROWS = {
    "no rows": [],
    "empty name, zeros": [("", 0, 0.0), ("a", -0, -0.0)],
    "wide and odd values": [("é" * 15, -1, -0.004), ("x", 10**7, 1e20), ("😀", 3, 2.675),
                            ("tab\tname", -123456, 0.125), ("n", 7, float("nan")),
                            ("i", 8, float("-inf")), ("big", 2**70, 1.5e-300)],
}
_EDGE_LCS = {
    "both empty": ("", ""),
    "one empty": ("abc", ""),
    "identical": ("GATTACA", "GATTACA"),
    "non-ASCII": ("é😀aΣb", "a😀bΣé"),
}
_EDGE_CSV = {
    "empty file": b"",
    "no final newline": b"k,1,2.5",
    "spaces and signs": b"k, 3 ,-1.5\nk,+4,  .5\n k,-2,1e3\n",
    "non-ASCII keys, CRLF": "é,2,1.25\r\nΣ,1,3\r\né,5,0.1\r\n".encode(),
    "bad int": b"k,1,2.5\nk,x,1.0\n",
    "missing field": b"k,1,2.5\nk,1\n",
}
_EDGE_LINES = {
    "empty file": b"",
    "one newline": b"\n",
    "no final newline": b"first\nsecond",
    "CR and CRLF": b"a\r\nb\rc\n\r\n\r",
    "blank lines": "\t \n\x0c\n\u3000\n \u2003 \nx\n".encode(),
    "non-ASCII": "é😀\nΣ\n".encode(),
    "long line": b"y" * 100_000 + b"\nz\n",
    "chunk boundaries": ("é" * 5000 + "\n").encode() * 3 + b"a" * 8191 + b"\r\nb\n" +
                        ("x" * 8190 + "😀\n").encode(),
    "invalid UTF-8": b"ok\n\xff\xfe\n",
}


def edge_cases(kernel, tmpdir):
    """[(name, args)] of the edge cases above for kernel (the file kernels' files written into
    tmpdir)."""
    if kernel == "word_freq":
        return [(name, (text,)) for name, text in _EDGE_TEXT.items()]
    if kernel == "build_report":
        return [(name, (rows,)) for name, rows in _EDGE_ROWS.items()]
    if kernel == "lcs":
        return list(_EDGE_LCS.items())
    contents = _EDGE_CSV if kernel == "csv_totals" else _EDGE_LINES
    out = []
    for i, (name, data) in enumerate(contents.items()):
        path = os.path.join(tmpdir, f"edge_{kernel}_{i}.txt")
        with open(path, "wb") as fh:
            fh.write(data)
        out.append((name, (path,)))
    return out
