#!/bin/bash
# The README's first command for real: `hapkg pipeline run` on the embedded
# default manifest (tracker/ha-stack.conf): hapkg from this repository and
# resource-agents (trixie's packaging, carried in tracker/sources/trixie,
# backported to bookworm with the Recommends delta of
# patches/resource-agents/), binaries built in a clean bookworm chroot,
# published to a signed archive, the upgrade proof and the report. Then a
# second run that does no work, and the negative case: the Recommends delta
# removed, the upgrade check fails and says why.
# usage: default_run.sh HAPKG BINARY_DIR
set -u
HAPKG=$1 BINARY_DIR=$2
export HAPKG_CHROOT_CACHE=${HAPKG_CHROOT_CACHE:-$BINARY_DIR/chroot-cache}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
state=$BINARY_DIR/pipeline-default
export SOURCE_DATE_EPOCH=1764547200

nice "$HAPKG" pipeline run --state "$state" --junit "$tmp/junit.xml" > "$tmp/out" 2> "$tmp/err" \
  || { cat "$tmp/out"; tail -20 "$tmp/err"; fail "the default pipeline failed"; }
cat "$tmp/out"
grep -q '^archive: ' "$tmp/out" && grep -q '^logs: ' "$tmp/out" && grep -q '^report: .*report.html' "$tmp/out" \
  || fail "the summary does not say where the archive, logs and report are"
v=$state/work/archive/verify

python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["outputs"]["bookworm"]["ok"] else 1)' \
    "$state/records/archive/verify.json" || fail "verify not ok"
grep -q 'apt-get -s: Inst resource-agents-openstack ' "$state/logs/archive/verify.log" \
  || fail "apt-get -s does not install resource-agents-openstack"
python3 - "$v/bookworm.json" <<'PY' || fail "upgrade-check does not install resource-agents-openstack"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"], r
PY

# Nothing changed: no step runs.
"$HAPKG" pipeline run --state "$state" > "$tmp/out2" 2> "$tmp/err2" || fail "second run"
grep -q ': started' "$tmp/err2" && { cat "$tmp/err2"; fail "second run did work"; }

# Negative: the Recommends delta removed from the real resource-agents the
# run built (dpkg-deb -R / -b, one field changed), the rest of the archive
# as published, indexed by dpkg-scanpackages: upgrade-check fails naming
# resource-agents-openstack, and apt-get -s on the same root agrees. (The
# delta removed from patches/resource-agents/ and rebuilt would prove the
# same at the cost of a second chroot build of resource-agents.)
old=/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4
neg=$tmp/neg; mkdir -p "$neg/pool"
find "$state/archive/pool" -name '*.deb' ! -name 'resource-agents_*' -exec cp {} "$neg/pool/" \;
ra=$(find "$state/archive/pool" -name 'resource-agents_*_amd64.deb' | head -n 1)
[ -n "$ra" ] || fail "the archive has no resource-agents .deb"
dpkg-deb -R "$ra" "$neg/ra" || fail "dpkg-deb -R $ra"
python3 - "$neg/ra/DEBIAN/control" <<'PY' || fail "no Recommends: resource-agents-openstack in the built resource-agents"
import sys
p = sys.argv[1]
lines = open(p).read().split("\n")
for i, l in enumerate(lines):
    if l.startswith("Recommends:"):
        deps = [d.strip() for d in l[len("Recommends:"):].split(",")]
        assert "resource-agents-openstack" in deps, deps
        lines[i] = "Recommends: " + ", ".join(d for d in deps if d != "resource-agents-openstack")
        break
else:
    raise SystemExit(1)
open(p, "w").write("\n".join(lines))
PY
dpkg-deb -b "$neg/ra" "$neg/pool/resource-agents_norecommends_amd64.deb" > /dev/null || fail "dpkg-deb -b"
(cd "$neg" && dpkg-scanpackages -m pool > Packages 2> scan.err) || fail "dpkg-scanpackages"
"$HAPKG" upgrade-check --old "$old" --new "$old" --ppa "$neg/Packages" --installed pacemaker corosync resource-agents crmsh \
  --expect-installed resource-agents-openstack --expect-no-removals --keep-root "$neg/root" > "$tmp/out3" 2> "$tmp/err3"; rc=$?
[ $rc = 1 ] || { cat "$tmp/out3" "$tmp/err3"; fail "without the delta: upgrade-check exit $rc, want 1"; }
grep -q 'resource-agents-openstack' "$tmp/out3" || { cat "$tmp/out3"; fail "the failure does not name resource-agents-openstack"; }
APT_CONFIG=$neg/root/apt.conf apt-get -s -q dist-upgrade > "$tmp/apt3" 2>&1 || { cat "$tmp/apt3"; fail "apt-get -s on the negative root"; }
grep -q '^Inst resource-agents ' "$tmp/apt3" || { cat "$tmp/apt3"; fail "apt-get -s does not upgrade resource-agents on the negative root"; }
grep -q '^Inst resource-agents-openstack ' "$tmp/apt3" && fail "apt-get -s installs resource-agents-openstack without the delta"
echo "PASS: default pipeline end to end, no-op rerun, the upgrade fails without the Recommends delta (upgrade-check and apt-get -s)"
