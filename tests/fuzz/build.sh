#!/bin/bash
# Configures and builds the libFuzzer tree: the whole project compiled by
# Debian's clang-14 with coverage for libFuzzer, ASan and UBSan (UBSan
# findings abort, so the fuzzer sees them), fuzz targets only.
# Usage: build.sh [BUILD_DIR]   (default: build/fuzz, beside the main tree's files)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$repo/build/fuzz}
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S "$repo" -B "$dir" -DHAPKG_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" "${launcher[@]}" > "$dir.configure.log" 2>&1 ||
  { cat "$dir.configure.log"; exit 1; }
nice cmake --build "$dir" -j"${HAPKG_FUZZ_JOBS:-$(nproc)}" --target fuzz_all
