# Containers are the caller's CPython objects. xs[i] on a list[int]: the index made non-negative,
# one unsigned compare against ob_size (IndexError "list index out of range"), ob_item read in
# place, and the int unboxed inline behind a type guard (PyLong_Type, one 30-bit digit) with the
# runtime for the rest. append is PyList_Append; a dict lookup is the dict's own
# PyDict_GetItemWithError, KeyError(key) when missing.
# RUN: %pyvorinc %s --function at --args "list[int],int" --emit ir | FileCheck %s
# RUN: %pyvorinc %s --function squares --args int --emit ir | FileCheck %s --check-prefix=APPEND
# RUN: %pyvorinc %s --function lookup --args "dict[str, float],str" --emit ir | FileCheck %s --check-prefix=DICT

def at(xs, i):
    return xs[i]

def squares(n):
    out = []
    for i in range(n):
        out.append(i * i)
    return out

def lookup(d, k):
    return d[k]

# CHECK-LABEL: define internal i64 @pv.at.0(ptr noalias nocapture %ctx, i64 %budget, ptr %xs, i64 %i)
# CHECK: %ob_size = load i64
# CHECK: %index = select i1
# CHECK: icmp uge i64 %index, %ob_size
# CHECK: call void @pv_raise(ptr %ctx, i32 11,
# CHECK: %ob_item = load ptr
# CHECK: @PyLong_Type
# CHECK: call i64 @pv_unbox_int(
# APPEND-LABEL: define internal ptr @pv.squares.0
# APPEND: call ptr @PyList_New(i64 0)
# APPEND: call ptr @PyLong_FromLongLong(
# APPEND: call i32 @PyList_Append(
# DICT-LABEL: define internal double @pv.lookup.0
# DICT: call ptr @PyDict_GetItemWithError(
# DICT-DAG: call void @_PyErr_SetKeyError(
# DICT-DAG: icmp eq ptr %ob_type, @PyFloat_Type
