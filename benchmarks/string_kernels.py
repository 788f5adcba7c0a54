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
