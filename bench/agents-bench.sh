#!/bin/bash
# Benchmark of the ocf:openstack agents (not a test): median per-call wall
# and CPU time of `monitor` on a running keystone (plain and authenticated)
# and of `meta-data`, next to the reference tools run in the same session:
# the shell agents' checks (curl, as ocf:openstack:keystone/glance-registry
# did) and the meta-data of resource-agents' shell Dummy agent.
# usage: bench/agents-bench.sh BUILD_DIR [RUNS]   (as root; needs keystone)
set -u
HERE=$(dirname "$(readlink -f "$0")")
. "$HERE/../tests/agents/lib.sh"
. "$HERE/../tests/agents/openstack-env.sh"
stage_agents "$(readlink -f "$1")/agents/resource.d/openstack"
DIR=$AGENTS
N=${2:-200}
mkdir -p "$T/rsc"
setup_keystone >/dev/null || { echo "keystone setup failed"; exit 1; }
KS=$DIR/keystone
E=(HA_RSCTMP="$T/rsc" OCF_RESOURCE_INSTANCE=bench OCF_RESKEY_CRM_meta_interval=20000 OCF_RESKEY_CRM_meta_timeout=20000)
for o in "${KS_OPTS[@]}"; do E+=("OCF_RESKEY_$o"); done
PLAIN=(); for e in "${E[@]}"; do case $e in OCF_RESKEY_os_*) ;; *) PLAIN+=("$e");; esac; done
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${E[@]}" "$KS" start || { echo "keystone start failed"; exit 1; }
PIDS+=("$(head -1 "$T/rsc/ks.pid")")
cleanup_hooks+=("env -i PATH=/usr/bin:/bin ${E[*]@Q} $KS stop")
printf '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","domain":{"name":"Default"},"password":"%s"}}},"scope":{"project":{"name":"admin","domain":{"name":"Default"}}}}}' \
  "$KS_PASSWORD" >"$T/auth.json"
echo "date: $(date -u +%F) machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; keystone $(dpkg-query -W -f '${Version}' keystone), curl $(dpkg-query -W -f '${Version}' curl), resource-agents $(dpkg-query -W -f '${Version}' resource-agents)"
R=(python3 "$HERE/agents-timing.py" "$N")
R10=(python3 "$HERE/agents-timing.py" "$(( N / 10 > 5 ? N / 10 : 5 ))")   # calls that hit keystone's ~0.4 s password check
"${R[@]}" "meta-data: ours (keystone)" -- -- "$KS" meta-data
"${R[@]}" "meta-data: shell ocf:heartbeat:Dummy" -- OCF_ROOT=/usr/lib/ocf -- /usr/lib/ocf/resource.d/heartbeat/Dummy meta-data
"${R[@]}" "monitor plain: ours" -- "${PLAIN[@]}" -- "$KS" monitor
"${R[@]}" "monitor plain: curl GET (shell-agent style)" -- -- curl -s -o /dev/null "http://127.0.0.1:$KS_PORT/v3"
"${R[@]}" "monitor authenticated: ours (token reused)" -- "${E[@]}" -- "$KS" monitor
"${R10[@]}" "monitor authenticated, depth 10: ours" -- "${E[@]}" OCF_CHECK_LEVEL=10 -- "$KS" monitor
"${R10[@]}" "monitor authenticated: ours (new token)" -- "${E[@]}" HA_RSCTMP=/proc/no-cache -- "$KS" monitor   # the cache cannot be written
"${R10[@]}" "monitor authenticated: curl POST token (shell)" -- -- curl -s -o /dev/null -H "Content-Type: application/json" -d @"$T/auth.json" "http://127.0.0.1:$KS_PORT/v3/auth/tokens"
