# At O1..O3 a straight-line run of checks becomes one block: each check's condition selects its id
# into `pending` (the first failure wins), one branch tests it, and a single raise block per
# function reads (kind, message, line) of that id from constant tables. The lowered IR keeps one
# raise block per check.
# RUN: %pyvorinc %s --function mac3 --args int,int,int --emit opt-ir -O2 | FileCheck %s
# RUN: %pyvorinc %s --function mac3 --args int,int,int --emit ir | FileCheck %s --check-prefix=LOWERED

def mac3(a, b, c):
    x = a * b + c
    y = x * a - b
    z = y + x * c
    return z - 1

# CHECK: @pv.mac3.0.raise.kind = private unnamed_addr constant [{{[0-9]+}} x i32] [i32 0, i32 4, i32 4, i32 4, i32 4, i32 4, i32 4, i32 4,
# CHECK: @pv.mac3.0.raise.line = private unnamed_addr constant [{{[0-9]+}} x i32] [i32 0, i32 9, i32 9, i32 10, i32 10, i32 11, i32 11, i32 12,
# CHECK-LABEL: define i64 @pv_entry_mac3
# CHECK: @llvm.smul.with.overflow.i64
# CHECK: @llvm.sadd.with.overflow.i64
# CHECK: select i1 %{{[0-9]+}}, i32 2, i32 0
# CHECK: select i1 %{{[0-9]+}}, i32 1, i32 %
# CHECK: @llvm.ssub.with.overflow.i64
# CHECK: call void @pv_raise(ptr %ctx, i32 %{{.*}}, ptr %{{.*}}, ptr nonnull @.str, i32 %{{.*}})
# CHECK-NOT: call void @pv_raise
# LOWERED-LABEL: define internal i64 @pv.mac3.0
# LOWERED: call void @pv_raise(ptr %ctx, i32 4, ptr @[[MSG:.str.[0-9]+]], ptr @.str, i32 9)
# LOWERED: call void @pv_raise(ptr %ctx, i32 4, ptr @[[MSG]], ptr @.str, i32 9)
# LOWERED: call void @pv_raise(ptr %ctx, i32 4, ptr @[[MSG]], ptr @.str, i32 10)
