#!/bin/bash
# The control-plane agents against Debian 12's real services, sharing one
# loopback rabbitmq: ocf-tester on nova-conductor, nova-api,
# nova-novncproxy, neutron-server and every cinder and heat agent (uwsgi APIs
# with the packages' own inis, workers on the broker), crm_resource
# --force-* through pacemaker's executor, and the AMQP check: broker
# stopped -> monitor 1, a listener on the broker port that is not ours
# does not count, broker back -> 0 after the worker reconnects.
# It takes the services lock (tests/agents/lib.sh), as every agent test.
# usage: control-plane.sh AGENT_DIR
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/control-plane-env.sh"
stage_agents "$1"
install_agents
mkdir -p "$T/rsc"

say "rabbitmq, nova, neutron, cinder and heat databases"
setup_rabbitmq || { tail -20 "$RMQ_DIR/server.out"; fail "rabbitmq did not start"; finish; }
setup_cinder & C=$!
setup_heat & H=$!
NOVNC_PORT=$(free_port); export NOVNC_PORT
setup_nova & N=$!
NEUTRON_PORT=$(free_port)
setup_neutron & Q=$!
wait $Q || { cat "$T/neutron/setup.log"; fail "neutron schema"; }
wait $N || { cat "$T/nova/setup.log"; fail "nova db sync"; }
wait $C || { cat "$T/cinder/setup.log"; fail "cinder db sync"; }
wait $H || { cat "$T/heat/setup.log"; fail "heat db sync"; }
say "set up ($(el))"

# uwsgi APIs: Debian's inis ask for 8 processes x 32 threads; one of each
# is enough here (options after --ini override it, the file stays as shipped).
ONE="additional_parameters=--processes 1 --threads 1"
ocf_tester nova-conductor config="$NOVA_CONF" log_file="$T/nova/log/conductor.out"
ocf_tester nova-api config="$NOVA_CONF" url="http://127.0.0.1:$(free_port)/v2.1/" "$ONE" log_file="$T/nova/log/api.out"
ocf_tester nova-novncproxy config="$NOVA_CONF" console_port="$NOVNC_PORT" log_file="$T/nova/log/novnc.out"
ocf_tester neutron-server config="$NEUTRON_CONF" plugin_config="$ML2_CONF" url="http://127.0.0.1:$NEUTRON_PORT/" \
  log_file="$T/neutron/log/server.out"
ocf_tester cinder-schedule config="$CINDER_CONF" log_file="$T/cinder/log/schedule.out"
ocf_tester cinder-volume config="$CINDER_CONF" log_file="$T/cinder/log/volume.out"
ocf_tester cinder-backup config="$CINDER_CONF" log_file="$T/cinder/log/backup.out"
ocf_tester cinder-api config="$CINDER_CONF" url="http://127.0.0.1:$(free_port)/" "$ONE" log_file="$T/cinder/log/api.out"
ocf_tester heat-engine config="$HEAT_CONF" log_file="$T/heat/log/engine.out"
ocf_tester heat-api config="$HEAT_CONF" url="http://127.0.0.1:$(free_port)/" "$ONE" log_file="$T/heat/log/api.out"
ocf_tester heat-api-cfn config="$HEAT_CONF" url="http://127.0.0.1:$(free_port)/" "$ONE" log_file="$T/heat/log/cfn.out"

say "crm_resource --force-* (pacemaker's executor, CIB_file)"
export CIB_file="$T/cib.xml"
cibadmin --empty >"$CIB_file"
WORKER=(config="$CINDER_CONF" pid="$T/rsc/sched.pid" log_file="$T/cinder/log/sched2.out")
cib_primitive sched cinder-schedule 20s 60s "${WORKER[@]}" || fail "cibadmin --create"
crm_resource --force-check -r sched >"$T/last.err" 2>&1; expect 7 "force-check, stopped" $?
crm_resource --force-start -r sched >"$T/last.err" 2>&1; expect 0 "force-start cinder-scheduler" $?
SPID=$(head -1 "$T/rsc/sched.pid" 2>/dev/null); [ -n "$SPID" ] && PIDS+=("$SPID")
crm_resource --force-check -r sched >"$T/last.err" 2>&1; expect 0 "force-check, started" $?
unset CIB_file

say "AMQP: the broker goes away and comes back ($(el))"
SE=(); for o in "${WORKER[@]}"; do SE+=("OCF_RESKEY_$o"); done
mon() { agent_rc timeout -s KILL 30 "/usr/lib/ocf/resource.d/openstack/cinder-schedule" monitor "${SE[@]}" OCF_RESKEY_CRM_meta_interval=20000 OCF_RESKEY_CRM_meta_timeout=30000; }
expect 0 "monitor, connected" "$(mon)"
rmq rabbitmqctl stop_app >/dev/null 2>&1 || fail "rabbitmqctl stop_app"
rc=0; for i in $(seq 1 30); do rc=$(mon); [ "$rc" != 0 ] && break; sleep 1; done
expect 1 "monitor, broker stopped (after ${i}s)" "$rc"
grep -q "no ESTABLISHED connection" "$T/last.err" || fail "exit reason: $(cat "$T/last.err")"
# A listener on the broker port and a connection to it, neither ours: the
# worker (stopped, so it cannot reconnect meanwhile) is still unhealthy.
kill -STOP "$SPID"
python3 -c '
import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(4)
c=socket.socket(); c.connect(("127.0.0.1", int(sys.argv[1]))); a,_=s.accept()
print("ready", flush=True); time.sleep(120)' "$RMQ_PORT" >"$T/fake.out" &
FAKE=$!; PIDS+=("$FAKE")
for i in $(seq 1 50); do grep -q ready "$T/fake.out" && break; sleep 0.1; done
grep -q ready "$T/fake.out" || fail "the stand-in listener did not start"
expect 1 "monitor, a listener and a connection on the broker port that are not ours" "$(mon)"
kill -KILL "$FAKE"; wait "$FAKE" 2>/dev/null
kill -CONT "$SPID"
rmq rabbitmqctl start_app >/dev/null 2>&1 || fail "rabbitmqctl start_app"
rc=1; for i in $(seq 1 60); do rc=$(mon); [ "$rc" = 0 ] && break; sleep 1; done
expect 0 "monitor, broker back (after ${i}s)" "$rc"
export CIB_file="$T/cib.xml"
crm_resource --force-stop -r sched >"$T/last.err" 2>&1; expect 0 "force-stop" $?
wait_gone "$SPID" || fail "cinder-scheduler survived force-stop"
crm_resource --force-check -r sched >"$T/last.err" 2>&1; expect 7 "force-check after stop" $?
unset CIB_file
say "done ($(el))"
finish
