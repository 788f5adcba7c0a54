"""Realistic string functions, in the style of public code (text utilities, parsers, formatters):
test_string_corpus.py compiles each one, checks it runs natively and agrees with CPython."""
def is_palindrome(s):
    t = "".join(c.lower() for c in s if c.isalnum())
    return t == t[::-1]

def reverse_words(s):
    return " ".join(reversed(s.split()))

def caesar(s, k):
    out = []
    for c in s:
        if c.isalpha() and c.isascii():
            base = ord("a") if c.islower() else ord("A")
            out.append(chr((ord(c) - base + k) % 26 + base))
        else:
            out.append(c)
    return "".join(out)

def vowels(s):
    return sum(1 for c in s.lower() if c in "aeiou")

def rle(s):
    if not s:
        return ""
    out = []
    prev = s[0]
    n = 1
    for c in s[1:]:
        if c == prev:
            n += 1
        else:
            out.append(f"{n}{prev}")
            prev = c
            n = 1
    out.append(f"{n}{prev}")
    return "".join(out)

def anagram(a, b):
    return sorted(a.replace(" ", "").lower()) == sorted(b.replace(" ", "").lower())

def to_roman(n):
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, sym in vals:
        while n >= v:
            out += sym
            n -= v
    return out

def from_roman(s):
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for i in range(len(s)):
        v = vals[s[i]]
        if i + 1 < len(s) and vals[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total

def parse_kv(s):
    d = {}
    for part in s.split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            d[k.strip()] = v.strip()
    return d

def camel_to_snake(s):
    out = ""
    for i, c in enumerate(s):
        if c.isupper() and i > 0:
            out += "_"
        out += c.lower()
    return out

def wrap(text, width):
    lines = []
    cur = ""
    for w in text.split():
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        elif cur:
            cur = cur + " " + w
        else:
            cur = w
    if cur:
        lines.append(cur)
    return lines

def char_freq(s):
    d = {}
    for c in s:
        d[c] = d.get(c, 0) + 1
    return sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))

def hamming(a, b):
    if len(a) != len(b):
        raise ValueError("lengths differ")
    return sum(1 for x, y in zip(a, b) if x != y)

def hamming2(a, b):
    n = 0
    for i in range(len(a)):
        if a[i] != b[i]:
            n += 1
    return n

def title_case(s):
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split(" "))

def table(rows):
    out = []
    for name, score in rows:
        out.append("%-10s|%6.2f" % (name, score))
    return "\n".join(out)

def hexdump(data):
    return " ".join(f"{b:02x}" for b in data)

def count_words(path):
    n = 0
    with open(path) as f:
        for line in f:
            n += len(line.split())
    return n

def longest_word(s):
    best = ""
    for w in s.split():
        if len(w) > len(best):
            best = w
    return best

def strip_comments(lines):
    out = []
    for line in lines:
        i = line.find("#")
        if i >= 0:
            line = line[:i]
        line = line.rstrip()
        if line:
            out.append(line)
    return out

def zfill_all(nums, w):
    return [str(n).zfill(w) for n in nums]

def bin_str(n):
    return format(n, "b"), f"{n:08b}", hex(n), oct(n), bin(n)

def num_parse(items):
    total = 0.0
    for s in items:
        s = s.strip()
        if s.isdigit():
            total += int(s)
        else:
            total += float(s)
    return total

def fmt_all(x, n):
    return f"{x!r} {x!s} {n:>8,} {x:e} {n:08b} {x:10.2%} {'ab':^9}|"

def startswith_any(words, prefixes):
    return [w for w in words if w.startswith(prefixes)]

def partition_all(s):
    a, sep, b = s.partition(":")
    return a, sep, b, s.rpartition(":")

def find_all(s, sub):
    out = []
    i = s.find(sub)
    while i != -1:
        out.append(i)
        i = s.find(sub, i + 1)
    return out

def encode_len(s):
    b = s.encode()
    return len(b), b[:4], b.decode()
def parse_ints(line):
    return list(map(int, line.split()))

def join_nums(xs):
    return ", ".join(map(str, xs))

def sort_ci(words):
    return sorted(words, key=str.lower)

def longest(words):
    return max(map(len, words))

def counter(s):
    counts = {}
    for ch in s:
        if ch in counts:
            counts[ch] += 1
        else:
            counts[ch] = 1
    return counts

def fmt_method(name, n):
    return "{}: {:>5}".format(name, n) + "{0}-{0}".format(n)

def fmt_kw(name):
    return "{name}!".format(name=name)

def percent(x):
    return "%d items, %.2f%%" % (x, x / 3)

def words_upper(s):
    return [w.upper() for w in s.split() if len(w) > 2]

def first_upper(s):
    return s[0].upper() + s[1:] if s else s

def digits_sum(s):
    return sum(int(c) for c in s if c.isdigit())

def is_number(s):
    return s.replace(".", "", 1).isdigit()

def split_lines(text):
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        out.append((key.strip(), value.strip()))
    return out

def bytes_sum(b):
    return sum(b)

def char_set(s):
    return len(set(s))

def str_mul(s, n):
    return "-" * n + s + "=" * (n // 2)

def enumerate_chars(s):
    return [(i, c) for i, c in enumerate(s) if c != " "]

def zip_strs(a, b):
    return "".join(x + y for x, y in zip(a, b))

def in_list(word, words):
    return word in words and word.lower() not in ("a", "the")

def ternary_fmt(n):
    return f"{n} item{'s' if n != 1 else ''}"

def nested_fstr(x, w):
    return f"{x:{w}.2f}|{x:>{w}}"

def str_compare(a, b):
    return a < b, a <= b, max(a, b), min(a, b, "m")

def str_index_loop(s):
    total = 0
    for i in range(len(s)):
        total += ord(s[i])
    return total

def dict_of_lists(words):
    groups = {}
    for w in words:
        groups.setdefault(w[0], []).append(w)
    return groups

def rstrip_lines(lines):
    return [l.rstrip("\n") for l in lines]
def top_words(text, n):
    counts = {}
    for w in text.lower().split():
        w = w.strip(".,;:!?\"'()")
        if w:
            counts[w] = counts.get(w, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

def acronym(s):
    return "".join(w[0].upper() for w in s.replace("-", " ").split() if w)

def is_isogram(s):
    letters = [c.lower() for c in s if c.isalpha()]
    return len(letters) == len(set(letters))

def pig_latin(word):
    vowels = "aeiou"
    if word[0] in vowels:
        return word + "way"
    for i, c in enumerate(word):
        if c in vowels:
            return word[i:] + word[:i] + "ay"
    return word + "ay"

def bob(msg):
    msg = msg.strip()
    if not msg:
        return "Fine. Be that way!"
    if msg.isupper() and msg.endswith("?"):
        return "Calm down, I know what I'm doing!"
    if msg.isupper():
        return "Whoa, chill out!"
    if msg.endswith("?"):
        return "Sure."
    return "Whatever."

def luhn(card):
    digits = card.replace(" ", "")
    if len(digits) <= 1 or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0

def atbash(s):
    out = []
    for c in s.lower():
        if c.isalpha():
            out.append(chr(ord("z") - (ord(c) - ord("a"))))
        elif c.isdigit():
            out.append(c)
    return " ".join("".join(out[i:i + 5]) for i in range(0, len(out), 5))

def diamond(letter):
    n = ord(letter) - ord("A")
    rows = []
    for i in range(n + 1):
        c = chr(ord("A") + i)
        outer = " " * (n - i)
        if i == 0:
            rows.append(outer + c + outer)
        else:
            rows.append(outer + c + " " * (2 * i - 1) + c + outer)
    return rows + rows[-2::-1]

def word_count(sentence):
    counts = {}
    cleaned = ""
    for ch in sentence.lower():
        cleaned += ch if ch.isalnum() or ch == "'" else " "
    for w in cleaned.split():
        w = w.strip("'")
        counts[w] = counts.get(w, 0) + 1
    return counts

def rotate(text, key):
    res = ""
    for c in text:
        if c.isupper():
            res += chr((ord(c) - 65 + key) % 26 + 65)
        elif c.islower():
            res += chr((ord(c) - 97 + key) % 26 + 97)
        else:
            res += c
    return res

def format_table(headers, rows):
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = [" | ".join(h.ljust(widths[i]) for i, h in enumerate(headers))]
    lines.append("-+-".join("-" * w for w in widths))
    for row in rows:
        lines.append(" | ".join(c.ljust(widths[i]) for i, c in enumerate(row)))
    return "\n".join(lines)

def slugify(s):
    out = []
    prev_dash = False
    for c in s.lower():
        if c.isalnum():
            out.append(c)
            prev_dash = False
        elif not prev_dash:
            out.append("-")
            prev_dash = True
    return "".join(out).strip("-")

def parse_csv_line(line):
    fields = []
    cur = ""
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            fields.append(cur)
            cur = ""
        else:
            cur += ch
    fields.append(cur)
    return fields

def human_size(n):
    units = ["B", "KB", "MB", "GB"]
    size = float(n)
    for u in units:
        if size < 1024 or u == units[-1]:
            return f"{size:.1f} {u}"
        size /= 1024
    return ""

def matching_brackets(s):
    stack = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for c in s:
        if c in "([{":
            stack.append(c)
        elif c in pairs:
            if not stack or stack.pop() != pairs[c]:
                return False
    return not stack

def series(s, n):
    if n > len(s) or n < 1:
        raise ValueError("invalid length")
    return [s[i:i + n] for i in range(len(s) - n + 1)]
