#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: installs the packages, builds, installs the xpyvorin
# kernelspec for this user, then runs the main job (the demo: a function compiled with its report).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
BUILD_DIR=${PYVORIN_BUILD_DIR:-build}
if [ -d "$BUILD_DIR/share/jupyter/kernels/xpyvorin" ]; then
  /usr/bin/python3 -m jupyter kernelspec install --user --replace "$BUILD_DIR/share/jupyter/kernels/xpyvorin"
fi
PYTHONPATH="$PWD/$BUILD_DIR/python" /usr/bin/python3 scripts/demo.py
