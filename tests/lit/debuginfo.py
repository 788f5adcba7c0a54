# Every instruction carries a DILocation with the Python line; the assembly carries the same lines
# through .loc, which the report's line map is built from.
# RUN: %pyvorinc %s --function poly --args float --emit ir | FileCheck %s
# RUN: %pyvorinc %s --function poly --args float --emit report | FileCheck %s --check-prefix=MAP

def poly(x):
    y = x * x
    return y + 1.0

# CHECK: define internal double @pv.poly.0({{.*}}) {{.*}}!dbg ![[SP:[0-9]+]]
# CHECK: fmul double {{.*}}, !dbg ![[L7:[0-9]+]]
# CHECK: fadd double {{.*}}, !dbg ![[L8:[0-9]+]]
# CHECK: ![[SP]] = distinct !DISubprogram(name: "poly"
# CHECK-DAG: ![[L7]] = !DILocation(line: 7,
# CHECK-DAG: ![[L8]] = !DILocation(line: 8,
# MAP: "line_map": {
# MAP: "7": {
# MAP: "asm": [
# MAP: "ir": [
