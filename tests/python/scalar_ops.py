"""The scalar operators as one-line functions, shared by the differential and property suites
(each is jitted and compared with CPython)."""


def op_add(a, b):
    return a + b


def op_sub(a, b):
    return a - b


def op_mul(a, b):
    return a * b


def op_truediv(a, b):
    return a / b


def op_floordiv(a, b):
    return a // b


def op_mod(a, b):
    return a % b


def op_pow(a, b):
    return a ** b


def op_lshift(a, b):
    return a << b


def op_rshift(a, b):
    return a >> b


def op_and(a, b):
    return a & b


def op_or(a, b):
    return a | b


def op_xor(a, b):
    return a ^ b


def op_neg(a):
    return -a


def op_invert(a):
    return ~a


def op_not(a):
    return not a
