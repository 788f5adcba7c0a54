"""The setup script's main job: compile a loop with pyvorin.jit, run it beside CPython, and print
what the compiler did (types, optimised IR size, timings, the assembly's first lines)."""
import time

import pyvorin


def benchmark(n):
    total = 0
    for i in range(n):
        if i % 3 == 0:
            total += i * i
        else:
            total -= i
    return total


def main():
    fast = pyvorin.jit(benchmark)
    n = 3_000_000
    t0 = time.perf_counter()
    expected = benchmark(n)
    t1 = time.perf_counter()
    got = fast(n)
    t2 = time.perf_counter()
    got = fast(n)
    t3 = time.perf_counter()
    print(f"pyvorin {pyvorin.version} (LLVM {pyvorin.llvm_version})")
    print(f"CPython : benchmark({n}) = {expected}  in {t1 - t0:.3f} s")
    print(f"Pyvorin : benchmark({n}) = {got}  in {t3 - t2:.4f} s (first call with compile {t2 - t1:.3f} s)")
    print(f"same result: {got == expected and type(got) is type(expected)};  speed-up {(t1 - t0) / (t3 - t2):.0f}x;"
          f"  stats {fast.stats}")
    print("\ntype inference:")
    print("  " + fast.inspect_types().replace("\n", "\n  "))
    report = fast.report
    print("\nstage timings (ms): " + ", ".join(f"{k} {v:.2f}" for k, v in report["timings_ms"].items()))
    print(f"object size: {report['object_size']} bytes; optimised IR: {len(report['opt_ir'].splitlines())} lines")
    print("\nassembly (first 12 lines):")
    for line in report["asm"].splitlines()[:12]:
        print("  " + line)
    if got != expected:
        raise SystemExit("demo: the compiled result differs from CPython's")


if __name__ == "__main__":
    main()
