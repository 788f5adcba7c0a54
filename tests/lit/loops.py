# for over range() becomes a counted loop (k from 0 to the trip count, x = start + k*step), with
# the step checked once. It is strip-mined: an inner loop of at most 65536 iterations without a
# poll, and an interrupt poll between chunks (the thread's flag, whose address is read from the
# context once at entry; CPython's signal handlers run when it is set). A while loop polls on its
# back-edge; fast=True drops the polls.
# RUN: %pyvorinc %s --function count_down --args int --emit ir | FileCheck %s
# RUN: %pyvorinc %s --function stepped --args int,int,int --emit ir | FileCheck %s --check-prefix=STEP
# RUN: %pyvorinc %s --function spin --args int --emit ir | FileCheck %s --check-prefix=POLL
# RUN: %pyvorinc %s --function spin --args int --emit ir --fast | FileCheck %s --check-prefix=FAST

def count_down(n):
    total = 0
    for i in range(n, 0, -1):
        total += i
    return total

def stepped(a, b, s):
    total = 0
    for i in range(a, b, s):
        total += i
    return total

def spin(n):
    while n > 0:
        n -= 1
    return n

# CHECK-LABEL: define internal i64 @pv.count_down.0
# CHECK: %interrupt.ptr = load ptr, ptr
# CHECK: %trip.count = select i1
# the first chunk's end, before the chunk loop (hoisted out of an enclosing loop)
# CHECK: icmp ult i64 %{{[0-9]+}}, 65536
# CHECK: chunk:
# CHECK: %chunk.k = phi i64 [ 0,
# CHECK: %chunk.limit = phi i64
# CHECK: for.cond:
# CHECK: %k = phi i64 [ %chunk.k, %chunk ]
# CHECK: %i.iv = phi i64
# CHECK: icmp ult i64 %k, %chunk.limit
# CHECK: for.latch:
# CHECK-NOT: interrupt
# CHECK: add nuw nsw i64 %k, 1
# CHECK: chunk.done:
# CHECK: icmp ult i64 %k, %trip.count
# CHECK: chunk.next:
# CHECK-NEXT: %interrupt = load volatile i32, ptr %interrupt.ptr
# CHECK: icmp ult i64 %{{[0-9]+}}, 65536
# STEP-LABEL: define internal i64 @pv.stepped.0
# STEP: icmp eq i64 %s{{[0-9]*}}, 0
# STEP: call void @pv_raise(ptr %ctx, i32 2,
# STEP: %trip.count = select i1
# POLL-LABEL: define internal i64 @pv.spin.0
# POLL: %interrupt.ptr = load ptr, ptr
# POLL: while.latch:
# POLL-NEXT: %interrupt = load volatile i32, ptr %interrupt.ptr
# POLL: interrupt.poll:
# POLL: call i32 @pv_poll_interrupt(ptr %ctx, ptr @{{.*}}, i32 24)
# FAST-LABEL: define internal i64 @pv.spin.0
# FAST-NOT: interrupt
