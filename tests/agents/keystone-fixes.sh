#!/bin/bash
# What real use of the keystone agent broke (issue 14), against Debian's
# keystone and glance-api packages and their own files:
#  1. the defaults (binary uwsgi, uwsgi_ini /etc/keystone/keystone-uwsgi.ini,
#     url http://127.0.0.1:5000/v3) start keystone as Debian's init script
#     does; the ini is checked to be the package's unmodified conffile;
#     glance-api's defaults start it with the installed glance-api.conf;
#  2. a cached token must not hide a wrong os_password (depth 0 and 10), and a
#     depth-10 monitor must notice that Keystone no longer issues tokens
#     (fernet keys moved away: logins return 500);
#  3. a one-line (shell agent style) pid file naming `exec -a uwsgi sleep`
#     while the real keystone answers on the URL is neither reported running
#     nor signalled; one naming the real keystone is still recognised.
# Needs ports 5000 and 9292 (the defaults) free. usage: keystone-fixes.sh AGENT_DIR
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/openstack-env.sh"
stage_agents "$1"
mkdir -p "$T/rsc"
KS=$AGENTS/keystone
MON=(OCF_RESKEY_CRM_meta_interval=20000 OCF_RESKEY_CRM_meta_timeout=20000)

if ss -Hltn 'sport = :5000' | grep -q .; then fail "port 5000 is in use: $(ss -Hltnp 'sport = :5000')"; finish; fi
INI=/etc/keystone/keystone-uwsgi.ini
WANT=$(dpkg-query -W -f '${Conffiles}\n' keystone | awk -v f="$INI" '$1 == f {print $2}')
[ -n "$WANT" ] || { fail "dpkg does not list $INI as a keystone conffile"; finish; }
[ "$(md5sum <"$INI" | cut -d' ' -f1)" = "$WANT" ] || { fail "$INI differs from the package's"; finish; }
grep -Eq '^(http-)?socket' "$INI" && { fail "$INI binds a socket itself: not Debian's layout"; finish; }

say "setting up keystone (Debian's keystone.conf + test overrides, port 5000)"
setup_keystone 5000 || { cat "$T/ks/setup.log"; fail "keystone setup"; finish; }
# Only what the test must set: its DB/keys (config), its pid file, one uwsgi
# process (sqlite). binary, uwsgi_ini, url and user are the defaults.
BASE=(OCF_RESKEY_config="$KS_DIR/keystone.conf" OCF_RESKEY_pid="$T/rsc/ks.pid"
      "OCF_RESKEY_additional_parameters=--processes 1 --threads 1")
AUTH=(OCF_RESKEY_os_username=admin OCF_RESKEY_os_tenant_name=admin)
GOOD=("${BASE[@]}" "${AUTH[@]}" OCF_RESKEY_os_password="$KS_PASSWORD")
BAD=("${BASE[@]}" "${AUTH[@]}" OCF_RESKEY_os_password=wrong-password)

say "1. Debian's defaults start keystone"
expect 0 "start with the default binary, uwsgi_ini and url" "$(agent_rc "$KS" start "${GOOD[@]}" OCF_RESKEY_CRM_meta_timeout=90000)"
KPID=$(head -1 "$T/rsc/ks.pid" 2>/dev/null); [ -n "$KPID" ] && PIDS+=("$KPID")
CMD=$(tr '\0' ' ' <"/proc/$KPID/cmdline" 2>/dev/null)
case "$CMD" in *"--http-socket :5000 --ini $INI"*) say "ok   runs as Debian's init script: $CMD" ;;
  *) fail "keystone command line is not Debian's: '$CMD' ($(tail -5 /var/log/keystone/keystone.log 2>/dev/null))" ;; esac
[ "$(stat -c %U "/proc/$KPID" 2>/dev/null)" = keystone ] || fail "keystone does not run as user keystone"
curl -fs -o /dev/null http://127.0.0.1:5000/v3 || fail "keystone does not answer on :5000"

say "1b. Debian's defaults start glance-api (the installed /etc/glance/glance-api.conf, read only)"
if ss -Hltn 'sport = :9292' | grep -q .; then fail "port 9292 is in use: $(ss -Hltnp 'sport = :9292')"; else
  mkdir -p "$T/gl-default"; chown glance "$T/gl-default"
  GLD=(OCF_RESKEY_pid="$T/rsc/gl-default.pid" OCF_RESKEY_log_file="$T/gl-default/out.log")
  GL=$AGENTS/glance-api
  expect 0 "glance-api start with the default binary, config, user and url" "$(agent_rc "$GL" start "${GLD[@]}" OCF_RESKEY_CRM_meta_timeout=90000)"
  GPID=$(head -1 "$T/rsc/gl-default.pid" 2>/dev/null); [ -n "$GPID" ] && PIDS+=("$GPID")
  case "$(tr '\0' ' ' <"/proc/$GPID/cmdline" 2>/dev/null)" in *"--config-file /etc/glance/glance-api.conf"*) ;;
    *) fail "glance-api does not run with Debian's config ($(tail -3 "$T/gl-default/out.log" 2>/dev/null))" ;; esac
  curl -fs -o /dev/null http://127.0.0.1:9292/versions || fail "glance-api does not answer on :9292"
  expect 0 "glance-api stop" "$(agent_rc "$GL" stop "${GLD[@]}")"
  wait_gone "$GPID" || fail "glance-api survived stop"
fi

say "2. a cached token does not hide authentication failures"
expect 0 "monitor, right password (token now cached)" "$(agent_rc "$KS" monitor "${GOOD[@]}" "${MON[@]}")"
[ -s "$T/rsc/t1.token" ] || fail "no token cached: the next checks would prove nothing"
expect 1 "monitor depth 0, wrong password, token cached" "$(agent_rc "$KS" monitor "${BAD[@]}" "${MON[@]}")"
grep -q "failed with HTTP 401" "$T/last.err" || fail "exit reason for a wrong password: $(cat "$T/last.err")"
expect 1 "monitor depth 10, wrong password, token cached" "$(agent_rc "$KS" monitor "${BAD[@]}" "${MON[@]}" OCF_CHECK_LEVEL=10)"
if grep -q wrong-password "$T/last.err" "$T/rsc/t1.token"; then fail "password in the log or the token cache"; fi
expect 0 "monitor, right password again" "$(agent_rc "$KS" monitor "${GOOD[@]}" "${MON[@]}")"
mv "$KS_DIR/fernet-keys" "$KS_DIR/fernet-keys.away"
cleanup_hooks+=("[ -d '$KS_DIR/fernet-keys.away' ] && mv '$KS_DIR/fernet-keys.away' '$KS_DIR/fernet-keys'")
expect 1 "monitor depth 10, fernet keys moved away" "$(agent_rc "$KS" monitor "${GOOD[@]}" "${MON[@]}" OCF_CHECK_LEVEL=10)"
grep -q "failed with HTTP 500" "$T/last.err" || fail "exit reason without keys: $(cat "$T/last.err")"
mv "$KS_DIR/fernet-keys.away" "$KS_DIR/fernet-keys"
expect 0 "monitor depth 10, keys back" "$(agent_rc "$KS" monitor "${GOOD[@]}" "${MON[@]}" OCF_CHECK_LEVEL=10)"

say "3. one-line pid files are verified, not trusted by process name"
(exec -a uwsgi sleep 600) & FAKE=$!; PIDS+=("$FAKE")
echo "$FAKE" >"$T/rsc/fake.pid"
FAKEOPT=("${BASE[@]}" OCF_RESKEY_pid="$T/rsc/fake.pid")
expect 7 "monitor, 'uwsgi' that is a sleep, keystone answering" "$(agent_rc "$KS" monitor "${FAKEOPT[@]}" "${MON[@]}")"
expect 7 "monitor depth 10, the same" "$(agent_rc "$KS" monitor "${FAKEOPT[@]}" "${MON[@]}" OCF_CHECK_LEVEL=10)"
expect 0 "stop, the same" "$(agent_rc "$KS" stop "${FAKEOPT[@]}")"
alive "$FAKE" || fail "stop signalled a process that only calls itself uwsgi"
alive "$KPID" || fail "stop through the fake pid file hit keystone"
echo "$KPID" >"$T/rsc/legacy.pid"   # what the shell agent wrote for a real keystone
LEGACY=("${GOOD[@]}" OCF_RESKEY_pid="$T/rsc/legacy.pid")
expect 0 "monitor, one-line pid file of the real keystone" "$(agent_rc "$KS" monitor "${LEGACY[@]}" "${MON[@]}")"
expect 0 "stop through the one-line pid file" "$(agent_rc "$KS" stop "${LEGACY[@]}")"
wait_gone "$KPID" || fail "keystone survived stop"
alive "$FAKE" || fail "the fake uwsgi was killed"
rm -f "$T/rsc/ks.pid"
finish
