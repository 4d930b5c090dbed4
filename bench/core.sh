#!/bin/bash
# Benchmarks of the Debian-format core against the reference tools on the
# same input in the same run: changelog parsing (hapkg changelog show --all
# vs dpkg-parsechangelog --all, one process per file, on the N largest
# installed changelogs) and version comparison (hapkg version compare vs
# dpkg --compare-versions, one process per comparison). Prints the ratios.
# Usage: bench/core.sh HAPKG [N]
set -euo pipefail
hapkg=$(realpath "$1")
n=${2:-100}
mapfile -t files < <(ls -S /usr/share/doc/*/changelog.Debian.gz | head -n "$n")
now() { date +%s.%N; }
run_each() {  # run_each CMD... : runs CMD FILE for every file, prints seconds
  local t0 t1
  t0=$(now)
  for f in "${files[@]}"; do "$@" "$f" >/dev/null 2>&1 || true; done
  t1=$(now)
  awk "BEGIN{printf \"%.2f\", $t1 - $t0}"
}
ours=$(run_each "$hapkg" changelog show --all)
theirs=$(run_each dpkg-parsechangelog --all -l)
echo "changelog parse, ${#files[@]} largest changelogs: hapkg ${ours}s, dpkg-parsechangelog ${theirs}s, ratio $(awk "BEGIN{printf \"%.1f\", $theirs / $ours}")x"

pairs=(1.0-1 1.0-1ubuntu1 1:2.0~rc1-3 2.0-1 1.0+dfsg-1 1.0-1~bpo12+1 3.1-0ubuntu0.22.04.1~ppa1 3.1-1)
t0=$(now); for a in "${pairs[@]}"; do for b in "${pairs[@]}"; do for i in 1 2 3 4; do
  "$hapkg" version compare "$a" lt "$b" || true; done; done; done; t1=$(now)
ours=$(awk "BEGIN{printf \"%.2f\", $t1 - $t0}")
t0=$(now); for a in "${pairs[@]}"; do for b in "${pairs[@]}"; do for i in 1 2 3 4; do
  dpkg --compare-versions "$a" lt "$b" || true; done; done; done; t1=$(now)
theirs=$(awk "BEGIN{printf \"%.2f\", $t1 - $t0}")
echo "version compare, 256 process runs: hapkg ${ours}s, dpkg ${theirs}s, ratio $(awk "BEGIN{printf \"%.2f\", $theirs / $ours}")x"
