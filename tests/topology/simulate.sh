#!/bin/bash
# topology_simulate: the crm_simulate predictions shipped beside the
# reference configuration (agents/topology/predictions/*.txt) still hold for
# the CIB that crmsh builds from the generated topology.crm.
# Each prediction file: line 1 "# crm_simulate ARGS" (the injected fault),
# then the Transition Summary crm_simulate printed for it. steady.txt is the
# placement after all three nodes come up and everything starts.
# Usage: simulate.sh AGENT_DIR TOPOLOGY.crm PREDICTIONS_DIR [--write]
# (--write regenerates the files: review the diff before committing.)
# Agent links under the services lock, as crmsh-pcs.sh (tests/agents/lib.sh).
here=$(dirname "$(readlink -f "$0")")
. "$here/../agents/lib.sh"
. "$here/topology-env.sh"
stage_agents "$1"
install_agents
crm_file=$2 pred=$3 write=${4:-}

seed_cib "$T/cib.xml"
CIB_file="$T/cib.xml" crm configure load update "$crm_file" >"$T/crm.out" 2>&1 || fail "crm load: $(cat "$T/crm.out")"
# All three nodes join with quorum; every start succeeds (simulated).
crm_simulate -x "$T/cib.xml" -q 1 -u node1 -u node2 -u node3 -S -O "$T/steady.xml" >"$T/up.out" 2>&1 \
  || fail "crm_simulate up: $(cat "$T/up.out")"
CIB_file="$T/steady.xml" crm_mon -1 --exclude=summary,times >"$T/steady.got" 2>&1
crm_verify --xml-file "$T/steady.xml" >"$T/verify.out" 2>&1 && [ ! -s "$T/verify.out" ] \
  && say "ok   crm_verify clean with three nodes up" || fail "crm_verify: $(cat "$T/verify.out")"

# summary FILE: the Transition Summary lines of crm_simulate output FILE.
summary() { sed -n '/^Transition Summary:/,/^$/p' "$1" | sed '/^$/d'; }

check() {  # check NAME: replays the fault on the steady CIB, compares
  local f=$pred/$1.txt args
  read -ra args < <(head -1 "$f" | sed 's/^# crm_simulate //')
  crm_simulate -x "$T/steady.xml" "${args[@]}" -S >"$T/$1.out" 2>&1 || { fail "$1: crm_simulate $(cat "$T/$1.out")"; return; }
  { head -1 "$f"; summary "$T/$1.out"; } >"$T/$1.got"
  if [ "$write" = --write ]; then cp "$T/$1.got" "$f"; fi
  if diff -u "$f" "$T/$1.got" >"$T/$1.diff"; then say "ok   prediction $1 ($(($(wc -l <"$f") - 2)) actions)"
  else fail "prediction $1 no longer holds: $(cat "$T/$1.diff")"; fi
}
[ "$write" = --write ] && cp "$T/steady.got" "$pred/steady.txt"
if diff -u "$pred/steady.txt" "$T/steady.got" >"$T/steady.diff"; then say "ok   steady placement"
else fail "steady placement changed: $(cat "$T/steady.diff")"; fi
for p in "$pred"/*.txt; do
  n=$(basename "$p" .txt); [ "$n" = steady ] || check "$n"
done

# A node that is lost is fenced before its single instance starts elsewhere:
# in the graph, cinder-volume's start on the survivor waits for the fencing.
crm_simulate -x "$T/steady.xml" -q 1 -f node3 -G "$T/graph.xml" >"$T/graph.out" 2>&1 || fail "crm_simulate -G"
"$here/graph-inputs" "$T/graph.xml" >"$T/graph.inputs" || fail "graph-inputs"
if grep -qx 'p_cinder-volume_start_0@node[12] <- stonith-node3-reboot@node3' "$T/graph.inputs"; then
  say "ok   cinder-volume starts elsewhere only after node3 is fenced"
else fail "cinder-volume start does not wait for fencing: $(grep cinder-volume "$T/graph.inputs")"; fi
finish
