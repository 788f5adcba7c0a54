#!/usr/bin/env bash
# Runs every Pyvorin test (GoogleTest, FileCheck, pytest: differential, package, kernel, notebooks)
# through ctest. Builds first, so it works on a clean clone once the Debian packages are installed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
BUILD_DIR=${PYVORIN_BUILD_DIR:-build}
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" "$@"
