#!/bin/bash
# One libFuzzer target in CTest: first every input of its regression corpus
# once (each must pass), then fuzzing from the seeds for SECONDS. New
# inputs go to a scratch corpus, crashing inputs are kept and named.
# Usage: run_fuzz.sh FUZZER SEEDS_DIR REGRESS_DIR SECONDS
set -uo pipefail
fuzzer=$1 seeds=$2 regress=$3 seconds=$4
name=$(basename "$fuzzer")
work=$(mktemp -d "/tmp/hapkg-$name.XXXXXX")
keep=0
trap '[[ $keep == 1 ]] || rm -rf "$work"' EXIT
[[ -d $seeds && -n $(ls -A "$seeds") ]] || { echo "$name: no seed corpus in $seeds"; exit 2; }
[[ -d $regress && -n $(ls -A "$regress") ]] || { echo "$name: no regression corpus in $regress"; exit 2; }
# -timeout: one input taking this long is a hang; -rss_limit_mb: a leak.
opts=(-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/" -print_final_stats=1)
if ! "$fuzzer" "${opts[@]}" "$regress"/* > "$work/regress.log" 2>&1; then
  keep=1
  tail -n 40 "$work/regress.log"
  echo "$name: FAILED on its regression corpus (log and inputs in $work)"
  exit 1
fi
echo "$name: regression corpus passed ($(ls "$regress" | wc -l) inputs)"
mkdir -p "$work/corpus"
if ! nice "$fuzzer" "${opts[@]}" -max_total_time="$seconds" "$work/corpus" "$seeds" > "$work/fuzz.log" 2>&1; then
  keep=1
  tail -n 40 "$work/fuzz.log"
  echo "$name: FAILED: crashing input in $work (add it to $regress)"
  exit 1
fi
grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$work/fuzz.log"
echo "$name: no crash, no timeout in ${seconds}s"
