# int arithmetic is checked: every +, -, * goes through an overflow intrinsic whose overflow bit
# raises PV_INT_OVERFLOW (4), so the call reruns in CPython instead of wrapping.
# RUN: %pyvorinc %s --function mac --args int,int,int --emit ir | FileCheck %s
# RUN: %pyvorinc %s --function mac --args int,int,int --emit opt-ir -O2 | FileCheck %s --check-prefix=OPT

def mac(a, b, c):
    return a * b + c

# CHECK-LABEL: define internal i64 @pv.mac.0
# CHECK: call { i64, i1 } @llvm.smul.with.overflow.i64
# CHECK: call void @pv_raise(ptr %ctx, i32 4,
# CHECK: call { i64, i1 } @llvm.sadd.with.overflow.i64
# CHECK: call void @pv_raise(ptr %ctx, i32 4,
# OPT-LABEL: define i64 @pv_entry_mac
# OPT: @llvm.smul.with.overflow.i64
# OPT: @llvm.sadd.with.overflow.i64

# A multiply by a constant is checked with a range compare on the other operand, then done with
# `mul nsw` (which the back end may turn into lea): same semantics, cheaper than imul + jo.
# RUN: %pyvorinc %s --function triple --args int --emit ir | FileCheck %s --check-prefix=CONST
def triple(n):
    return 3 * n + 1

# CONST-LABEL: define internal i64 @pv.triple.0
# CONST: icmp sgt i64 %n{{[0-9]*}}, 3074457345618258602
# CONST: icmp slt i64 %n{{[0-9]*}}, -3074457345618258602
# CONST: call void @pv_raise(ptr %ctx, i32 4,
# CONST: mul nsw i64 %n{{[0-9]*}}, 3
# CONST: @llvm.sadd.with.overflow.i64
