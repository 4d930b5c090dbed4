#!/bin/bash
# Benchmark (not a test): median per-call wall and CPU time of `monitor`
# for an AMQP worker (ocf:openstack:cinder-schedule) and an API agent
# (ocf:openstack:cinder-api under Debian's uwsgi ini), against real
# cinder services on a loopback rabbitmq, next to the reference in the same
# run. The shell agents (openstack-resource-agents) are not packaged for
# Debian 12 and this machine cannot fetch them, so the reference is what
# their monitor runs, rebuilt from their source (shared/reference/
# ocf-agents.md §2.8): ocf-shellfuncs, kill -0 on the pid file, and
# `netstat -punt | grep PORT | grep PID | grep ESTABLISHED`; for the API,
# one `curl` of the same URL.
# With BASELINE_DIR (an older build), its agents' monitor is timed too, on
# the same running services: before/after figures from one run.
# usage: bench/agents-amqp-bench.sh BUILD_DIR [RUNS [BASELINE_DIR]]   (root; it takes the services lock of tests/agents/lib.sh)
set -u
HERE=$(dirname "$(readlink -f "$0")")
. "$HERE/../tests/agents/lib.sh"
. "$HERE/../tests/agents/control-plane-env.sh"
stage_agents "$(readlink -f "$1")/agents/resource.d/openstack"
N=${2:-200}
BASE=
if [ -n "${3:-}" ]; then
  mkdir -p "$T/base"
  install -m 755 "$(readlink -f "$3/agents/resource.d/openstack/cinder-schedule")" "$T/base/ocf-openstack"
  ln -s ocf-openstack "$T/base/cinder-schedule"
  ln -s ocf-openstack "$T/base/cinder-api"
  BASE=$T/base
fi
mkdir -p "$T/rsc"
setup_rabbitmq || { echo "rabbitmq did not start"; exit 1; }
setup_cinder || { echo "cinder setup failed"; exit 1; }
API_PORT=$(free_port)
W=(HA_RSCTMP="$T/rsc" OCF_RESOURCE_INSTANCE=bench-w OCF_RESKEY_CRM_meta_interval=20000 OCF_RESKEY_CRM_meta_timeout=30000
   OCF_RESKEY_config="$CINDER_CONF" OCF_RESKEY_pid="$T/rsc/w.pid")
A=(HA_RSCTMP="$T/rsc" OCF_RESOURCE_INSTANCE=bench-a OCF_RESKEY_CRM_meta_interval=20000 OCF_RESKEY_CRM_meta_timeout=30000
   OCF_RESKEY_config="$CINDER_CONF" OCF_RESKEY_pid="$T/rsc/a.pid" OCF_RESKEY_url="http://127.0.0.1:$API_PORT/"
   "OCF_RESKEY_additional_parameters=--processes 1 --threads 1")
for x in W A; do
  declare -n e=$x
  agent=$AGENTS/cinder-schedule; [ $x = A ] && agent=$AGENTS/cinder-api
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${e[@]}" OCF_RESKEY_CRM_meta_timeout=60000 "$agent" start || { echo "$agent start failed"; exit 1; }
  cleanup_hooks+=("env -i PATH=/usr/bin:/bin ${e[*]@Q} $agent stop")
done
WPID=$(head -1 "$T/rsc/w.pid")
cat >"$T/shell-check.sh" <<EOC
. /usr/lib/ocf/lib/heartbeat/ocf-shellfuncs
pid=\$(cat $T/rsc/w.pid | head -1)
ocf_run -warn kill -s 0 "\$pid" >/dev/null || exit 7
netstat -punt | grep -s "$RMQ_PORT" | grep -s "\$pid" | grep -qs ESTABLISHED || exit 7
exit 0
EOC
echo "date: $(date -u +%F) machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; load: $(uptime | sed 's/.*load/load/')"
echo "cinder $(dpkg-query -W -f '${Version}' cinder-scheduler), rabbitmq-server $(dpkg-query -W -f '${Version}' rabbitmq-server), net-tools $(dpkg-query -W -f '${Version}' net-tools), curl $(dpkg-query -W -f '${Version}' curl); cinder-scheduler pid $WPID"
R=(python3 "$HERE/agents-timing.py" "$N")
"${R[@]}" "AMQP monitor: ours (cinder-schedule)" -- "${W[@]}" -- "$AGENTS/cinder-schedule" monitor
[ -n "$BASE" ] && "${R[@]}" "AMQP monitor: baseline (cinder-schedule)" -- "${W[@]}" -- "$BASE/cinder-schedule" monitor
"${R[@]}" "AMQP monitor: shell check (netstat -punt)" -- OCF_ROOT=/usr/lib/ocf -- /bin/sh "$T/shell-check.sh"
"${R[@]}" "API monitor: ours (cinder-api)" -- "${A[@]}" -- "$AGENTS/cinder-api" monitor
[ -n "$BASE" ] && "${R[@]}" "API monitor: baseline (cinder-api)" -- "${A[@]}" -- "$BASE/cinder-api" monitor
"${R[@]}" "API monitor: curl GET of the same URL" -- -- curl -s -o /dev/null "http://127.0.0.1:$API_PORT/"
