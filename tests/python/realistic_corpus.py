"""A corpus of functions written the way public code (course algorithms, pyperformance,
Benchmarks Game, utility modules, Numba's tests) writes them, over ints, floats, bools, None and
lists, tuples, dicts and sets of them. Every function is a pyvorin.jit dispatcher; CASES maps each
to the argument tuples it is run with (edge cases included)."""
import math

import pyvorin

jit = pyvorin.jit

CASES = {}


def cases(*arg_tuples):
    def deco(f):
        CASES[f.__name__] = (f, list(arg_tuples))
        return f
    return deco


# ---------------------------------------------------------------- module-level tables
PRIMES_SMALL = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
DIRECTIONS = [(0, 1), (1, 0), (0, -1), (-1, 0)]
NEIGHBOURS8 = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))
COIN_VALUES = (1, 5, 10, 25, 50)
ROMAN_VALUES = [1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1]
INF = float("inf")
PI = 3.141592653589793
SOLAR_MASS = 4 * PI * PI
DAYS_PER_YEAR = 365.24


# ================================================================ sorting
@cases(([5, 2, 9, 1, 5, 6],), ([],), ([1],), ([3, -1, -1, 0, 2],), ([2.5, -1.0, 0.0, 3.25],))
@jit
def insertion_sort(arr):
    for i in range(1, len(arr)):
        key = arr[i]
        j = i - 1
        while j >= 0 and arr[j] > key:
            arr[j + 1] = arr[j]
            j -= 1
        arr[j + 1] = key
    return arr


@cases(([64, 25, 12, 22, 11],), ([],), ([7],), ([-3, 3, -3, 0],))
@jit
def selection_sort(a):
    n = len(a)
    for i in range(n):
        min_idx = i
        for j in range(i + 1, n):
            if a[j] < a[min_idx]:
                min_idx = j
        a[i], a[min_idx] = a[min_idx], a[i]
    return a


@cases(([64, 34, 25, 12, 22, 11, 90],), ([],), ([1, 2, 3],), ([3, 3, 1],))
@jit
def bubble_sort(lst):
    n = len(lst)
    for i in range(n - 1):
        swapped = False
        for j in range(0, n - i - 1):
            if lst[j] > lst[j + 1]:
                lst[j], lst[j + 1] = lst[j + 1], lst[j]
                swapped = True
        if not swapped:
            break
    return lst


@jit
def merge(left, right):
    result = []
    i = j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            result.append(left[i])
            i += 1
        else:
            result.append(right[j])
            j += 1
    result.extend(left[i:])
    result.extend(right[j:])
    return result


@cases(([38, 27, 43, 3, 9, 82, 10],), ([],), ([1],), ([5, -2, 5, 0, -2],), ([1.5, 0.5, -0.5],))
@jit
def merge_sort(arr):
    if len(arr) <= 1:
        return arr
    mid = len(arr) // 2
    left = merge_sort(arr[:mid])
    right = merge_sort(arr[mid:])
    return merge(left, right)


@cases(([3, 6, 8, 10, 1, 2, 1],), ([],), ([42],), ([-5, 0, 5, -5],))
@jit
def quicksort(arr):
    if len(arr) <= 1:
        return arr
    pivot = arr[len(arr) // 2]
    left = [x for x in arr if x < pivot]
    middle = [x for x in arr if x == pivot]
    right = [x for x in arr if x > pivot]
    return quicksort(left) + middle + quicksort(right)


@jit
def partition(a, lo, hi):
    pivot = a[hi]
    i = lo - 1
    for j in range(lo, hi):
        if a[j] <= pivot:
            i += 1
            a[i], a[j] = a[j], a[i]
    a[i + 1], a[hi] = a[hi], a[i + 1]
    return i + 1


@jit
def _quicksort_range(a, lo, hi):
    if lo < hi:
        p = partition(a, lo, hi)
        _quicksort_range(a, lo, p - 1)
        _quicksort_range(a, p + 1, hi)


@cases(([10, 7, 8, 9, 1, 5],), ([],), ([2, 1],), ([4, 4, 4, -1],))
@jit
def quicksort_inplace(a):
    _quicksort_range(a, 0, len(a) - 1)
    return a


@jit
def heapify(arr, n, i):
    largest = i
    l = 2 * i + 1
    r = 2 * i + 2
    if l < n and arr[l] > arr[largest]:
        largest = l
    if r < n and arr[r] > arr[largest]:
        largest = r
    if largest != i:
        arr[i], arr[largest] = arr[largest], arr[i]
        heapify(arr, n, largest)


@cases(([12, 11, 13, 5, 6, 7],), ([],), ([1],), ([-1, -2, -3, 0, 0],))
@jit
def heap_sort(arr):
    n = len(arr)
    for i in range(n // 2 - 1, -1, -1):
        heapify(arr, n, i)
    for i in range(n - 1, 0, -1):
        arr[i], arr[0] = arr[0], arr[i]
        heapify(arr, i, 0)
    return arr


@cases(([4, 2, 2, 8, 3, 3, 1],), ([],), ([0],), ([5, 0, 5, 1],))
@jit
def counting_sort(arr):
    if not arr:
        return []
    max_val = max(arr)
    count = [0] * (max_val + 1)
    for num in arr:
        count[num] += 1
    output = []
    for i, c in enumerate(count):
        output.extend([i] * c)
    return output


@cases(([23, 29, 15, 19, 31, 7, 9, 5, 2],), ([],), ([1, 1],))
@jit
def shell_sort(arr):
    n = len(arr)
    gap = n // 2
    while gap > 0:
        for i in range(gap, n):
            temp = arr[i]
            j = i
            while j >= gap and arr[j - gap] > temp:
                arr[j] = arr[j - gap]
                j -= gap
            arr[j] = temp
        gap //= 2
    return arr


@cases(([170, 45, 75, 90, 802, 24, 2, 66],), ([],), ([0, 0, 10],))
@jit
def radix_sort(nums):
    if not nums:
        return nums
    max_num = max(nums)
    exp = 1
    while max_num // exp > 0:
        buckets = [[] for _ in range(10)]
        for n in nums:
            buckets[(n // exp) % 10].append(n)
        nums = [n for b in buckets for n in b]
        exp *= 10
    return nums


# ================================================================ searching
@cases(([1, 3, 5, 7, 9, 11], 7), ([1, 3, 5, 7, 9, 11], 4), ([], 1), ([2], 2), ([-5, -1, 0, 3], -5))
@jit
def binary_search(arr, target):
    lo, hi = 0, len(arr) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if arr[mid] == target:
            return mid
        elif arr[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


@cases(([1, 2, 4, 4, 4, 5], 4), ([1, 2, 3], 0), ([1, 2, 3], 9), ([], 3))
@jit
def bisect_left(a, x):
    lo = 0
    hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@cases(([1, 2, 3, 4, 5], 3), ([], 3), ([3, 3], 3), ([1, 2], 7))
@jit
def linear_search(items, target):
    for i, item in enumerate(items):
        if item == target:
            return i
    return None


@cases(([2, 7, 11, 15], 9), ([3, 2, 4], 6), ([3, 3], 6), ([1, 2], 10), ([], 0), ([-1, -2, -3, -4], -7))
@jit
def two_sum(nums, target):
    seen = {}
    for i, num in enumerate(nums):
        complement = target - num
        if complement in seen:
            return [seen[complement], i]
        seen[num] = i
    return []


@cases(([-1, 0, 1, 2, -1, -4],), ([],), ([0, 0, 0, 0],), ([1, 2, -2, -1],))
@jit
def three_sum(nums):
    nums.sort()
    res = []
    for i in range(len(nums) - 2):
        if i > 0 and nums[i] == nums[i - 1]:
            continue
        l, r = i + 1, len(nums) - 1
        while l < r:
            s = nums[i] + nums[l] + nums[r]
            if s < 0:
                l += 1
            elif s > 0:
                r -= 1
            else:
                res.append((nums[i], nums[l], nums[r]))
                while l < r and nums[l] == nums[l + 1]:
                    l += 1
                while l < r and nums[r] == nums[r - 1]:
                    r -= 1
                l += 1
                r -= 1
    return res


@cases(([3, 1, 4, 1, 5, 9, 2, 6],), ([],), ([-7],), ([2, 2, 2],))
@jit
def find_min_max(values):
    if not values:
        return None
    lo = hi = values[0]
    for v in values[1:]:
        if v < lo:
            lo = v
        if v > hi:
            hi = v
    return lo, hi


@cases(([[1, 4, 7], [2, 5, 8], [3, 6, 9]], 5), ([[1, 4, 7], [2, 5, 8], [3, 6, 9]], 10), ([], 1), ([[]], 1))
@jit
def search_matrix(matrix, target):
    if not matrix or not matrix[0]:
        return False
    row, col = 0, len(matrix[0]) - 1
    while row < len(matrix) and col >= 0:
        v = matrix[row][col]
        if v == target:
            return True
        if v > target:
            col -= 1
        else:
            row += 1
    return False


@cases(([1, 2, 3, 1],), ([1, 2, 1, 3, 5, 6, 4],), ([5],), ([1, 2],))
@jit
def find_peak_element(nums):
    lo, hi = 0, len(nums) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if nums[mid] > nums[mid + 1]:
            hi = mid
        else:
            lo = mid + 1
    return lo


@cases(([3, 4, -1, 1],), ([1, 2, 0],), ([],), ([7, 8, 9],))
@jit
def first_missing_positive(nums):
    s = set(nums)
    i = 1
    while i in s:
        i += 1
    return i


# ================================================================ dynamic programming
@cases(([10, 9, 2, 5, 3, 7, 101, 18],), ([],), ([7, 7, 7],), ([-1, 0, -2, 3],))
@jit
def longest_increasing_subsequence(nums):
    if not nums:
        return 0
    dp = [1] * len(nums)
    for i in range(1, len(nums)):
        for j in range(i):
            if nums[j] < nums[i]:
                dp[i] = max(dp[i], dp[j] + 1)
    return max(dp)


@cases(([1, 3, 4, 1, 2, 3], [3, 4, 1, 2, 1, 3]), ([], [1, 2]), ([1, 2, 3], [1, 2, 3]), ([1], [2]))
@jit
def lcs_length(a, b):
    m, n = len(a), len(b)
    dp = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            if a[i - 1] == b[j - 1]:
                dp[i][j] = dp[i - 1][j - 1] + 1
            else:
                dp[i][j] = max(dp[i - 1][j], dp[i][j - 1])
    return dp[m][n]


@cases(([1, 3, 4, 1, 2, 3], [3, 4, 1, 2, 1, 3]), ([], []), ([5, 6], [6, 5]))
@jit
def lcs_sequence(a, b):
    m, n = len(a), len(b)
    dp = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(m - 1, -1, -1):
        for j in range(n - 1, -1, -1):
            if a[i] == b[j]:
                dp[i][j] = 1 + dp[i + 1][j + 1]
            else:
                dp[i][j] = max(dp[i + 1][j], dp[i][j + 1])
    out = []
    i = j = 0
    while i < m and j < n:
        if a[i] == b[j]:
            out.append(a[i])
            i += 1
            j += 1
        elif dp[i + 1][j] >= dp[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


@cases(([1, 2, 3, 4], [2, 3, 4, 5], 5), ([10, 20, 30], [60, 100, 120], 50), ([], [], 10), ([5], [10], 4))
@jit
def knapsack_01(weights, values, capacity):
    n = len(weights)
    dp = [[0 for _ in range(capacity + 1)] for _ in range(n + 1)]
    for i in range(1, n + 1):
        w = weights[i - 1]
        v = values[i - 1]
        for c in range(capacity + 1):
            dp[i][c] = dp[i - 1][c]
            if w <= c and dp[i - 1][c - w] + v > dp[i][c]:
                dp[i][c] = dp[i - 1][c - w] + v
    return dp[n][capacity]


@cases(([1, 3, 4, 5], [1, 4, 5, 7], 7), ([], [], 3))
@jit
def knapsack_1d(weights, values, capacity):
    dp = [0] * (capacity + 1)
    for w, v in zip(weights, values):
        for c in range(capacity, w - 1, -1):
            dp[c] = max(dp[c], dp[c - w] + v)
    return dp[capacity]


@cases(([1, 2, 3, 4, 5], [1, 3, 4, 5, 6]), ([], [1, 2]), ([1, 2], []), ([7, 8, 9], [7, 8, 9]))
@jit
def edit_distance(s, t):
    m, n = len(s), len(t)
    d = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(m + 1):
        d[i][0] = i
    for j in range(n + 1):
        d[0][j] = j
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            cost = 0 if s[i - 1] == t[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
    return d[m][n]


@cases(([1, 2, 5], 11), ([2], 3), ([1], 0), ([3, 7], 20))
@jit
def coin_change(coins, amount):
    dp = [amount + 1] * (amount + 1)
    dp[0] = 0
    for a in range(1, amount + 1):
        for c in coins:
            if c <= a:
                dp[a] = min(dp[a], dp[a - c] + 1)
    return dp[amount] if dp[amount] <= amount else -1


@cases((100,), (0,), (7,))
@jit
def coin_change_ways(amount):
    ways = [0] * (amount + 1)
    ways[0] = 1
    for coin in COIN_VALUES:
        for a in range(coin, amount + 1):
            ways[a] += ways[a - coin]
    return ways[amount]


@cases(([-2, 1, -3, 4, -1, 2, 1, -5, 4],), ([-1],), ([-3, -2, -5],), ([0.5, -0.25, 1.0],))
@jit
def max_subarray(nums):
    best = cur = nums[0]
    for x in nums[1:]:
        cur = max(x, cur + x)
        best = max(best, cur)
    return best


@cases((10,), (0,), (1,), (90,))
@jit
def fib_memo(n, memo=None):
    if memo is None:
        memo = {}
    if n in memo:
        return memo[n]
    if n < 2:
        return n
    memo[n] = fib_memo(n - 1, memo) + fib_memo(n - 2, memo)
    return memo[n]


@cases((10,), (0,), (1,), (90,))
@jit
def fib_list(n):
    if n == 0:
        return [0]
    fibs = [0, 1]
    for i in range(2, n + 1):
        fibs.append(fibs[-1] + fibs[-2])
    return fibs


@cases(([[1, 3, 1], [1, 5, 1], [4, 2, 1]],), ([[5]],), ([[1, 2, 3]],))
@jit
def min_path_sum(grid):
    rows, cols = len(grid), len(grid[0])
    dp = [row[:] for row in grid]
    for r in range(rows):
        for c in range(cols):
            if r == 0 and c == 0:
                continue
            up = dp[r - 1][c] if r > 0 else INF
            left = dp[r][c - 1] if c > 0 else INF
            dp[r][c] += min(up, left)
    return dp[-1][-1]


@cases((3, 7), (1, 1), (3, 2))
@jit
def unique_paths(m, n):
    row = [1] * n
    for _ in range(1, m):
        for j in range(1, n):
            row[j] += row[j - 1]
    return row[-1]


@cases(([2, 7, 9, 3, 1],), ([],), ([5],), ([2, 1, 1, 2],))
@jit
def house_robber(nums):
    prev, cur = 0, 0
    for n in nums:
        prev, cur = cur, max(cur, prev + n)
    return cur


@cases(([1, 5, 11, 5],), ([1, 2, 3, 5],), ([],), ([2, 2],))
@jit
def can_partition(nums):
    total = sum(nums)
    if total % 2:
        return False
    target = total // 2
    reachable = {0}
    for n in nums:
        reachable |= {r + n for r in reachable if r + n <= target}
    return target in reachable


@cases(([[2], [3, 4], [6, 5, 7], [4, 1, 8, 3]],), ([[-10]],))
@jit
def triangle_min_path(triangle):
    dp = list(triangle[-1])
    for i in range(len(triangle) - 2, -1, -1):
        for j in range(len(triangle[i])):
            dp[j] = triangle[i][j] + min(dp[j], dp[j + 1])
    return dp[0]


@cases(([10, 30, 5, 60],), ([10, 20],), ([40, 20, 30, 10, 30],))
@jit
def matrix_chain_order(dims):
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    for length in range(2, n + 1):
        for i in range(n - length + 1):
            j = i + length - 1
            cost[i][j] = float("inf")
            for k in range(i, j):
                q = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if q < cost[i][j]:
                    cost[i][j] = q
    return cost[0][n - 1]


@cases((5,), (0,), (1,), (12,))
@jit
def catalan_numbers(n):
    c = [0] * (n + 1)
    c[0] = 1
    for i in range(1, n + 1):
        for j in range(i):
            c[i] += c[j] * c[i - j - 1]
    return c


# ================================================================ graphs
@cases(({0: [1, 2], 1: [2], 2: [0, 3], 3: [3]}, 2), ({}, 0), ({1: []}, 1))
@jit
def bfs_order(graph, start):
    visited = [start]
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nb in graph.get(node, []):
            if nb not in visited:
                visited.append(nb)
                queue.append(nb)
    return visited


@cases(({0: [1, 2], 1: [3], 2: [3], 3: []}, 0), ({5: []}, 5))
@jit
def dfs_iterative(graph, start):
    visited = set()
    order = []
    stack = [start]
    while stack:
        v = stack.pop()
        if v in visited:
            continue
        visited.add(v)
        order.append(v)
        for w in reversed(graph[v]):
            if w not in visited:
                stack.append(w)
    return order


@jit
def _dfs_visit(graph, node, seen, out):
    seen.add(node)
    for nb in graph[node]:
        if nb not in seen:
            _dfs_visit(graph, nb, seen, out)
    out.append(node)


@cases(({0: [1, 2], 1: [3], 2: [3], 3: []}, 0), ({0: []}, 0))
@jit
def dfs_recursive_postorder(graph, start):
    out = []
    _dfs_visit(graph, start, set(), out)
    return out


@cases(([[1, 2], [0, 3], [0, 3], [1, 2], []], 0), ([[]], 0))
@jit
def bfs_distances(adj, source):
    dist = [-1] * len(adj)
    dist[source] = 0
    q = [source]
    head = 0
    while head < len(q):
        u = q[head]
        head += 1
        for v in adj[u]:
            if dist[v] == -1:
                dist[v] = dist[u] + 1
                q.append(v)
    return dist


@cases(([[0, 4, 0, 0, 8], [4, 0, 8, 0, 11], [0, 8, 0, 7, 0], [0, 0, 7, 0, 9], [8, 11, 0, 9, 0]], 0), ([[0]], 0),
       ([[0, 2], [0, 0]], 1))
@jit
def dijkstra_matrix(graph, src):
    n = len(graph)
    dist = [float("inf")] * n
    dist[src] = 0
    done = [False] * n
    for _ in range(n):
        u = -1
        best = float("inf")
        for i in range(n):
            if not done[i] and dist[i] < best:
                best = dist[i]
                u = i
        if u == -1:
            break
        done[u] = True
        for v in range(n):
            w = graph[u][v]
            if w > 0 and not done[v] and dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
    return dist


@cases(({0: [(1, 4), (2, 1)], 1: [(3, 1)], 2: [(1, 2), (3, 5)], 3: []}, 0), ({0: []}, 0))
@jit
def dijkstra_dict(graph, source):
    dist = {node: INF for node in graph}
    dist[source] = 0
    unvisited = set(graph)
    while unvisited:
        u = min(unvisited, key=lambda n: dist[n])
        unvisited.remove(u)
        if dist[u] == INF:
            break
        for v, w in graph[u]:
            alt = dist[u] + w
            if alt < dist[v]:
                dist[v] = alt
    return dist


@cases((5, [(0, 1, 4), (0, 2, 1), (2, 1, 2), (1, 3, 1), (2, 3, 5)], 0), (1, [], 0),
       (3, [(0, 1, -1), (1, 2, -1), (2, 0, -1)], 0))
@jit
def bellman_ford(n, edges, src):
    dist = [INF] * n
    dist[src] = 0
    for _ in range(n - 1):
        for u, v, w in edges:
            if dist[u] != INF and dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
    for u, v, w in edges:
        if dist[u] != INF and dist[u] + w < dist[v]:
            return None
    return dist


@cases(([[0, 3, INF, 7], [8, 0, 2, INF], [5, INF, 0, 1], [2, INF, INF, 0]],), ([[0]],))
@jit
def floyd_warshall(w):
    n = len(w)
    d = [row[:] for row in w]
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if d[i][k] + d[k][j] < d[i][j]:
                    d[i][j] = d[i][k] + d[k][j]
    return d


@jit
def find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@jit
def union(parent, rank, a, b):
    ra = find(parent, a)
    rb = find(parent, b)
    if ra == rb:
        return False
    if rank[ra] < rank[rb]:
        ra, rb = rb, ra
    parent[rb] = ra
    if rank[ra] == rank[rb]:
        rank[ra] += 1
    return True


@cases((5, [(0, 1), (1, 2), (3, 4)]), (3, []), (4, [(0, 1), (1, 0), (2, 3), (3, 2)]))
@jit
def count_components(n, edges):
    parent = list(range(n))
    rank = [0] * n
    count = n
    for a, b in edges:
        if union(parent, rank, a, b):
            count -= 1
    return count


@cases((4, [(0, 1, 10), (0, 2, 6), (0, 3, 5), (1, 3, 15), (2, 3, 4)]), (1, []))
@jit
def kruskal_mst(n, edges):
    parent = list(range(n))
    rank = [0] * n
    total = 0
    chosen = []
    for u, v, w in sorted(edges, key=lambda e: e[2]):
        if union(parent, rank, u, v):
            total += w
            chosen.append((u, v))
    return total, chosen


@cases(({5: [2, 0], 4: [0, 1], 2: [3], 3: [1], 0: [], 1: []},), ({},), ({1: [2], 2: [1]},))
@jit
def topological_sort_kahn(graph):
    in_degree = {u: 0 for u in graph}
    for u in graph:
        for v in graph[u]:
            in_degree[v] = in_degree.get(v, 0) + 1
    queue = [u for u in in_degree if in_degree[u] == 0]
    order = []
    while queue:
        u = queue.pop(0)
        order.append(u)
        for v in graph.get(u, []):
            in_degree[v] -= 1
            if in_degree[v] == 0:
                queue.append(v)
    if len(order) != len(in_degree):
        return None
    return order


@cases((6, [[5, 2], [5, 0], [4, 0], [4, 1], [2, 3], [3, 1]]), (0, []))
@jit
def topo_sort_dfs(n, edge_list):
    adj = [[] for _ in range(n)]
    for u, v in edge_list:
        adj[u].append(v)
    visited = [False] * n
    stack = []

    def visit(u):
        visited[u] = True
        for v in adj[u]:
            if not visited[v]:
                visit(v)
        stack.append(u)

    for i in range(n):
        if not visited[i]:
            visit(i)
    return stack[::-1]


@cases(({0: [1], 1: [2], 2: [0]},), ({0: [1], 1: [2], 2: []},), ({},))
@jit
def has_cycle_directed(graph):
    WHITE, GRAY, BLACK = 0, 1, 2
    color = {u: WHITE for u in graph}
    for start in graph:
        if color[start] != WHITE:
            continue
        stack = [(start, 0)]
        color[start] = GRAY
        while stack:
            u, idx = stack[-1]
            nbrs = graph[u]
            if idx < len(nbrs):
                stack[-1] = (u, idx + 1)
                v = nbrs[idx]
                if color[v] == GRAY:
                    return True
                if color[v] == WHITE:
                    color[v] = GRAY
                    stack.append((v, 0))
            else:
                color[u] = BLACK
                stack.pop()
    return False


@cases(([[1, 1, 0, 0], [1, 0, 0, 1], [0, 0, 1, 1], [0, 0, 0, 0]],), ([],), ([[0]],), ([[1]],))
@jit
def count_islands(grid):
    if not grid:
        return 0
    rows, cols = len(grid), len(grid[0])
    seen = set()
    islands = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] == 1 and (r, c) not in seen:
                islands += 1
                stack = [(r, c)]
                seen.add((r, c))
                while stack:
                    cr, cc = stack.pop()
                    for dr, dc in DIRECTIONS:
                        nr, nc = cr + dr, cc + dc
                        if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] == 1 and (nr, nc) not in seen:
                            seen.add((nr, nc))
                            stack.append((nr, nc))
    return islands


@cases(({1: [2, 3], 2: [1], 3: [1], 4: [5], 5: [4]},), ({},))
@jit
def is_bipartite(graph):
    color = {}
    for s in graph:
        if s in color:
            continue
        color[s] = 0
        queue = [s]
        while queue:
            u = queue.pop()
            for v in graph[u]:
                if v not in color:
                    color[v] = 1 - color[u]
                    queue.append(v)
                elif color[v] == color[u]:
                    return False
    return True


@cases(([(1, 2), (2, 3), (4, 5)],), ([],), ([(1, 1)],))
@jit
def build_adjacency(edges):
    adj = {}
    for u, v in edges:
        adj.setdefault(u, []).append(v)
        adj.setdefault(v, []).append(u)
    return adj


# ================================================================ matrices
@cases(([[1, 2, 3], [4, 5, 6]],), ([],), ([[1]],))
@jit
def transpose(m):
    return [list(row) for row in zip(*m)]


@cases(([[1, 2, 3], [4, 5, 6]],), ([[1]],))
@jit
def transpose_loops(matrix):
    rows = len(matrix)
    cols = len(matrix[0])
    result = [[0] * rows for _ in range(cols)]
    for i in range(rows):
        for j in range(cols):
            result[j][i] = matrix[i][j]
    return result


@cases(([[1, 2], [3, 4]], [[5, 6], [7, 8]]), ([[1.5, 0.0]], [[2.0], [4.0]]), ([[2]], [[3]]))
@jit
def matrix_multiply(a, b):
    n, m, p = len(a), len(b), len(b[0])
    c = [[0] * p for _ in range(n)]
    for i in range(n):
        for j in range(p):
            s = 0
            for k in range(m):
                s += a[i][k] * b[k][j]
            c[i][j] = s
    return c


@cases(([[1, 2], [3, 4]], [[5, 6], [7, 8]]), ([[1, 0, 2]], [[3], [1], [0]]))
@jit
def matmul_comprehension(A, B):
    return [[sum(a * b for a, b in zip(row, col)) for col in zip(*B)] for row in A]


@cases(([[1.0, 2.0], [3.0, 4.0]],), ([[2.0, 0.0, 1.0], [1.0, 3.0, 2.0], [1.0, 1.0, 1.0]],), ([[0.0, 1.0], [1.0, 0.0]],),
       ([[1.0, 2.0], [2.0, 4.0]],))
@jit
def determinant(matrix):
    n = len(matrix)
    a = [row[:] for row in matrix]
    det = 1.0
    for col in range(n):
        pivot = col
        for r in range(col + 1, n):
            if abs(a[r][col]) > abs(a[pivot][col]):
                pivot = r
        if a[pivot][col] == 0:
            return 0.0
        if pivot != col:
            a[col], a[pivot] = a[pivot], a[col]
            det = -det
        det *= a[col][col]
        for r in range(col + 1, n):
            f = a[r][col] / a[col][col]
            for c in range(col, n):
                a[r][c] -= f * a[col][c]
    return det


@cases(([[1, 2], [3, 4]],), ([[5]],), ([[2, -3, 1], [2, 0, -1], [1, 4, 5]],))
@jit
def determinant_recursive(m):
    if len(m) == 1:
        return m[0][0]
    if len(m) == 2:
        return m[0][0] * m[1][1] - m[0][1] * m[1][0]
    total = 0
    for c in range(len(m)):
        minor = [row[:c] + row[c + 1:] for row in m[1:]]
        total += ((-1) ** c) * m[0][c] * determinant_recursive(minor)
    return total


@cases((3,), (0,), (1,))
@jit
def identity_matrix(n):
    return [[1 if i == j else 0 for j in range(n)] for i in range(n)]


@cases(([[1, 2, 3], [4, 5, 6], [7, 8, 9]],), ([[1]],), ([],))
@jit
def rotate_matrix_90(matrix):
    n = len(matrix)
    for i in range(n):
        for j in range(i, n):
            matrix[i][j], matrix[j][i] = matrix[j][i], matrix[i][j]
    for row in matrix:
        row.reverse()
    return matrix


@cases(([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]],), ([],), ([[1]],), ([[1], [2], [3]],))
@jit
def spiral_order(matrix):
    result = []
    if not matrix:
        return result
    top, bottom, left, right = 0, len(matrix) - 1, 0, len(matrix[0]) - 1
    while top <= bottom and left <= right:
        for j in range(left, right + 1):
            result.append(matrix[top][j])
        top += 1
        for i in range(top, bottom + 1):
            result.append(matrix[i][right])
        right -= 1
        if top <= bottom:
            for j in range(right, left - 1, -1):
                result.append(matrix[bottom][j])
            bottom -= 1
        if left <= right:
            for i in range(bottom, top - 1, -1):
                result.append(matrix[i][left])
            left += 1
    return result


@cases(([[2.0, 1.0, -1.0], [-3.0, -1.0, 2.0], [-2.0, 1.0, 2.0]], [8.0, -11.0, -3.0]), ([[4.0]], [2.0]))
@jit
def gaussian_elimination(A, b):
    n = len(A)
    M = [A[i][:] + [b[i]] for i in range(n)]
    for i in range(n):
        max_row = max(range(i, n), key=lambda r: abs(M[r][i]))
        M[i], M[max_row] = M[max_row], M[i]
        for k in range(i + 1, n):
            factor = M[k][i] / M[i][i]
            for j in range(i, n + 1):
                M[k][j] -= factor * M[i][j]
    x = [0.0] * n
    for i in range(n - 1, -1, -1):
        x[i] = (M[i][n] - sum(M[i][j] * x[j] for j in range(i + 1, n))) / M[i][i]
    return x


@cases(([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]), ([], []), ([1, 2], [3, 4]))
@jit
def dot_product(u, v):
    return sum(x * y for x, y in zip(u, v))


@cases(([3.0, 4.0],), ([0.0, 0.0],), ([1.0, 2.0, 2.0],))
@jit
def normalize(vec):
    norm = math.sqrt(sum(x * x for x in vec))
    if norm == 0:
        return vec[:]
    return [x / norm for x in vec]


# ================================================================ number theory
@cases((30,), (0,), (1,), (2,), (100,))
@jit
def sieve_of_eratosthenes(n):
    if n < 2:
        return []
    is_prime = [True] * (n + 1)
    is_prime[0] = is_prime[1] = False
    for i in range(2, int(n ** 0.5) + 1):
        if is_prime[i]:
            for j in range(i * i, n + 1, i):
                is_prime[j] = False
    return [i for i, p in enumerate(is_prime) if p]


@cases((50,), (2,), (10,))
@jit
def sieve_slice_assign(limit):
    sieve = [True] * limit
    sieve[0:2] = [False, False]
    for i in range(2, int(limit ** 0.5) + 1):
        if sieve[i]:
            sieve[i * i::i] = [False] * len(range(i * i, limit, i))
    return [i for i in range(limit) if sieve[i]]


@cases((360,), (1,), (97,), (1024,), (0,))
@jit
def prime_factors(n):
    factors = []
    d = 2
    while d * d <= n:
        while n % d == 0:
            factors.append(d)
            n //= d
        d += 1
    if n > 1:
        factors.append(n)
    return factors


@cases((360,), (1,), (97,))
@jit
def factor_counts(n):
    counts = {}
    for p in prime_factors(n):
        counts[p] = counts.get(p, 0) + 1
    return counts


@cases((28,), (1,), (36,))
@jit
def divisors(n):
    small, large = [], []
    i = 1
    while i * i <= n:
        if n % i == 0:
            small.append(i)
            if i != n // i:
                large.append(n // i)
        i += 1
    return small + large[::-1]


@cases((240, 46), (0, 5), (7, 0), (-12, 18))
@jit
def extended_gcd(a, b):
    old_r, r = a, b
    old_s, s = 1, 0
    old_t, t = 0, 1
    while r != 0:
        q = old_r // r
        old_r, r = r, old_r - q * r
        old_s, s = s, old_s - q * s
        old_t, t = t, old_t - q * t
    return old_r, old_s, old_t


@cases((10,), (0,), (1,), (5,))
@jit
def pascal_triangle(n):
    triangle = []
    for i in range(n):
        row = [1] * (i + 1)
        for j in range(1, i):
            row[j] = triangle[i - 1][j - 1] + triangle[i - 1][j]
        triangle.append(row)
    return triangle


@cases((6,), (0,), (1,))
@jit
def pascal_zip(n):
    rows = [[1]]
    for _ in range(n - 1):
        prev = rows[-1]
        rows.append([a + b for a, b in zip([0] + prev, prev + [0])])
    return rows[:n]


@cases((1994,), (3999,), (4,))
@jit
def roman_digit_values(num):
    out = []
    for v in ROMAN_VALUES:
        while num >= v:
            out.append(v)
            num -= v
    return out


@cases((12345,), (0,), (9,), (1000000,))
@jit
def digits_of(n):
    if n == 0:
        return [0]
    ds = []
    while n:
        n, d = divmod(n, 10)
        ds.append(d)
    ds.reverse()
    return ds


@cases((27,), (1,), (97,))
@jit
def collatz_sequence(n):
    seq = [n]
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        seq.append(n)
    return seq


@cases((20,), (1,))
@jit
def longest_collatz_under(limit):
    cache = {1: 1}
    best, best_n = 0, 1
    for start in range(1, limit):
        n = start
        path = []
        while n not in cache:
            path.append(n)
            n = n // 2 if n % 2 == 0 else 3 * n + 1
        length = cache[n]
        for m in reversed(path):
            length += 1
            cache[m] = length
        if cache[start] > best:
            best, best_n = cache[start], start
    return best_n, best


@cases((10000,), (10,))
@jit
def perfect_numbers(limit):
    return [n for n in range(2, limit) if sum(d for d in range(1, n // 2 + 1) if n % d == 0) == n]


@cases((3, 200, 13), (2, 0, 5), (7, 13, 1))
@jit
def mod_pow(base, exp, mod):
    result = 1
    base %= mod
    while exp > 0:
        if exp & 1:
            result = result * base % mod
        base = base * base % mod
        exp >>= 1
    return result


@cases(([1, 0, 1, 1],), ([],), ([0, 0, 0],))
@jit
def bits_to_int(bits):
    value = 0
    for b in bits:
        value = (value << 1) | b
    return value


@cases((11,), (0,), (255,), (1024,))
@jit
def int_to_bits(n):
    bits = []
    while n:
        bits.append(n & 1)
        n >>= 1
    return bits[::-1] or [0]


@cases((16,), (0,), (1,))
@jit
def popcount_table(n):
    table = [0] * (n + 1)
    for i in range(1, n + 1):
        table[i] = table[i >> 1] + (i & 1)
    return table


@cases(([4, 1, 2, 1, 2],), ([7],), ([0, 0, 3],))
@jit
def single_number_xor(nums):
    acc = 0
    for n in nums:
        acc ^= n
    return acc


@cases((3,), (0,), (1,))
@jit
def gray_code(n):
    return [i ^ (i >> 1) for i in range(1 << n)]


@cases(([1, 2, 3],), ([],), ([5],))
@jit
def subsets_bitmask(items):
    n = len(items)
    out = []
    for mask in range(1 << n):
        out.append([items[i] for i in range(n) if mask & (1 << i)])
    return out


# ================================================================ combinatorics / backtracking
@jit
def _permute(nums, start, out):
    if start == len(nums):
        out.append(nums[:])
        return
    for i in range(start, len(nums)):
        nums[start], nums[i] = nums[i], nums[start]
        _permute(nums, start + 1, out)
        nums[start], nums[i] = nums[i], nums[start]


@cases(([1, 2, 3],), ([],), ([7],))
@jit
def permutations_swap(nums):
    out = []
    _permute(nums, 0, out)
    return out


@cases(([1, 2, 3],), ([],), ([1, 1],))
@jit
def permutations_recursive(elements):
    if len(elements) <= 1:
        return [elements[:]]
    result = []
    for i in range(len(elements)):
        rest = elements[:i] + elements[i + 1:]
        for p in permutations_recursive(rest):
            result.append([elements[i]] + p)
    return result


@cases(([1, 2, 3, 4], 2), ([1, 2, 3], 0), ([], 1), ([1, 2], 3))
@jit
def combinations(items, k):
    if k == 0:
        return [[]]
    if len(items) < k:
        return []
    first = items[0]
    with_first = [[first] + c for c in combinations(items[1:], k - 1)]
    without_first = combinations(items[1:], k)
    return with_first + without_first


@cases(([2, 3, 6, 7], 7), ([2], 1), ([1], 2))
@jit
def combination_sum(candidates, target):
    result = []

    def backtrack(start, remaining, path):
        if remaining == 0:
            result.append(list(path))
            return
        for i in range(start, len(candidates)):
            c = candidates[i]
            if c <= remaining:
                path.append(c)
                backtrack(i, remaining - c, path)
                path.pop()

    backtrack(0, target, [])
    return result


@jit
def _queens(n, row, cols, diag1, diag2, placement, solutions):
    if row == n:
        solutions.append(placement[:])
        return
    for col in range(n):
        if col in cols or (row - col) in diag1 or (row + col) in diag2:
            continue
        cols.add(col)
        diag1.add(row - col)
        diag2.add(row + col)
        placement.append(col)
        _queens(n, row + 1, cols, diag1, diag2, placement, solutions)
        placement.pop()
        cols.remove(col)
        diag1.remove(row - col)
        diag2.remove(row + col)


@cases((4,), (1,), (3,), (6,))
@jit
def n_queens(n):
    solutions = []
    _queens(n, 0, set(), set(), set(), [], solutions)
    return solutions


@cases((8,), (4,), (2,))
@jit
def n_queens_count(n):
    count = 0
    cols = [False] * n
    d1 = [False] * (2 * n)
    d2 = [False] * (2 * n)

    def place(r):
        nonlocal count
        if r == n:
            count += 1
            return
        for c in range(n):
            if not cols[c] and not d1[r + c] and not d2[r - c + n]:
                cols[c] = d1[r + c] = d2[r - c + n] = True
                place(r + 1)
                cols[c] = d1[r + c] = d2[r - c + n] = False

    place(0)
    return count


@cases(([1, 2, 3],), ([],))
@jit
def power_set(s):
    result = [[]]
    for x in s:
        result += [subset + [x] for subset in result]
    return result


@cases(([1, 2, 3],), ([3, 2, 1],), ([1, 1, 5],), ([1],))
@jit
def next_permutation(nums):
    i = len(nums) - 2
    while i >= 0 and nums[i] >= nums[i + 1]:
        i -= 1
    if i >= 0:
        j = len(nums) - 1
        while nums[j] <= nums[i]:
            j -= 1
        nums[i], nums[j] = nums[j], nums[i]
    nums[i + 1:] = reversed(nums[i + 1:])
    return nums


# ================================================================ benchmarks (pyperformance / Benchmarks Game)
@cases((7,), (1,), (3,))
@jit
def fannkuch(n):
    perm1 = list(range(n))
    count = [0] * n
    m = n - 1
    max_flips = 0
    checksum = 0
    r = n
    perm_count = 0
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        perm = perm1[:]
        flips = 0
        k = perm[0]
        while k:
            perm[:k + 1] = perm[k::-1]
            flips += 1
            k = perm[0]
        if flips > max_flips:
            max_flips = flips
        checksum += flips if perm_count % 2 == 0 else -flips
        while r != n:
            perm1.insert(r, perm1.pop(0))
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1
        else:
            return checksum, max_flips
        perm_count += 1


@cases((7,), (1,), (4,))
@jit
def fannkuch_pyperf(n):
    count = list(range(1, n + 1))
    max_flips = 0
    m = n - 1
    r = n
    check = 0
    perm1 = list(range(n))
    perm = list(range(n))
    perm1_ins = perm1.insert
    perm1_pop = perm1.pop
    while 1:
        if check < 30:
            check += 1
        while r != 1:
            count[r - 1] = r
            r -= 1
        if perm1[0] != 0 and perm1[m] != m:
            perm = perm1[:]
            flips_count = 0
            k = perm[0]
            while k:
                perm[:k + 1] = perm[k::-1]
                flips_count += 1
                k = perm[0]
            if flips_count > max_flips:
                max_flips = flips_count
        while r != n:
            perm1_ins(r, perm1_pop(0))
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1
        else:
            return max_flips


@jit
def eval_A(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


@jit
def eval_A_times_u(u):
    n = len(u)
    return [sum(eval_A(i, j) * u_j for j, u_j in enumerate(u)) for i in range(n)]


@jit
def eval_At_times_u(u):
    n = len(u)
    return [sum(eval_A(j, i) * u_j for j, u_j in enumerate(u)) for i in range(n)]


@cases((10,), (1,), (30,))
@jit
def spectral_norm(n):
    u = [1.0] * n
    for _ in range(10):
        v = eval_At_times_u(eval_A_times_u(u))
        u = eval_At_times_u(eval_A_times_u(v))
    vBv = vv = 0.0
    for ue, ve in zip(u, v):
        vBv += ue * ve
        vv += ve * ve
    return math.sqrt(vBv / vv)


def _initial_bodies():
    return [
        [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], SOLAR_MASS],
        [[4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01],
         [1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
          -6.90460016972063023e-05 * DAYS_PER_YEAR], 9.54791938424326609e-04 * SOLAR_MASS],
        [[8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01],
         [-2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
          2.30417297573763929e-05 * DAYS_PER_YEAR], 2.85885980666130812e-04 * SOLAR_MASS],
    ]


@cases(([tuple(b) for b in _initial_bodies()], 100, 0.01), (_initial_bodies(), 100, 0.01), (_initial_bodies(), 0, 0.01))
@jit
def nbody_advance(bodies, n, dt):
    pairs = []
    for i in range(len(bodies)):
        for j in range(i + 1, len(bodies)):
            pairs.append((bodies[i], bodies[j]))
    for _ in range(n):
        for ((r1, v1, m1), (r2, v2, m2)) in pairs:
            dx = r1[0] - r2[0]
            dy = r1[1] - r2[1]
            dz = r1[2] - r2[2]
            mag = dt * ((dx * dx + dy * dy + dz * dz) ** (-1.5))
            b1m = m1 * mag
            b2m = m2 * mag
            v1[0] -= dx * b2m
            v1[1] -= dy * b2m
            v1[2] -= dz * b2m
            v2[0] += dx * b1m
            v2[1] += dy * b1m
            v2[2] += dz * b1m
        for (r, [vx, vy, vz], m) in bodies:
            r[0] += dt * vx
            r[1] += dt * vy
            r[2] += dt * vz
    return bodies


@cases((_initial_bodies(),),)
@jit
def nbody_energy(bodies):
    e = 0.0
    for i, (r, v, m) in enumerate(bodies):
        e += 0.5 * m * (v[0] * v[0] + v[1] * v[1] + v[2] * v[2])
        for (r2, v2, m2) in bodies[i + 1:]:
            dx = r[0] - r2[0]
            dy = r[1] - r2[1]
            dz = r[2] - r2[2]
            e -= (m * m2) / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


@cases(([tuple(b) for b in _initial_bodies()],), (_initial_bodies(),))
@jit
def nbody_energy_tuples(bodies):
    # pyperformance's bm_nbody keeps bodies as ([x, y, z], [vx, vy, vz], mass) tuples
    e = 0.0
    for i, (r, v, m) in enumerate(bodies):
        e += 0.5 * m * (v[0] * v[0] + v[1] * v[1] + v[2] * v[2])
        for (r2, v2, m2) in bodies[i + 1:]:
            dx = r[0] - r2[0]
            dy = r[1] - r2[1]
            dz = r[2] - r2[2]
            e -= (m * m2) / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


@cases((_initial_bodies(),),)
@jit
def nbody_offset_momentum(bodies):
    px = py = pz = 0.0
    for (r, v, m) in bodies:
        px -= v[0] * m
        py -= v[1] * m
        pz -= v[2] * m
    (r, v, m) = bodies[0]
    v[0] = px / m
    v[1] = py / m
    v[2] = pz / m
    return bodies


@jit
def _make_tree(depth):
    if depth == 0:
        return (None, None)
    depth -= 1
    return (_make_tree(depth), _make_tree(depth))


@jit
def _check_tree(node):
    left, right = node
    if left is None:
        return 1
    return 1 + _check_tree(left) + _check_tree(right)


@cases((4,), (0,), (8,))
@jit
def binary_trees(depth):
    return _check_tree(_make_tree(depth))


@cases((4,), (0,))
@jit
def binary_trees_lists(depth):
    def make(d):
        return [make(d - 1), make(d - 1)] if d > 0 else [None, None]

    def check(t):
        l, r = t
        if l is None:
            return 1
        return 1 + check(l) + check(r)
    return check(make(depth))


@cases((50, 10), (0, 3))
@jit
def pystone_like(loops, size):
    array1 = [0] * 51
    array2 = [x[:] for x in [array1] * 51]
    record = [0, 0, 0, 0]   # ptr_comp, discr, enum_comp, int_comp
    int_glob = 0
    bool_glob = False
    for i in range(loops):
        int_loc1 = 2
        int_loc2 = 3
        enum_loc = 2
        bool_glob = not bool_glob
        while int_loc1 < int_loc2:
            int_loc3 = 5 * int_loc1 - int_loc2
            int_loc3 = int_loc1 + int_loc2 + 2
            int_loc1 += 1
        int_loc1 = (i + size) % 50 + 1
        array1[int_loc1] = int_loc3
        array1[int_loc1 + 1] = array1[int_loc1]
        for idx in range(int_loc1, int_loc1 + 2):
            array2[int_loc1][idx] = int_loc1
        array2[int_loc1][int_loc1 - 1] += 1
        record[2] = enum_loc
        record[3] = record[3] + int_loc1
        int_glob = array1[int_loc1] + int_loc2
    return int_glob, bool_glob, record, sum(array1), sum(map(sum, array2))


# richards-like: task control blocks as lists, packets as tuples
@cases(([[0, 1, 5], [1, 2, 3], [2, 0, 8]], 20), ([], 5))
@jit
def richards_like(tasks, steps):
    # tasks: [id, priority, work]
    queue = sorted(tasks, key=lambda t: -t[1])
    done = []
    holds = 0
    for step in range(steps):
        if not queue:
            break
        task = queue.pop(0)
        tid, prio, work = task
        work -= prio + 1
        if work <= 0:
            done.append((tid, step))
        else:
            queue.append([tid, prio, work])
            holds += 1
    return done, holds, [t[0] for t in queue]


@cases((8, 1000), (0, 5))
@jit
def sieve_benchmark_nested(reps, n):
    total = 0
    for _ in range(reps):
        flags = [True] * n
        count = 0
        for i in range(2, n):
            if flags[i]:
                count += 1
                k = i + i
                while k < n:
                    flags[k] = False
                    k += i
        total += count
    return total


@cases((100,), (1,))
@jit
def mandelbrot_counts(size):
    counts = []
    for y in range(size // 10 + 1):
        ci = 2.0 * y / (size // 10 + 1) - 1.0
        row = 0
        for x in range(size):
            cr = 2.0 * x / size - 1.5
            zr = zi = 0.0
            inside = True
            for _ in range(50):
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                if zr * zr + zi * zi > 4.0:
                    inside = False
                    break
            if inside:
                row += 1
        counts.append(row)
    return counts


# ================================================================ list utilities
@cases(([1, 1, 1, 2, 2, 3, 1, 1],), ([],), ([5],), ([-1, -1, 0],))
@jit
def run_length_encode(data):
    if not data:
        return []
    encoded = []
    prev = data[0]
    count = 1
    for x in data[1:]:
        if x == prev:
            count += 1
        else:
            encoded.append((prev, count))
            prev = x
            count = 1
    encoded.append((prev, count))
    return encoded


@cases(([(1, 3), (2, 2), (1, 1)],), ([],))
@jit
def run_length_decode(pairs):
    out = []
    for value, count in pairs:
        out.extend([value] * count)
    return out


@cases(([1, 2, 2, 3, 3, 3],), ([],), ([0, -1, 0],))
@jit
def histogram_get(values):
    counts = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return counts


@cases(([1, 2, 2, 3, 3, 3],), ([],))
@jit
def histogram_in(values):
    counts = {}
    for v in values:
        if v in counts:
            counts[v] += 1
        else:
            counts[v] = 1
    return counts


@cases(([1, 2, 3, 4, 5, 6, 7],), ([],), ([-3, 3],))
@jit
def group_by_parity(nums):
    groups = {}
    for n in nums:
        groups.setdefault(n % 2, []).append(n)
    return groups


@cases(([(1, 10), (2, 20), (1, 30), (3, 40)],), ([],))
@jit
def group_pairs(pairs):
    grouped = {}
    for key, value in pairs:
        if key not in grouped:
            grouped[key] = []
        grouped[key].append(value)
    return grouped


@cases(([3, 1, 3, 2, 1, 4],), ([],), ([1, 1, 1],))
@jit
def dedupe_preserve_order(seq):
    seen = set()
    result = []
    for x in seq:
        if x not in seen:
            seen.add(x)
            result.append(x)
    return result


@cases(([3, 1, 3, 2, 1, 4],), ([],))
@jit
def dedupe_dict_fromkeys(seq):
    return list(dict.fromkeys(seq))


@cases(([1, 2, 3, 4], [3, 4, 5], [4, 3, 9]), ([], [1], [1]), ([1, 1], [1], [1]))
@jit
def common_elements(a, b, c):
    return sorted(set(a) & set(b) & set(c))


@cases(([1, 2, 3], [2, 3, 4]), ([], []), ([1, 1], [2]))
@jit
def set_summary(a, b):
    sa, sb = set(a), set(b)
    return len(sa | sb), len(sa & sb), sorted(sa - sb), sorted(sa ^ sb), sa <= sb, sa.isdisjoint(sb)


@cases(([[1, 2], [3, [4, 5]], 6],), ([],), ([[[]]],), ([1, [2, [3, [4]]]],))
@jit
def flatten(nested):
    result = []
    for item in nested:
        if isinstance(item, list):
            result.extend(flatten(item))
        else:
            result.append(item)
    return result


@cases(([[1, 2], [3], [], [4, 5, 6]],), ([],))
@jit
def flatten_one_level(list_of_lists):
    return [x for sub in list_of_lists for x in sub]


@cases(([1, 2, 3, 4, 5], 2), ([1, 2, 3], 0), ([], 3), ([1, 2, 3], 7), ([1, 2], -1))
@jit
def rotate_slice(nums, k):
    if not nums:
        return nums
    k %= len(nums)
    return nums[-k:] + nums[:-k]


@jit
def _reverse_range(a, i, j):
    while i < j:
        a[i], a[j] = a[j], a[i]
        i += 1
        j -= 1


@cases(([1, 2, 3, 4, 5, 6, 7], 3), ([1], 5), ([1, 2], 2))
@jit
def rotate_inplace(nums, k):
    n = len(nums)
    k %= n
    _reverse_range(nums, 0, n - 1)
    _reverse_range(nums, 0, k - 1)
    _reverse_range(nums, k, n - 1)


@cases(([1, 2, 3, 4],), ([],), ([1],))
@jit
def reverse_inplace(lst):
    left, right = 0, len(lst) - 1
    while left < right:
        lst[left], lst[right] = lst[right], lst[left]
        left += 1
        right -= 1
    return lst


@cases(([1, 3, -1, -3, 5, 3, 6, 7], 3), ([1], 1), ([4, 2], 2), ([9, 8, 7, 6], 2))
@jit
def sliding_window_max(nums, k):
    dq = []
    out = []
    for i, x in enumerate(nums):
        while dq and dq[0] <= i - k:
            dq.pop(0)
        while dq and nums[dq[-1]] < x:
            dq.pop()
        dq.append(i)
        if i >= k - 1:
            out.append(nums[dq[0]])
    return out


@cases(([1, 2, 3, 4, 5], 2), ([], 3), ([1.5, 2.5, 3.5], 3), ([1, 2], 3))
@jit
def sliding_window_sums(values, k):
    if len(values) < k:
        return []
    window = sum(values[:k])
    sums = [window]
    for i in range(k, len(values)):
        window += values[i] - values[i - k]
        sums.append(window)
    return sums


@cases(([1.0, 2.0, 3.0, 4.0, 5.0], 3), ([2.0], 1))
@jit
def moving_average(xs, n):
    return [sum(xs[i:i + n]) / n for i in range(len(xs) - n + 1)]


@cases(([1, 2, 3, 4],), ([],), ([-1, 1, -1],))
@jit
def prefix_sums(nums):
    prefix = [0]
    for n in nums:
        prefix.append(prefix[-1] + n)
    return prefix


@cases(([1, 1, 1], 2), ([1, 2, 3], 3), ([], 0), ([1, -1, 0], 0))
@jit
def subarray_sum_equals_k(nums, k):
    count = 0
    running = 0
    seen = {0: 1}
    for n in nums:
        running += n
        count += seen.get(running - k, 0)
        seen[running] = seen.get(running, 0) + 1
    return count


@cases(([1, 2, 3, 4],), ([2, 3],), ([0, 1, 2],))
@jit
def product_except_self(nums):
    n = len(nums)
    out = [1] * n
    left = 1
    for i in range(n):
        out[i] = left
        left *= nums[i]
    right = 1
    for i in range(n - 1, -1, -1):
        out[i] *= right
        right *= nums[i]
    return out


@cases(([1, 2, 3, 4, 5, 6, 7], 3), ([], 2), ([1, 2], 5))
@jit
def chunk(lst, size):
    return [lst[i:i + size] for i in range(0, len(lst), size)]


@cases(([1, 2, 3], [4, 5, 6]), ([], []), ([1], [2, 3]))
@jit
def interleave(a, b):
    out = []
    for x, y in zip(a, b):
        out.append(x)
        out.append(y)
    return out


@cases(([(1, 3), (2, 6), (8, 10), (15, 18)],), ([(1, 4), (4, 5)],), ([],), ([(5, 6), (1, 2), (2, 4)],))
@jit
def merge_intervals(intervals):
    if not intervals:
        return []
    intervals = sorted(intervals, key=lambda x: x[0])
    merged = [list(intervals[0])]
    for start, end in intervals[1:]:
        if start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [tuple(m) for m in merged]


@cases(([[1, 3], [6, 9]], [2, 5]), ([], [4, 8]), ([[1, 2], [3, 5], [6, 7], [8, 10], [12, 16]], [4, 8]))
@jit
def insert_interval(intervals, new):
    result = []
    i = 0
    n = len(intervals)
    while i < n and intervals[i][1] < new[0]:
        result.append(intervals[i])
        i += 1
    while i < n and intervals[i][0] <= new[1]:
        new = [min(new[0], intervals[i][0]), max(new[1], intervals[i][1])]
        i += 1
    result.append(new)
    while i < n:
        result.append(intervals[i])
        i += 1
    return result


@cases(([3, 1, 4, 1, 5, 9, 2, 6], 3), ([], 2), ([1], 5), ([2, 2, 2], 2))
@jit
def top_k(nums, k):
    return sorted(nums, reverse=True)[:k]


@cases(([1, 1, 1, 2, 2, 3], 2), ([1], 1), ([4, 4, 5, 5, 6], 2))
@jit
def top_k_frequent(nums, k):
    freq = {}
    for n in nums:
        freq[n] = freq.get(n, 0) + 1
    items = sorted(freq.items(), key=lambda kv: kv[1], reverse=True)
    return [key for key, _ in items[:k]]


@cases(({1: 3, 2: 1, 3: 2},), ({},))
@jit
def sort_dict_by_value(d):
    return dict(sorted(d.items(), key=lambda item: item[1]))


@cases(({1: 10, 2: 20},), ({},))
@jit
def invert_dict(d):
    return {v: k for k, v in d.items()}


@cases(({1: 2, 3: 4}, {3: 5, 6: 7}), ({}, {}))
@jit
def merge_dicts_sum(a, b):
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


@cases(([[1, 2, 3], [4, 5, 6], [7, 8, 9]],), ([],))
@jit
def diagonal_sums(m):
    n = len(m)
    main = sum(m[i][i] for i in range(n))
    anti = sum(m[i][n - 1 - i] for i in range(n))
    return main, anti


@cases(([1, 2, 3], [10, 20, 30]), ([], []))
@jit
def pairwise_zip_enumerate(xs, ys):
    out = []
    for i, (x, y) in enumerate(zip(xs, ys)):
        out.append(i * x + y)
    return out


@cases(([1, 5, 2, 8, 3],), ([],), ([4],))
@jit
def pairwise_differences(values):
    return [b - a for a, b in zip(values, values[1:])]


@cases(([1, 2, 3, 4, 5, 6],), ([],))
@jit
def partition_list(nums):
    evens = [n for n in nums if n % 2 == 0]
    odds = [n for n in nums if n % 2]
    return evens, odds


@cases(([0, 1, 0, 3, 12],), ([],), ([0, 0],))
@jit
def move_zeroes(nums):
    pos = 0
    for i in range(len(nums)):
        if nums[i] != 0:
            nums[pos], nums[i] = nums[i], nums[pos]
            pos += 1
    return nums


@cases(([1, 1, 2, 2, 2, 3],), ([],), ([1],))
@jit
def remove_duplicates_sorted(nums):
    if not nums:
        return 0
    k = 1
    for i in range(1, len(nums)):
        if nums[i] != nums[k - 1]:
            nums[k] = nums[i]
            k += 1
    del nums[k:]
    return k


@cases(([3, 2, 3],), ([2, 2, 1, 1, 1, 2, 2],), ([5],))
@jit
def majority_element(nums):
    candidate, count = None, 0
    for n in nums:
        if count == 0:
            candidate = n
        count += 1 if n == candidate else -1
    return candidate


@cases(([100, 4, 200, 1, 3, 2],), ([],), ([0, -1],))
@jit
def longest_consecutive(nums):
    num_set = set(nums)
    best = 0
    for n in num_set:
        if n - 1 not in num_set:
            length = 1
            while n + length in num_set:
                length += 1
            best = max(best, length)
    return best


@cases(([1, 2, 3, 1],), ([1, 2, 3],), ([],))
@jit
def contains_duplicate(nums):
    return len(nums) != len(set(nums))


@cases(([1, 8, 6, 2, 5, 4, 8, 3, 7],), ([1, 1],))
@jit
def max_area(height):
    i, j = 0, len(height) - 1
    best = 0
    while i < j:
        best = max(best, (j - i) * min(height[i], height[j]))
        if height[i] < height[j]:
            i += 1
        else:
            j -= 1
    return best


@cases(([0, 1, 0, 2, 1, 0, 1, 3, 2, 1, 2, 1],), ([],), ([4, 2, 0, 3, 2, 5],))
@jit
def trap_rain_water(height):
    if not height:
        return 0
    n = len(height)
    left_max = [0] * n
    right_max = [0] * n
    left_max[0] = height[0]
    for i in range(1, n):
        left_max[i] = max(left_max[i - 1], height[i])
    right_max[-1] = height[-1]
    for i in range(n - 2, -1, -1):
        right_max[i] = max(right_max[i + 1], height[i])
    return sum(min(l, r) - h for l, r, h in zip(left_max, right_max, height))


@cases(([7, 1, 5, 3, 6, 4],), ([7, 6, 4, 3, 1],), ([],))
@jit
def max_profit(prices):
    min_price = float("inf")
    best = 0
    for p in prices:
        if p < min_price:
            min_price = p
        elif p - min_price > best:
            best = p - min_price
    return best


@cases(([73, 74, 75, 71, 69, 72, 76, 73],), ([],), ([30, 30],))
@jit
def daily_temperatures(temps):
    answer = [0] * len(temps)
    stack = []
    for i, t in enumerate(temps):
        while stack and temps[stack[-1]] < t:
            j = stack.pop()
            answer[j] = i - j
        stack.append(i)
    return answer


@cases(([2, 1, 5, 6, 2, 3],), ([],), ([2, 4],))
@jit
def largest_rectangle_histogram(heights):
    stack = []
    best = 0
    for i, h in enumerate(heights + [0]):
        start = i
        while stack and stack[-1][1] > h:
            idx, height = stack.pop()
            best = max(best, height * (i - idx))
            start = idx
        stack.append((start, h))
    return best


# ================================================================ stack / queue simulations
@cases(([2, 1, 3, -1, 4, -2],), ([],), ([-1],))
@jit
def rpn_like_eval(ops):
    # positive = push, -1 = add top two, -2 = multiply top two
    stack = []
    for op in ops:
        if op >= 0:
            stack.append(op)
        elif len(stack) >= 2:
            b = stack.pop()
            a = stack.pop()
            stack.append(a + b if op == -1 else a * b)
        else:
            return None
    return stack[-1] if stack else None


@cases(([1, 2, 3, 4, 5], 2), ([1], 1), ([1, 2, 3, 4, 5, 6, 7], 3))
@jit
def josephus(people, k):
    circle = list(people)
    order = []
    idx = 0
    while circle:
        idx = (idx + k - 1) % len(circle)
        order.append(circle.pop(idx))
    return order


@cases(([0, 3, 1, 4, 2],), ([],))
@jit
def queue_via_two_stacks(ops):
    inbox, outbox = [], []
    results = []
    for op in ops:
        if op > 0:
            inbox.append(op)
        else:
            if not outbox:
                while inbox:
                    outbox.append(inbox.pop())
            results.append(outbox.pop() if outbox else None)
    return results


@cases(([1, 2, 3], [1, 2, 3]), ([1, 2, 3, 4, 5], [4, 5, 3, 2, 1]), ([1, 2, 3, 4, 5], [4, 3, 5, 1, 2]), ([], []))
@jit
def validate_stack_sequences(pushed, popped):
    stack = []
    j = 0
    for x in pushed:
        stack.append(x)
        while stack and j < len(popped) and stack[-1] == popped[j]:
            stack.pop()
            j += 1
    return j == len(popped)


@cases(([(0, 3), (1, 9), (2, 6)],), ([],))
@jit
def round_robin(jobs):
    # jobs: (arrival, burst) ; quantum 2
    queue = [[i, burst] for i, (arrival, burst) in enumerate(jobs)]
    time = 0
    finish = {}
    while queue:
        job = queue.pop(0)
        run = min(2, job[1])
        time += run
        job[1] -= run
        if job[1] > 0:
            queue.append(job)
        else:
            finish[job[0]] = time
    return finish


# ================================================================ grids / cellular automata
@cases(([[0, 1, 0], [0, 0, 1], [1, 1, 1], [0, 0, 0]],), ([[1]],), ([[1, 1], [1, 1]],))
@jit
def game_of_life_step(board):
    rows, cols = len(board), len(board[0])
    new = [[0] * cols for _ in range(rows)]
    for r in range(rows):
        for c in range(cols):
            live = 0
            for dr, dc in NEIGHBOURS8:
                rr, cc = r + dr, c + dc
                if 0 <= rr < rows and 0 <= cc < cols:
                    live += board[rr][cc]
            if board[r][c] == 1 and live in (2, 3):
                new[r][c] = 1
            elif board[r][c] == 0 and live == 3:
                new[r][c] = 1
    return new


@cases(({(1, 0), (1, 1), (1, 2)},), (set(),), ({(0, 0)},))
@jit
def life_step_set(live):
    counts = {}
    for (x, y) in live:
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                if dx or dy:
                    key = (x + dx, y + dy)
                    counts[key] = counts.get(key, 0) + 1
    return {cell for cell, n in counts.items() if n == 3 or (n == 2 and cell in live)}


@cases(([[1, 1, 1], [1, 1, 0], [1, 0, 1]], 1, 1, 2), ([[0]], 0, 0, 0))
@jit
def flood_fill(image, sr, sc, new_color):
    old = image[sr][sc]
    if old == new_color:
        return image
    rows, cols = len(image), len(image[0])

    def fill(r, c):
        if r < 0 or r >= rows or c < 0 or c >= cols or image[r][c] != old:
            return
        image[r][c] = new_color
        fill(r + 1, c)
        fill(r - 1, c)
        fill(r, c + 1)
        fill(r, c - 1)

    fill(sr, sc)
    return image


@cases(([[0, 0, 0], [1, 1, 0], [0, 0, 0]],), ([[0]],), ([[0, 1], [1, 0]],))
@jit
def shortest_path_grid(grid):
    rows, cols = len(grid), len(grid[0])
    if grid[0][0] or grid[rows - 1][cols - 1]:
        return -1
    dist = {(0, 0): 0}
    frontier = [(0, 0)]
    while frontier:
        nxt = []
        for r, c in frontier:
            if (r, c) == (rows - 1, cols - 1):
                return dist[(r, c)]
            for dr, dc in DIRECTIONS:
                nr, nc = r + dr, c + dc
                if 0 <= nr < rows and 0 <= nc < cols and not grid[nr][nc] and (nr, nc) not in dist:
                    dist[(nr, nc)] = dist[(r, c)] + 1
                    nxt.append((nr, nc))
        frontier = nxt
    return -1


@cases((30, 90), (5, 30))
@jit
def elementary_automaton(width, rule):
    cells = [0] * width
    cells[width // 2] = 1
    rule_bits = [(rule >> i) & 1 for i in range(8)]
    history = [cells]
    for _ in range(width // 2):
        cells = [rule_bits[(cells[i - 1] << 2) | (cells[i] << 1) | cells[(i + 1) % width]] for i in range(width)]
        history.append(cells)
    return sum(sum(row) for row in history)


# ================================================================ statistics / floats
@cases(([1.0, 2.0, 3.0, 4.0],), ([5.0],), ([2, 4, 4, 4, 5, 5, 7, 9],))
@jit
def mean_variance(data):
    n = len(data)
    mean = sum(data) / n
    var = sum((x - mean) ** 2 for x in data) / n
    return mean, var, math.sqrt(var)


@cases(([3, 1, 2],), ([4, 1, 3, 2],), ([],), ([1.5],))
@jit
def median(values):
    if not values:
        return None
    s = sorted(values)
    n = len(s)
    mid = n // 2
    if n % 2:
        return s[mid]
    return (s[mid - 1] + s[mid]) / 2


@cases(([1, 2, 2, 3, 3],), ([7],))
@jit
def mode(values):
    counts = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    best = max(counts.values())
    return [v for v, c in counts.items() if c == best]


@cases(([1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 4.0, 5.0, 4.0, 5.0]), ([1.0, 2.0], [1.0, 3.0]))
@jit
def linear_regression(xs, ys):
    n = len(xs)
    mx = sum(xs) / n
    my = sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sxy / sxx
    return slope, my - slope * mx


@cases(([0.0, 1.0, 4.0, 9.0], 1.0), ([], 0.5))
@jit
def trapezoid(ys, dx):
    total = 0.0
    for a, b in zip(ys, ys[1:]):
        total += (a + b) * dx / 2
    return total


@cases(([1.0, -2.0, 3.0], 2.0), ([], 1.0), ([5], 0))
@jit
def horner(coeffs, x):
    result = 0
    for c in reversed(coeffs):
        result = result * x + c
    return result


@cases(([(0.0, 0.0), (3.0, 4.0), (1.0, 1.0)],), ([(1.0, 1.0)],))
@jit
def closest_pair_bruteforce(points):
    best = None
    best_d = float("inf")
    for i in range(len(points)):
        for j in range(i + 1, len(points)):
            (x1, y1), (x2, y2) = points[i], points[j]
            d = math.hypot(x1 - x2, y1 - y2)
            if d < best_d:
                best_d = d
                best = (i, j)
    return best, best_d


@cases(([(0, 0), (1, 1), (2, 2), (2, 0), (0, 2), (1, 0)],), ([(0, 0)],), ([],))
@jit
def convex_hull(points):
    pts = sorted(set(points))
    if len(pts) <= 1:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


@cases(([(0.0, 0.0), (4.0, 0.0), (4.0, 3.0), (0.0, 3.0)],), ([],))
@jit
def polygon_area(vertices):
    area = 0.0
    n = len(vertices)
    for i in range(n):
        x1, y1 = vertices[i]
        x2, y2 = vertices[(i + 1) % n]
        area += x1 * y2 - x2 * y1
    return abs(area) / 2.0


@cases(([1.0, 2.0, 3.0], [0.5, 0.5, 0.5], 3), ([0.0], [1.0], 0))
@jit
def euler_integrate(pos, vel, steps):
    pos = list(pos)
    for _ in range(steps):
        for i in range(len(pos)):
            pos[i] += vel[i] * 0.1
            vel[i] *= 0.99
    return pos, vel


# ================================================================ numba-test-suite-like
@cases(([1, 2, 3],), ([],))
@jit
def list_append_pop(lst):
    lst.append(10)
    lst.append(20)
    x = lst.pop()
    y = lst.pop(0) if lst else None
    return x, y, lst


@cases(([5, 3, 8, 1],), ([1],))
@jit
def list_methods_mix(l):
    l.insert(1, 99)
    l.remove(99)
    idx = l.index(max(l))
    c = l.count(l[0])
    l.sort()
    l.reverse()
    return idx, c, l


@cases((5,), (0,))
@jit
def tuple_build_unpack(n):
    t = tuple(range(n))
    total = 0
    for x in t:
        total += x
    a = t[0] if t else -1
    return (total, a, len(t), t[::-1])


@cases(({1: 2.0, 3: 4.0},), ({},))
@jit
def dict_iteration(d):
    ks = 0
    vs = 0.0
    for k in d:
        ks += k
    for v in d.values():
        vs += v
    items = [(k, v) for k, v in d.items()]
    return ks, vs, items, len(d)


@cases(({1: 2, 3: 4}, 3), ({}, 1))
@jit
def dict_pop_del(d, key):
    x = d.pop(key, None)
    if 1 in d:
        del d[1]
    d.update({7: 8})
    return x, d


@cases(({1, 2, 3}, 2), (set(), 5))
@jit
def set_methods(s, x):
    s.add(x)
    s.discard(100)
    t = s.copy()
    t.remove(x)
    u = s.union({42})
    return sorted(s), sorted(t), len(u), x in s


@cases(([4, 1, 3],), ([],))
@jit
def builtins_over_lists(xs):
    return (len(xs), sum(xs), min(xs, default=None), max(xs, default=None), sorted(xs), list(reversed(xs)),
            any(x > 2 for x in xs), all(x > 0 for x in xs))


@cases(([3, -1, 2],), ([],))
@jit
def map_filter_lambda(xs):
    squares = list(map(lambda x: x * x, xs))
    positives = list(filter(lambda x: x > 0, xs))
    return squares, positives


@cases(([1, 2, 3], 2), ([], 0))
@jit
def list_repeat_concat(a, n):
    b = a * n
    c = a + b
    c += [0]
    return b, c, c.count(1)


@cases(([1, 2, 3, 4, 5, 6],), ([],))
@jit
def slicing_variety(a):
    return a[1:4], a[::2], a[::-1], a[-2:], a[:-2], a[5:1:-2]


@cases(([[1, 2], [3, 4]],), ([],))
@jit
def nested_comprehension_pairs(rows):
    return [(i, j, v) for i, row in enumerate(rows) for j, v in enumerate(row) if v % 2 == 0]


@cases((4,), (0,))
@jit
def dict_comprehension_squares(n):
    return {i: i * i for i in range(n) if i % 2 == 0}


@cases(([1, 2, 3], [2, 3, 4]), ([], []))
@jit
def set_comprehension_sums(a, b):
    return {x + y for x in a for y in b}


@cases(([(3, 1.5), (1, 2.5), (2, 0.5)],), ([],))
@jit
def sort_tuples_by_second(pairs):
    pairs.sort(key=lambda p: p[1])
    return pairs


@cases(([(1, 2), (1, 1), (0, 5)],), ([],))
@jit
def sort_tuples_default(pairs):
    return sorted(pairs)


@cases(([3, 1, 2],), ([],))
@jit
def argsort(values):
    return sorted(range(len(values)), key=lambda i: values[i])


@cases(([[3, 1], [1, 2], [2, 0]],), ([],))
@jit
def sort_rows_multi_key(rows):
    return sorted(rows, key=lambda r: (r[1], -r[0]))


@cases(([1, 2, 3], [1, 2, 3]), ([1, 2], [1, 3]), ([], []))
@jit
def list_equality_compare(a, b):
    return a == b, a < b, (1, 2) < (1, 3), [a] == [b]


@cases((None,), (3,), (0,))
@jit
def optional_default(x):
    if x is None:
        return []
    return [x] * x


@cases(([1, None, 3, None],), ([],))
@jit
def skip_nones(values):
    return [v for v in values if v is not None]


@cases(([2, 3, 4],), ([],))
@jit
def running_product_tuple(xs):
    acc = 1
    history = ()
    for x in xs:
        acc *= x
        history = history + (acc,)
    return history


@cases(([1, 2, 3, 4, 5, 6, 7, 8, 9, 10],), ([],))
@jit
def stats_tuple_return(xs):
    if not xs:
        return None
    evens = sum(1 for x in xs if x % 2 == 0)
    return len(xs), evens, max(xs) - min(xs)


@cases(([5, 10],), ([],))
@jit
def primes_from_table(indices):
    return [PRIMES_SMALL[i % len(PRIMES_SMALL)] for i in indices]


@cases(({1: [1, 2], 2: [3]},), ({},))
@jit
def dict_of_lists_totals(d):
    return {k: sum(v) for k, v in d.items()}


@cases(([1, 2, 3, 4],), ([],))
@jit
def enumerate_start(xs):
    return [(i, x) for i, x in enumerate(xs, 1)]


@cases(([1, 2, 3], 2), ([1, 2, 3], 5))
@jit
def index_error_path(xs, i):
    return xs[i]


@cases(({1: 2}, 1), ({1: 2}, 3))
@jit
def key_error_path(d, k):
    return d[k]


@cases(([],), ([1],))
@jit
def pop_empty(xs):
    return xs.pop()
