#!/bin/bash
# topology_fence_nsnode: the fence_nsnode test fixture against "nodes" that
# are PID namespaces started here: every fence-agents action, stdin
# key=value and command-line arguments, pid identity checks, and
# stonith_admin --metadata on it installed as /usr/sbin/fence_nsnode for
# the duration of the test (removed on exit), and a real stonith resource
# in a single-node cluster through which pacemaker-fenced powers a
# namespace node off (stonith_admin --fence). Run under the services lock.
here=$(dirname "$(readlink -f "$0")")
. "$here/../agents/lib.sh"
FENCE=$here/fence_nsnode
D=$T/nodes; mkdir -p "$D"

starttime() { sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f20; }
# boot NODE: a PID namespace whose init (sh) runs a sleeper; writes NODE.pid.
boot() {
  local u i init
  unshare --pid --fork --mount --mount-proc sh -c 'sleep 600 & wait' & u=$!; PIDS+=("$u")
  for i in $(seq 100); do
    init=$(cat "/proc/$u/task/$u/children" 2>/dev/null | tr -d ' ')
    [ -n "$init" ] && [ -n "$(cat "/proc/$init/task/$init/children" 2>/dev/null)" ] && break; sleep 0.05
  done
  PIDS+=("$init")
  echo "$init $(starttime "$init")" >"$D/$1.pid"
  eval "init_$1=$init sleeper_$1=$(tr -d ' ' <"/proc/$init/task/$init/children")"
}
fence() {  # fence ACTION NODE [extra key=value...]: as the fencer calls it (stdin)
  local a=$1 n=$2; shift 2
  printf '%s\n' "action=$a" "plug=$n" "nodes_dir=$D" "power_timeout=10" "$@" | "$FENCE" >"$T/last.out" 2>"$T/last.err"
  echo $?
}
boot node1; boot node2

# through_fencer: a real single-node cluster (cluster-env.sh) with a
# stonith:fence_nsnode resource for the namespace node "nsvictim" (not a
# cluster member: fencing the only member would end the test);
# pacemaker-fenced runs the agent when asked to fence nsvictim.
through_fencer() {
  . "$here/../agents/cluster-env.sh"
  boot nsvictim
  start_cluster || { fail "cluster did not come up"; return; }
  cibadmin --create -o resources --xml-text "<primitive id=\"st_ns\" class=\"stonith\" type=\"fence_nsnode\">
    <instance_attributes id=\"st_ns-ia\"><nvpair id=\"st_ns-dir\" name=\"nodes_dir\" value=\"$D\"/>
    <nvpair id=\"st_ns-hosts\" name=\"pcmk_host_list\" value=\"nsvictim\"/></instance_attributes>
    <operations><op id=\"st_ns-mon\" name=\"monitor\" interval=\"10s\" timeout=\"20s\"/></operations></primitive>"
  crm_attribute --type crm_config --name stonith-enabled --update true
  local i
  for i in $(seq 150); do crm_mon -1 2>/dev/null | grep -Eq "st_ns\s.*Started node1" && break; sleep 0.2; done
  crm_mon -1 2>/dev/null | grep -Eq "st_ns\s.*Started node1" && say "ok   stonith resource st_ns started (monitor passed)" \
    || fail "st_ns not started: $(crm_mon -1 2>&1)"
  stonith_admin --list nsvictim 2>&1 | grep -q st_ns && say "ok   the fencer lists st_ns for nsvictim" \
    || fail "stonith_admin --list nsvictim: $(stonith_admin --list nsvictim 2>&1)"
  if stonith_admin --fence nsvictim --timeout 30 >"$T/st.out" 2>&1; then say "ok   stonith_admin --fence nsvictim (off)"
  else fail "stonith_admin --fence nsvictim: $(cat "$T/st.out")"; fi
  alive "$sleeper_nsvictim" && fail "nsvictim's processes survived fencing" || say "ok   nsvictim powered off by the fencer"
  stonith_admin --history nsvictim 2>&1 | grep -q "off of nsvictim successful" && say "ok   fencing history records it" \
    || fail "history: $(stonith_admin --history nsvictim 2>&1)"
}

expect 0 "monitor" "$(fence monitor '')"
expect 0 "list" "$(fence list '')"
[ "$(cat "$T/last.out")" = "$(printf 'node1,\nnode2,')" ] && say "ok   list names both nodes" || fail "list: $(cat "$T/last.out")"
expect 0 "list-status" "$(fence list-status '')"
grep -qx 'node1,,on' "$T/last.out" || fail "list-status: $(cat "$T/last.out")"
expect 0 "status node1 (on)" "$(fence status node1)"
"$FENCE" -o status -n node2 --nodes-dir "$D" >/dev/null 2>&1; expect 0 "status node2 on the command line" "$?"
expect 0 "status with the deprecated port=" "$(printf '%s\n' action=status port=node1 "nodes_dir=$D" | "$FENCE" 2>"$T/last.err" >/dev/null; echo $?)"
expect 1 "unknown action" "$(fence dance node1)"
expect 1 "missing nodes_dir" "$(printf 'action=monitor\n' | "$FENCE" 2>"$T/last.err"; echo $?)"
expect 1 "plug with a slash" "$(fence status ../node1)"

# off: the namespace init and everything in it dies; the other node lives.
expect 0 "off node1" "$(fence off node1)"
alive "$sleeper_node1" && fail "node1's sleeper survived off" || say "ok   node1's processes are gone"
alive "$sleeper_node2" && say "ok   node2 untouched" || fail "node2's sleeper died"
expect 2 "status node1 (off)" "$(fence status node1)"
expect 0 "off of a node that is already off" "$(fence off node1)"

# on: the harness boots the node when asked (NODE.power-on).
( for i in $(seq 100); do [ -e "$D/node1.power-on" ] && { rm -f "$D/node1.power-on"; exit 0; }; sleep 0.1; done; exit 1 ) & w=$!
rc=$(fence on node1 power_timeout=1); wait "$w" || fail "on did not ask for power-on"
expect 1 "on times out while nobody boots the node" "$rc"
( fence on node1 >"$T/on.rc" ) & f=$!
for i in $(seq 100); do [ -e "$D/node1.power-on" ] && break; sleep 0.1; done
boot node1; wait "$f"; expect 0 "on once the node boots" "$(cat "$T/on.rc")"
expect 0 "status node1 (on again)" "$(fence status node1)"

# reboot: off, then a power-on request.
expect 0 "reboot node2" "$(fence reboot node2)"
alive "$init_node2" && fail "node2 still up after reboot" || say "ok   node2 went down"
[ -e "$D/node2.power-on" ] && say "ok   reboot asked for power-on" || fail "reboot left no power-on request"

# Pid identity: a stale start time means off; a process that is no
# namespace init is never signalled.
sleep 600 & s=$!; PIDS+=("$s")
echo "$s 12345" >"$D/node3.pid"
expect 2 "status with a stale start time" "$(fence status node3)"
echo "$s $(starttime "$s")" >"$D/node3.pid"
expect 1 "off refuses a pid that is no namespace init" "$(fence off node3)"
alive "$s" && say "ok   that process was not signalled" || fail "fence_nsnode killed a non-init process"
rm -f "$D/node3.pid"

# The fencer's view: installed as /usr/sbin/fence_nsnode for a moment.
if [ -e /usr/sbin/fence_nsnode ]; then fail "/usr/sbin/fence_nsnode exists already; not touching it"
else
  install -m 755 "$FENCE" /usr/sbin/fence_nsnode; cleanup_hooks+=("rm -f /usr/sbin/fence_nsnode")
  if stonith_admin --metadata --agent fence_nsnode >"$T/md.xml" 2>"$T/md.err" && xmllint --noout "$T/md.xml" \
      && grep -q '<parameter name="nodes_dir"' "$T/md.xml"; then say "ok   stonith_admin --metadata"
  else fail "stonith_admin --metadata: $(cat "$T/md.err")"; fi
  stonith_admin --list-installed 2>/dev/null | grep -qw fence_nsnode && say "ok   listed by stonith_admin" \
    || fail "stonith_admin --list-installed lacks fence_nsnode"
  through_fencer
fi
finish
