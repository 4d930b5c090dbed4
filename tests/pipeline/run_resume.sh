#!/bin/bash
# A source-only pipeline over the real corosync 3.1.9 packaging of trixie
# (local signed mirror), backported to bookworm, with a project patch series
# carrying an upstream quilt patch and a packaging change to debian/control: the run publishes a signed archive
# that apt-get accepts; a second run does no work; a changed patch reruns
# only corosync's patch step onwards (fetch stays); a run SIGKILLed in the
# middle of a step resumes and ends with the same source package as an
# uninterrupted run.
set -u
HAPKG=$1
tmp=$(mktemp -d); SERVER_PID=
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=1764547200

make_key "$tmp/key" "mirror key"
make_mirror "$tmp/mirror" trixie "$tmp/key" corosync
mkdir -p "$tmp/patches"
cat > "$tmp/patches/0001-note.patch" <<'P'
Description: a note for HA OpenStack users
--- /dev/null
+++ b/README.hapkg
@@ -0,0 +1 @@
+Packaged for HA OpenStack by hapkg.
P
cat > "$tmp/patches/0002-debian-recommends.patch" <<'P'
Description: packaging delta: corosync recommends crmsh
--- a/debian/control
+++ b/debian/control
@@ -56,6 +56,7 @@
 # corosync-blackbox uses qb-blackbox:
  libqb-tools,
  xsltproc
+Recommends: crmsh
 Description: cluster engine daemon and utilities
  ${S:X-Common-Description}
  .
P
printf '0001-note.patch\n0002-debian-recommends.patch\n' > "$tmp/patches/series"

write_manifest() {  # $1 = state dir
  { manifest_head | sed "s|^State: .*|State: $1|"
    printf 'Source: corosync\nPackaging: %s trixie main\nPackaging-Keyring: %s\nPatches: %s\nBuild: source\n' \
      "$tmp/mirror" "$tmp/key/pub.gpg" "$tmp/patches"; } > "$tmp/m.conf"
}
ran() { grep -c ': started' "$tmp/err"; }

write_manifest "$tmp/state"
"$HAPKG" pipeline run --manifest "$tmp/m.conf" --junit "$tmp/junit.xml" > "$tmp/out" 2> "$tmp/err" \
  || { cat "$tmp/out" "$tmp/err"; fail "first run"; }
grep -q 'packaging change applied: 0002-debian-recommends.patch' "$tmp/state/logs/corosync/patch.log" || fail "delta not applied"
archive=$tmp/state/archive
dsc=$(ls "$archive"/pool/main/c/corosync/*.dsc) || fail "no .dsc in the archive"
case $dsc in *corosync_3.1.9-2+deb13u1~12.1.dsc) ;; *) fail "version: $dsc";; esac
gpgv --keyring "$archive/archive-key.gpg" "$dsc" 2>/dev/null || fail ".dsc not signed by the archive key"
gpgv --keyring "$archive/archive-key.gpg" "$archive/dists/bookworm/InRelease" 2>/dev/null || fail "InRelease not signed"
# dpkg-source unpacks what was published, with both changes in it.
dpkg-source -x "$dsc" "$tmp/x" > /dev/null 2>&1 || fail "dpkg-source -x of the published .dsc"
grep -q 'Recommends: crmsh' "$tmp/x/debian/control" || fail "packaging delta missing"
[ -f "$tmp/x/README.hapkg" ] || fail "upstream patch missing"
# apt itself reads the signed archive.
mkdir -p "$tmp/apt/lists/partial" "$tmp/apt/cache"
echo "deb-src [signed-by=$archive/archive-key.gpg] file:$archive bookworm main" > "$tmp/apt/sources.list"
apt-get -q -o Dir::Etc::SourceList="$tmp/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent \
  -o Dir::State::Lists="$tmp/apt/lists" -o Dir::Cache="$tmp/apt/cache" update > "$tmp/apt.log" 2>&1 \
  || { cat "$tmp/apt.log"; fail "apt-get update on the archive"; }
grep -q 'testcase classname="pipeline.corosync" name="publish"' "$tmp/junit.xml" || fail "junit"
[ "$(ran)" = 9 ] || { cat "$tmp/err"; fail "first run: $(ran) steps, want 9"; }

# Nothing changed: nothing runs.
"$HAPKG" pipeline run --manifest "$tmp/m.conf" > "$tmp/out" 2> "$tmp/err" || fail "second run"
[ "$(ran)" = 0 ] || { cat "$tmp/err"; fail "second run did work"; }

# One patch changed: plan says so, and only patch onwards reruns.
sed -i 's/by hapkg\./by hapkg (2)./' "$tmp/patches/0001-note.patch"
"$HAPKG" pipeline plan --manifest "$tmp/m.conf" > "$tmp/plan" || fail "plan"
grep -Eq '^corosync +fetch +skip up to date' "$tmp/plan" || { cat "$tmp/plan"; fail "plan: fetch"; }
grep -Eq '^corosync +patch +run +inputs changed' "$tmp/plan" || { cat "$tmp/plan"; fail "plan: patch"; }
"$HAPKG" pipeline run --manifest "$tmp/m.conf" > "$tmp/out" 2> "$tmp/err" || { cat "$tmp/out"; fail "third run"; }
grep -q 'corosync fetch: started' "$tmp/err" && fail "fetch reran for a patch change"
[ "$(ran)" = 7 ] || { cat "$tmp/err"; fail "third run: $(ran) steps, want 7"; }
ls "$archive"/pool/main/c/corosync/ | grep -q 'deb13u1~12.2.dsc' || fail "changed content did not get ~12.2"

# SIGKILL in the middle of the source step, then resume; against an
# uninterrupted run of the same inputs.
write_manifest "$tmp/s2"
"$HAPKG" pipeline run --manifest "$tmp/m.conf" > "$tmp/out" 2> "$tmp/err" & pid=$!
for _ in $(seq 600); do grep -q 'corosync source: started' "$tmp/err" && break; sleep 0.05; done
kill -9 "$pid"; wait "$pid"; rc=$?
[ $rc = 137 ] || fail "the run was not killed mid-way (exit $rc)"
[ -e "$tmp/s2/work/corosync/source" ] && fail "a killed source step left a complete-looking output"
"$HAPKG" pipeline run --manifest "$tmp/m.conf" > "$tmp/out" 2> "$tmp/err" || { cat "$tmp/out"; fail "resume"; }
grep -q 'corosync fetch: started' "$tmp/err" && fail "resume refetched"
write_manifest "$tmp/s3"
"$HAPKG" pipeline run --manifest "$tmp/m.conf" > "$tmp/out" 2> "$tmp/err" || fail "uninterrupted run"
for f in debian.tar.xz orig.tar.gz; do
  cmp "$(ls "$tmp"/s2/archive/pool/main/c/corosync/*."$f")" "$(ls "$tmp"/s3/archive/pool/main/c/corosync/*."$f")" \
    || fail "resumed $f differs from an uninterrupted run's"
done
body() { sed -n '/^Format:/,/^-----BEGIN PGP SIGNATURE/p' "$1"; }
[ "$(body "$tmp"/s2/archive/pool/main/c/corosync/*.dsc)" = "$(body "$tmp"/s3/archive/pool/main/c/corosync/*.dsc)" ] \
  || fail "resumed .dsc differs"
echo "PASS: run, no-op rerun, one changed patch, SIGKILL resume"
