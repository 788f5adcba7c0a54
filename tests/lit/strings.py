# String literals reach the runtime as (pointer, length): a NUL inside a literal is text, not the end.
# RUN: %pyvorinc %s --function show --args int --emit ir | FileCheck %s

def show(x):
    print("x\0y", x, sep="\0", end="\0\n")

# CHECK-DAG: @[[LIT:\.str[.0-9]*]] = private unnamed_addr constant [4 x i8] c"x\00y\00"
# CHECK-DAG: @[[SEP:\.str[.0-9]*]] = private unnamed_addr constant [2 x i8] zeroinitializer
# CHECK-DAG: @[[END:\.str[.0-9]*]] = private unnamed_addr constant [3 x i8] c"\00\0A\00"
# CHECK-LABEL: define internal void @pv.show.0
# CHECK: call void @pv_print_str(ptr @[[LIT]], i64 3)
# CHECK: call void @pv_print_str(ptr @[[SEP]], i64 1)
# CHECK: call void @pv_print_int(i64
# CHECK: call void @pv_print_end(ptr @[[END]], i64 2)
