# Recursion is a direct native call; a function that calls passes a depth budget in a register
# (RecursionError when it runs out, from CPython's limit) and checks ctx->status after each call, pushing its traceback frame.
# RUN: %pyvorinc %s --function fib --args int --emit ir | FileCheck %s

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

# CHECK-LABEL: define internal i64 @pv.fib.0(ptr noalias nocapture %ctx, i64 %budget, i64 %n)
# CHECK: icmp sle i64 %budget, 0
# CHECK: call void @pv_raise(ptr %ctx, i32 6,
# CHECK: %budget.next = sub i64 %budget, 1
# CHECK: call i64 @pv.fib.0(ptr %ctx, i64 %budget.next,
# CHECK: call void @pv_traceback_push(ptr %ctx, ptr @{{.*}}, i32 8)
