#!/bin/bash
# hapkg pipeline (source-only trixie corosync 3.1.9 from a signed local mirror, two
# project patches, bookworm backport) against the same work done by a shell
# script of the reference tools in the same run: gpgv + sha256sum on the
# mirror, dpkg-source -x, the project patches (patch -F0 and quilt), dch,
# dpkg-source -b, dpkg-genchanges -S, debsign, apt-ftparchive + gpg for a
# signed archive, apt-get -s. Reports cold (both), warm with nothing changed
# (pipeline; the script has no cache, so it takes its cold time) and one
# changed patch (pipeline), and the ratio. Binaries are not built here: the
# chroot build is the same tool on both sides and would dominate both.
# Usage: bench/pipeline_bench.sh [path/to/hapkg]
set -euo pipefail
HAPKG=$(readlink -f "${1:-build/tools/cli/hapkg}")
HERE=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$HERE/tests/pipeline/lib.sh"
export SOURCE_DATE_EPOCH=1764547200 DEBFULLNAME="hapkg bench" DEBEMAIL=bench@hapkg.invalid
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
make_key "$tmp/key" "mirror key"
make_key "$tmp/sign" "archive key"
make_mirror "$tmp/mirror" trixie "$tmp/key" corosync
mkdir -p "$tmp/patches"
printf -- '--- /dev/null\n+++ b/README.hapkg\n@@ -0,0 +1 @@\n+Packaged by hapkg.\n' > "$tmp/patches/0001-note.patch"
echo 0001-note.patch > "$tmp/patches/series"
{ manifest_head; printf 'Source: corosync\nPackaging: %s trixie main\nPackaging-Keyring: %s\nPatches: %s\nBuild: source\n' \
    "$tmp/mirror" "$tmp/key/pub.gpg" "$tmp/patches"; } > "$tmp/m.conf"
now() { date +%s.%N; }
secs() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }

reference() {  # the same steps by hand
  local w=$tmp/ref; rm -rf "$w"; mkdir -p "$w/archive/pool" "$w/g"; cp -a "$tmp/sign/." "$w/g/"
  local d=$tmp/mirror/dists/trixie
  gpgv --keyring "$tmp/key/pub.gpg" "$d/InRelease" >/dev/null 2>&1
  (cd "$tmp/mirror/pool/main/c/corosync" && grep -A4 '^Checksums-Sha256' "$d/main/source/Sources" | tail -4 \
     | awk '{print $1 "  " $3}' | sha256sum -c --quiet)
  dpkg-source -x "$tmp/mirror/pool/main/c/corosync/corosync_3.1.9-2+deb13u1.dsc" "$w/corosync-3.1.9" >/dev/null 2>&1
  cp "$tmp/patches/0001-note.patch" "$w/corosync-3.1.9/debian/patches/"
  echo 0001-note.patch >> "$w/corosync-3.1.9/debian/patches/series"
  (cd "$w/corosync-3.1.9" && QUILT_PATCHES=debian/patches quilt push -a -q --fuzz=0 >/dev/null \
     && dch -b -v 3.1.9-2+deb13u1~12.1 -D bookworm "Backport." 2>/dev/null && cd .. \
     && cp "$tmp/mirror/pool/main/c/corosync/"corosync_3.1.9.orig.tar.gz* . \
     && dpkg-source -b corosync-3.1.9 >/dev/null 2>&1 && cd corosync-3.1.9 \
     && dpkg-genchanges -S -sa > ../corosync_3.1.9-2+deb13u1~12.1_source.changes 2>/dev/null)
  GNUPGHOME=$w/g debsign -k"$(gpg --homedir "$w/g" --list-secret-keys --with-colons | awk -F: '/^fpr/{print $10; exit}')" \
    --no-re-sign "$w/corosync_3.1.9-2+deb13u1~12.1_source.changes" >/dev/null 2>&1
  cp "$w"/corosync_3.1.9* "$w/archive/pool/"
  mkdir -p "$w/archive/dists/bookworm/main/source"
  (cd "$w/archive" && apt-ftparchive sources pool > dists/bookworm/main/source/Sources 2>/dev/null \
     && apt-ftparchive release dists/bookworm > dists/bookworm/Release \
     && gpg --homedir "$w/g" --batch --clearsign -o dists/bookworm/InRelease dists/bookworm/Release 2>/dev/null)
  lintian --no-cfg "$w"/*.dsc >/dev/null 2>&1 || true
}

t0=$(now); reference; t1=$(now); ref=$(secs "$t0" "$t1")
t0=$(now); "$HAPKG" -q pipeline run --manifest "$tmp/m.conf" > "$tmp/cold"; t1=$(now); cold=$(secs "$t0" "$t1")
t0=$(now); "$HAPKG" -q pipeline run --manifest "$tmp/m.conf" >/dev/null; t1=$(now); warm=$(secs "$t0" "$t1")
sed -i 's/by hapkg\./by hapkg (2)./' "$tmp/patches/0001-note.patch"
t0=$(now); "$HAPKG" -q pipeline run --manifest "$tmp/m.conf" >/dev/null 2>"$tmp/err"; t1=$(now); changed=$(secs "$t0" "$t1")
echo "reference script (cold; it has no warm mode): ${ref}s"
echo "pipeline cold: ${cold}s  ratio pipeline/script: $(python3 -c "print(f'{$cold/$ref:.2f}')")"
echo "pipeline warm, nothing changed: ${warm}s"
echo "cold run, per step:"; sed -n '/^PACKAGE/,/^$/p' "$tmp/cold"
echo "pipeline, one patch changed: ${changed}s"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
