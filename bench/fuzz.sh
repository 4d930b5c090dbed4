#!/bin/bash
# Long fuzzing runs: each libFuzzer target (tests/fuzz, built by
# tests/fuzz/build.sh) for RUNS executions (default 10^6) from its seed and
# regression corpora, one target after another under nice. Prints one
# Markdown table row per target: executions, crashes, timeouts (an input
# running over 10 s), executions per second, peak memory. A run ends at its
# first crash or timeout; the input is kept and named (add it to
# tests/fuzz/regress/<target>/). There is no reference tool to compare
# with: the figure that counts is 0 crashes, 0 timeouts.
# HAPKG_FUZZ_MAX_SECONDS bounds each run's time as well (default: none).
# Usage: bench/fuzz.sh FUZZ_BUILD_DIR [RUNS] [TARGET...]
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=$(realpath "${1:?usage: bench/fuzz.sh FUZZ_BUILD_DIR [RUNS] [TARGET...]}")
runs=${2:-1000000}
shift $(( $# >= 2 ? 2 : 1 ))
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(changelog deb822 series watch workitems checks scenarios ocf_env)
out=$(mktemp -d /tmp/hapkg-fuzz-bench.XXXXXX)
echo "| parser | executions | crashes | timeouts | exec/s | peak RSS MB | seconds |"
echo "|---|---:|---:|---:|---:|---:|---:|"
status=0
for t in "${targets[@]}"; do
  bin=$(find "$dir" -name "fuzz_$t" -type f -perm -u+x | head -n 1)
  [[ -n $bin ]] || { echo "| $t | not built in $dir | | | | | |"; status=1; continue; }
  mkdir -p "$out/$t/corpus"
  start=$(date +%s)
  nice "$bin" -runs="$runs" -max_total_time="${HAPKG_FUZZ_MAX_SECONDS:-0}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/$t/" \
    "$out/$t/corpus" "$repo/tests/fuzz/seeds/$t" "$repo/tests/fuzz/regress/$t" > "$out/$t/log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t/log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/$t/log" | tail -n 1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$out/$t/log" | tail -n 1)
  crashes=$(find "$out/$t" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'oom-*' \) | wc -l)
  timeouts=$(find "$out/$t" -maxdepth 1 -name 'timeout-*' | wc -l)
  if [[ $rc != 0 && $crashes == 0 && $timeouts == 0 ]]; then crashes="1 (exit $rc)"; fi
  [[ $rc == 0 ]] || status=1
  echo "| $t | ${execs:-?} | $crashes | $timeouts | ${rate:-?} | ${rss:-?} | $secs |"
done
echo
echo "logs and any crashing inputs: $out"
exit $status
