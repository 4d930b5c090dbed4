# Debian 12's rabbitmq-server, cinder and heat for the control-plane agent
# tests (shared/reference/openstack-services.md): a loopback-only broker
# with its own node name, ports and epmd; sqlite databases; the packages'
# own uwsgi inis, unmodified. Sourced after lib.sh. Sets RMQ_*; the
# setup_* functions may run in the background, so the paths are set here.
rmq() {  # rmq COMMAND...: runs COMMAND in the broker's environment
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/var/lib/rabbitmq \
    RABBITMQ_NODENAME="hapkg$$@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$RMQ_PORT" \
    ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT="$RMQ_EPMD" RABBITMQ_DIST_PORT="$RMQ_DIST" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia" RABBITMQ_LOG_BASE="$RMQ_DIR/log" RABBITMQ_PID_FILE="$RMQ_DIR/pid" \
    RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq" RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins" \
    RABBITMQ_CONF_ENV_FILE="$RMQ_DIR/env" "$@"
}

# Waits (bounded) until the broker accepts AMQP connections.
rmq_wait() {
  local i
  for i in $(seq 1 60); do
    rmq rabbitmqctl --timeout 10 await_startup >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}

setup_rabbitmq() {
  RMQ_DIR=$T/rmq; RMQ_PORT=$(free_port); RMQ_EPMD=$(free_port); RMQ_DIST=$(free_port)
  mkdir -p "$RMQ_DIR"; : >"$RMQ_DIR/env"; chown -R rabbitmq:rabbitmq "$RMQ_DIR"
  rmq setsid rabbitmq-server >"$RMQ_DIR/server.out" 2>&1 &
  RMQ_PID=$!
  PIDS+=("$RMQ_PID")
  cleanup_hooks+=("rmq rabbitmqctl shutdown >/dev/null 2>&1; kill -KILL -- -$RMQ_PID 2>/dev/null; rmq epmd -kill >/dev/null 2>&1")
  rmq_wait
}

NOVA_CONF=$T/nova/nova.conf
CINDER_CONF=$T/cinder/cinder.conf
HEAT_CONF=$T/heat/heat.conf
TRANSPORT() { echo "rabbit://guest:guest@127.0.0.1:$RMQ_PORT/"; }

setup_cinder() {
  local d=$T/cinder
  mkdir -p "$d/log" "$d/lock" "$d/state" "$d/backup"
  cat >"$CINDER_CONF" <<EOC
[DEFAULT]
transport_url = $(TRANSPORT)
auth_strategy = noauth
enabled_backends = fake
log_dir = $d/log
state_path = $d/state
osapi_volume_workers = 1
backup_driver = cinder.backup.drivers.posix.PosixBackupDriver
backup_posix_path = $d/backup
[database]
connection = sqlite:///$d/cinder.db
[oslo_concurrency]
lock_path = $d/lock
[fake]
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake
EOC
  chown -R cinder:cinder "$d"
  su -s /bin/sh cinder -c "cinder-manage --config-file $CINDER_CONF db sync" >"$d/setup.log" 2>&1
}

setup_heat() {
  local d=$T/heat
  mkdir -p "$d/log" "$d/lock"
  cat >"$HEAT_CONF" <<EOC
[DEFAULT]
transport_url = $(TRANSPORT)
log_dir = $d/log
num_engine_workers = 1
[database]
connection = sqlite:///$d/heat.db
[oslo_concurrency]
lock_path = $d/lock
[heat_api]
workers = 1
[heat_api_cfn]
workers = 1
EOC
  chown -R heat:heat "$d"
  su -s /bin/sh heat -c "heat-manage --config-file $HEAT_CONF db_sync" >"$d/setup.log" 2>&1
}

# nova-conductor and nova-api need DB and broker only; nothing here talks
# to Placement, but nova refuses to start without an auth plugin for it:
# "none" with an endpoint nobody serves (no Placement is run).
setup_nova() {
  local d=$T/nova nm
  mkdir -p "$d/log" "$d/lock" "$d/state"

  cat >"$NOVA_CONF" <<EOC
[DEFAULT]
transport_url = $(TRANSPORT)
log_dir = $d/log
state_path = $d/state
osapi_compute_workers = 1
[api]
auth_strategy = noauth2
[api_database]
connection = sqlite:///$d/nova_api.db
[database]
connection = sqlite:///$d/nova.db
[conductor]
workers = 1
[oslo_concurrency]
lock_path = $d/lock
[placement]
auth_type = none
endpoint_override = http://127.0.0.1:9/
[vnc]
novncproxy_host = 127.0.0.1
novncproxy_port = $NOVNC_PORT
EOC
  chown -R nova:nova "$d"
  nm="nova-manage --config-file $NOVA_CONF"
  su -s /bin/sh nova -c "$nm api_db sync && $nm cell_v2 map_cell0 --database_connection sqlite:///$d/nova_cell0.db \
    && $nm cell_v2 create_cell --name cell1 && $nm db sync" >"$d/setup.log" 2>&1
}

# neutron-server (API + RPC workers, ml2 without mechanism drivers). Its
# migrations do not run on sqlite, so the schema comes from the models and
# is stamped, as neutron's own unit tests do.
NEUTRON_CONF=$T/neutron/neutron.conf
ML2_CONF=$T/neutron/ml2_conf.ini
setup_neutron() {
  local d=$T/neutron
  mkdir -p "$d/log" "$d/lock" "$d/state"
  cat >"$NEUTRON_CONF" <<EOC
[DEFAULT]
transport_url = $(TRANSPORT)
core_plugin = ml2
service_plugins =
auth_strategy = noauth
bind_host = 127.0.0.1
bind_port = $NEUTRON_PORT
api_workers = 1
rpc_workers = 1
rpc_state_report_workers = 1
log_dir = $d/log
state_path = $d/state
[database]
connection = sqlite:///$d/neutron.db
[oslo_concurrency]
lock_path = $d/lock
EOC
  printf '[ml2]\ntype_drivers = flat,vlan\ntenant_network_types =\nmechanism_drivers =\n' >"$ML2_CONF"
  /usr/bin/python3 -c "from neutron.db.migration.models import head; import sqlalchemy as sa
head.get_metadata().create_all(sa.create_engine('sqlite:///$d/neutron.db'))" >"$d/setup.log" 2>&1 &&
    neutron-db-manage --config-file "$NEUTRON_CONF" --config-file "$ML2_CONF" stamp heads >>"$d/setup.log" 2>&1 &&
    chown -R neutron:neutron "$d"
}
