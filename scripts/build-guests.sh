#!/usr/bin/env bash
# Build the WASI guest programs (public/guests/src/*.c → public/guests/*.wasm) with Debian's
# toolchain: apt-get install -y clang lld wasi-libc libclang-rt-14-dev-wasm32 (stack.md §4.1).
# The .wasm files are committed; CI rebuilds them and compares (test/wasi/guests-build.test.ts).
# Usage: scripts/build-guests.sh [OUTDIR]   (default public/guests)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-public/guests}"
mkdir -p "$out"
for src in public/guests/src/*.c; do
  name=$(basename "$src" .c)
  clang --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wno-unused-function \
    -Wl,--strip-all -o "$out/$name.wasm" "$src"
done
ls -l "$out"/*.wasm | awk '{print $5, $9}'
