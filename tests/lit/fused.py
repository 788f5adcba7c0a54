# Fused element-wise expressions (lower_fuse.cpp): np.sqrt(x * x + y * y) on float64 arrays is one
# loop into one new array (np.empty_like), vectorised, between a clear and a read of the CPU's
# flags; NumPy's operators compute it instead for other shapes or layouts, or where a flag says
# NumPy would warn. An in-place slice update (a[1:] += b) is NumPy's own in-place operator on the
# view, then the store.
# RUN: %pyvorinc %s --function hyp --args "ndarray[float64, 1, C],ndarray[float64, 1, C]" --emit ir | FileCheck %s --check-prefix=IR
# RUN: %pyvorinc %s --function hyp --args "ndarray[float64, 1, C],ndarray[float64, 1, C]" --emit ir | FileCheck %s --check-prefix=NP
# RUN: %pyvorinc %s --function hyp --args "ndarray[float64, 1, C],ndarray[float64, 1, C]" --emit opt-ir | FileCheck %s --check-prefix=OPT
# RUN: %pyvorinc %s --function bump --args "ndarray[float64, 1, C],ndarray[float64, 1, C]" --emit ir | FileCheck %s --check-prefix=AUG
import numpy as np

def hyp(x, y):
    return np.sqrt(x * x + y * y)

def bump(a, b):
    a[1:] += b[1:]
    return a

# IR: br i1 {{.*}}, label %fuse.loop.pre, label %fuse.numpy
# IR: fuse.loop.pre:
# IR: call ptr @pv_np_empty_like
# IR: call void @llvm.x86.sse.ldmxcsr
# IR: fuse.loop:
# IR: fmul double
# IR: fmul double
# IR: fadd double
# IR: call double @llvm.sqrt.f64
# IR: store double
# IR: fuse.loop.end:
# IR: call void @llvm.x86.sse.stmxcsr

# NP: fuse.numpy:
# NP: call ptr @PyNumber_Multiply
# NP: call ptr @PyNumber_Multiply
# NP: call ptr @PyNumber_Add
# NP: call ptr @pv_np_ufunc1

# OPT: fmul <{{[0-9]+}} x double>
# OPT: call <{{[0-9]+}} x double> @llvm.sqrt.v{{[0-9]+}}f64

# AUG: call ptr @PyNumber_InPlaceAdd
# AUG: call i32 @PyObject_SetItem
