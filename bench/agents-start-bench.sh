#!/bin/bash
# Benchmark (not a test): CPU and wall of one `start` of glance-api (Debian's
# package, sqlite), i.e. what the agent itself spends while it waits for the
# service: the previous build (OLD_AGENT_DIR, optional), this build, and the
# reference in the same run: resource-agents' ocf:heartbeat:anything starting
# the same glance-api with a curl monitor_hook (the shell way to wait).
# The daemon is not a waited-for child of the agent, so its own CPU is not
# counted. usage: bench/agents-start-bench.sh BUILD_DIR [RUNS] [OLD_AGENT_DIR]
# (as root; it takes the services lock of tests/agents/lib.sh)
set -u
HERE=$(dirname "$(readlink -f "$0")")
. "$HERE/../tests/agents/lib.sh"
. "$HERE/../tests/agents/openstack-env.sh"
stage_agents "$(readlink -f "$1")/agents/resource.d/openstack"
N=${2:-5}
OLD=${3:-}
mkdir -p "$T/rsc"
setup_glance >/dev/null || { echo "glance setup failed"; exit 1; }
E=(OCF_ROOT=/usr/lib/ocf HA_RSCTMP="$T/rsc" OCF_RESOURCE_INSTANCE=bench OCF_RESKEY_CRM_meta_timeout=60000)
for o in "${GL_OPTS[@]}"; do E+=("OCF_RESKEY_$o"); done
echo "date: $(date -u +%F) machine: $(nproc) cores; glance-api $(dpkg-query -W -f '${Version}' glance-api), resource-agents $(dpkg-query -W -f '${Version}' resource-agents); load: $(uptime | sed 's/.*load/load/')"
R=(python3 "$HERE/agents-timing.py" "$N")
if [ -n "$OLD" ]; then
  mkdir -p "$T/old"
  install -m 755 "$(readlink -f "$OLD/glance-api")" "$T/old/ocf-openstack"
  ln -s ocf-openstack "$T/old/glance-api"
  "${R[@]}" "start glance-api: previous build" -- "${E[@]}" -- "$T/old/glance-api" start --then "$T/old/glance-api" stop
fi
"${R[@]}" "start glance-api: this build" -- "${E[@]}" -- "$AGENTS/glance-api" start --then "$AGENTS/glance-api" stop
URL="http://127.0.0.1:$GL_PORT/versions"
A=(OCF_ROOT=/usr/lib/ocf HA_RSCTMP="$T/rsc" OCF_RESOURCE_INSTANCE=bench-anything OCF_RESKEY_CRM_meta_timeout=60000
   OCF_RESKEY_binfile=/usr/bin/glance-api "OCF_RESKEY_cmdline_options=--config-file $GL_DIR/glance-api.conf"
   OCF_RESKEY_user=glance OCF_RESKEY_pidfile="$T/rsc/anything.pid"
   "OCF_RESKEY_monitor_hook=curl -sf --retry 60 --retry-connrefused --retry-delay 1 -o /dev/null $URL")
"${R[@]}" "start glance-api: ocf:heartbeat:anything + curl" -- "${A[@]}" -- /usr/lib/ocf/resource.d/heartbeat/anything start \
  --then /usr/lib/ocf/resource.d/heartbeat/anything stop
