#!/bin/bash
# tracker/sources/: every carried file matches its Sources stanza (sha256 and
# size, checked with sha256sum/stat, not with hapkg), the committed .dsc is
# exactly what dsc_from_sources_stanza makes from the stanza, and the
# reference tool dpkg-source -x accepts it (it verifies the tarballs again)
# and applies Debian's patch series.
# usage: sources_verify.sh BUILD_DRIVER SOURCE_DIR
DRIVER=$1 SRC=$2
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
set -euo pipefail
D=$SRC/tracker/sources/trixie
n=0
while read -r sum size name; do
  [[ $name == *.dsc ]] && continue
  [[ -f $D/$name ]] || fail "$name listed in the stanza but not carried"
  [[ $(sha256sum "$D/$name" | cut -d' ' -f1) == "$sum" ]] || fail "$name: sha256 differs from the stanza"
  [[ $(stat -c %s "$D/$name") == "$size" ]] || fail "$name: size differs from the stanza"
  n=$((n + 1))
done < <(awk '/^Checksums-Sha256:/{f=1; next} /^[^ ]/{f=0} f' "$D/Sources")
[[ $n == 2 ]] || fail "expected 2 tarballs in the stanza, checked $n"
"$DRIVER" dsc-from-stanza "$D/Sources" resource-agents 1:4.16.0-3+deb13u2 "$T/made.dsc"
cmp "$T/made.dsc" "$D/resource-agents_4.16.0-3+deb13u2.dsc" || fail "committed .dsc is not what the stanza gives"
(cd "$T" && dpkg-source -x "$D/resource-agents_4.16.0-3+deb13u2.dsc" ra > "$T/x.log" 2>&1) || fail "dpkg-source -x: $(cat "$T/x.log")"
grep -q 'applying bash-syntax-error.patch' "$T/x.log" || fail "Debian's series not applied"
[[ $(dpkg-parsechangelog -l "$T/ra/debian/changelog" -S Version) == 1:4.16.0-3+deb13u2 ]] || fail "changelog version"
# A tampered tarball is refused by dpkg-source through the .dsc's checksums.
cp "$D"/resource-agents_4.16.0-3+deb13u2.dsc "$D"/resource-agents_4.16.0.orig.tar.gz "$T/"
printf 'x' | dd of="$T/resource-agents_4.16.0.orig.tar.gz" bs=1 seek=1000 conv=notrunc 2>/dev/null
cp "$D"/resource-agents_4.16.0-3+deb13u2.debian.tar.xz "$T/"
if (cd "$T" && dpkg-source -x resource-agents_4.16.0-3+deb13u2.dsc bad >/dev/null 2>&1); then fail "tampered orig accepted"; fi
echo "PASS sources_verify"
