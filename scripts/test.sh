#!/usr/bin/env bash
# Runs every Pyvorin test (GoogleTest, FileCheck, pytest: differential, package, kernel, notebooks)
# through ctest. Builds first, so it works on a clean clone once the Debian packages are installed.
#   scripts/test.sh [CTEST ARGS...]          the normal build (./build) and every suite (CI's command)
#   scripts/test.sh --asan [CTEST ARGS...]   an AddressSanitizer + UBSan build (./build-asan) and the
#                                            GoogleTest units, FileCheck and non-kernel pytest suites
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--asan" ]; then
  scripts/build.sh
  BUILD_DIR=${PYVORIN_BUILD_DIR:-build}
  ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" "$@"
  exit
fi
shift
exec scripts/test-asan.sh "$@"
