#!/bin/bash
# The agents against the real services from Debian's packages (keystone
# under uwsgi, glance-api; both on sqlite), first with ocf-tester, then in a
# real single-node corosync + pacemaker cluster this test starts and tears
# down: the cluster starts both, restarts keystone after SIGKILL, and
# recovers glance-api after SIGSTOP makes its monitor fail.
# usage: services-cluster.sh AGENT_DIR
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/openstack-env.sh"
. "$(dirname "$0")/cluster-env.sh"
stage_agents "$1"
install_agents
mkdir -p "$T/rsc"

say "setting up keystone and glance-api"
setup_keystone || { cat "$T/ks/setup.log"; fail "keystone setup"; finish; }
setup_glance || { cat "$T/gl/setup.log"; fail "glance setup"; finish; }
say "services set up ($(el))"

TESTER_ON_FAIL='tail -20 /var/log/keystone/keystone.log 2>/dev/null'
ocf_tester keystone "${KS_OPTS[@]}"
KS=/usr/lib/ocf/resource.d/openstack/keystone
KSE=(); for o in "${KS_OPTS[@]}"; do KSE+=("OCF_RESKEY_$o"); done
say "keystone credentials"
expect 0 "keystone start (authenticated health check)" "$(agent_rc "$KS" start "${KSE[@]}")"
KPID=$(head -1 "$T/rsc/ks.pid"); PIDS+=("$KPID")
if grep -rqs "$KS_PASSWORD" /proc/"$KPID"/cmdline "$T/rsc"; then fail "password in argv or a file"; fi
# glance-api with an authenticated check against the running keystone.
ocf_tester glance-api "${GL_OPTS[@]}" os_username=admin os_password="$KS_PASSWORD" os_tenant_name=admin \
  os_auth_url="http://127.0.0.1:$KS_PORT/v3"
expect 0 "keystone monitor" "$(agent_rc "$KS" monitor "${KSE[@]}" OCF_RESKEY_CRM_meta_interval=20000)"
rm -f "$T/rsc/t1.token"
expect 1 "keystone monitor, wrong password" "$(agent_rc "$KS" monitor "${KSE[@]}" OCF_RESKEY_os_password=wrong OCF_RESKEY_CRM_meta_interval=20000)"
grep -q "failed with HTTP 401" "$T/last.err" || fail "exit reason for wrong keystone credentials"
expect 0 "keystone stop" "$(agent_rc "$KS" stop "${KSE[@]}")"
wait_gone "$KPID" || fail "keystone survived stop"
say "agent checks done ($(el))"

# ---------------------------------------------------------------- cluster
say "starting corosync + pacemaker"
start_cluster || { fail "cluster did not come up: $(crm_mon -1 2>&1)"; finish; }
say "cluster up ($(el))"

MON_TIMEOUT=10s STOP_TIMEOUT=20s cib_primitive ks keystone 3s 40s "${KS_OPTS[@]}" || fail "create ks"
MON_TIMEOUT=5s STOP_TIMEOUT=20s cib_primitive gl glance-api 3s 40s "${GL_OPTS[@]}" || fail "create gl"
wait_started ks "$T/rsc/ks.pid" none || fail "cluster did not start keystone: $(crm_mon -1 2>&1)"
wait_started gl "$T/rsc/gl.pid" none || fail "cluster did not start glance-api: $(crm_mon -1 2>&1)"
KPID=$(head -1 "$T/rsc/ks.pid"); GPID=$(head -1 "$T/rsc/gl.pid"); PIDS+=("$KPID" "$GPID")
curl -fs -o /dev/null "http://127.0.0.1:$KS_PORT/v3" || fail "keystone does not answer"
curl -fs -o /dev/null "http://127.0.0.1:$GL_PORT/versions" || fail "glance-api does not answer"
say "cluster started keystone ($KPID) and glance-api ($GPID) ($(el))"

say "SIGKILL keystone"
kill -KILL "$KPID"
wait_started ks "$T/rsc/ks.pid" "$KPID" || fail "cluster did not restart keystone: $(crm_mon -1 2>&1)"
NEW=$(head -1 "$T/rsc/ks.pid"); PIDS+=("$NEW")
for i in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$KS_PORT/v3" && break; sleep 0.2; done
curl -fs -o /dev/null "http://127.0.0.1:$KS_PORT/v3" || fail "restarted keystone does not answer"
[ "$(failcount ks)" != 0 ] || fail "no keystone failure recorded: $(crm_failcount --query -r ks -N node1 2>&1)"
say "keystone restarted by the cluster as $NEW ($(el))"

say "SIGSTOP glance-api"
kill -STOP -- "-$GPID"   # the whole service (parent and worker) hangs
wait_started gl "$T/rsc/gl.pid" "$GPID" || fail "cluster did not recover glance-api: $(crm_mon -1 2>&1)"
NEW=$(head -1 "$T/rsc/gl.pid"); PIDS+=("$NEW")
wait_gone "$GPID" || fail "the hung glance-api was not stopped"
grep -q "glance-api.*running but unhealthy" "$CL/pacemaker.log" || fail "no failed monitor of glance-api logged"
[ "$(failcount gl)" != 0 ] || fail "no glance-api failure recorded"
curl -fs -o /dev/null "http://127.0.0.1:$GL_PORT/versions" || fail "recovered glance-api does not answer"
say "glance-api recovered by the cluster as $NEW ($(el))"

say "stopping the resources through the cluster"
crm_resource --resource ks --set-parameter target-role --meta --parameter-value Stopped >/dev/null 2>&1
crm_resource --resource gl --set-parameter target-role --meta --parameter-value Stopped >/dev/null 2>&1
for i in $(seq 150); do [ ! -e "$T/rsc/ks.pid" ] && [ ! -e "$T/rsc/gl.pid" ] && break; sleep 0.2; done
[ ! -e "$T/rsc/ks.pid" ] && [ ! -e "$T/rsc/gl.pid" ] || fail "cluster did not stop the resources"
say "done ($(el))"
finish
