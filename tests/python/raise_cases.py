"""raise and assert in compiled code (test_raise.py): builtin exceptions made and raised natively."""
def parse_pair(s):
    if "=" not in s:
        raise ValueError(f"no '=' in {s!r}")
    k, v = s.split("=", 1)
    return k.strip(), int(v)

def check_len(s, n):
    assert len(s) <= n, "too long"
    assert s
    return s

def bare(x):
    if x < 0:
        raise ValueError
    return x * 2

def key_err(d, k):
    if k not in d:
        raise KeyError(k)
    return d[k]

def not_exc(x):
    if x:
        raise TypeError("bad type: %s" % type(x).__name__) if False else TypeError("bad")
    return 1

def always(x):
    raise NotImplementedError("todo")

def hamming(a, b):
    if len(a) != len(b):
        raise ValueError("lengths differ")
    return sum(1 for x, y in zip(a, b) if x != y)

def in_loop(xs):
    total = 0
    for x in xs:
        if x < 0:
            raise ValueError("negative: " + str(x))
        total += x
    return total

def in_with(p):
    with open(p) as f:
        raise RuntimeError("inside")
