#!/bin/bash
# The real node upgrade on the default pipeline's archive (the
# pipeline_default_state fixture: <build>/pipeline-default/archive, signed,
# its key beside it): a bookworm node with the HA stack (mmdebstrap,
# without Recommends), the archive added with signed-by=, upgrade-check's
# prediction on the node's own status and lists, a real apt-get
# dist-upgrade that must equal it, dpkg --audit, crm_resource listing the
# ocf:openstack agents, every agent's meta-data valid against
# ra-api-1.dtd, and a purge of resource-agents-openstack that leaves
# nothing. HAPKG_NODE_ARCHIVE=DIR takes another archive (development).
# usage: node_real.sh HAPKG BINARY_DIR
HAPKG=$1 BINARY_DIR=$2
source "$(dirname "$0")/lib.sh"
A=${HAPKG_NODE_ARCHIVE:-$BINARY_DIR/pipeline-default/archive}
[[ -f $A/dists/bookworm/Release && -f $A/archive-key.gpg ]] || fail "no published archive at $A (run pipeline_default)"
rc=0
nice "$HAPKG" node upgrade --archive "$A" --key "$A/archive-key.gpg" --cache-dir "$CACHE" --work-dir "$T/work" \
  > "$T/out" 2> "$T/err" || rc=$?
cat "$T/out"
[[ $rc == 0 ]] || { tail -20 "$T/err"; fail "hapkg node upgrade exit $rc"; }
python3 - "$T/work/result.json" <<'PY' || fail "result.json"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] and not r["failures"], r["failures"]
assert any(p.startswith("resource-agents-openstack ") for p in r["real_installed"]), r["real_installed"]
assert len(r["agents"]) >= 20, r["agents"]
assert r["purge"]["listed"] > 20 and not r["purge"]["left"], r["purge"]
print("agents:", len(r["agents"]), "predicted:", r["predicted"], "real:", r["real"], "phases:", r["phases"])
PY
stamp "real node upgrade ok"
