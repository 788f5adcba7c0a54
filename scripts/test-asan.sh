#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer run (`scripts/test.sh --asan`): builds Pyvorin into
# ./build-asan (or $PYVORIN_ASAN_BUILD_DIR) with -fsanitize=address,undefined and runs
#   1. the GoogleTest units, with leak detection (LeakSanitizer), then
#   2. the FileCheck tests and the pytest suites except the kernel's, in Debian's uninstrumented
#      /usr/bin/python3 with the ASan runtime preloaded and leak detection off (CPython keeps
#      its allocations until exit by design; and CPython's MemoryError needs malloc to return NULL
#      for a huge request, so allocator_may_return_null=1 there).
# Any report fails the run: UBSan does not recover, ASan stops at the first error. pytest runs with
# --capture=sys, so a report written to the process's stderr is not lost in pytest's fd capture
# when the sanitizer stops the process; ASan also writes its reports, subprocesses' included, to
# $BUILD_DIR/sanitizer-logs, printed at the end (GCC's UBSan runtime has no log_path when combined
# with ASan).
# Extra arguments go to both ctest runs (e.g. -j1); PYTEST_ADDOPTS narrows the pytest selection
# (e.g. "-k overflow"). See docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD_DIR=${PYVORIN_ASAN_BUILD_DIR:-build-asan}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR=$ROOT/$BUILD_DIR ;; esac
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
GEN=()
command -v ninja >/dev/null && [ ! -f "$BUILD_DIR/CMakeCache.txt" ] && GEN=(-G Ninja)

SUPP=$ROOT/tests/sanitizers
LOGS=$BUILD_DIR/sanitizer-logs
rm -rf "$LOGS"
mkdir -p "$LOGS"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$SUPP/lsan.supp:print_suppressions=0"
ASAN_COMMON="strict_init_order=1:log_path=$LOGS/asan"

start=$(date +%s)
# The build runs the unit test binary (test discovery), so the sanitizer options apply to it too.
export ASAN_OPTIONS="$ASAN_COMMON:detect_leaks=1"
cmake -S . -B "$BUILD_DIR" "${GEN[@]}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS="$SAN" -DCMAKE_CXX_FLAGS="$SAN" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DCMAKE_MODULE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DPYVORIN_BUILD_KERNEL=OFF \
  -DPython3_EXECUTABLE=/usr/bin/python3 -DPYTHON_EXECUTABLE=/usr/bin/python3
cmake --build "$BUILD_DIR" -j "$(nproc)"
built=$(date +%s)

status=0
echo "== GoogleTest units (ASan with leak detection, UBSan)"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" -E '^(pytest|lit)\.' "$@" || status=1

echo "== FileCheck and pytest suites (ASan runtime preloaded into /usr/bin/python3, no leak detection)"
CXX_PATH=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt")
LIBASAN=$("$CXX_PATH" -print-file-name=libasan.so)
[ -f "$LIBASAN" ] || { echo "test-asan: cannot find libasan.so for $CXX_PATH" >&2; exit 1; }
# libstdc++ is preloaded too: python3 is C, so when ASan starts libstdc++ is not loaded yet, its
# __cxa_throw interceptor stays unresolved, and the first C++ exception thrown in the extension
# (the compiler throws and catches internally) dies in "CHECK failed: ... real___cxa_throw".
LIBSTDCXX=$("$CXX_PATH" -print-file-name=libstdc++.so.6)
[ -f "$LIBSTDCXX" ] || { echo "test-asan: cannot find libstdc++.so.6 for $CXX_PATH" >&2; exit 1; }
# The long memory test makes 5,000 compiles here instead of 50,000 (each is several times slower).
# PYTHONMALLOC=malloc: CPython's objects come from malloc instead of its pymalloc arenas, so a
# reference-count error in compiled code (an object freed while still in use) is a
# heap-use-after-free that ASan reports; in pymalloc's arenas it goes unseen.
ASAN_OPTIONS="$ASAN_COMMON:detect_leaks=0:allocator_may_return_null=1" LD_PRELOAD="$LIBASAN $LIBSTDCXX" \
  PYTHONMALLOC=malloc \
  PYVORIN_MEMORY_COMPILES=${PYVORIN_MEMORY_COMPILES:-5000} \
  PYTEST_ADDOPTS="--capture=sys ${PYTEST_ADDOPTS:-}" \
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" -R '^(pytest|lit)\.' -E '^pytest\.kernel\.' "$@" \
  || status=1

# The logs also hold warnings that are not errors (allocator_may_return_null's "failed to
# allocate" for each MemoryError); only a report fails the run.
reports=$(grep -l -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$LOGS"/* 2>/dev/null || true)
if [ -n "$reports" ]; then
  echo "== sanitizer reports"
  for log in $reports; do
    echo "-- $log"
    cat "$log"
  done
  status=1
fi
end=$(date +%s)
echo "test-asan: build $((built - start)) s, tests $((end - built)) s, total $((end - start)) s"
exit $status
