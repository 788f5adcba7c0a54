#!/usr/bin/env bash
# Configures and builds Pyvorin into ./build (or $PYVORIN_BUILD_DIR) with Debian's Python 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${PYVORIN_BUILD_DIR:-build}
GEN=()
command -v ninja >/dev/null && [ ! -f "$BUILD_DIR/CMakeCache.txt" ] && GEN=(-G Ninja)
cmake -S . -B "$BUILD_DIR" "${GEN[@]}" \
  -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-RelWithDebInfo} \
  -DPython3_EXECUTABLE=/usr/bin/python3 -DPYTHON_EXECUTABLE=/usr/bin/python3
cmake --build "$BUILD_DIR" -j "$(nproc)"
