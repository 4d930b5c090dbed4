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

# Debian 12's placement-api under uwsgi with the package's own ini and
# placement.conf (test overrides appended): sqlite, and noauth2 (tokens
# "user:project", "admin" is admin) so that no keystone is needed. Setting
# PLACEMENT_PORT before setup_nova points nova at it; start_placement runs
# in the test's own shell (it records the pid).
PLACEMENT_DIR=$T/placement
setup_placement() {
  local d=$PLACEMENT_DIR
  mkdir -p "$d/log"
  cp /etc/placement/placement.conf "$d/placement.conf"
  cat >>"$d/placement.conf" <<EOC

# ---- test overrides (hapkg tests/agents/control-plane-env.sh)
[DEFAULT]
log_dir = $d/log
[api]
auth_strategy = noauth2
[placement_database]
connection = sqlite:///$d/placement.db
EOC
  chown -R placement:placement "$d"
  su -s /bin/sh placement -c "placement-manage --config-file $d/placement.conf db sync" >"$d/setup.log" 2>&1
}
start_placement() {  # bounded: 60 s until the version document answers
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin OS_PLACEMENT_CONFIG_DIR="$PLACEMENT_DIR" setsid uwsgi \
    --http-socket "127.0.0.1:$PLACEMENT_PORT" --ini /etc/placement/placement-api-uwsgi.ini \
    --processes 1 --threads 1 --logto "$PLACEMENT_DIR/log/uwsgi.log" >/dev/null 2>&1 &
  PLACEMENT_PID=$!
  disown "$PLACEMENT_PID"  # no "Killed" job notice when the cleanup kills it
  PIDS+=("$PLACEMENT_PID")
  cleanup_hooks+=("kill -KILL -- -$PLACEMENT_PID 2>/dev/null")
  local i
  for i in $(seq 1 300); do
    curl -fs -o /dev/null "http://127.0.0.1:$PLACEMENT_PORT/" && return 0
    alive "$PLACEMENT_PID" || return 1
    sleep 0.2
  done
  return 1
}

# nova-conductor and nova-api need DB and broker only. nova-scheduler needs
# Placement: with PLACEMENT_PORT set, the real one above (admin_token: a
# fixed noauth2 token); otherwise nova gets an auth plugin for an endpoint
# nobody serves (enough for the other services to start).
# NOVA_HEARTBEAT: [oslo_messaging_rabbit] heartbeat_timeout_threshold
# (oslo's default 60); the broker drops a hung (SIGSTOPped) worker's
# connection only after its heartbeats stop.
placement_section() {
  if [ -n "${PLACEMENT_PORT:-}" ]; then
    printf 'auth_type = admin_token\nendpoint = http://127.0.0.1:%s/\ntoken = admin:admin\n' "$PLACEMENT_PORT"
  else
    printf 'auth_type = none\nendpoint_override = http://127.0.0.1:9/\n'
  fi
}
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
$(placement_section)
[scheduler]
workers = 1
[oslo_messaging_rabbit]
heartbeat_timeout_threshold = ${NOVA_HEARTBEAT:-60}
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
