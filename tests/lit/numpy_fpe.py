# NumPy's float warnings in loops (lower_numpy.cpp): a + - * on NumPy floats leaves its overflow
# to the CPU's sticky overflow flag, and its invalid result to the invalid flag when nothing in the
# loop can raise that flag for a NaN it only reads. Where the loop ends, MXCSR is read once
# (stmxcsr, overflow 0x8 | invalid 0x1 = 9); the loop body has no test of its own. A loop with an
# ordered comparison keeps its per-operation invalid tests (fcmp uno) and reads only the overflow
# flag (8). A division keeps its full test.
# RUN: %pyvorinc %s --function dot --args "ndarray[float64, 1, C],ndarray[float64, 1, C]" --emit ir | FileCheck %s --check-prefix=DOT
# RUN: %pyvorinc %s --function dot --args "ndarray[float64, 1, C],ndarray[float64, 1, C]" --emit opt-ir | FileCheck %s --check-prefix=DOTOPT
# RUN: %pyvorinc %s --function positive --args "ndarray[float64, 1, C]" --emit ir | FileCheck %s --check-prefix=CMP
# RUN: %pyvorinc %s --function ratio --args "ndarray[float64, 1, C],ndarray[float64, 1, C]" --emit ir | FileCheck %s --check-prefix=DIV

def dot(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s

def positive(a):
    s = 0.0
    for i in range(a.shape[0]):
        if a[i] > 0:
            s += a[i] * 2.0
    return s

def ratio(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] / b[i]
    return s

# The invalid flag is cleared where the loop starts, and both flags are read where it ends:
# DOT-LABEL: define internal {{.*}} @pv.dot.0
# DOT: call void @llvm.x86.sse.stmxcsr
# DOT: and i32 %{{.*}}, -2
# DOT: call void @llvm.x86.sse.ldmxcsr
# DOT: for.end:
# DOT: call void @llvm.x86.sse.stmxcsr
# DOT-NEXT: load i32
# DOT-NEXT: and i32 %{{.*}}, 9
# DOT: define i64 @pv_entry
# After optimisation no float comparison is left in dot at all:
# DOTOPT-NOT: fcmp
# DOTOPT: define i64 @pv_entry
# DOTOPT: stmxcsr
# DOTOPT-NOT: fcmp
# CMP-LABEL: define internal {{.*}} @pv.positive.0
# CMP-NOT: and i32 %{{.*}}, 9
# CMP-DAG: fcmp uno double
# CMP-DAG: and i32 %{{.*}}, 8
# CMP-NOT: and i32 %{{.*}}, 9
# CMP: define i64 @pv_entry
# DIV-LABEL: define internal {{.*}} @pv.ratio.0
# DIV: fdiv double
# DIV: fcmp oeq double %{{.*}}, 0x7FF0000000000000
# DIV: define i64 @pv_entry
