#!/bin/bash
# pipeline track and --new-upstream on real data: the corosync 3.1.7
# packaging (bookworm, in a signed loopback mirror) and the real 3.1.9
# release (trixie's orig and its upstream .asc, byte for byte the upstream
# tarball) served on loopback as the upstream site, with the packaging's
# own debian/watch line (pgpsigurlmangle: the signature is checked with the
# packaging's debian/upstream/signing-key.asc).
#  1. track without --new-upstream: packaged 3.1.7 vs upstream 3.1.9 in the
#     record, the summary and --json; nothing merged.
#  2. --new-upstream with Debian's patches alone: bookworm's
#     CVE-2025-30472.patch does not apply to 3.1.9 (real `patch` agrees: not
#     forward, not reversed; `quilt push -a` stops there): the step fails
#     with one line per patch.
#  3. --new-upstream with patches/corosync/ carrying trixie's rebase of that
#     fix (a packaging change), a real upstream 3.1.7->3.1.9 change (must
#     drop) and a new file (must apply), --until source: every decision
#     equals real `patch --dry-run` / `patch -R --dry-run` on the same trees,
#     `quilt push -a` applies the merged series with zero fuzz, the changelog
#     entry is dch's, the .dsc carries the verified 3.1.9 orig and .asc
#     unchanged and dpkg-source -x unpacks it.
#  4. a tampered upstream tarball: the signature check refuses it, nothing kept.
set -u
HAPKG=$1
tmp=$(mktemp -d); SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
BW=$SHARED_SOURCES/bookworm TX=$SHARED_SOURCES/trixie
export DEBFULLNAME="hapkg test" DEBEMAIL="test@hapkg.invalid" SOURCE_DATE_EPOCH=1764633600

make_key "$tmp/key" "mirror key"
# The archive does not serve 3.1.7's upstream .asc (../shared/sources/README):
# the stanza lists the two tarballs, which fetch verifies and unpacks.
MIRROR_OMIT=".asc .dsc" make_mirror "$tmp/mirror" bookworm "$tmp/key" corosync
for site in up bad; do
  mkdir -p "$tmp/$site"
  cp "$TX/corosync_3.1.9.orig.tar.gz" "$tmp/$site/corosync-3.1.9.tar.gz"
  cp "$TX/corosync_3.1.9.orig.tar.gz.asc" "$tmp/$site/corosync-3.1.9.tar.gz.asc"
done
printf 'X' | dd of="$tmp/bad/corosync-3.1.9.tar.gz" bs=1 seek=5000 conv=notrunc status=none
serve "$tmp"

# Reference trees: the packaging's debian/ on the plain 3.1.7 and 3.1.9 releases.
mkdir -p "$tmp/r/old" "$tmp/r/new"
tar -xzf "$BW/corosync_3.1.7.orig.tar.gz" -C "$tmp/r/old" --strip-components=1
tar -xzf "$TX/corosync_3.1.9.orig.tar.gz" -C "$tmp/r/new" --strip-components=1
tar -xJf "$BW/corosync_3.1.7-1+deb12u2.debian.tar.xz" -C "$tmp/r/new"
mkdir -p "$tmp/tx" && tar -xJf "$TX/corosync_3.1.9-2+deb13u1.debian.tar.xz" -C "$tmp/tx"

# patches/corosync/ of case 3.
mkdir -p "$tmp/patches" "$tmp/d/a/debian/patches" "$tmp/d/b/debian/patches"
cp "$tmp/r/new/debian/patches/series" "$tmp/r/new/debian/patches/CVE-2025-30472.patch" "$tmp/d/a/debian/patches/"
sed 's/^CVE-2025-30472.patch$/totemsrp-Check-size-of-orf_token-msg.patch/' "$tmp/r/new/debian/patches/series" \
  > "$tmp/d/b/debian/patches/series"
cp "$tmp/tx/debian/patches/totemsrp-Check-size-of-orf_token-msg.patch" "$tmp/d/b/debian/patches/"
(cd "$tmp/d" && diff -Nru a b) > "$tmp/patches/rebase-cve-2025-30472.patch"
(cd "$tmp/r" && diff -u old/include/corosync/cpg.h new/include/corosync/cpg.h) \
  | sed '1s#^--- old/#--- a/#; 2s#^+++ new/#+++ b/#' > "$tmp/patches/upstream-cpg-h.patch"
[ -s "$tmp/patches/upstream-cpg-h.patch" ] || fail "no upstream change in cpg.h"
printf -- '--- /dev/null\n+++ b/HAPKG-NOTE\n@@ -0,0 +1 @@\n+built by the hapkg pipeline\n' > "$tmp/patches/hapkg-note.patch"
printf 'rebase-cve-2025-30472.patch\nupstream-cpg-h.patch\nhapkg-note.patch\n' > "$tmp/patches/series"

manifest() {  # $1 = upstream site, $2 = extra Source fields
  { manifest_head
    printf 'Source: corosync\nPackaging: http://127.0.0.1:%s/mirror bookworm main\nPackaging-Keyring: %s\nBuild: source\n' \
      "$PORT" "$tmp/key/pub.gpg"
    printf 'Watch:\n opts=pgpsigurlmangle=s/$/.asc/ \\\n http://127.0.0.1:%s/%s/corosync@ANY_VERSION@@ARCHIVE_EXT@\n%s' \
      "$PORT" "$1" "$2"; } > "$tmp/m.conf"
}
run() { "$HAPKG" --json pipeline run --manifest "$tmp/m.conf" "$@" > "$tmp/out" 2> "$tmp/err"; }
json() { python3 -c "import json,sys; d=json.load(open('$tmp/out')); print($1)"; }

# 1. Track only.
manifest up ""
run --until track || { cat "$tmp/out" "$tmp/err"; fail "track run failed"; }
[ "$(json "d['upstream']['corosync']['packaged'], d['upstream']['corosync']['upstream'], d['upstream']['corosync']['merged']")" \
  = "3.1.7 3.1.9 False" ] || { cat "$tmp/out"; fail "track: packaged/upstream not in --json"; }
json "[s['detail'] for s in d['steps'] if s['step']=='track'][0]" | grep -qx "packaged 3.1.7, upstream 3.1.9: newer package available" \
  || { cat "$tmp/out"; fail "track: not in the summary's detail"; }
[ ! -e "$tmp/state/work/corosync/track/corosync_3.1.9.orig.tar.gz" ] || fail "track downloaded without --new-upstream"

# The oracle: each patch of SERIES (in DIR/debian/patches) with real GNU
# patch, cumulatively as quilt would: forward with zero fuzz -> keep (and
# apply), else reversed -> drop, else FAIL.
oracle() {
  local dir=$1 series=$2 p
  while read -r p _; do
    case $p in ''|'#'*) continue ;; esac
    if patch -d "$dir" -p1 -N -F0 -s --dry-run < "$dir/debian/patches/$p" > /dev/null 2>&1; then
      patch -d "$dir" -p1 -N -F0 -s < "$dir/debian/patches/$p" > /dev/null; echo "keep $p"
    elif patch -d "$dir" -p1 -R -F0 -s --dry-run < "$dir/debian/patches/$p" > /dev/null 2>&1; then echo "drop $p"
    else echo "FAIL $p"; fi
  done < "$series"
}
ours() { python3 -c "import json; d=json.load(open('$1'))
for p in d['outputs']['patches']: print({'drop':'drop','applies':'keep','fails':'FAIL'}[p['decision']], p['name'])"; }

# 2. Debian's patches alone on 3.1.9: CVE-2025-30472.patch fails.
rm -rf "$tmp/state"
run --new-upstream --until source; rc=$?
[ $rc = 1 ] || { cat "$tmp/out" "$tmp/err"; fail "merge with a failing patch: exit $rc, want 1"; }
detail=$(json "[s['detail'] for s in d['steps'] if s['step']=='track'][0]")
echo "$detail" | grep -q "^  FAIL CVE-2025-30472.patch (debian/patches): " || { echo "$detail"; fail "no FAIL line for the CVE patch"; }
[ "$(echo "$detail" | grep -c '^  FAIL ')" = 1 ] || { echo "$detail"; fail "one FAIL line expected"; }
cp -r "$tmp/r/new" "$tmp/o2"
oracle "$tmp/o2" "$tmp/o2/debian/patches/series" > "$tmp/want2"
grep -E "^(keep|drop|FAIL) " "$tmp/state/logs/corosync/track.log" | sed 's/ (\(debian\/patches\|patches\/\)):.*//' > "$tmp/got2"
diff "$tmp/want2" "$tmp/got2" || fail "decisions differ from real patch's (case 2)"
cp -r "$tmp/r/new" "$tmp/q2"
(cd "$tmp/q2" && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0 > /dev/null 2>&1) && fail "quilt pushed a failing series"
[ "$(cd "$tmp/q2" && QUILT_PATCHES=debian/patches quilt next)" = "debian/patches/CVE-2025-30472.patch" ] \
  || fail "quilt did not stop at CVE-2025-30472.patch"
[ ! -e "$tmp/state/work/corosync/track" ] || fail "a failed merge left an output"

# 3. With patches/corosync/: merged up to the source package.
manifest up "Patches: $tmp/patches
"
t0=$(date +%s)
run --new-upstream --until source || { cat "$tmp/out" "$tmp/err"; cat "$tmp/state/logs/corosync/"*.log; fail "merge failed"; }
echo "merge run: $(( $(date +%s) - t0 )) s"
merged=$tmp/state/work/corosync/track/corosync-3.1.9
[ -f "$merged/debian/changelog" ] || fail "no merged tree"
grep -q "signature verified" "$tmp/state/logs/corosync/track.log" || fail "signature check not logged"
cmp "$tmp/state/work/corosync/track/corosync_3.1.9.orig.tar.gz" "$TX/corosync_3.1.9.orig.tar.gz" || fail "orig changed"
# Oracle tree: 3.1.9 + the packaging + our packaging change, then Debian's and ours in order.
cp -r "$tmp/r/new" "$tmp/o3"
patch -d "$tmp/o3" -p1 -s -E < "$tmp/patches/rebase-cve-2025-30472.patch" || fail "our packaging change"
cp "$tmp/patches/upstream-cpg-h.patch" "$tmp/patches/hapkg-note.patch" "$tmp/o3/debian/patches/"
printf 'upstream-cpg-h.patch\nhapkg-note.patch\n' >> "$tmp/o3/debian/patches/series"
oracle "$tmp/o3" "$tmp/o3/debian/patches/series" > "$tmp/want3"
ours "$tmp/state/records/corosync/track.json" > "$tmp/got3"
diff "$tmp/want3" "$tmp/got3" || fail "decisions differ from real patch's (case 3)"
grep -qx "drop upstream-cpg-h.patch" "$tmp/got3" && grep -qx "keep hapkg-note.patch" "$tmp/got3" \
  && grep -qx "keep totemsrp-Check-size-of-orf_token-msg.patch" "$tmp/got3" || { cat "$tmp/got3"; fail "unexpected decisions"; }
# quilt applies the merged tree's series (plus our kept patch) with zero fuzz.
patched=$tmp/state/work/corosync/patch/corosync-3.1.9
grep -qx "hapkg-note.patch" "$patched/debian/patches/series" || fail "our kept patch not imported"
grep -q "upstream-cpg-h.patch" "$patched/debian/patches/series" && fail "the dropped patch was imported"
cp -r "$merged" "$tmp/q3"
(cd "$tmp/q3" && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0 > "$tmp/quilt.out" 2>&1) \
  || { cat "$tmp/quilt.out"; fail "quilt push -a on the merged tree"; }
# The changelog entry is dch's (date aside: dch has no SOURCE_DATE_EPOCH).
cp -r "$tmp/r/new/debian" "$tmp/dch" && mkdir -p "$tmp/dchp" && mv "$tmp/dch" "$tmp/dchp/debian"
(cd "$tmp/dchp" && dch -v 3.1.9-1 "New upstream release." 2>/dev/null) || fail "dch"
diff <(sed 's/>  .*/>/' "$tmp/dchp/debian/changelog") <(sed 's/>  .*/>/' "$merged/debian/changelog") \
  || fail "changelog entry differs from dch's"
grep -q "^corosync (3.1.9-1) UNRELEASED; urgency=medium" "$merged/debian/changelog" || fail "no new upstream entry"
# The source package: the verified orig and .asc unchanged, dpkg-source -x applies every patch.
dsc=$(ls "$tmp/state/work/corosync/source/bookworm/"*.dsc) || fail "no .dsc"
grep -q "^Version: 3.1.9-1~" "$dsc" || { cat "$dsc"; fail "not a 3.1.9 backport"; }
cmp "$(dirname "$dsc")/corosync_3.1.9.orig.tar.gz.asc" "$TX/corosync_3.1.9.orig.tar.gz.asc" || fail "the .asc changed"
dpkg-source -x "$dsc" "$tmp/x" > "$tmp/x.out" 2>&1 || { cat "$tmp/x.out"; fail "dpkg-source -x of the merge"; }
[ "$(cat "$tmp/x/HAPKG-NOTE")" = "built by the hapkg pipeline" ] || fail "our patch not in the source package"

# 4. A tampered upstream tarball is refused by its signature; nothing kept.
manifest bad "Patches: $tmp/patches
"
rm -rf "$tmp/state"
run --new-upstream --until track; rc=$?
[ $rc = 1 ] || fail "tampered tarball: exit $rc, want 1"
grep -q "signature check of corosync_3.1.9.orig.tar.gz.* failed" "$tmp/out" || { cat "$tmp/out"; fail "no signature message"; }
[ ! -e "$tmp/state/work/corosync/track" ] || fail "output kept after a bad signature"
echo "ok"
