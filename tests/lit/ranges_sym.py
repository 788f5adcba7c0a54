# Checks proven by value ranges (ranges_sym.cpp): a counted loop's values get ranges computed
# once before the loop, narrowed by the `if` tests they passed. The versioned loop's test also
# tests those ranges, and its unchecked copy drops int()'s |x| < 2**63 test, NumPy's warning
# tests of float operations whose range is finite, and the bounds checks of indexes whose range
# lies within the array.
# RUN: %pyvorinc %s --function histogram --args "ndarray[float64, 1, C],int,float,float" --emit ir | FileCheck %s
# RUN: %pyvorinc %s --function clamped --args "ndarray[float64, 1, C],int" --emit ir | FileCheck %s --check-prefix=CLAMP
# RUN: %pyvorinc %s --function offsets --args "ndarray[float64, 1, C],ndarray[float64, 1, C],int" --emit ir | FileCheck %s --check-prefix=OFF
# RUN: %pyvorinc %s --function shadowed --args "ndarray[float64, 1, C],int" --emit ir | FileCheck %s --check-prefix=KEEP
# RUN: %pyvorinc %s --function pairwise --args "ndarray[float64, 2, C],ndarray[float64, 2, C]" --emit ir | FileCheck %s --check-prefix=NEST
import math
import numpy as np

def histogram(x, bins, lo, hi):
    counts = np.zeros(bins, np.int64)
    scale = bins / (hi - lo)
    for i in range(x.shape[0]):
        v = x[i]
        if v >= lo and v < hi:
            k = int((v - lo) * scale)
            if k < bins:
                counts[k] += 1
    return counts

def clamped(x, bins):
    counts = np.zeros(bins, np.int64)
    for i in range(x.shape[0]):
        k = min(max(int(x[i] * bins), 0), bins - 1)
        counts[k] += 1
    return counts

def offsets(a, out, c):
    for i in range(a.shape[0]):
        j = i * 2 + c
        if j < out.shape[0]:
            out[j] = a[i]
    return out

def pairwise(pts, out):
    n = pts.shape[0]
    d = pts.shape[1]
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(d):
                t = pts[i, k] - pts[j, k]
                s += t * t
            out[i, j] = math.sqrt(s)
    return out

def shadowed(x, bins):
    counts = np.zeros(bins, np.int64)
    for i in range(x.shape[0]):
        k = int(x[i] * bins)
        if k >= 0 and k < bins:
            k = k - bins
            counts[k] += 1
    return counts

# The test truncates the ends of (v - lo) * scale's range [min of the corners, max of them]:
# CHECK-LABEL: define internal ptr @pv.histogram.0
# CHECK: call double @llvm.minimum.f64
# CHECK: call double @llvm.maximum.f64
# CHECK: fptosi double
# CHECK: br i1 %in.bounds, label %for.unchecked, label %for.checked
# The unchecked copy truncates without a test:
# CHECK: for.unchecked:
# CHECK: %int = fptosi double
# One int() runtime call and two checks of counts[k] (read, store), all the checked copy's:
# CHECK-COUNT-1: call i64 @pv_float_to_int(
# CHECK-NOT: call i64 @pv_float_to_int(
# CHECK-COUNT-2: call void @pv_np_index_error(ptr %ctx, i64 %k
# CHECK-NOT: call void @pv_np_index_error(ptr %ctx, i64 %k
# CHECK: define i64 @pv_entry

# int() of an unbounded product keeps its test in both copies; the clamp bounds the index:
# CLAMP-LABEL: define internal ptr @pv.clamped.0
# CLAMP: br i1 %in.bounds, label %for.unchecked, label %for.checked
# CLAMP-COUNT-2: call i64 @pv_float_to_int(
# CLAMP-NOT: call i64 @pv_float_to_int(
# CLAMP: define i64 @pv_entry

# j = i * 2 + c: its ends from i's first and last value, tested 0 <= j and j < out.shape[0];
# only the checked copy keeps the checks of a[i] and out[j]:
# OFF-LABEL: define internal ptr @pv.offsets.0
# OFF: call { i64, i1 } @llvm.smul.with.overflow.i64
# OFF: br i1 %in.bounds, label %for.unchecked, label %for.checked
# OFF-COUNT-2: call void @pv_np_index_error
# OFF-NOT: call void @pv_np_index_error
# OFF: define i64 @pv_entry

# k is assigned twice: the range its test gave is not the index's; both copies check counts[k]:
# KEEP-LABEL: define internal ptr @pv.shadowed.0
# KEEP-COUNT-4: call void @pv_np_index_error(ptr %ctx, i64 %k
# KEEP-NOT: call void @pv_np_index_error(ptr %ctx, i64 %k
# KEEP: define i64 @pv_entry

# Nested counted loops: j in [0, n - 1] and k in [0, d - 1] inside i's loop, so the outer test
# proves every access of the three loops; its unchecked copy versions neither inner loop. Only the
# checked copy's j loop (and within its checked copy, the k loop) is versioned again: three tests.
# NEST-LABEL: define internal ptr @pv.pairwise.0
# NEST-COUNT-3: br i1 %in.bounds{{[0-9]*}}, label %for.unchecked
# NEST-NOT: br i1 %in.bounds
# NEST: define i64 @pv_entry
