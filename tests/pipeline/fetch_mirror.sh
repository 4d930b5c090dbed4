#!/bin/bash
# pipeline fetch against a Debian-style source mirror made of the real
# corosync 3.1.9 packaging (trixie; its orig has an upstream .asc) (/work/shared/sources), over loopback HTTP and as
# a local directory: a good mirror is fetched and unpacked (dpkg-source -x
# agrees: the tree is the one it unpacks); a tampered debian tarball, and an
# InRelease signed by another key, are refused with the file named and
# nothing unpacked.
set -u
HAPKG=$1
tmp=$(mktemp -d); SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"

make_key "$tmp/key" "mirror key"
make_key "$tmp/other" "someone else"
make_mirror "$tmp/mirror" trixie "$tmp/key" corosync
serve "$tmp"

run_fetch() {  # $1 = packaging line, $2 = keyring; the rest: extra hapkg args
  local pk=$1 kr=$2; shift 2
  { manifest_head; printf 'Source: corosync\nPackaging: %s\nPackaging-Keyring: %s\nBuild: source\n' "$pk" "$kr"; } > "$tmp/m.conf"
  rm -rf "$tmp/state"
  "$HAPKG" pipeline run --manifest "$tmp/m.conf" --until fetch "$@" > "$tmp/out" 2> "$tmp/err"
}

# Good, over HTTP and from the directory.
for pk in "http://127.0.0.1:$PORT/mirror trixie main" "$tmp/mirror trixie main"; do
  run_fetch "$pk" "$tmp/key/pub.gpg" || { cat "$tmp/out" "$tmp/err"; fail "good mirror ($pk) refused"; }
  tree=$tmp/state/work/corosync/fetch/corosync-3.1.9
  [ -f "$tree/debian/changelog" ] || fail "no unpacked tree from $pk"
  dpkg-source --skip-patches -x "$tmp/mirror/pool/main/c/corosync/corosync_3.1.9-2+deb13u1.dsc" "$tmp/ref" > /dev/null 2>&1 \
    || fail "dpkg-source -x"
  diff -r "$tmp/ref" "$tree" > /dev/null || fail "tree differs from dpkg-source -x's ($pk)"
  rm -rf "$tmp/ref"
  grep -q "signature good" "$tmp/state/logs/corosync/fetch.log" || fail "no signature check logged"
done

# A tampered debian tarball (same size, one byte changed).
cp -r "$tmp/mirror" "$tmp/bad"
f=$tmp/bad/pool/main/c/corosync/corosync_3.1.9-2+deb13u1.debian.tar.xz
printf 'X' | dd of="$f" bs=1 seek=100 conv=notrunc status=none
run_fetch "http://127.0.0.1:$PORT/bad trixie main" "$tmp/key/pub.gpg"; rc=$?
[ $rc = 1 ] || fail "tampered tarball: exit $rc, want 1"
grep -q "corosync_3.1.9-2+deb13u1.debian.tar.xz: does not match" "$tmp/out" || { cat "$tmp/out"; fail "no checksum message"; }
[ ! -e "$tmp/state/work/corosync/fetch" ] || fail "something was unpacked from a tampered mirror"
ls "$tmp/state/work/corosync/" | grep -q partial && fail "a staging directory was left"

# The same mirror signed by another key.
gpg --batch --homedir "$tmp/other" --clearsign -o "$tmp/mirror/dists/trixie/InRelease" --yes \
  "$tmp/mirror/dists/trixie/Release" 2>/dev/null
run_fetch "$tmp/mirror trixie main" "$tmp/key/pub.gpg"; rc=$?
[ $rc = 1 ] || fail "wrong signature: exit $rc, want 1"
grep -q "signature check failed" "$tmp/out" || { cat "$tmp/out"; fail "no signature message"; }
[ ! -e "$tmp/state/work/corosync/fetch" ] || fail "something was unpacked under a bad signature"

# Bad manifest: one line naming file:line, exit 2, nothing run.
{ manifest_head; printf 'Source: corosync\nPackaging: %s trixie main\nColour: red\n' "$tmp/mirror"; } > "$tmp/m.conf"
rm -rf "$tmp/state"
"$HAPKG" pipeline run --manifest "$tmp/m.conf" > "$tmp/out" 2> "$tmp/err"; rc=$?
[ $rc = 2 ] || fail "bad manifest: exit $rc, want 2"
[ "$(cat "$tmp/err")" = "hapkg: error: $tmp/m.conf:13: unknown field Colour in a Source paragraph" ] \
  || { cat "$tmp/err"; fail "bad manifest message"; }
[ ! -e "$tmp/state" ] || fail "a bad manifest ran something"
echo "PASS: fetch from a signed mirror (HTTP and directory); tampered file and wrong signature refused"
