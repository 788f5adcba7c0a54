# Containers are the caller's CPython objects. xs[i] on a list[int]: one unsigned compare against
# ob_size on the hot path, a negative index counted from the end off it (IndexError "list index
# out of range"), ob_item read in
# place, and the int unboxed inline behind a type guard (PyLong_Type, one 30-bit digit) with the
# runtime for the rest. append to an argument is PyList_Append; a dict lookup is the dict's own
# PyDict_GetItemWithError, KeyError(key) when missing. A local list nothing else sees is a native
# buffer: append stores an i64 (growing by doubling through pv_buf_alloc), and the list is boxed
# once, where it is returned (pv_buf_to_list). A local set of int pairs is a native hash table: the
# tuple display that is its key builds no tuple, its two words go straight to pv_table_insert (770:
# two key words, unordered since nothing reads the set back, no value word), and
# len() reads the table's first field.
# RUN: %pyvorinc %s --function at --args "list[int],int" --emit ir | FileCheck %s
# RUN: %pyvorinc %s --function fill --args "list[int],int" --emit ir | FileCheck %s --check-prefix=APPEND
# RUN: %pyvorinc %s --function squares --args int --emit ir | FileCheck %s --check-prefix=NATIVE
# RUN: %pyvorinc %s --function pairs --args int --emit ir | FileCheck %s --check-prefix=TABLE
# RUN: %pyvorinc %s --function lookup --args "dict[str, float],str" --emit ir | FileCheck %s --check-prefix=DICT

def at(xs, i):
    return xs[i]

def squares(n):
    out = []
    for i in range(n):
        out.append(i * i)
    return out

def fill(out, n):
    for i in range(n):
        out.append(i * i)
    return out

def pairs(n):
    seen = set()
    for i in range(n):
        seen.add((i, i % 3))
    return len(seen)

def lookup(d, k):
    return d[k]

# CHECK-LABEL: define internal i64 @pv.at.0(ptr noalias nocapture %ctx, i64 %budget, ptr %xs, i64 %i)
# CHECK: %ob_size = load i64
# CHECK: icmp ult i64 %{{.*}}, %ob_size
# CHECK: index.negative:
# CHECK: %index.back = add i64
# CHECK: index.ok:
# CHECK-NEXT: %index = phi i64
# CHECK: %ob_item = load ptr
# CHECK-DAG: @PyLong_Type
# CHECK-DAG: call void @pv_raise(ptr %ctx, i32 11,
# CHECK: call i64 @pv_unbox_int(
# APPEND-LABEL: define internal ptr @pv.fill.0
# APPEND: call ptr @PyLong_FromLongLong(
# APPEND: call i32 @PyList_Append(
# NATIVE-LABEL: define internal ptr @pv.squares.0
# NATIVE-NOT: PyList_Append
# NATIVE: call ptr @pv_buf_alloc(ptr %ctx,
# NATIVE: store i64 %{{.*}}, ptr %{{.*}}
# NATIVE: call ptr @pv_buf_to_list(ptr %{{.*}}, i64 %{{.*}}, i32 0)
# NATIVE: call void @pv_buf_free(
# DICT-LABEL: define internal double @pv.lookup.0
# DICT: call ptr @PyDict_GetItemWithError(
# DICT-DAG: call void @_PyErr_SetKeyError(
# DICT-DAG: icmp eq ptr %ob_type, @PyFloat_Type
# TABLE-LABEL: define internal i64 @pv.pairs.0
# TABLE-NOT: PyTuple_New
# TABLE: call ptr @pv_table_new(ptr %ctx, i32 770,
# TABLE-DAG: %len = load i64, ptr %{{.*}}
# TABLE-DAG: getelementptr i64, ptr %key, i64 1
# TABLE-DAG: call ptr @pv_table_insert(ptr %ctx, ptr %{{.*}}, ptr %key
# TABLE-NOT: PyTuple_New
# TABLE: call void @pv_table_free(
