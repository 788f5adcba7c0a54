"""bytearray arguments read in place (test_bytearray.py)."""
def checksum(data):
    total = 0
    for i in range(len(data)):
        total = (total * 31 + data[i]) & 0xFFFFFFFF
    return total

def count_byte(data, b):
    n = 0
    for x in data:
        if x == b:
            n += 1
    return n, b in data, data[-1], data[1:3], data.decode("latin-1")[:2], data.find(b"b"), bytes(data)[:2]

def poke(data, i, v):
    data[i] = v
    data.append(7)
    return len(data)

def cmp(a, b):
    return a == b, a < b, a != b
