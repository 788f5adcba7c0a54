# NumPy complex scalars (lower_npcomplex.cpp): np.complex128 * np.complex128 is NumPy's schoolbook
# product, four products and a difference and a sum, each tested as NumPy's flags would report it,
# with no call; a quotient is Smith's method as NumPy writes it (the larger part of the divisor
# first, a zero divisor divides each part by zero, a reciprocal scale); abs() is hypot. A
# np.complex64 times a Python float is NumPy's ufunc loop, so compiled code calls NumPy's
# operator (after testing the plain product first).
# RUN: %pyvorinc %s --function cmul --args "np.complex128,np.complex128" --emit opt-ir | FileCheck %s --check-prefix=MUL
# RUN: %pyvorinc %s --function cdiv --args "np.complex128,np.complex128" --emit ir | FileCheck %s --check-prefix=DIV
# RUN: %pyvorinc %s --function cdiv --args "np.complex128,np.complex128" --emit ir | FileCheck %s --check-prefix=RECIP
# RUN: %pyvorinc %s --function cabs_sum --args "ndarray[complex64, 1, C]" --emit ir | FileCheck %s --check-prefix=ABS
# RUN: %pyvorinc %s --function mixed --args "np.complex64,float" --emit ir | FileCheck %s --check-prefix=MIXED

def cmul(a, b):
    return a * b

def cdiv(a, b):
    return a / b

def cabs_sum(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += abs(a[i])
    return s

def mixed(a, x):
    return a * x

# MUL-LABEL: define {{.*}}cmul
# MUL-NOT: call {{.*}}@PyNumber
# MUL: fmul double
# MUL: fcmp uno double
# MUL: fmul double
# MUL: fsub double
# MUL: fmul double
# MUL: fmul double
# MUL: fadd double
# MUL-NOT: call {{.*}}@PyNumber
# MUL: ret

# DIV: br i1 {{.*}}, label %npcdiv.real, label %npcdiv.iscaled
# DIV: npcdiv.real:
# DIV: br i1 {{.*}}, label %npcdiv.zero, label %npcdiv.rscaled
# DIV: npcdiv.zero:
# DIV: fdiv double
# DIV: npcdiv.rscaled:
# DIV: fdiv double
# DIV: npcdiv.iscaled:
# DIV: fdiv double
# DIV: npcdiv.done:

# RECIP-COUNT-2: fdiv double 1.000000e+00

# ABS: load { float, float }, ptr {{.*}}, align 4
# ABS: call float @hypotf(float

# MIXED: fmul double
# MIXED: call ptr @PyNumber_Multiply
