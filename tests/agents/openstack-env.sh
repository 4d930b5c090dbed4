# Builds keystone (uwsgi, sqlite) and glance-api (sqlite, no auth
# middleware) from Debian's packages in $T with the packages' own config
# files: Debian's /etc/keystone/keystone-uwsgi.ini is used unmodified (the
# agent passes --http-socket as Debian's init script does), and keystone.conf
# / glance-api.conf are Debian's files copied verbatim with only what a test
# must change (DB URL, key repositories, ports, paths) appended after them
# (oslo.config: a later value wins). sqlite needs the WAL journal and one
# uwsgi process/thread (shared/reference/cluster-testing.md §5): those are
# agent parameters (additional_parameters), not config edits.
# Sourced after lib.sh. Sets KS_* and GL_* variables.
KS_PASSWORD=s3cret-$$
setup_keystone() {  # [PORT]
  KS_DIR=$T/ks; KS_PORT=${1:-$(free_port)}
  mkdir -p "$KS_DIR/log" "$KS_DIR/fernet-keys" "$KS_DIR/credential-keys"
  cp /etc/keystone/keystone.conf "$KS_DIR/keystone.conf"
  cat >>"$KS_DIR/keystone.conf" <<EOC

# ---- test overrides (hapkg tests/agents/openstack-env.sh)
[DEFAULT]
log_dir = $KS_DIR/log
log_file = keystone.log
[database]
connection = sqlite:///$KS_DIR/keystone.db
[token]
provider = fernet
[fernet_tokens]
key_repository = $KS_DIR/fernet-keys
[fernet_receipts]
key_repository = $KS_DIR/fernet-keys
[credential]
key_repository = $KS_DIR/credential-keys
EOC
  chown -R keystone:keystone "$KS_DIR"
  local url=http://127.0.0.1:$KS_PORT/v3/ km="keystone-manage --config-file $KS_DIR/keystone.conf"
  su -s /bin/sh keystone -c "$km db_sync" >"$KS_DIR/setup.log" 2>&1 || return 1
  sqlite3 "$KS_DIR/keystone.db" 'PRAGMA journal_mode=WAL;' >/dev/null || return 1
  chown keystone:keystone "$KS_DIR"/keystone.db*
  $km fernet_setup --keystone-user keystone --keystone-group keystone >>"$KS_DIR/setup.log" 2>&1 || return 1
  $km credential_setup --keystone-user keystone --keystone-group keystone >>"$KS_DIR/setup.log" 2>&1 || return 1
  # The password reaches keystone-manage through its environment, not argv.
  env OS_BOOTSTRAP_PASSWORD="$KS_PASSWORD" su -s /bin/sh keystone -c "$km bootstrap --bootstrap-public-url $url \
     --bootstrap-internal-url $url --bootstrap-admin-url $url --bootstrap-region-id RegionOne" >>"$KS_DIR/setup.log" 2>&1 || return 1
  chown -R keystone:keystone "$KS_DIR"
  # binary and uwsgi_ini: the agent's defaults (uwsgi, Debian's ini).
  KS_OPTS=(config="$KS_DIR/keystone.conf" "additional_parameters=--processes 1 --threads 1"
           url="http://127.0.0.1:$KS_PORT/v3" pid="$T/rsc/ks.pid"
           os_username=admin os_password="$KS_PASSWORD" os_tenant_name=admin)
}

setup_glance() {
  GL_DIR=$T/gl; GL_PORT=$(free_port)
  mkdir -p "$GL_DIR/log" "$GL_DIR/images" "$GL_DIR/staging" "$GL_DIR/lock"
  cp /etc/glance/glance-api.conf "$GL_DIR/glance-api.conf"
  cat >>"$GL_DIR/glance-api.conf" <<EOC

# ---- test overrides (hapkg tests/agents/openstack-env.sh)
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $GL_PORT
workers = 1
log_dir = $GL_DIR/log
log_file = glance-api.log
node_staging_uri = file://$GL_DIR/staging
[database]
connection = sqlite:///$GL_DIR/glance.db
[paste_deploy]
config_file = /etc/glance/glance-api-paste.ini
[glance_store]
stores = file,http
default_store = file
filesystem_store_datadir = $GL_DIR/images
[oslo_concurrency]
lock_path = $GL_DIR/lock
EOC
  chown -R glance:glance "$GL_DIR"
  su -s /bin/sh glance -c "glance-manage --config-file $GL_DIR/glance-api.conf db_sync" >"$GL_DIR/setup.log" 2>&1 || return 1
  GL_OPTS=(config="$GL_DIR/glance-api.conf" url="http://127.0.0.1:$GL_PORT/versions" pid="$T/rsc/gl.pid"
           log_file="$GL_DIR/log/stdout.log")
}
