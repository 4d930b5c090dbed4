#!/bin/bash
# Fault cases of the ocf:openstack agents with exact OCF codes, run against
# the glance-registry agent and a STAND-IN registry (tests/agents/
# stand-in-registry, a small python http.server): Debian no longer packages
# glance-registry. The process management and checks are the same code for
# every agent. A sentinel process and a foreign listener must survive.
# usage: fault-cases.sh AGENT_DIR
. "$(dirname "$0")/lib.sh"
stage_agents "$1"
AG=$AGENTS/glance-registry
PORT=$(free_port)
mkdir -p "$T/rsc"
conf() { printf '[DEFAULT]\nbind_port = %s\nmode = %s\npassword = %s\n' "$PORT" "$1" "${2:-}" >"$T/reg.conf"; }
conf serve
COMMON=(OCF_RESKEY_binary="$STANDIN" OCF_RESKEY_config="$T/reg.conf" OCF_RESKEY_user=nobody
        OCF_RESKEY_url="http://127.0.0.1:$PORT/images" OCF_RESKEY_pid="$T/rsc/reg.pid")
MON=(OCF_RESKEY_CRM_meta_interval=20000)
PROBE=(OCF_RESKEY_CRM_meta_interval=0)

sleep 600 & SENTINEL=$!; PIDS+=("$SENTINEL")

say "missing binary"
expect 7 "probe, binary missing" "$(agent_rc "$AG" monitor "${COMMON[@]}" "${PROBE[@]}" OCF_RESKEY_binary=/nonexistent/glance-registry)"
expect 5 "start, binary missing" "$(agent_rc "$AG" start "${COMMON[@]}" OCF_RESKEY_binary=/nonexistent/glance-registry)"
grep -q "ocf-exit-reason:Setup problem: couldn't find command" "$T/last.err" || fail "exit reason for missing binary"
expect 0 "stop, binary missing" "$(agent_rc "$AG" stop "${COMMON[@]}" OCF_RESKEY_binary=/nonexistent/glance-registry)"

say "missing config"
expect 7 "probe, config missing" "$(agent_rc "$AG" monitor "${COMMON[@]}" "${PROBE[@]}" OCF_RESKEY_config=/nonexistent.conf)"
expect 5 "monitor, config missing" "$(agent_rc "$AG" monitor "${COMMON[@]}" "${MON[@]}" OCF_RESKEY_config=/nonexistent.conf)"
expect 0 "stop, config missing" "$(agent_rc "$AG" stop "${COMMON[@]}" OCF_RESKEY_config=/nonexistent.conf)"

say "unknown user"
expect 5 "start, unknown user" "$(agent_rc "$AG" start "${COMMON[@]}" OCF_RESKEY_user=no-such-user-hapkg)"
expect 0 "stop, unknown user" "$(agent_rc "$AG" stop "${COMMON[@]}" OCF_RESKEY_user=no-such-user-hapkg)"

say "invalid parameters"
expect 6 "validate-all, port 70000" "$(agent_rc "$AG" validate-all "${COMMON[@]}" OCF_RESKEY_url=http://127.0.0.1:70000/images)"
expect 0 "validate-all, port 5-digit" "$(agent_rc "$AG" validate-all "${COMMON[@]}")"
expect 6 "validate-all, shell syntax in additional_parameters" "$(agent_rc "$AG" validate-all "${COMMON[@]}" "OCF_RESKEY_additional_parameters=; touch $T/pwned")"
[ ! -e "$T/pwned" ] || fail "additional_parameters reached a shell"

say "unknown action"
expect 3 "unknown action" "$(agent_rc "$AG" frobnicate "${COMMON[@]}")"
expect 0 "usage" "$(agent_rc "$AG" usage)"

say "port already taken"
conf serve
env -i PATH=/usr/bin:/bin "$STANDIN" --config-file "$T/reg.conf" & OTHER=$!; PIDS+=("$OTHER")
for i in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/images" && break; sleep 0.1; done
expect 1 "start, port taken" "$(agent_rc "$AG" start "${COMMON[@]}")"
grep -q "already in use" "$T/last.err" || fail "exit reason for a taken port"
expect 7 "monitor, another process serves the port" "$(agent_rc "$AG" monitor "${COMMON[@]}" "${MON[@]}")"
alive "$OTHER" || fail "the foreign listener was killed"
kill "$OTHER"; wait "$OTHER" 2>/dev/null

say "stale pid file"
sleep 0 & DEAD=$!; wait $DEAD
echo "$DEAD" >"$T/rsc/reg.pid"
expect 7 "monitor, stale pid file" "$(agent_rc "$AG" monitor "${COMMON[@]}" "${MON[@]}")"
expect 0 "stop, stale pid file" "$(agent_rc "$AG" stop "${COMMON[@]}")"
[ ! -e "$T/rsc/reg.pid" ] || fail "stale pid file not removed"

say "pid file naming an unrelated live process"
sleep 600 & UNREL=$!; PIDS+=("$UNREL")
echo "$UNREL" >"$T/rsc/reg.pid"
expect 7 "monitor, unrelated pid" "$(agent_rc "$AG" monitor "${COMMON[@]}" "${MON[@]}")"
expect 0 "stop, unrelated pid" "$(agent_rc "$AG" stop "${COMMON[@]}")"
alive "$UNREL" || fail "stop killed an unrelated process"
echo "$UNREL" >"$T/rsc/reg.pid"
expect 0 "start over an unrelated pid" "$(agent_rc "$AG" start "${COMMON[@]}")"
NEW=$(head -1 "$T/rsc/reg.pid")
[ "$NEW" != "$UNREL" ] || fail "start trusted the unrelated pid"
expect 0 "monitor after start" "$(agent_rc "$AG" monitor "${COMMON[@]}" "${MON[@]}")"
[ "$(stat -c %U "/proc/$NEW")" = nobody ] || fail "daemon does not run as the configured user"
[ "$(awk '{print $6}' "/proc/$NEW/stat")" = "$NEW" ] || fail "daemon is not a session leader"
expect 0 "start when started" "$(agent_rc "$AG" start "${COMMON[@]}")"
[ "$(head -1 "$T/rsc/reg.pid")" = "$NEW" ] || fail "second start started another daemon"
echo "$NEW" >"$T/rsc/legacy.pid"   # a shell agent's pid file for our (interpreted) daemon
expect 0 "monitor, one-line pid file of the real daemon" "$(agent_rc "$AG" monitor "${COMMON[@]}" "${MON[@]}" OCF_RESKEY_pid="$T/rsc/legacy.pid")"
(exec -a "$STANDIN" sleep 600) & NAMED=$!; PIDS+=("$NAMED")
echo "$NAMED" >"$T/rsc/legacy.pid"   # named like the daemon, is not it
expect 7 "monitor, one-line pid file of a process named like the daemon" "$(agent_rc "$AG" monitor "${COMMON[@]}" "${MON[@]}" OCF_RESKEY_pid="$T/rsc/legacy.pid")"
expect 0 "stop, the same" "$(agent_rc "$AG" stop "${COMMON[@]}" OCF_RESKEY_pid="$T/rsc/legacy.pid")"
alive "$NAMED" || fail "stop signalled a process only named like the daemon"
alive "$NEW" || fail "stop through a foreign pid file hit the daemon"

say "hung service (SIGSTOP)"
kill -STOP "$NEW"
# The agent bounds its HTTP check by the op timeout: rc 1 with a reason,
# not a hang (the outer `timeout` is only a guard against a hung test).
expect 1 "monitor, hung service" "$(agent_rc timeout -s KILL 60 "$AG" monitor "${COMMON[@]}" "${MON[@]}" OCF_RESKEY_CRM_meta_timeout=3000)"
grep -q "running but unhealthy: GET .* failed" "$T/last.err" || fail "exit reason for a hung service"
expect 0 "stop, hung service" "$(agent_rc "$AG" stop "${COMMON[@]}" OCF_RESKEY_CRM_meta_timeout=8000)"
wait_gone "$NEW" || fail "hung daemon survived stop"

say "SIGKILLed service"
expect 0 "start" "$(agent_rc "$AG" start "${COMMON[@]}")"
NEW=$(head -1 "$T/rsc/reg.pid"); kill -KILL "$NEW"; wait_gone "$NEW"
expect 7 "monitor, killed service" "$(agent_rc "$AG" monitor "${COMMON[@]}" "${MON[@]}")"
expect 0 "stop, killed service" "$(agent_rc "$AG" stop "${COMMON[@]}")"

say "daemon that exits at once"
conf exit
# Detected as an exit (not as a start timeout): the reason says so.
expect 1 "start, daemon exits" "$(agent_rc "$AG" start "${COMMON[@]}")"
grep -q "exited with status 3 during start" "$T/last.err" || fail "exit reason for a daemon that exits"
expect 0 "stop after failed start" "$(agent_rc "$AG" stop "${COMMON[@]}")"

say "daemon that never becomes healthy"
conf unhealthy
expect 1 "start, never healthy" "$(agent_rc "$AG" start "${COMMON[@]}" OCF_RESKEY_CRM_meta_timeout=4000)"
grep -q "did not become healthy" "$T/last.err" || fail "exit reason for an unhealthy daemon"
NEW=$(head -1 "$T/rsc/reg.pid")
expect 1 "monitor, alive but unhealthy" "$(agent_rc "$AG" monitor "${COMMON[@]}" "${MON[@]}")"
expect 0 "stop, unhealthy" "$(agent_rc "$AG" stop "${COMMON[@]}")"
wait_gone "$NEW" || fail "unhealthy daemon survived stop"

say "credentials (the stand-in also plays Keystone v3 on /v3/auth/tokens)"
conf serve right-pw
AUTH=(OCF_RESKEY_os_username=monitor OCF_RESKEY_keystone_get_token_url="http://127.0.0.1:$PORT/v2.0/tokens")
expect 0 "start, right credentials" "$(agent_rc "$AG" start "${COMMON[@]}" "${AUTH[@]}" OCF_RESKEY_os_password=right-pw)"
NEW=$(head -1 "$T/rsc/reg.pid")
if tr '\0' ' ' <"/proc/$NEW/cmdline" | grep -q right-pw; then fail "password in the daemon's argv"; fi
expect 0 "monitor, cached token" "$(agent_rc "$AG" monitor "${COMMON[@]}" "${AUTH[@]}" OCF_RESKEY_os_password=right-pw "${MON[@]}")"
if grep -rq right-pw "$T/rsc"; then fail "password written to a file"; fi
rm -f "$T/rsc/t1.token"
expect 1 "monitor, wrong credentials" "$(agent_rc "$AG" monitor "${COMMON[@]}" "${AUTH[@]}" OCF_RESKEY_os_password=wrong "${MON[@]}")"
grep -q "authentication of user monitor .* failed with HTTP 401" "$T/last.err" || fail "exit reason for wrong credentials"
if grep -q wrong "$T/last.err"; then fail "password in the log"; fi
expect 0 "stop" "$(agent_rc "$AG" stop "${COMMON[@]}")"
wait_gone "$NEW" || fail "daemon survived stop"

alive "$SENTINEL" || fail "the sentinel process was killed"
finish
