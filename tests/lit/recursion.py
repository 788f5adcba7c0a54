# Recursion is a direct native call; a function that calls tracks its depth (RecursionError past
# CPython's limit) and checks ctx->status after each call, pushing its traceback frame.
# RUN: %pyvorinc %s --function fib --args int --emit ir | FileCheck %s

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

# CHECK-LABEL: define internal i64 @pv.fib.0
# CHECK: %depth.next = add i64 %depth, 1
# CHECK: icmp sgt i64 %depth.next, %depth.limit
# CHECK: call void @pv_raise(ptr %ctx, i32 6,
# CHECK: call i64 @pv.fib.0(ptr %ctx,
# CHECK: call void @pv_traceback_push(ptr %ctx, ptr @{{.*}}, i32 8)
