# Grouped NumPy float tests (lower_fpe_group.cpp): in a loop with conditional code, a block's exact
# tests (fcmp ord/uno/one/oeq against infinity) move to a cold block (`.fe.exact`), entered only
# where some result of the block is not finite: `x - x` is 0 for a finite x and NaN otherwise, and
# the sum of those is compared unordered. A result that a later + - * of the block carries on
# needs no test of its own: Horner's chain in `chain` is tested once, on the sum it goes into. A
# divisor is not carried (1 / inf is 0): `recip` tests the product and the sum (which carries
# the quotient). Where int() takes the block's result, its range test (`fabs(x) < 2**63`) already
# proves the result finite: `binned` has no hot test, and the exact tests run on the range test's
# other edge, before the runtime converts (or raises).
# RUN: %pyvorinc %s --function binned --args "ndarray[float64, 1, C],float,float,ndarray[int64, 1, C]" --emit ir | FileCheck %s --check-prefix=BINNED
# RUN: %pyvorinc %s --function chain --args "ndarray[float64, 1, C],float" --emit ir | FileCheck %s --check-prefix=CHAIN
# RUN: %pyvorinc %s --function complement --args "ndarray[float64, 1, C],ndarray[float64, 1, C]" --emit ir | FileCheck %s --check-prefix=NEVER
# RUN: %pyvorinc %s --function recip --args "ndarray[float64, 1, C],ndarray[float64, 1, C]" --emit ir | FileCheck %s --check-prefix=RECIP

def chain(a, k):
    s = 0.0
    for i in range(a.shape[0]):
        x = a[i]
        if x != 0.0:
            s += ((x * k + 1.0) * x + 2.0) * x
    return s

def complement(a, out):
    # 1.0 - x, 0.5 * x and x / 4.0 can never warn: no test at all
    for i in range(a.shape[0]):
        if a[i] > 0:
            out[i] = 1.0 - a[i] * 0.5 / 4.0
    return out

def recip(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        if a[i] > 0:
            s += 1.0 / (a[i] * b[i])
    return s

def binned(x, lo, scale, counts):
    for i in range(x.shape[0]):
        v = x[i]
        if v >= lo:
            k = int((v - lo) * scale)
            if k < counts.shape[0]:
                counts[k] += 1
    return counts

# BINNED-LABEL: define internal {{.*}} @pv.binned.0
# BINNED: if.then:
# BINNED: fsub double %v{{[0-9]+}}, %lo
# BINNED-NOT: fcmp
# BINNED: [[P:%[0-9]+]] = fmul double
# BINNED-NEXT: [[A:%[0-9]+]] = call double @llvm.fabs.f64(double [[P]])
# BINNED-NEXT: [[R:%[0-9]+]] = fcmp olt double [[A]], 0x43E0000000000000
# BINNED-NEXT: fptosi double [[P]] to i64
# BINNED-NEXT: br i1 [[R]], label %toint.done, label %[[EXACT:if.then.fe.exact]]
# BINNED: [[EXACT]]:
# BINNED: fcmp oeq double %{{.*}}, 0x7FF0000000000000
# BINNED: br label %toint.slow
# BINNED: toint.slow:
# BINNED-NEXT: call i64 @pv_float_to_int(ptr %ctx, double [[P]]
# BINNED-NOT: fe.not.finite
# BINNED: define i64 @pv_entry

# CHAIN-LABEL: define internal {{.*}} @pv.chain.0
# CHAIN: if.then:
# CHAIN: fmul double %x{{[0-9]+}}, %k
# CHAIN-NOT: fcmp
# CHAIN-NOT: fsub
# CHAIN: extractvalue { double, i1 }
# CHAIN-NEXT: [[LAST:%[0-9]+]] = fadd double %{{[0-9]+}}, %{{[0-9]+}}
# CHAIN-NOT: fcmp
# CHAIN: [[T:%[0-9]+]] = fsub double [[LAST]], [[LAST]]
# CHAIN-NEXT: %fe.not.finite{{[0-9]*}} = fcmp uno double [[T]], [[T]]
# CHAIN-NEXT: br i1 %fe.not.finite{{[0-9]*}}, label %[[EXACT:.*\.fe\.exact]], label %{{.*}}.fe.ok
# CHAIN: [[EXACT]]:
# CHAIN: fcmp uno double
# CHAIN: fcmp oeq double %{{.*}}, 0x7FF0000000000000
# CHAIN: define i64 @pv_entry
# RECIP-LABEL: define internal {{.*}} @pv.recip.0
# RECIP: [[P:%[0-9]+]] = fmul double
# RECIP: [[Q:%[0-9]+]] = fdiv double {{.*}}, [[P]]
# RECIP: [[S:%[0-9]+]] = fadd double %{{[0-9]+}}, [[Q]]
# RECIP-NOT: fsub double [[Q]], [[Q]]
# RECIP-DAG: fsub double [[P]], [[P]]
# RECIP-DAG: fsub double [[S]], [[S]]
# RECIP: fadd double
# RECIP-NEXT: %fe.not.finite{{[0-9]*}} = fcmp uno double
# RECIP: define i64 @pv_entry
# NEVER-LABEL: define internal {{.*}} @pv.complement.0
# NEVER-NOT: fe.not.finite
# NEVER-NOT: fcmp uno
# NEVER: define i64 @pv_entry
