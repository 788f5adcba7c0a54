# Flag variants (lower_fe_variant.cpp): a loop whose NumPy float + - * leave their warnings to the
# CPU's sticky flags calls a flag-safe helper's variant, which tests none of its own + - * and
# compares floats quietly (an integer order of the bits: no signalling cmpltsd for a NaN), so the
# loop may read the invalid flag too. Before the loop's first store into an argument the flags
# are read once (effect.first; in every loop with NumPy float tests, the tests' own): a warning of
# the first row still reruns the call in CPython.
# RUN: %pyvorinc %s --function rows --args "ndarray[float64, 1, C],ndarray[float64, 1, C]" --emit ir | FileCheck %s
# RUN: %pyvorinc %s --function rows --args "ndarray[float64, 1, C],ndarray[float64, 1, C]" --emit opt-ir | FileCheck %s --check-prefix=OPT
# RUN: %pyvorinc %s --function rows_scaled --args "ndarray[float64, 1, C],ndarray[float64, 1, C]" --emit ir | FileCheck %s --check-prefix=UNSAFE
import math


def cdf(x):
    t = 1.0 / (1.0 + 0.2316419 * abs(x))
    poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))))
    p = 1.0 - 0.3989422804014327 * math.exp(-0.5 * x * x) * poly
    if x < 0.0:
        return 1.0 - p
    return p


def rows(a, out):
    for i in range(a.shape[0]):
        out[i] = cdf(a[i]) - cdf(-a[i])
    return out


# x * 3.0 runs only where x > 1.0: LLVM may compute it anyway (a select), and its overflow flag
# would report an operation CPython never ran. Not flag-safe: its loop reads no flag.
def scaled(x):
    if x > 1.0:
        return x * 3.0
    return x


def rows_scaled(a, out):
    for i in range(a.shape[0]):
        out[i] = scaled(a[i]) * 2.0
    return out


# CHECK-LABEL: define internal ptr @pv.rows.0
# CHECK: call double @pv.cdf.1.fe(
# CHECK: call double @pv.cdf.1.fe(
# CHECK: br i1 %{{effects[0-9]*}}, label %effect, label %effect.first
# CHECK: effect.first:
# CHECK: call void @llvm.x86.sse.stmxcsr
# the normal helper keeps its tests; the variant compares quietly and tests no + - *
# CHECK-LABEL: define internal double @pv.cdf.1(
# CHECK: fcmp olt double
# CHECK-LABEL: define internal double @pv.cdf.1.fe(
# CHECK-NOT: fcmp olt
# CHECK: %quiet.cmp = and i1
# CHECK-NOT: fcmp olt
# CHECK: define i64 @pv_entry_rows

# Once optimised (the variant inlined), the loop has no ordered comparison that could signal.
# OPT-NOT: fcmp {{olt|ole|ogt|oge|ult|ule|ugt|uge}}
# OPT: define i64 @pv_entry_rows
# OPT-NOT: fcmp {{olt|ole|ogt|oge|ult|ule|ugt|uge}}

# Its tests are still read before the first store (no flag: only the tests' own).
# UNSAFE-LABEL: define internal ptr @pv.rows_scaled.0
# UNSAFE-NOT: @pv.scaled.1.fe
# UNSAFE: call double @pv.scaled.1(
# UNSAFE-NOT: @pv.scaled.1.fe
# UNSAFE: effect.first:
# UNSAFE-NOT: stmxcsr
# UNSAFE: np.warns
# UNSAFE-NOT: @pv.scaled.1.fe
# UNSAFE: define i64 @pv_entry_rows_scaled
