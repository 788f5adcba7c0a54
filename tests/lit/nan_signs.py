# NaN signs as on CPython/x86-64: a program's float constants, int -> float conversions and unary
# minus results go through llvm.arithmetic.fence, so LLVM neither folds an invalid operation into a
# positive NaN nor rewrites a multiplication by -1.0 into fneg (which flips a NaN operand's sign).
# After the IR optimisers, a fence around a finite constant is dropped where the back end cannot
# fold or rewrite either (no other constant operand, not -1.0 or -0.0).
import math

# RUN: %pyvorinc %s --function inf_times_zero --args int --emit ir | FileCheck %s --check-prefix=FOLD-IR
# RUN: %pyvorinc %s --function inf_times_zero --args int --emit opt-ir -O2 | FileCheck %s --check-prefix=FOLD
def inf_times_zero(k):
    return math.inf * 0.0

# FOLD-IR: define internal double @pv.inf_times_zero.0
# FOLD-IR: %[[INF:[0-9]+]] = call double @llvm.arithmetic.fence.f64(double 0x7FF0000000000000)
# FOLD-IR: %[[ZERO:[0-9]+]] = call double @llvm.arithmetic.fence.f64(double 0.000000e+00)
# FOLD-IR: fmul double %[[INF]], %[[ZERO]]
# FOLD-LABEL: define {{.*}} @pv_entry_inf_times_zero
# FOLD-NOT: 0x7FF8000000000000
# FOLD: %[[A:[0-9]+]] = tail call double @llvm.arithmetic.fence.f64(double 0x7FF0000000000000)
# FOLD: %[[B:[0-9]+]] = tail call double @llvm.arithmetic.fence.f64(double 0.000000e+00)
# FOLD: fmul double %[[A]], %[[B]]

# RUN: %pyvorinc %s --function times_minus_one --args float --emit opt-ir -O2 | FileCheck %s --check-prefix=NEG
# RUN: %pyvorinc %s --function times_minus_one --args float --emit asm -O2 | FileCheck %s --check-prefix=NEG-ASM
def times_minus_one(x):
    return x * -1.0 + -1 * x

# NEG-LABEL: define {{.*}} @pv_entry_times_minus_one
# NEG-NOT: fneg
# NEG: %[[M:[0-9]+]] = tail call double @llvm.arithmetic.fence.f64(double -1.000000e+00)
# NEG-NOT: fneg
# NEG: fmul double %[[M]]
# NEG-NOT: fneg
# NEG: ret i64
# NEG-ASM-NOT: xorpd
# NEG-ASM: mulsd

# Unary minus flips the sign, as in CPython; x - (-y) stays a subtraction of the negation.
# RUN: %pyvorinc %s --function minus_negated --args float,float --emit opt-ir -O2 | FileCheck %s --check-prefix=UNARY
def minus_negated(x, y):
    return x - (-y)

# UNARY: %[[N:[0-9]+]] = fneg double
# UNARY: %[[F:[0-9]+]] = tail call double @llvm.arithmetic.fence.f64(double %[[N]])
# UNARY: fsub double %{{[0-9]+}}, %[[F]]

# The fence is hoisted out of loops; a finite constant with no other constant operand is plain again.
# RUN: %pyvorinc %s --function scale --args int,float --emit opt-ir -O2 | FileCheck %s --check-prefix=LOOP
def scale(n, x):
    s = 0.0
    for i in range(n):
        s += x * 2.5 + i
    return s

# LOOP-LABEL: define {{.*}} @pv_entry_scale
# LOOP: fmul double 2.500000e+00, %{{[0-9]+}}
# LOOP: br label
# LOOP: for.body{{.*}}:
# LOOP: {{[su]}}itofp {{(nneg )?}}i64 %{{.*}} to double
# LOOP-NEXT: tail call double @llvm.arithmetic.fence.f64
# LOOP-NOT: 2.500000e+00
# LOOP: ret i64
