# Range analysis (ranges.cpp) versions counted loops: one test before the loop proves every
# a[i + c] in bounds (and the stored arrays writeable), and a copy of the loop without those checks
# runs; otherwise the checked copy, which raises NumPy's IndexError. An int accumulator whose addend
# is bounded ((i % 1000) ** 2 is in [0, 998001]) loses its overflow check in the same way.
# RUN: %pyvorinc %s --function scale --args "ndarray[float64, 1, C],ndarray[float64, 1, C]" --emit ir | FileCheck %s
# RUN: %pyvorinc %s --function scale --args "ndarray[float64, 1, C],ndarray[float64, 1, C]" --emit opt-ir | FileCheck %s --check-prefix=VEC
# RUN: %pyvorinc %s --function sum_sq --args int --emit ir | FileCheck %s --check-prefix=ACC
# RUN: %pyvorinc %s --function gather --args "ndarray[float64, 1, C],ndarray[int64, 1, C]" --emit ir | FileCheck %s --check-prefix=KEEP

def scale(x, out):
    for i in range(x.shape[0]):
        out[i] = 2.0 * x[i - 1]
    return out

def sum_sq(n):
    total = 0
    for i in range(n):
        total += (i % 1000) ** 2
    return total

def gather(x, idx):
    s = 0.0
    for i in range(idx.shape[0]):
        s += x[idx[i]]
    return s

# The test: i - 1 >= 0 at the smallest i, the largest i below each extent, out writeable.
# CHECK-LABEL: define internal ptr @pv.scale.0
# CHECK: %iv.last =
# CHECK: %in.bounds = or i1
# CHECK: br i1 %in.bounds, label %for.unchecked, label %for.checked
# Only the checked copy's two accesses keep their checks:
# CHECK-COUNT-2: call void @pv_np_index_error
# CHECK-NOT: call void @pv_np_index_error
# CHECK: define i64 @pv_entry
# The unchecked copy vectorises.
# VEC: fmul <{{[0-9]+}} x double>
# ACC-LABEL: define internal i64 @pv.sum_sq.0
# ACC: call { i64, i1 } @llvm.umul.with.overflow.i64(i64 %trip.count, i64 998001)
# One overflow-checked add (the checked copy's), and the unchecked copy's plain one:
# ACC-DAG: %acc = add nsw i64
# ACC-DAG: call { i64, i1 } @llvm.sadd.with.overflow.i64
# ACC-NOT: call { i64, i1 } @llvm.sadd.with.overflow
# ACC: define i64 @pv_entry
# x[idx[i]] is not i + c: its check stays (idx[i] loses its own)
# KEEP-LABEL: define internal {{.*}} @pv.gather.0
# KEEP: br i1 %in.bounds, label %for.unchecked, label %for.checked
# KEEP-COUNT-3: call void @pv_np_index_error
# KEEP-NOT: call void @pv_np_index_error
# KEEP: define i64 @pv_entry
