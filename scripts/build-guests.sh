#!/usr/bin/env bash
# Build the WASI guest programs (public/guests/src/*.c → public/guests/*.wasm) with Debian's
# toolchain: apt-get install -y clang lld wasi-libc libclang-rt-14-dev-wasm32 (stack.md §4.1).
# The .wasm files are committed; CI rebuilds them and compares (test/wasi/guests-build.test.ts).
# Usage: scripts/build-guests.sh [OUTDIR [TEST_OUTDIR]]   (default public/guests, test/wasi/programs)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-public/guests}"
mkdir -p "$out"
build() { # SRC OUT
  local src=$1 dir=$2
  local name; name=$(basename "$src" .c)
  clang --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wno-unused-function \
    -Wl,--strip-all -o "$dir/$name.wasm" "$src"
}
for src in public/guests/src/*.c; do build "$src" "$out"; done
# Test programs (runaway loops, memory growth, the stack.md probe) live beside their tests.
tout="${2:-test/wasi/programs}"
mkdir -p "$tout"
for src in test/wasi/programs/*.c; do build "$src" "$tout"; done
ls -l "$out"/*.wasm | awk '{print $5, $9}'
