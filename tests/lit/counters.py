# Counter arrays (ranges.cpp, Counters): an int64 array the call makes with np.zeros and only ever
# increments by 1 (`counts[k] += 1`), otherwise only reading its elements, cannot overflow: no
# element exceeds the number of increments run. The increment is a plain `add nsw`, in both copies
# of the versioned loop. The same code on an array passed in keeps the checked add.
# RUN: %pyvorinc %s --function count --args "ndarray[int64, 1, C],int" --emit ir | FileCheck %s
# RUN: %pyvorinc %s --function count_into --args "ndarray[int64, 1, C],ndarray[int64, 1, C]" --emit ir | FileCheck %s --check-prefix=KEEP
import numpy as np

def count(a, n):
    counts = np.zeros(n, np.int64)
    for i in range(a.shape[0]):
        counts[a[i]] += 1
    return counts

def count_into(a, counts):
    for i in range(a.shape[0]):
        counts[a[i]] += 1
    return counts

# CHECK-LABEL: define internal {{.*}} @pv.count.0
# CHECK-NOT: @llvm.sadd.with.overflow.i64
# CHECK: add nsw i64 %item{{[0-9]*}}, 1
# CHECK-NOT: @llvm.sadd.with.overflow.i64
# CHECK: add nsw i64 %item{{[0-9]*}}, 1
# CHECK-NOT: @llvm.sadd.with.overflow.i64
# CHECK: define i64 @pv_entry

# KEEP-LABEL: define internal {{.*}} @pv.count_into.0
# KEEP: call { i64, i1 } @llvm.sadd.with.overflow.i64(i64 %item{{[0-9]*}}, i64 1)
