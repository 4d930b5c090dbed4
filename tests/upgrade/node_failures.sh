#!/bin/bash
# What only a real upgrade catches, each on a tiny signed archive (dpkg-deb,
# apt-ftparchive, gpg with a throwaway key) over the real bookworm node of
# `hapkg node upgrade` (the cached node tarball): a package that overwrites
# another package's file without Replaces (dpkg's "trying to overwrite"),
# and a postinst that fails: upgrade-check predicts both upgrades, the real
# upgrade fails (exit 1) naming the package and dpkg's own error line. And
# an archive signed by another key than the one given: apt refuses it at
# apt-get update (signed-by= is enforced), exit 1 with apt's reason.
# usage: node_failures.sh HAPKG BINARY_DIR
HAPKG=$1 BINARY_DIR=$2
source "$(dirname "$0")/lib.sh"
export GNUPGHOME=$T/gnupg
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'hapkg node test <node@hapkg.invalid>' ed25519 sign never 2>/dev/null
gpg --batch --quiet --armor --export node@hapkg.invalid > "$T/key.asc"

# deb NAME VERSION DIR [POSTINST]: an arch:all package of the files under DIR (a stand-in for an archive package).
deb() {
  local d=$T/src/$1
  rm -rf "$d"
  mkdir -p "$d/DEBIAN"
  cp -a "$3/." "$d/"
  printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: hapkg tests <node@hapkg.invalid>\nDescription: node upgrade test package\n' \
    "$1" "$2" > "$d/DEBIAN/control"
  if [[ -n ${4:-} ]]; then printf '#!/bin/sh\n%s\n' "$4" > "$d/DEBIAN/postinst"; chmod 755 "$d/DEBIAN/postinst"; fi
  dpkg-deb --root-owner-group -b "$d" "$T/debs/$1_$2_all.deb" >/dev/null
}
# archive NAME DEB...: dists/bookworm/main/binary-amd64 + signed Release/InRelease.
archive() {
  local A=$T/archives/$1; shift
  mkdir -p "$A/pool/main" "$A/dists/bookworm/main/binary-amd64"
  cp "$@" "$A/pool/main/"
  (cd "$A" && apt-ftparchive packages pool > dists/bookworm/main/binary-amd64/Packages)
  (cd "$A/dists/bookworm" && apt-ftparchive -o APT::FTPArchive::Release::Suite=bookworm \
    -o APT::FTPArchive::Release::Codename=bookworm -o APT::FTPArchive::Release::Components=main \
    -o APT::FTPArchive::Release::Architectures=amd64 release . > Release)
  gpg --batch --yes --clearsign -o "$A/dists/bookworm/InRelease" "$A/dists/bookworm/Release"
  gpg --batch --yes -abs -o "$A/dists/bookworm/Release.gpg" "$A/dists/bookworm/Release"
}
mkdir -p "$T/debs" "$T/files/usr/sbin" "$T/files/usr/share/doc/pcs"
echo '#!/bin/sh' > "$T/files/usr/sbin/corosync-cfgtool"
echo 'a failing postinst' > "$T/files/usr/share/doc/pcs/README.test"
mkdir -p "$T/files2/usr/share/doc/pcs" && cp "$T/files/usr/share/doc/pcs/README.test" "$T/files2/usr/share/doc/pcs/"
mkdir -p "$T/files1/usr/sbin" && cp "$T/files/usr/sbin/corosync-cfgtool" "$T/files1/usr/sbin/"
# crmsh 99:1 ships corosync's /usr/sbin/corosync-cfgtool and no Replaces.
deb crmsh 99:1 "$T/files1"
archive overwrite "$T/debs/crmsh_99:1_all.deb"
# pcs 99:1 whose postinst fails.
deb pcs 99:1 "$T/files2" 'echo "configuring pcs fails on purpose" >&2; exit 1'
archive postinst "$T/debs/pcs_99:1_all.deb"

# crmsh 99:1 whose postinst writes a file dpkg does not know into its own
# directory: the purge leaves that directory behind (what piuparts reports).
mkdir -p "$T/files3/usr/share/crmsh-test" && echo listed > "$T/files3/usr/share/crmsh-test/listed"
mkdir -p "$T/debs3" && mv "$T/debs/crmsh_99:1_all.deb" "$T/debs/crmsh-overwrite.deb"
deb crmsh 99:1 "$T/files3" 'echo generated > /usr/share/crmsh-test/generated'
mv "$T/debs/crmsh_99:1_all.deb" "$T/debs3/"
archive leftover "$T/debs3/crmsh_99:1_all.deb"

# The overwrite archive again, but the node is given another key: apt must refuse it (signed-by= is enforced).
gpg --batch --quiet --passphrase '' --quick-gen-key 'hapkg other key <other@hapkg.invalid>' ed25519 sign never 2>/dev/null
gpg --batch --quiet --armor --export other@hapkg.invalid > "$T/other.asc"

# check NAME EXPECTED-LINE: the upgrade fails (exit 1), upgrade-check predicted it, the line is in the output.
check() {
  local rc=0
  nice "$HAPKG" node upgrade --archive "$T/archives/$1" --key "${KEYFILE:-$T/key.asc}" --cache-dir "$CACHE" \
    --work-dir "$T/work-$1" --purge "${PURGE:-}" --agents '' > "$T/$1.out" 2> "$T/$1.err" || rc=$?
  cat "$T/$1.out"
  [[ $rc == 1 ]] || { tail -20 "$T/$1.err"; fail "$1: exit $rc, expected 1"; }
  grep -qF -- "$2" "$T/$1.out" || fail "$1: the report does not say: $2"
  [[ -z ${3:-} ]] && { stamp "$1: refused as it must"; return; }
  python3 - "$T/work-$1/prediction.json" "$3" <<'PY' || fail "$1: upgrade-check did not predict the upgrade of $3"
import json, sys
r = json.load(open(sys.argv[1]))
assert any(x["package"] == sys.argv[2] and x["to"] == "99:1" for x in r["upgraded"]), r["upgraded"]
PY
  stamp "$1: failed as it must"
}
check overwrite "dpkg: crmsh: trying to overwrite '/usr/sbin/corosync-cfgtool', which is also in package corosync" crmsh
check postinst "dpkg: pcs: installed pcs package post-installation script subprocess returned error exit status 1" pcs
KEYFILE=$T/other.asc check overwrite "apt-get update in the node failed: E: The repository 'file:/srv/hapkg-archive bookworm InRelease' is not signed."
# The upgrade itself succeeds here: exit 1 comes from the purge check alone.
PURGE=crmsh check leftover "purge of crmsh left 1 of its files behind: /usr/share/crmsh-test" crmsh
