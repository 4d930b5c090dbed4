#!/bin/bash
# The agents against the real services from Debian's packages (keystone
# under uwsgi, glance-api; both on sqlite), first with ocf-tester, then in a
# real single-node corosync + pacemaker cluster this test starts and tears
# down: the cluster starts both, restarts keystone after SIGKILL, and
# recovers glance-api after SIGSTOP makes its monitor fail.
# usage: services-cluster.sh AGENT_DIR
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/openstack-env.sh"
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
CL=$T/cluster; mkdir -p "$CL"
rm -f /var/lib/pacemaker/cib/cib*
cleanup_hooks+=("rm -f /var/lib/pacemaker/cib/cib*")
cat >"$CL/corosync.conf" <<EOC
totem {
  version: 2
  cluster_name: hapkgtest
  transport: knet
  crypto_cipher: none
  crypto_hash: none
  token: 1000
}
logging {
  to_stderr: no
  to_logfile: yes
  logfile: $CL/corosync.log
  to_syslog: no
  timestamp: on
}
quorum {
  provider: corosync_votequorum
}
nodelist {
  node {
    name: node1
    nodeid: 1
    ring0_addr: 127.0.0.1
  }
}
EOC
cibadmin --empty >"$CL/seed.xml"
CIB_file="$CL/seed.xml" crm_attribute --type crm_config --name stonith-enabled --update false
CIB_file="$CL/seed.xml" crm_attribute --type crm_config --name dc-deadtime --update 2s
install -o hacluster -g haclient -m 600 "$CL/seed.xml" /var/lib/pacemaker/cib/cib.xml
CENV=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin)
"${CENV[@]}" corosync -f -c "$CL/corosync.conf" >"$CL/corosync.out" 2>&1 & COROSYNC=$!; PIDS+=("$COROSYNC")
for i in $(seq 100); do corosync-quorumtool -s >/dev/null 2>&1 && break; sleep 0.2; done
"${CENV[@]}" PCMK_logfile="$CL/pacemaker.log" pacemakerd >"$CL/pacemakerd.out" 2>&1 & PCMKD=$!; PIDS+=("$PCMKD")
cleanup_hooks=("pacemakerd --shutdown >/dev/null 2>&1; for i in \$(seq 100); do kill -0 $PCMKD 2>/dev/null || break; sleep 0.2; done; corosync-cfgtool -H --force >/dev/null 2>&1; for i in \$(seq 50); do kill -0 $COROSYNC 2>/dev/null || break; sleep 0.2; done" "${cleanup_hooks[@]}")
for i in $(seq 150); do crm_mon -1 2>/dev/null | grep -q "Online: \[ node1 \]" && break; sleep 0.2; done
crm_mon -1 2>/dev/null | grep -q "Online: \[ node1 \]" || { fail "cluster did not come up: $(crm_mon -1 2>&1)"; finish; }
say "cluster up ($(el))"

nvpairs() {  # nvpairs ID OPTS...
  local id=$1 o i=0 out=""; shift
  for o in "$@"; do i=$((i+1)); out+="<nvpair id=\"$id-$i\" name=\"${o%%=*}\" value=\"${o#*=}\"/>"; done
  echo "$out"
}
cibadmin --create -o resources --xml-text "<primitive id=\"ks\" class=\"ocf\" provider=\"openstack\" type=\"keystone\">
  <instance_attributes id=\"ks-ia\">$(nvpairs ks "${KS_OPTS[@]}")</instance_attributes>
  <operations><op id=\"ks-start\" name=\"start\" interval=\"0\" timeout=\"40s\"/>
  <op id=\"ks-stop\" name=\"stop\" interval=\"0\" timeout=\"20s\"/>
  <op id=\"ks-mon\" name=\"monitor\" interval=\"3s\" timeout=\"10s\"/></operations></primitive>" || fail "create ks"
cibadmin --create -o resources --xml-text "<primitive id=\"gl\" class=\"ocf\" provider=\"openstack\" type=\"glance-api\">
  <instance_attributes id=\"gl-ia\">$(nvpairs gl "${GL_OPTS[@]}")</instance_attributes>
  <operations><op id=\"gl-start\" name=\"start\" interval=\"0\" timeout=\"40s\"/>
  <op id=\"gl-stop\" name=\"stop\" interval=\"0\" timeout=\"20s\"/>
  <op id=\"gl-mon\" name=\"monitor\" interval=\"3s\" timeout=\"5s\"/></operations></primitive>" || fail "create gl"

started() {  # started RSC PIDFILE OLDPID: the cluster runs RSC with a pid other than OLDPID
  crm_mon -1 2>/dev/null | grep -Eq "\* $1\s.*Started node1" || return 1
  local p; p=$(head -1 "$2" 2>/dev/null) || return 1
  [ -n "$p" ] && [ "$p" != "$3" ] && alive "$p"
}
wait_started() {  # bounded: 60 s
  local i
  for i in $(seq 300); do started "$@" && return 0; sleep 0.2; done
  return 1
}
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
crm_failcount --query -r ks -N node1 2>/dev/null | grep -q "value=[1-9]" || fail "no keystone failure recorded: $(crm_failcount --query -r ks -N node1 2>&1)"
say "keystone restarted by the cluster as $NEW ($(el))"

say "SIGSTOP glance-api"
kill -STOP -- "-$GPID"   # the whole service (parent and worker) hangs
wait_started gl "$T/rsc/gl.pid" "$GPID" || fail "cluster did not recover glance-api: $(crm_mon -1 2>&1)"
NEW=$(head -1 "$T/rsc/gl.pid"); PIDS+=("$NEW")
wait_gone "$GPID" || fail "the hung glance-api was not stopped"
grep -q "glance-api.*running but unhealthy" "$CL/pacemaker.log" || fail "no failed monitor of glance-api logged"
crm_failcount --query -r gl -N node1 2>/dev/null | grep -q "value=[1-9]" || fail "no glance-api failure recorded"
curl -fs -o /dev/null "http://127.0.0.1:$GL_PORT/versions" || fail "recovered glance-api does not answer"
say "glance-api recovered by the cluster as $NEW ($(el))"

say "stopping the resources through the cluster"
crm_resource --resource ks --set-parameter target-role --meta --parameter-value Stopped >/dev/null 2>&1
crm_resource --resource gl --set-parameter target-role --meta --parameter-value Stopped >/dev/null 2>&1
for i in $(seq 150); do [ ! -e "$T/rsc/ks.pid" ] && [ ! -e "$T/rsc/gl.pid" ] && break; sleep 0.2; done
[ ! -e "$T/rsc/ks.pid" ] && [ ! -e "$T/rsc/gl.pid" ] || fail "cluster did not stop the resources"
say "done ($(el))"
finish
