# Integer floor division and modulo follow Python (floor, sign of the divisor), not LLVM's
# truncating sdiv/srem: a zero check, the INT64_MIN // -1 overflow check, then the adjustment.
# Both divide by the same `%divisor` (-1 made 1, l // -1 being -l), so `a // b` and `a % b`
# together are one division.
# RUN: %pyvorinc %s --function fdiv --args int,int --emit ir | FileCheck %s --check-prefix=IR
# RUN: %pyvorinc %s --function fmod --args int,int --emit ir | FileCheck %s --check-prefix=MOD
# RUN: %pyvorinc %s --function fdiv --args float,float --emit ir | FileCheck %s --check-prefix=FLT

def fdiv(a, b):
    return a // b

def fmod(a, b):
    return a % b

# IR-LABEL: define internal i64 @pv.fdiv.0(ptr noalias nocapture %ctx, i64 %budget, i64 %a, i64 %b)
# IR: icmp eq i64 %b{{[0-9]*}}, 0
# IR: call void @pv_raise(ptr %ctx, i32 1, ptr @{{.*}}, ptr @{{.*}}, i32 10)
# IR: %divisor = select i1
# IR: sdiv i64 %{{.*}}, %divisor
# IR: %q = select i1
# IR: %rem = srem i64 %{{.*}}, %divisor
# IR: xor i64 %rem
# IR: %floordiv = sub i64 %q
# MOD-LABEL: define internal i64 @pv.fmod.0
# MOD: icmp eq i64 %b{{[0-9]*}}, -1
# MOD: %rem = srem i64 %{{.*}}, %divisor
# MOD: %mod = select i1
# FLT-LABEL: define internal double @pv.fdiv.0(ptr noalias nocapture %ctx, i64 %budget, double %a, double %b)
# FLT: fcmp oeq double %b{{[0-9]*}}, 0.000000e+00
# FLT: call double @pv_float_floordiv

# Division by a positive power of two is a shift, modulo a mask: both already floor.
# RUN: %pyvorinc %s --function half --args int --emit ir | FileCheck %s --check-prefix=POW2
def half(n):
    return n // 4 + n % 8

# POW2-LABEL: define internal i64 @pv.half.0
# POW2: %floordiv = ashr i64 %n{{[0-9]*}}, 2
# POW2: %mod = and i64 %n{{[0-9]*}}, 7
