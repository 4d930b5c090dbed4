#!/bin/bash
# topology_crmsh_pcs_identical: the generated crmsh configuration and pcs
# script, each loaded into a fresh CIB by the real tools (crmsh and pcs
# from Debian 12, on CIB files: neither needs a running cluster or pcsd),
# give the same CIB up to generated ids and sibling order (cib-canon says
# exactly what is normalised), and crm_verify is clean on both.
# Usage: crmsh-pcs.sh AGENT_DIR TOPOLOGY.crm TOPOLOGY.pcs
# It links the agents into /usr/lib/ocf/resource.d/openstack (removed on
# exit) under the services lock, as the agent tests do (tests/agents/lib.sh).
here=$(dirname "$(readlink -f "$0")")
. "$here/../agents/lib.sh"
. "$here/topology-env.sh"
stage_agents "$1"
install_agents
crm_file=$2 pcs_file=$3

seed_cib "$T/seed.xml"
cp "$T/seed.xml" "$T/crm.xml"; cp "$T/seed.xml" "$T/pcs.xml"

# crmsh reports unknown agents and bad syntax as ERROR but may still exit 0.
if CIB_file="$T/crm.xml" crm configure load update "$crm_file" >"$T/crm.out" 2>&1 \
    && ! grep -q ERROR "$T/crm.out"; then say "ok   crm configure load update"
else fail "crm configure load: $(cat "$T/crm.out")"; fi
if sh "$pcs_file" "$T/pcs.xml" >"$T/pcs.out" 2>&1; then say "ok   pcs -f script"
else fail "pcs script: $(cat "$T/pcs.out")"; fi

# crm_verify as on a live cluster (-L): a CIB file has no node status, so
# every node would count as unclean; crm_simulate marks the three online.
for c in crm pcs; do
  crm_simulate -x "$T/$c.xml" -q 1 -u node1 -u node2 -u node3 -O "$T/$c-up.xml" >/dev/null 2>&1 || fail "crm_simulate $c"
  if crm_verify --xml-file "$T/$c-up.xml" >"$T/verify-$c.out" 2>&1 && [ ! -s "$T/verify-$c.out" ]; then
    say "ok   crm_verify clean on the $c CIB"
  else fail "crm_verify on the $c CIB: $(crm_verify -VVV --xml-file "$T/$c-up.xml" 2>&1)"; fi
  "$here/cib-canon" "$T/$c.xml" >"$T/$c.canon" || fail "cib-canon $c"
done
[ "$(grep -c '^ *primitive ' "$T/crm.canon")" -ge 18 ] || fail "crm CIB has too few primitives"
if diff -u "$T/crm.canon" "$T/pcs.canon" >"$T/diff"; then say "ok   crmsh and pcs CIBs identical"
else fail "crmsh and pcs CIBs differ: $(cat "$T/diff")"; fi
# cib-canon ignores the order of resources, which can break placement
# ties: both CIBs must also place everything on the same nodes.
for c in crm pcs; do
  crm_simulate -x "$T/$c-up.xml" -S -O "$T/$c-steady.xml" >/dev/null 2>&1 || fail "crm_simulate -S $c"
  CIB_file="$T/$c-steady.xml" crm_mon -1 --output-as=xml >"$T/$c-mon.xml" 2>&1
  # "resource node" pairs, sorted: crm_mon lists resources in CIB order,
  # which the two tools legitimately differ in (crmsh puts clones last).
  python3 -c 'import sys, xml.etree.ElementTree as E
for r in E.parse(sys.argv[1]).iter("resource"):
    for n in r.iter("node"): print(r.get("id"), r.get("role"), n.get("name"))' "$T/$c-mon.xml" | sort >"$T/$c.placement"
done
if diff -u "$T/crm.placement" "$T/pcs.placement" >"$T/pdiff" && grep -q "^vip_keystone Started node" "$T/crm.placement" \
    && [ "$(wc -l <"$T/crm.placement")" = 36 ]; then
  say "ok   same placement from both"
else fail "placement differs: $(cat "$T/pdiff")"; fi
finish
