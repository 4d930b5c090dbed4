#!/bin/bash
# The neutron agents and manila-api against Debian 12's real services
# (issue 14): one loopback rabbitmq, keystone (the deep monitor's tokens)
# and neutron-server behind it, the agents run with copies of the
# packages' own ini files (test overrides appended, oslo.config takes the
# last value):
# - ocf-tester on neutron-agent-dhcp, neutron-agent-l3,
#   neutron-metadata-agent and neutron-linuxbridge-agent (each holds its
#   broker connection; the linuxbridge agent's privileged helper runs
#   through Debian's sudoers and rootwrap, as on a real node);
# - the DHCP agent's deep monitor (OCF_CHECK_LEVEL=10: a keystone token,
#   GET /v2.0/agents): 0 while neutron lists it alive; SIGSTOPped, its
#   broker connection is still there (depth 0 passes) but neutron reports
#   it dead after agent_down_time -> 1 naming the agent; SIGCONT -> 0;
# - ocf-tester on manila-api (uwsgi with Debian's ini; its version document
#   needs no database, and manila's migrations do not run on sqlite).
# - ocf-tester on ceilometer-agent-central, polling glance's image list
#   (glance-api in keystone's catalog, one image): it holds a broker
#   connection once it has published its first sample.
# Not here: neutron-openvswitch-agent needs the openvswitch kernel module
# (this VM's kernel has none; the linuxbridge agent stands for the L2
# agents, as the issue allows).
# It takes the services lock (tests/agents/lib.sh), as every agent test.
# usage: neutron-agents.sh AGENT_DIR
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/openstack-env.sh"
. "$(dirname "$0")/control-plane-env.sh"
stage_agents "$1"
# ocf-tester and the agents are run from the staged copy: no pacemaker here.
OCF_TESTER_DIR=$AGENTS
mkdir -p "$T/rsc"

say "rabbitmq, keystone and the neutron schema"
setup_rabbitmq || { tail -20 "$RMQ_DIR/server.out"; fail "rabbitmq did not start"; finish; }
NEUTRON_PORT=$(free_port)
setup_neutron & Q=$!
setup_keystone || { cat "$T/ks/setup.log"; fail "keystone setup"; finish; }
wait $Q || { cat "$T/neutron/setup.log"; fail "neutron schema"; finish; }
KSE=(); for o in "${KS_OPTS[@]}"; do KSE+=("OCF_RESKEY_$o"); done
expect 0 "keystone start" "$(agent_rc "$AGENTS/keystone" start "${KSE[@]}")"
KS_PID=$(head -1 "$T/rsc/ks.pid" 2>/dev/null); [ -n "$KS_PID" ] && PIDS+=("$KS_PID")
cleanup_hooks+=("agent_rc \"$AGENTS/keystone\" stop ${KSE[*]@Q} >/dev/null")

# neutron-server with the router plugin (the l3 agent asks it for its
# routers) behind keystone; agents report every 2 s and count as dead after
# 6 s (defaults 30 and 75) to keep the deep-monitor case short; the agents
# get Debian's root_helper (neutron.conf's [agent], which this test's
# neutron.conf does not copy).
d=$T/neutron
cat >>"$NEUTRON_CONF" <<EOC

# ---- test overrides (tests/agents/neutron-agents.sh)
[DEFAULT]
service_plugins = router
auth_strategy = keystone
agent_down_time = 6
[agent]
report_interval = 2
root_helper = sudo neutron-rootwrap /etc/neutron/rootwrap.conf
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
for f in dhcp_agent.ini l3_agent.ini metadata_agent.ini plugins/ml2/linuxbridge_agent.ini; do
  cp "/etc/neutron/$f" "$d/"
done
# No tunnels: vxlan needs a local_ip on a real interface.
printf '\n# ---- test overrides\n[vxlan]\nenable_vxlan = false\n' >>"$d/linuxbridge_agent.ini"
chown -R neutron:neutron "$d"
chmod 640 "$NEUTRON_CONF"
NS=(config="$NEUTRON_CONF" plugin_config="$ML2_CONF" url="http://127.0.0.1:$NEUTRON_PORT/" pid="$T/rsc/ns.pid"
    log_file="$d/log/server.out")
NSE=(); for o in "${NS[@]}"; do NSE+=("OCF_RESKEY_$o"); done
expect 0 "neutron-server start" "$(agent_rc "$AGENTS/neutron-server" start "${NSE[@]}")"
NS_PID=$(head -1 "$T/rsc/ns.pid" 2>/dev/null); [ -n "$NS_PID" ] && PIDS+=("$NS_PID")
cleanup_hooks+=("agent_rc \"$AGENTS/neutron-server\" stop ${NSE[*]@Q} >/dev/null")
say "set up ($(el))"

TESTER_ON_FAIL='tail -n 30 "$d"/log/*.log'
ocf_tester neutron-agent-dhcp config="$NEUTRON_CONF" plugin_config="$d/dhcp_agent.ini" log_file="$d/log/dhcp.out"
ocf_tester neutron-agent-l3 config="$NEUTRON_CONF" plugin_config="$d/l3_agent.ini" log_file="$d/log/l3.out"
ocf_tester neutron-metadata-agent config="$NEUTRON_CONF" agent_config="$d/metadata_agent.ini" \
  log_file="$d/log/metadata.out"
# ocf-tester gives every action 20 s; a cluster gives start the advertised
# 60 s, which the linuxbridge agent needs on a loaded machine (two privsep
# helpers through sudo and rootwrap before it connects to the broker).
ocf_tester neutron-linuxbridge-agent config="$NEUTRON_CONF" plugin_config="$d/linuxbridge_agent.ini" \
  log_file="$d/log/linuxbridge.out" CRM_meta_timeout=60000

unset TESTER_ON_FAIL
say "the DHCP agent's deep monitor (OCF_CHECK_LEVEL=10: neutron's agent list) ($(el))"
DH=(config="$NEUTRON_CONF" plugin_config="$d/dhcp_agent.ini" pid="$T/rsc/dhcp.pid" log_file="$d/log/dhcp2.out"
    url="http://127.0.0.1:$NEUTRON_PORT/v2.0" os_auth_url="http://127.0.0.1:$KS_PORT/v3" os_username=admin
    os_password="$KS_PASSWORD" os_tenant_name=admin)
DHE=(); for o in "${DH[@]}"; do DHE+=("OCF_RESKEY_$o"); done
DHCP=$AGENTS/neutron-agent-dhcp
deep() {  # deep LEVEL: the monitor's rc
  agent_rc timeout -s KILL 40 "$DHCP" monitor "${DHE[@]}" OCF_CHECK_LEVEL="$1" OCF_RESKEY_CRM_meta_interval=60000 \
    OCF_RESKEY_CRM_meta_timeout=30000
}
expect 0 "start" "$(agent_rc "$DHCP" start "${DHE[@]}")"
DPID=$(head -1 "$T/rsc/dhcp.pid" 2>/dev/null); [ -n "$DPID" ] && PIDS+=("$DPID")
rc=1; for i in $(seq 1 30); do rc=$(deep 10); [ "$rc" = 0 ] && break; sleep 1; done
expect 0 "monitor depth 10, neutron lists the agent alive (after ${i}s)" "$rc"
# The agent starts the daemon in its own session: stop its whole group.
kill -STOP -- "-$DPID"
rc=0; for i in $(seq 1 30); do rc=$(deep 10); [ "$rc" != 0 ] && break; sleep 1; done
expect 1 "monitor depth 10, agent hung: neutron reports it dead (after ${i}s)" "$rc"
grep -q "reports neutron-dhcp-agent on .* as down" "$T/last.err" || fail "exit reason: $(cat "$T/last.err")"
expect 0 "monitor depth 0, agent hung: its broker connection is still open" "$(deep 0)"
kill -CONT -- "-$DPID"
rc=1; for i in $(seq 1 30); do rc=$(deep 10); [ "$rc" = 0 ] && break; sleep 1; done
expect 0 "monitor depth 10, agent running again (after ${i}s)" "$rc"
expect 0 "stop" "$(agent_rc "$DHCP" stop "${DHE[@]}")"
wait_gone "$DPID" || fail "the DHCP agent survived stop"

say "manila-api ($(el))"
M=$T/manila
mkdir -p "$M/log" "$M/lock"
cp /etc/manila/manila.conf "$M/manila.conf"
cat >>"$M/manila.conf" <<EOC

# ---- test overrides (tests/agents/neutron-agents.sh)
[DEFAULT]
auth_strategy = noauth
log_dir = $M/log
[database]
connection = sqlite:///$M/manila.db
[oslo_concurrency]
lock_path = $M/lock
EOC
chown -R manila:manila "$M"
ocf_tester manila-api config="$M/manila.conf" url="http://127.0.0.1:$(free_port)/" \
  "additional_parameters=--processes 1 --threads 1"
say "ceilometer-agent-central: glance in keystone's catalog, one image to poll ($(el))"
# The central agent opens its broker connection when it publishes its first
# sample: give it something real to poll, glance's image list (found
# through keystone's catalog, as on a real cloud), every 5 s.
setup_glance || { cat "$GL_DIR/setup.log"; fail "glance setup"; }
GLE=(); for o in "${GL_OPTS[@]}"; do GLE+=("OCF_RESKEY_$o"); done
expect 0 "glance-api start" "$(agent_rc "$AGENTS/glance-api" start "${GLE[@]}")"
GL_PID=$(head -1 "$T/rsc/gl.pid" 2>/dev/null); [ -n "$GL_PID" ] && PIDS+=("$GL_PID")
cleanup_hooks+=("agent_rc \"$AGENTS/glance-api\" stop ${GLE[*]@Q} >/dev/null")
# keystone's admin password reaches python through the environment.
env KS_PASSWORD="$KS_PASSWORD" python3 - "$KS_PORT" "$GL_PORT" >"$T/catalog.out" 2>&1 <<'EOP' || fail "catalog and image: $(cat "$T/catalog.out")"
import json, os, sys, urllib.request
ks, gl = (f"http://127.0.0.1:{p}" for p in sys.argv[1:3])
def call(method, url, body=None, headers={}, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    h = {"Content-Type": "application/json", **headers}
    if raw is not None: h["Content-Type"] = "application/octet-stream"
    r = urllib.request.urlopen(urllib.request.Request(url, data=data, headers=h, method=method), timeout=30)
    return r.headers, (r.read() or b"null")
auth = {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
        "domain": {"id": "default"}, "password": os.environ["KS_PASSWORD"]}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
hdr, _ = call("POST", ks + "/v3/auth/tokens", auth)
tok = {"X-Auth-Token": hdr["X-Subject-Token"]}
svc = json.loads(call("POST", ks + "/v3/services", {"service": {"type": "image", "name": "glance"}}, tok)[1])
call("POST", ks + "/v3/endpoints", {"endpoint": {"service_id": svc["service"]["id"], "interface": "public",
     "url": gl, "region_id": "RegionOne"}}, tok)
img = json.loads(call("POST", gl + "/v2/images", {"name": "cirros-stand-in", "disk_format": "raw",
                      "container_format": "bare"})[1])
call("PUT", gl + f"/v2/images/{img['id']}/file", raw=b"\0" * 512)
print("image", img["id"])
EOP
CE=$T/ceilometer
mkdir -p "$CE/log" "$CE/lock"
printf -- '---\nsources:\n    - name: images\n      interval: 5\n      meters:\n        - image.size\n' >"$CE/polling.yaml"
cp /etc/ceilometer/ceilometer.conf "$CE/ceilometer.conf"
cat >>"$CE/ceilometer.conf" <<EOC

# ---- test overrides (tests/agents/neutron-agents.sh)
[DEFAULT]
transport_url = $(TRANSPORT)
log_dir = $CE/log
[polling]
cfg_file = $CE/polling.yaml
[service_credentials]
auth_type = password
auth_url = http://127.0.0.1:$KS_PORT/v3
username = admin
password = $KS_PASSWORD
project_name = admin
user_domain_name = Default
project_domain_name = Default
region_name = RegionOne
interface = public
[oslo_concurrency]
lock_path = $CE/lock
EOC
chown -R ceilometer:ceilometer "$CE"
chmod 640 "$CE/ceilometer.conf"
TESTER_ON_FAIL='tail -n 30 "$CE"/log/*.log'
# start: the first poll and publish take longer than ocf-tester's 20 s on
# a loaded machine (as the cluster's 60 s start timeout allows).
ocf_tester ceilometer-agent-central config="$CE/ceilometer.conf" log_file="$CE/log/central.out" \
  CRM_meta_timeout=60000
unset TESTER_ON_FAIL
say "done ($(el))"
finish
