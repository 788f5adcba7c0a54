# NumPy's float warnings in loops (lower_fpe.cpp): in a loop with no conditional code of its own,
# a + - * on NumPy floats leaves its overflow to the CPU's sticky overflow flag, and its invalid
# result to the invalid flag when nothing in the loop can raise that flag for a NaN it only reads.
# Both flags are cleared where the loop starts (and with ~9 = -10) and read once where it ends
# (stmxcsr, overflow 8, invalid 1); a result nothing else uses goes into a volatile sink, so that an
# unused product still raises its flag. A loop with an `if` keeps a test per operation (fcmp uno)
# and reads no flag. A division keeps its full test.
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

# The flags are cleared where the loop starts, and read where it ends:
# DOT-LABEL: define internal {{.*}} @pv.dot.0
# DOT: call void @llvm.x86.sse.stmxcsr
# DOT: and i32 %{{.*}}, -10
# DOT: call void @llvm.x86.sse.ldmxcsr
# DOT: for.end:
# DOT: store volatile double
# (both flags in one read: OE | IE)
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
# CMP: fcmp uno double
# CMP-NOT: and i32 %{{.*}}, 8
# CMP: define i64 @pv_entry
# DIV-LABEL: define internal {{.*}} @pv.ratio.0
# DIV: fdiv double
# DIV: fcmp oeq double %{{.*}}, 0x7FF0000000000000
# DIV: define i64 @pv_entry
