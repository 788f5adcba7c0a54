"""Container benchmark kernels (issue §6): plain Python functions over lists, tuples, sets and dicts,
each taking its inputs as ordinary Python objects. containers.py loads this file once per
implementation (CPython, Numba, Pyvorin) and decorates every kernel and helper, as run.py does with
kernels.py. Kernels never mutate their inputs, so one input serves every call.
"""
import random


def sieve(n):
    flags = [True] * (n + 1)
    flags[0] = False
    flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            j = i * i
            while j <= n:
                flags[j] = False
                j += i
        i += 1
    count = 0
    for f in flags:
        if f:
            count += 1
    return count


def sum_floats(xs):
    total = 0.0
    for x in xs:
        total += x
    return total


def matmul(a, b):
    n = len(a)
    inner = len(b)
    m = len(b[0])
    c = []
    for i in range(n):
        row_a = a[i]
        row = [0.0] * m
        for k in range(inner):
            aik = row_a[k]
            row_b = b[k]
            for j in range(m):
                row[j] += aik * row_b[j]
        c.append(row)
    return c


def build_list(n):
    out = []
    for i in range(n):
        if i % 3 != 0:
            out.append(i * i)
    return out


def tuple_set(n, k):
    seen = set()
    for i in range(n):
        seen.add((i % k, (i // k) % k))
    return len(seen)


def bfs(graph, start):
    dist = [-1] * len(graph)
    dist[start] = 0
    queue = [start]
    head = 0
    while head < len(queue):
        node = queue[head]
        head += 1
        d = dist[node] + 1
        for nb in graph[node]:
            if dist[nb] < 0:
                dist[nb] = d
                queue.append(nb)
    return dist


def histogram(values, nbins):
    counts = {}
    for v in values:
        b = v % nbins
        counts[b] = counts.get(b, 0) + 1
    return counts


def pair_key(p):
    return p[1]


def sort_pairs(pairs):
    return sorted(pairs, key=pair_key)


# The timed kernels, in table order.
KERNELS = ["sieve", "sum_floats", "matmul", "build_list", "tuple_set", "bfs", "histogram",
           "sort_pairs"]

# Helpers every implementation must decorate too (called from kernels).
HELPERS = ["pair_key"]

# sorted() is stable: equal keys keep their input order. The timed input has distinct keys; this
# probe has many ties, so an unstable sort gives a different (wrong) list.
SORT_TIES_PROBE = [(i, (i * 7) % 5) for i in range(40)]

# Input parameters per profile; make_args turns them into the kernel's Python arguments.
SIZES = {
    "full": {
        "sieve": (1_000_000,),
        "sum_floats": (1_000_000,),
        "matmul": (100,),
        "build_list": (1_000_000,),
        "tuple_set": (300_000, 300),
        "bfs": (100_000, 5),
        "histogram": (1_000_000, 1000),
        "sort_pairs": (200_000,),
    },
    "quick": {
        "sieve": (100_000,),
        "sum_floats": (100_000,),
        "matmul": (30,),
        "build_list": (100_000,),
        "tuple_set": (30_000, 100),
        "bfs": (10_000, 5),
        "histogram": (100_000, 100),
        "sort_pairs": (20_000,),
    },
    "tiny": {
        "sieve": (100,),
        "sum_floats": (50,),
        "matmul": (4,),
        "build_list": (30,),
        "tuple_set": (50, 4),
        "bfs": (20, 3),
        "histogram": (50, 7),
        "sort_pairs": (20,),
    },
}


def make_args(kernel, params, seed=12345):
    """The kernel's arguments (ordinary Python objects) for SIZES[profile][kernel]; deterministic."""
    rng = random.Random(seed)
    if kernel == "sum_floats":
        (n,) = params
        return ([rng.uniform(-1.0, 1.0) for _ in range(n)],)
    if kernel == "matmul":
        (n,) = params
        a = [[rng.uniform(-1.0, 1.0) for _ in range(n)] for _ in range(n)]
        b = [[rng.uniform(-1.0, 1.0) for _ in range(n)] for _ in range(n)]
        return (a, b)
    if kernel == "bfs":
        n, degree = params
        # A ring (so every node is reachable) plus random out-edges: dict[int, list[int]].
        graph = {i: [(i + 1) % n] + [rng.randrange(n) for _ in range(degree - 1)] for i in range(n)}
        return (graph, 0)
    if kernel == "histogram":
        n, nbins = params
        return ([rng.randrange(1 << 30) for _ in range(n)], nbins)
    if kernel == "sort_pairs":
        (n,) = params
        keys = list(range(n))
        rng.shuffle(keys)  # distinct keys: the order is the same for a stable or unstable sort
        return ([(i, keys[i]) for i in range(n)],)
    return tuple(params)  # sieve, build_list, tuple_set take plain ints
