# A real single-node corosync (knet on 127.0.0.1) + pacemaker cluster for
# the agent tests, started and torn down by pid (no systemd here). The CIB
# is seeded with stonith-enabled=false and dc-deadtime=2s, so the node is
# online in ~5 s instead of ~22 s (shared/reference/cluster-testing.md §2).
# Sourced after lib.sh. Sets CL (logs: $CL/pacemaker.log, corosync.log).
start_cluster() {
  CL=$T/cluster; mkdir -p "$CL"
  rm -f /var/lib/pacemaker/cib/cib*
  cleanup_hooks+=("rm -f /var/lib/pacemaker/cib/cib*")
  cat >"$CL/corosync.conf" <<EOC
totem {
  version: 2
  cluster_name: hapkgtest
  transport: knet
  crypto_cipher: none
  crypto_hash: none
  token: 1000
}
logging {
  to_stderr: no
  to_logfile: yes
  logfile: $CL/corosync.log
  to_syslog: no
  timestamp: on
}
quorum {
  provider: corosync_votequorum
}
nodelist {
  node {
    name: node1
    nodeid: 1
    ring0_addr: 127.0.0.1
  }
}
EOC
  cibadmin --empty >"$CL/seed.xml"
  CIB_file="$CL/seed.xml" crm_attribute --type crm_config --name stonith-enabled --update false
  CIB_file="$CL/seed.xml" crm_attribute --type crm_config --name dc-deadtime --update 2s
  install -o hacluster -g haclient -m 600 "$CL/seed.xml" /var/lib/pacemaker/cib/cib.xml
  # env -i: the daemons (and so the agents) must not inherit pyenv's PATH.
  local cenv=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin) i corosync pcmkd
  "${cenv[@]}" corosync -f -c "$CL/corosync.conf" >"$CL/corosync.out" 2>&1 & corosync=$!; PIDS+=("$corosync")
  for i in $(seq 100); do corosync-quorumtool -s >/dev/null 2>&1 && break; sleep 0.2; done
  "${cenv[@]}" PCMK_logfile="$CL/pacemaker.log" pacemakerd >"$CL/pacemakerd.out" 2>&1 & pcmkd=$!; PIDS+=("$pcmkd")
  # First in the hooks: pacemaker stops the resources, then corosync goes.
  cleanup_hooks=("pacemakerd --shutdown >/dev/null 2>&1; for i in \$(seq 150); do kill -0 $pcmkd 2>/dev/null || break; sleep 0.2; done; corosync-cfgtool -H --force >/dev/null 2>&1; for i in \$(seq 50); do kill -0 $corosync 2>/dev/null || break; sleep 0.2; done" "${cleanup_hooks[@]}")
  for i in $(seq 150); do crm_mon -1 2>/dev/null | grep -q "Online: \[ node1 \]" && return 0; sleep 0.2; done
  return 1
}

# started RSC PIDFILE OLDPID: the cluster runs RSC, with a live pid other than OLDPID.
started() {
  crm_mon -1 2>/dev/null | grep -Eq "\* $1\s.*Started node1" || return 1
  local p; p=$(head -1 "$2" 2>/dev/null) || return 1
  [ -n "$p" ] && [ "$p" != "$3" ] && alive "$p"
}
wait_started() {  # wait_started RSC PIDFILE OLDPID [SECONDS]: bounded (default 60 s)
  local i
  for i in $(seq $((${4:-60} * 5))); do started "$1" "$2" "$3" && return 0; sleep 0.2; done
  return 1
}

# failcount RSC: the fail count pacemaker recorded for RSC on node1 (0 if none).
failcount() {
  local v
  v=$(crm_failcount --query -r "$1" -N node1 2>/dev/null | sed -n 's/.*value=\([0-9A-Z]*\).*/\1/p')
  echo "${v:-0}"
}
