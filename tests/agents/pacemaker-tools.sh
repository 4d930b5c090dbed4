#!/bin/bash
# Pacemaker's own tools as the oracle, without a running cluster:
# ocf-tester (resource-agents), crm_resource --list-agents/--show-metadata/
# --validate, and crm_resource --force-start/--force-check/--force-stop with
# CIB_file. The service is the STAND-IN registry (tests/agents/
# stand-in-registry): Debian no longer packages glance-registry.
# usage: pacemaker-tools.sh AGENT_DIR
. "$(dirname "$0")/lib.sh"
stage_agents "$1"
install_agents
PORT=$(free_port)
printf '[DEFAULT]\nbind_port = %s\nmode = serve\n' "$PORT" >"$T/reg.conf"
chmod 644 "$T/reg.conf"
OPTS=(binary="$STANDIN" config="$T/reg.conf" user=nobody url="http://127.0.0.1:$PORT/images" pid="$T/reg.pid")

say "crm_resource --list-agents ocf:openstack"
LIST=$(crm_resource --list-agents ocf:openstack 2>&1)
for a in keystone glance-api glance-registry; do
  echo "$LIST" | grep -qx "$a" || fail "crm_resource does not list $a: $LIST"
done
for a in keystone glance-api glance-registry; do
  crm_resource --show-metadata "ocf:openstack:$a" >"$T/$a.xml" 2>"$T/last.err" || fail "show-metadata $a"
  (cd /usr/share/resource-agents && xmllint --noout --valid - <"$T/$a.xml") || fail "$a meta-data invalid against ra-api-1.dtd"
done

say "ocf-tester on each agent (glance-registry against the stand-in)"
O=(); for o in "${OPTS[@]}"; do O+=(-o "$o"); done
for a in glance-registry; do
  if env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin ocf-tester -n "tester-$a" "${O[@]}" "/usr/lib/ocf/resource.d/openstack/$a" >"$T/tester.out" 2>&1; then
    say "ok   ocf-tester $a: $(tail -1 "$T/tester.out")"
  else
    fail "ocf-tester $a: $(cat "$T/tester.out")"
  fi
done

say "crm_resource --validate"
V=(); for o in "${OPTS[@]}"; do V+=(--option "$o"); done
crm_resource --validate --class ocf --provider openstack --agent glance-registry "${V[@]}" >"$T/last.err" 2>&1
expect 0 "validate, good options" $?
crm_resource --validate --class ocf --provider openstack --agent glance-registry "${V[@]}" --option url=http://127.0.0.1:0/ >"$T/last.err" 2>&1
expect 6 "validate, port 0" $?
grep -q "is not an http(s) URL with a port" "$T/last.err" || fail "crm_resource did not show the exit reason"
crm_resource --validate --class ocf --provider openstack --agent glance-registry "${V[@]}" --option binary=/nonexistent >"$T/last.err" 2>&1
expect 5 "validate, binary missing" $?

say "CIB_file + crm_resource --force-*"
export CIB_file="$T/cib.xml"
cibadmin --empty >"$CIB_file"
cib_primitive reg glance-registry 10s 20s "${OPTS[@]}" || fail "cibadmin --create"
crm_resource --force-check -r reg >"$T/last.err" 2>&1; expect 7 "force-check, stopped" $?
crm_resource --force-start -r reg >"$T/last.err" 2>&1; expect 0 "force-start" $?
PID=$(head -1 "$T/reg.pid" 2>/dev/null); [ -n "$PID" ] && PIDS+=("$PID")
crm_resource --force-check -r reg >"$T/last.err" 2>&1; expect 0 "force-check, started" $?
crm_resource --force-start -r reg >"$T/last.err" 2>&1; expect 0 "force-start when started" $?
crm_resource --force-stop -r reg >"$T/last.err" 2>&1; expect 0 "force-stop" $?
wait_gone "$PID" || fail "daemon survived force-stop"
crm_resource --force-check -r reg >"$T/last.err" 2>&1; expect 7 "force-check after stop" $?
crm_resource --force-stop -r reg >"$T/last.err" 2>&1; expect 0 "force-stop when stopped" $?
finish
