# Builds keystone (uwsgi, sqlite) and glance-api (sqlite, no auth
# middleware) from Debian's packages in $T, following
# shared/reference/cluster-testing.md §5: own uwsgi ini (Debian's uses
# apparmor), WAL journal, processes=threads=1, Connection: close,
# internal endpoint. Sourced after lib.sh. Sets KS_* and GL_* variables.
KS_PASSWORD=s3cret-$$
setup_keystone() {
  KS_DIR=$T/ks; KS_PORT=$(free_port)
  mkdir -p "$KS_DIR/log" "$KS_DIR/fernet-keys" "$KS_DIR/credential-keys"
  cat >"$KS_DIR/keystone.conf" <<EOC
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
  cat >"$KS_DIR/keystone-uwsgi.ini" <<EOC
[uwsgi]
plugins = python3
http-socket = 127.0.0.1:$KS_PORT
wsgi-file = /usr/bin/keystone-wsgi-public
processes = 1
threads = 1
master = true
lazy-apps = true
die-on-term = true
no-orphans = true
enable-threads = true
chdir = $KS_DIR
buffer-size = 65535
logto = $KS_DIR/log/uwsgi.log
add-header = Connection: close
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
  KS_OPTS=(binary=uwsgi config="$KS_DIR/keystone.conf" uwsgi_ini="$KS_DIR/keystone-uwsgi.ini"
           url="http://127.0.0.1:$KS_PORT/v3" pid="$T/rsc/ks.pid"
           os_username=admin os_password="$KS_PASSWORD" os_tenant_name=admin)
}

setup_glance() {
  GL_DIR=$T/gl; GL_PORT=$(free_port)
  mkdir -p "$GL_DIR/log" "$GL_DIR/images" "$GL_DIR/staging" "$GL_DIR/lock"
  cat >"$GL_DIR/glance-api.conf" <<EOC
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
