# Float classes (ranges_float.cpp): each value bound once gets a class (a finite interval, and
# whether it may be +inf, -inf or NaN) for the whole function; a NumPy float64 + - * / whose
# operands' classes rule out overflow, a finite number divided by zero, inf - inf, 0 * inf and
# inf / inf cannot warn, and runs as a bare instruction without NumPy's warning test.
# RUN: %pyvorinc %s --function norm_cdf --args "float64" --emit ir | FileCheck %s
# RUN: %pyvorinc %s --function ratio --args "float64,float64" --emit ir | FileCheck %s --check-prefix=KEEP
import numpy as np

def norm_cdf(x):
    t = 1.0 / (1.0 + 0.2316419 * abs(x))
    poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))))
    pdf = 0.3989422804014327 * np.exp(-0.5 * x * x)
    c = 1.0 - pdf * poly
    if x < 0.0:
        return 1.0 - c
    return c

def ratio(a, b):
    return a / b

# t lies in [0, 1] or is NaN, poly in [-0.077, 1.75] or NaN, pdf in [0, 0.399] or NaN: only
# -0.5 * x * x (line 12: it overflows for |x| > 1.3e154) keeps a test of its own; the returns
# (lines 15, 16) report what the sticky flags of np.exp hold.
# CHECK-LABEL: define internal double @pv.norm_cdf.0
# CHECK: fdiv double
# CHECK-NOT: call void @pv_np_warns(ptr %ctx, ptr @{{[^,]*}}, ptr @.str, i32 {{10|11|13}})
# CHECK: call void @pv_np_warns(ptr %ctx, ptr @{{[^,]*}}, ptr @.str, i32 12)
# CHECK-NOT: call void @pv_np_warns(ptr %ctx, ptr @{{[^,]*}}, ptr @.str, i32 {{10|11|13}})
# CHECK: define i64 @pv_entry

# a / b may divide by zero: its test stays
# KEEP-LABEL: define internal double @pv.ratio.0
# KEEP: call void @pv_np_warns(ptr %ctx
