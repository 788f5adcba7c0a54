#!/usr/bin/env bash
# Installs every Debian 12 package Pyvorin builds, tests and benchmarks with. Run as root.
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build git
  llvm-19-dev llvm-19-tools clang-19 lld-19 libclang-rt-19-dev-wasm32 wasi-libc libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 nodejs
  libzstd-dev libcurl4-openssl-dev libedit-dev libxml2-dev libffi-dev
  python3 python3-dev pybind11-dev pybind11-json-dev nlohmann-json3-dev
  xeus-dev xeus-python-dev libxeus-python0 python3-xeus-python-shell
  googletest libgtest-dev
  python3-pytest python3-hypothesis python3-numpy python3-numba python3-pygments
  python3-jupyter-kernel-test python3-nbclient python3-nbformat python3-jsonschema
  jupyter-client python3-ipykernel jupyter-console python3-notebook
  jupyter-notebook jupyter-nbconvert
  graphviz
  chromium fonts-dejavu-core
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
