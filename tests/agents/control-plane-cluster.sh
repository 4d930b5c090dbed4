#!/bin/bash
# The control plane in a real single-node corosync + pacemaker cluster, all
# through our ocf:openstack agents and Debian 12's real services: keystone,
# glance-api, nova-api, nova-scheduler, nova-conductor, neutron-server and
# cinder-api. rabbitmq (loopback) and placement-api (nova-scheduler does
# not start without Placement) run beside the cluster, started by the test.
# nova-api authenticates with the real keystone. The CIB (keystone started
# first, as docs/agents.md recommends) is checked by crm_verify before it
# is loaded and again live. Before the cluster: ocf-tester on
# nova-scheduler (it needs Placement, which runs here). Then:
# - nova-scheduler's deep monitor (OCF_CHECK_LEVEL=10: keystone token, nova
#   os-services) passes in the cluster and through crm_resource
#   --force-check=10, and fails while nova's API reports the scheduler
#   down (forced_down; its AMQP check still passes);
# - at once, kill -9 of an API service (nova-api's uwsgi master) and of an
#   AMQP worker (nova-conductor), and SIGSTOP of an API service (cinder-api:
#   its HTTP check times out) and of a worker (nova-scheduler: the broker
#   drops its connection after missed heartbeats, so the AMQP check fails)
#   -> pacemaker recovers each (fail count 1), the others keep running;
# - pacemaker's shutdown stops all seven; every process is gone.
# It takes the services lock (tests/agents/lib.sh), as every agent test.
# usage: control-plane-cluster.sh AGENT_DIR
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/openstack-env.sh"
. "$(dirname "$0")/control-plane-env.sh"
. "$(dirname "$0")/cluster-env.sh"
stage_agents "$1"
install_agents
mkdir -p "$T/rsc"

say "rabbitmq; keystone, glance, placement, nova, neutron and cinder databases"
setup_rabbitmq || { tail -20 "$RMQ_DIR/server.out"; fail "rabbitmq did not start"; finish; }
NOVNC_PORT=$(free_port) NEUTRON_PORT=$(free_port) PLACEMENT_PORT=$(free_port)
# The broker closes a hung worker's connection after missed heartbeats:
# 10 s instead of oslo's 60 keeps the SIGSTOP case short.
NOVA_HEARTBEAT=10
setup_placement & P=$!
setup_nova & N=$!
setup_neutron & Q=$!
setup_cinder & C=$!
setup_keystone || { cat "$T/ks/setup.log"; fail "keystone setup"; }
setup_glance || { cat "$T/gl/setup.log"; fail "glance setup"; }
wait $P || { cat "$PLACEMENT_DIR/setup.log"; fail "placement db sync"; }
wait $N || { cat "$T/nova/setup.log"; fail "nova db sync"; }
# nova-api behind keystone (the deep check's os-services needs a real
# token): oslo.config takes the last value, the file above stays as is.
cat >>"$NOVA_CONF" <<EOC
[api]
auth_strategy = keystone
[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:$KS_PORT/
auth_url = http://127.0.0.1:$KS_PORT/
auth_type = password
username = admin
password = $KS_PASSWORD
project_name = admin
user_domain_name = Default
project_domain_name = Default
EOC
chmod 640 "$NOVA_CONF"
wait $Q || { cat "$T/neutron/setup.log"; fail "neutron schema"; }
wait $C || { cat "$T/cinder/setup.log"; fail "cinder db sync"; }
[ "$FAILS" = 0 ] || finish
start_placement || { tail -20 "$PLACEMENT_DIR/log/uwsgi.log"; fail "placement-api did not answer"; finish; }
say "set up ($(el))"

# nova-scheduler does not start without Placement, so its ocf-tester run is
# here rather than in control-plane.sh (start: the cluster's 60 s, not
# ocf-tester's 20 s, as the scheduler needs on a loaded machine).
ocf_tester nova-scheduler config="$NOVA_CONF" log_file="$T/nova/log/sched-tester.out" CRM_meta_timeout=60000

say "starting corosync + pacemaker"
start_cluster || { fail "cluster did not come up: $(crm_mon -1 2>&1)"; finish; }
say "cluster up ($(el))"

# The CIB: built in a file, checked by crm_verify, then loaded at once.
# APIs: the agents' monitor interval/timeout (5 s / 10 s); workers polled
# every 5 s. Debian's uwsgi inis ask for 8 processes x 32 threads: one of
# each (options after --ini win; the files stay as shipped).
ONE="additional_parameters=--processes 1 --threads 1"
RSCS=(ks gl napi nsch ncond neut capi)
NAPI_PORT=$(free_port)
AUTH=(os_username=admin os_password="$KS_PASSWORD" os_tenant_name=admin)
build_cib() {
  cibadmin --query >"$CL/load.xml" || return 1
  export CIB_file=$CL/load.xml
  export MON_TIMEOUT=10s
  cib_primitive ks keystone 5s 60s "${KS_OPTS[@]}" &&
  cib_primitive gl glance-api 5s 60s "${GL_OPTS[@]}" &&
  cib_primitive napi nova-api 5s 60s config="$NOVA_CONF" url="http://127.0.0.1:$NAPI_PORT/v2.1/" "$ONE" \
    "${AUTH[@]}" keystone_get_token_url="http://127.0.0.1:$KS_PORT/v3" \
    pid="$T/rsc/napi.pid" log_file="$T/nova/log/api.out" &&
  cib_primitive capi cinder-api 5s 60s config="$CINDER_CONF" url="http://127.0.0.1:$(free_port)/" "$ONE" \
    pid="$T/rsc/capi.pid" log_file="$T/cinder/log/api.out" &&
  cib_primitive neut neutron-server 5s 60s config="$NEUTRON_CONF" plugin_config="$ML2_CONF" \
    url="http://127.0.0.1:$NEUTRON_PORT/" pid="$T/rsc/neut.pid" log_file="$T/neutron/log/server.out" || return 1
  export MON_TIMEOUT=20s
  # The deep monitor: its first run follows each start (nova-api is up by
  # then: ordered before); the next one, 300 s later, is after the test.
  DEEP_INTERVAL=300s cib_primitive nsch nova-scheduler 5s 60s config="$NOVA_CONF" "${AUTH[@]}" \
    os_auth_url="http://127.0.0.1:$KS_PORT/v3" url="http://127.0.0.1:$NAPI_PORT/v2.1" \
    pid="$T/rsc/nsch.pid" log_file="$T/nova/log/sched.out" &&
  cib_primitive ncond nova-conductor 5s 60s config="$NOVA_CONF" pid="$T/rsc/ncond.pid" \
    log_file="$T/nova/log/cond.out" || return 1
  local r
  for r in "${RSCS[@]:1}"; do
    cibadmin --create -o constraints --xml-text \
      "<rsc_order id=\"o-ks-$r\" first=\"ks\" first-action=\"start\" then=\"$r\" then-action=\"start\" kind=\"Mandatory\"/>" || return 1
  done
  # Optional: when both start, nova-api first; a restart of nova-api does
  # not restart the scheduler.
  cibadmin --create -o constraints --xml-text \
    "<rsc_order id=\"o-napi-nsch\" first=\"napi\" first-action=\"start\" then=\"nsch\" then-action=\"start\" kind=\"Optional\"/>" || return 1
  unset CIB_file MON_TIMEOUT
}
build_cib || { fail "building the CIB"; finish; }
crm_verify --xml-file "$CL/load.xml" -V >"$T/verify.out" 2>&1 || fail "crm_verify of the CIB: $(cat "$T/verify.out")"
CIB_file=$CL/load.xml cibadmin --query --scope configuration >"$CL/configuration.xml" &&
  cibadmin --replace --scope configuration --xml-file "$CL/configuration.xml" || { fail "loading the CIB"; finish; }
say "CIB verified and loaded ($(el))"

for r in "${RSCS[@]}"; do
  wait_started "$r" "$T/rsc/$r.pid" none 180 || fail "cluster did not start $r: $(crm_mon -1 2>&1)"
done
[ "$FAILS" = 0 ] || finish
crm_verify -L -V >"$T/verify.out" 2>&1 || fail "crm_verify -L: $(cat "$T/verify.out")"
declare -A PID
for r in "${RSCS[@]}"; do PID[$r]=$(head -1 "$T/rsc/$r.pid"); PIDS+=("${PID[$r]}"); done
for r in "${RSCS[@]}"; do [ "$(failcount "$r")" = 0 ] || fail "$r failed while starting: fail count $(failcount "$r")"; done
say "all 7 Started: $(for r in "${RSCS[@]}"; do printf '%s=%s ' "$r" "${PID[$r]}"; done)($(el))"

# nova_force_down 1|0: sets nova-scheduler's forced_down flag, which makes
# nova's API report it "down" while it stays connected to the broker (the
# connected-but-dead case). nova's own PUT os-services refuses non-compute
# services, so the flag is set in nova's database (cell1, sqlite), where
# the API reads it; the scheduler's state reports do not touch it.
nova_force_down() {
  su -s /bin/sh nova -c "sqlite3 -cmd '.timeout 10000' $T/nova/nova.db \"UPDATE services SET forced_down=$1 WHERE binary='nova-scheduler';\"" \
    >"$T/nova-db.err" 2>&1
}

say "nova-scheduler's deep monitor (OCF_CHECK_LEVEL=10: nova os-services)"
deep_ok() {  # the cluster's own run of the deep monitor after the last start returned 0
  cibadmin --query --xpath "//lrm_resource[@id='nsch']/lrm_rsc_op[@operation_key='nsch_monitor_300000']" 2>/dev/null |
    grep -q 'rc-code="0"'
}
for i in $(seq 150); do deep_ok && break; sleep 0.2; done
deep_ok || fail "the cluster's deep monitor of nova-scheduler: $(cibadmin --query --xpath "//lrm_resource[@id='nsch']" 2>&1)"
force_check() {  # force_check LEVEL: pacemaker's executor runs nsch's monitor at LEVEL; stderr in $T/last.err
  crm_resource --force-check="$1" -r nsch >"$T/last.err" 2>&1; echo $?
}
expect 0 "crm_resource --force-check=10 nova-scheduler" "$(force_check 10)"
nova_force_down 1 || fail "setting forced_down: $(cat "$T/nova-db.err")"
expect 1 "force-check=10, nova reports the scheduler forced down" "$(force_check 10)"
grep -q "reports nova-scheduler on .* as down" "$T/last.err" || fail "exit reason: $(cat "$T/last.err")"
expect 0 "force-check (depth 0), forced down: still connected to the broker" "$(force_check 0)"
nova_force_down 0 || fail "clearing forced_down: $(cat "$T/nova-db.err")"
expect 0 "force-check=10, the scheduler up again" "$(force_check 10)"

# recovered RSC WHY: the cluster runs RSC again under a new pid after one
# failure (fail count 1), and the old process tree is gone.
recovered() {
  if wait_started "$1" "$T/rsc/$1.pid" "${PID[$1]}" 120; then
    local new; new=$(head -1 "$T/rsc/$1.pid"); PIDS+=("$new")
    wait_gone "${PID[$1]}" || fail "$1: the old process ${PID[$1]} survived"
    [ "$(failcount "$1")" = 1 ] || fail "$1: fail count $(failcount "$1"), want 1"
    say "ok   $1 ($2) restarted by the cluster: ${PID[$1]} -> $new, fail count $(failcount "$1") ($(el))"
    PID[$1]=$new
  else
    fail "cluster did not recover $1 after $2: $(crm_mon -1 2>&1)"
  fi
}

# All four faults at once (the recoveries overlap the SIGSTOP detection).
say "kill -9 of nova-api (uwsgi master) and nova-conductor; SIGSTOP of cinder-api and nova-scheduler (process groups)"
kill -KILL "${PID[napi]}" "${PID[ncond]}"
kill -STOP -- "-${PID[capi]}" "-${PID[nsch]}"
recovered napi "kill -9"
recovered ncond "kill -9"
recovered capi SIGSTOP
recovered nsch SIGSTOP
grep -q "capi.*running but unhealthy" "$CL/pacemaker.log" || fail "no failed monitor of cinder-api logged"
grep -q "nsch.*no ESTABLISHED connection" "$CL/pacemaker.log" || fail "no failed AMQP check of nova-scheduler logged"

# Every other resource kept its process and has no failure.
for r in ks gl neut; do
  [ "$(head -1 "$T/rsc/$r.pid")" = "${PID[$r]}" ] && alive "${PID[$r]}" || fail "$r was restarted"
  [ "$(failcount "$r")" = 0 ] || fail "$r: fail count $(failcount "$r")"
done

say "stopping the cluster (pacemaker stops the resources first)"
pacemakerd --shutdown >/dev/null 2>&1
for i in $(seq 300); do
  left=0; for r in "${RSCS[@]}"; do [ -e "$T/rsc/$r.pid" ] && left=1; done
  [ $left = 0 ] && break; sleep 0.2
done
[ $left = 0 ] || fail "resources left running after pacemaker's shutdown: $(ls "$T/rsc")"
for r in "${RSCS[@]}"; do wait_gone "${PID[$r]}" || fail "$r (${PID[$r]}) survived the cluster's stop"; done
say "done ($(el))"
finish
