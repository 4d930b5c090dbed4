# Shared helpers for the agent tests (sourced). Every process a test starts
# is tracked by pid and killed by pid on exit; temp dirs are removed.
set -u
FAILS=0
T=$(mktemp -d /tmp/hapkg-agents.XXXXXX)
chmod 755 "$T"
PIDS=()
LINKS=()
cleanup_hooks=()
cleanup() {
  local h p
  for h in "${cleanup_hooks[@]}"; do eval "$h" || true; done
  for p in "${PIDS[@]}"; do kill -CONT "$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null; done
  for p in "${LINKS[@]}"; do rm -f "$p"; done
  rm -rf "$T"
}
trap cleanup EXIT

say() { echo "[$(date +%T)] $*"; }
START=$(date +%s)
el() { echo "$(( $(date +%s) - START ))s"; }  # seconds since the test began
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
finish() {
  if [ "$FAILS" -ne 0 ]; then echo "$FAILS check(s) failed"; exit 1; fi
  echo "all checks passed"
}

# Copies the built agent (AGENT_DIR = the directory of its links) and the
# stand-in registry into $T, which every user can read (ocf-tester runs
# meta-data as nobody; the stand-in runs as nobody; the checkout may not be
# readable for them). Sets AGENTS and STANDIN.
stage_agents() {
  mkdir -p "$T/bin"
  install -m 755 "$(readlink -f "$1/keystone")" "$T/bin/ocf-openstack"
  local a
  for a in $(ls "$1"); do ln -s ocf-openstack "$T/bin/$a"; done
  install -m 755 "$(dirname "${BASH_SOURCE[0]}")/stand-in-registry" "$T/bin/stand-in-registry"
  AGENTS=$T/bin
  STANDIN=$T/bin/stand-in-registry
}

# Exposes the staged agents as ocf:openstack:* for pacemaker (links removed
# on exit). Under the services lock (below) no other test owns a link there,
# so a link left by a killed run is replaced; a real file (an installed
# resource-agents-openstack) is not ours to replace: the test stops.
install_agents() {
  mkdir -p /usr/lib/ocf/resource.d/openstack
  local a l
  for a in $(cd "$AGENTS" && ls | grep -v -e '^ocf-openstack$' -e '^stand-in-registry$'); do
    l=/usr/lib/ocf/resource.d/openstack/$a
    if [ -e "$l" ] && [ ! -L "$l" ]; then
      echo "FAIL: $l is not a link of an agent test (resource-agents-openstack installed?); remove it first"
      exit 1
    fi
    ln -sfn "$AGENTS/$a" "$l"
    LINKS+=("$l")
  done
}

# agent_rc AGENT ACTION [VAR=value...]: runs the agent with a clean
# environment plus the given variables; prints the rc; stderr in $T/last.err
# agent_rc timeout -s KILL N AGENT ACTION ...: the same under timeout(1).
agent_rc() {
  local pre=()
  if [ "$1" = timeout ]; then pre=("$1" "$2" "$3" "$4"); shift 4; fi
  local agent=$1 action=$2; shift 2
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HA_RSCTMP="$T/rsc" OCF_ROOT=/usr/lib/ocf \
    OCF_RESOURCE_INSTANCE=t1 "$@" "${pre[@]}" "$agent" "$action" >"$T/last.out" 2>"$T/last.err"
  echo $?
}

expect() {  # expect WANT DESCRIPTION GOT
  if [ "$3" = "$1" ]; then say "ok   rc=$3 $2"; else fail "$2: want rc $1, got $3 ($(tr '\n' ' ' <"$T/last.err"))"; fi
}

alive() { [ -d "/proc/$1" ] && ! grep -q '^[0-9]* (.*) [ZX] ' "/proc/$1/stat" 2>/dev/null; }

wait_gone() {  # bounded wait until pid $1 is gone (zombies count as gone)
  local i
  for i in $(seq 1 100); do alive "$1" || return 0; sleep 0.1; done
  return 1
}

# A free loopback port below the kernel's ephemeral range (32768-60999), so
# that no outgoing connection or port-0 listener of another process (a
# unit test's loopback server) takes it between now and the daemon's bind.
free_port() {
  python3 -c '
import random, socket
for _ in range(200):
    p = random.randint(20000, 32000)
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError: pass
    finally: s.close()
else: raise SystemExit("no free port in 20000-32000")'
}

# cib_primitive ID TYPE MONITOR_INTERVAL START_TIMEOUT NAME=VALUE...: adds an
# ocf:openstack:TYPE primitive with those parameters to $CIB_file (or the
# live cluster's CIB). MON_TIMEOUT (default 20s) and STOP_TIMEOUT (default
# 30s, the agents' advertised stop) set those op timeouts; DEEP_INTERVAL
# adds a second monitor with OCF_CHECK_LEVEL=10 (timeout 30s).
cib_primitive() {
  local id=$1 type=$2 mon=$3 start=$4 nv="" i=0 o deep=""; shift 4
  for o in "$@"; do i=$((i+1)); nv+="<nvpair id=\"$id-$i\" name=\"${o%%=*}\" value=\"${o#*=}\"/>"; done
  [ -n "${DEEP_INTERVAL:-}" ] && deep="<op id=\"$id-deep\" name=\"monitor\" interval=\"$DEEP_INTERVAL\" timeout=\"30s\">
  <instance_attributes id=\"$id-deep-ia\"><nvpair id=\"$id-deep-level\" name=\"OCF_CHECK_LEVEL\" value=\"10\"/></instance_attributes></op>"
  cibadmin --create -o resources --xml-text "<primitive id=\"$id\" class=\"ocf\" provider=\"openstack\" type=\"$type\">
  <instance_attributes id=\"$id-ia\">$nv</instance_attributes>
  <operations><op id=\"$id-mon\" name=\"monitor\" interval=\"$mon\" timeout=\"${MON_TIMEOUT:-20s}\"/>
  <op id=\"$id-start\" name=\"start\" interval=\"0\" timeout=\"$start\"/>
  <op id=\"$id-stop\" name=\"stop\" interval=\"0\" timeout=\"${STOP_TIMEOUT:-30s}\"/>$deep</operations></primitive>"
}

# ocf_tester AGENT NAME=VALUE...: ocf-tester on the installed agent (or on
# the staged one in $OCF_TESTER_DIR: a test that needs no pacemaker); on
# failure prints its output and then runs $TESTER_ON_FAIL (a command line).
ocf_tester() {
  local a=$1 o=() x; shift
  for x in "$@"; do o+=(-o "$x"); done
  if env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HA_RSCTMP="$T/rsc" ocf-tester -n "tester-$a" "${o[@]}" \
      "${OCF_TESTER_DIR:-/usr/lib/ocf/resource.d/openstack}/$a" >"$T/tester-$a.out" 2>&1; then
    say "ok   ocf-tester $a: $(tail -1 "$T/tester-$a.out")"
  else
    fail "ocf-tester $a: $(cat "$T/tester-$a.out"; eval "${TESTER_ON_FAIL:-}")"
  fi
}

# The services lock: one agent or topology test at a time on this machine
# (they share /usr/lib/ocf/resource.d/openstack, the OpenStack services'
# users and the cluster stack). Every script that sources this file takes
# it, whoever runs it (ctest, a bench, a helper by hand); it waits at most
# 30 minutes. The lock is held by a small holder process, not by this
# shell, so that no daemon a test starts inherits it; the holder ends when
# this shell does, even on SIGKILL (tail --pid).
services_lock() {
  local ready=$T/services.locked i
  flock -w 1800 /tmp/hapkg-services.lock sh -c ': >"$1"; exec tail --pid="$2" -f /dev/null' sh "$ready" $$ \
    </dev/null >/dev/null 2>&1 &
  LOCK_PID=$!
  disown "$LOCK_PID"  # no "Killed" job notice when the cleanup kills it
  PIDS+=("$LOCK_PID")
  for i in $(seq 1 18100); do
    [ -e "$ready" ] && return 0
    alive "$LOCK_PID" || break
    sleep 0.1
  done
  echo "FAIL: /tmp/hapkg-services.lock: another agent or topology test held it for 30 minutes"
  exit 1
}
services_lock
