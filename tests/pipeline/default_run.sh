#!/bin/bash
# The README's first command for real: `hapkg pipeline run` on the embedded
# default manifest (tracker/ha-stack.conf): hapkg from this repository and
# resource-agents (trixie's packaging, carried in tracker/sources/trixie,
# backported to bookworm with the Recommends delta of
# patches/resource-agents/), binaries built in a clean bookworm chroot,
# published to a signed archive, the upgrade proof and the report. Then a
# second run that does no work, and the negative case: the Recommends delta
# removed, the verify step fails and says why.
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

# Negative: the Recommends delta removed.
cp -r "$(dirname "$0")/../../patches/resource-agents" "$tmp/patches"
sed -i '/0003-recommends-resource-agents-openstack.patch/d' "$tmp/patches/series"
sed "s|^Packaging: sources tracker/sources/trixie|&\nPatches: $tmp/patches|; s|^Base: ..|Base: $(cd "$(dirname "$0")/../.." && pwd)|" \
  "$(dirname "$0")/../../tracker/ha-stack.conf" > "$tmp/m.conf"
nice "$HAPKG" pipeline run --manifest "$tmp/m.conf" --state "$tmp/neg" > "$tmp/out3" 2> "$tmp/err3"; rc=$?
[ $rc = 1 ] || fail "without the delta: exit $rc, want 1"
grep -q 'archive *verify *failed.*resource-agents-openstack' "$tmp/out3" || { cat "$tmp/out3"; fail "no reason given"; }
echo "PASS: default pipeline end to end, no-op rerun, the upgrade fails without the Recommends delta"
