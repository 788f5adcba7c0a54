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
# CHECK: %[[FAILED:[0-9a-z.]+]] = call i32 @pv_print_end(ptr %ctx, ptr @[[END]], i64 2, ptr @{{.*}}, i32 5)
# CHECK: icmp ne i32 %[[FAILED]], 0

# A literal with a lone surrogate is kept as UTF-8 would encode the code point ("surrogatepass"):
# the write hook decodes it back, so sys.stdout.write gets the same str as in CPython.
# RUN: %pyvorinc %s --function lone --args int --emit ir | FileCheck %s --check-prefix=SURR
def lone(x):
    print(x, end="\ud800")

# SURR: @{{\.str[.0-9]*}} = private unnamed_addr constant [4 x i8] c"\ED\A0\80\00"
