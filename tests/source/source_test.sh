#!/bin/bash
# hapkg source build / patch / changes against dpkg-source, dpkg-genchanges,
# quilt, lintian, dscverify. Usage: source_test.sh HAPKG SRCDIR small|large
set -euo pipefail
# The oracles are Debian's own tools: no user PATH entries (version-manager
# shims that come and go can shadow patch, diff or python3).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
HAPKG=$1; HERE=$2; KIND=$3
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
V=1.2.3-1ubuntu1~ppa1
python3 "$HERE/make_fixture.py" "$T" "$KIND" >/dev/null 2>&1
mkdir "$T/ref"; cp -a "$T/hafix-1.2.3" "$T/ref/"; cp "$T"/*.orig.tar.gz "$T/ref/"
(cd "$T/ref" && dpkg-source -b hafix-1.2.3 >/dev/null 2>&1) || fail "dpkg-source -b"
"$HAPKG" -q source build "$T/hafix-1.2.3" >/dev/null
cmp "$T/hafix_$V.debian.tar.xz" "$T/ref/hafix_$V.debian.tar.xz" || fail "debian.tar.xz differs from dpkg-source's"
cmp "$T/hafix_$V.dsc" "$T/ref/hafix_$V.dsc" || { diff "$T/hafix_$V.dsc" "$T/ref/hafix_$V.dsc"; fail ".dsc differs"; }
# Our .pc is what quilt and dpkg-source expect.
[ "$(cd "$T/hafix-1.2.3" && QUILT_PATCHES=debian/patches quilt applied)" = "$(cd "$T/ref/hafix-1.2.3" && QUILT_PATCHES=debian/patches quilt applied)" ] || fail "quilt applied differs"
(cd "$T/hafix-1.2.3" && QUILT_PATCHES=debian/patches quilt unapplied >/dev/null 2>&1) && fail "quilt sees unapplied patches"
diff -r -x .dpkg-source-unapply "$T/hafix-1.2.3" "$T/ref/hafix-1.2.3" >/dev/null || fail "patched trees differ"
# dpkg-source -x of our .dsc reproduces the tree.
(cd "$T" && dpkg-source -x "hafix_$V.dsc" x >/dev/null 2>&1) || fail "dpkg-source -x"
diff -r -x .pc "$T/x" "$T/hafix-1.2.3" >/dev/null || fail "dpkg-source -x tree differs"
# Unapply with hapkg, then dpkg-source -b again agrees (it re-applies).
"$HAPKG" -q patch unapply -C "$T/hafix-1.2.3" >/dev/null
[ -e "$T/hafix-1.2.3/.pc" ] && fail ".pc left after unapply"
mkdir "$T/u"; tar -C "$T/u" -xzf "$T/hafix_1.2.3.orig.tar.gz"; cp -a "$T/hafix-1.2.3/debian" "$T/u/hafix-1.2.3/"
diff -r "$T/u/hafix-1.2.3" "$T/hafix-1.2.3" >/dev/null || fail "unapply did not restore the upstream tree"
"$HAPKG" -q patch apply -C "$T/hafix-1.2.3" >/dev/null
diff -r -x .dpkg-source-unapply "$T/hafix-1.2.3" "$T/ref/hafix-1.2.3" >/dev/null || fail "apply differs from dpkg-source's"
[ "$KIND" = large ] && exit 0

# .changes against dpkg-genchanges -S, under a throwaway dpkg origins dir
# (DPKG_ORIGINS_DIR, honoured by dpkg 1.21's Dpkg::Vendor): the Debian vendor
# (default) has no Launchpad-Bugs-Fixed; DEB_VENDOR=Ubuntu adds it after Closes.
export DPKG_ORIGINS_DIR=$T/origins; mkdir "$DPKG_ORIGINS_DIR"
printf 'Vendor: Debian\nVendor-URL: https://www.debian.org/\nBugs: debbugs://bugs.debian.org\n' > "$DPKG_ORIGINS_DIR/debian"
printf 'Vendor: Ubuntu\nVendor-URL: https://www.ubuntu.com/\nBugs: https://bugs.launchpad.net/ubuntu/+filebug\nParent: Debian\n' > "$DPKG_ORIGINS_DIR/ubuntu"
ln -s debian "$DPKG_ORIGINS_DIR/default"
changes_case() {  # changes_case NAME "dpkg-genchanges options" "hapkg options"
  (cd "$T/ref/hafix-1.2.3" && dpkg-genchanges -S $2 > "../$1.changes" 2>/dev/null) || fail "dpkg-genchanges $1"
  "$HAPKG" -q source changes $3 "$T/hafix-1.2.3" >/dev/null
  diff "$T/hafix_${V}_source.changes" "$T/ref/$1.changes" || fail ".changes $1 differs"
}
changes_case debian "" ""
changes_case debian-sd -sd --sd
changes_case debian-v -v1.2.2-1 "-v 1.2.2-1"
grep -q '^Launchpad-Bugs-Fixed' "$T/ref/debian.changes" && fail "oracle: Debian vendor wrote Launchpad-Bugs-Fixed"
export DEB_VENDOR=Ubuntu
changes_case ubuntu "" ""
changes_case ubuntu-v -v1.2.2-1 "-v 1.2.2-1"
grep -qx 'Launchpad-Bugs-Fixed: 2001234' "$T/ref/ubuntu.changes" || fail "oracle: Ubuntu vendor did not write Launchpad-Bugs-Fixed"
unset DEB_VENDOR DPKG_ORIGINS_DIR
lintian --no-cfg --suppress-tags-from-file /dev/null "$T/hafix_$V.dsc" 2>&1 | grep '^E:' && fail "lintian errors"

# Signing with a throwaway key.
export GNUPGHOME="$T/gnupg"; mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'Hapkg Test <test@example.org>' ed25519 sign never 2>/dev/null
KEY=$(gpg --batch --with-colons --list-keys test@example.org 2>/dev/null | awk -F: '/^fpr/{print $10; exit}')
"$HAPKG" -q source changes --sa --sign "$KEY" "$T/hafix-1.2.3" >/dev/null
gpg --batch --verify "$T/hafix_${V}_source.changes" 2>/dev/null || fail "gpg --verify .changes"
gpg --batch --verify "$T/hafix_$V.dsc" 2>/dev/null || fail "gpg --verify .dsc"
gpg --batch --export "$KEY" > "$T/k.gpg"
(cd "$T" && dscverify --no-conf --keyring "$T/k.gpg" "hafix_${V}_source.changes" >/dev/null 2>&1) || fail "dscverify"

# This project's series imports and applies on top (patches/resource-agents:
# its upstream patches; the ones touching only debian/ are packaging changes
# the pipeline applies to resource-agents' own debian/, see tests/build).
RAP=$T/ra-patches; mkdir "$RAP"
for p in $(grep -v '^#' "$HERE/../../patches/resource-agents/series"); do
  awk '/^\+\+\+ / && $2 !~ /^b\/debian\// {f = 1} END {exit !f}' "$HERE/../../patches/resource-agents/$p" || continue
  cp "$HERE/../../patches/resource-agents/$p" "$RAP/"; echo "$p" >> "$RAP/series"
done
"$HAPKG" -q patch import --from "$RAP" -C "$T/hafix-1.2.3" >/dev/null
tail -1 "$T/hafix-1.2.3/debian/patches/series" | grep -qx 0001-doc-HA-OpenStack-agents-pointer.patch || fail "import: series"
set +e; "$HAPKG" -q patch import --from "$RAP" -C "$T/hafix-1.2.3" 2>/dev/null; rc=$?; set -e
[ $rc = 2 ] || fail "import: name clash accepted"
"$HAPKG" -q patch apply -C "$T/hafix-1.2.3" >/dev/null
[ -f "$T/hafix-1.2.3/doc/README.openstack-ha" ] || fail "imported patch not applied"
(cd "$T/hafix-1.2.3" && QUILT_PATCHES=debian/patches quilt applied | tail -1 | grep -q 0001-doc-HA) || fail "quilt does not see the imported patch"
# refresh keeps the DEP-3 header and regenerates the diff.
echo "extra line" >> "$T/hafix-1.2.3/doc/README.openstack-ha"
"$HAPKG" -q patch refresh -C "$T/hafix-1.2.3" 0001-doc-HA-OpenStack-agents-pointer.patch >/dev/null
P="$T/hafix-1.2.3/debian/patches/0001-doc-HA-OpenStack-agents-pointer.patch"
grep -q '^Description: Point to the OpenStack' "$P" && grep -q '^+extra line' "$P" || fail "refresh"
(cd "$T/hafix-1.2.3" && QUILT_PATCHES=debian/patches quilt pop -a >/dev/null && QUILT_PATCHES=debian/patches quilt push -a >/dev/null) || fail "quilt cannot pop/push our .pc"
# refresh keeps git-style mode changes (the patch's, and the tree's against
# the .pc backup); GNU patch (what dpkg-source -x runs) applies them.
W=$T/hafix-1.2.3
for f in "$W"/src/file*.c; do M=${f#"$W/"}; grep -rqF "$M" "$W/debian/patches" || break; done
cp -p "$W/$M" "$T/m.new"; echo "mode patch" >> "$T/m.new"
{ printf 'Description: mode changes\n---\ndiff --git a/configure b/configure\nold mode 100755\nnew mode 100644\n'
  printf 'diff --git a/%s b/%s\nold mode 100644\nnew mode 100755\n' "$M" "$M"
  diff -u --label "a/$M" --label "b/$M" "$W/$M" "$T/m.new" || true; } > "$W/debian/patches/modes.patch"
echo modes.patch >> "$W/debian/patches/series"
"$HAPKG" -q patch apply -C "$W" >/dev/null
[ "$(stat -c %a "$W/configure") $(stat -c %a "$W/$M")" = "644 755" ] || fail "mode patch not applied"
cp "$W/debian/patches/modes.patch" "$T/modes.before"
"$HAPKG" -q patch refresh -C "$W" modes.patch >/dev/null
cmp "$T/modes.before" "$W/debian/patches/modes.patch" || { diff "$T/modes.before" "$W/debian/patches/modes.patch"; fail "refresh lost the mode changes"; }
chmod 700 "$W/$M"
"$HAPKG" -q patch refresh -C "$W" modes.patch >/dev/null
grep -qx 'new mode 100700' "$W/debian/patches/modes.patch" || fail "refresh ignored the tree's mode"
"$HAPKG" -q patch unapply -C "$W" >/dev/null
[ "$(stat -c %a "$W/configure") $(stat -c %a "$W/$M")" = "755 644" ] || fail "unapply did not restore modes"
"$HAPKG" -q patch apply -C "$W" >/dev/null
[ "$(stat -c %a "$W/configure") $(stat -c %a "$W/$M")" = "644 700" ] || fail "refreshed mode patch applies wrongly"
grep -qx '+mode patch' "$W/debian/patches/modes.patch" || fail "refresh lost the content change"
"$HAPKG" -q patch unapply -C "$W" >/dev/null
sed -i '/^modes.patch$/d' "$W/debian/patches/series"; rm "$W/debian/patches/modes.patch"
"$HAPKG" -q patch apply -C "$W" >/dev/null
# Orig tarballs: from a release tarball (copied), repacked, from a git tag, reused.
O="$T/origs"; mkdir "$O"
"$HAPKG" -q source orig --source hafix --upstream-version 1.2.3 -o "$O" --tarball "$T/hafix_1.2.3.orig.tar.gz" >/dev/null
cmp "$O/hafix_1.2.3.orig.tar.gz" "$T/hafix_1.2.3.orig.tar.gz" || fail "orig from tarball not byte-identical"
"$HAPKG" -q source orig --source hafix --upstream-version 1.2.3 -o "$O" --tarball "$T/hafix_1.2.3.orig.tar.gz" --repack >/dev/null
cp "$O/hafix_1.2.3.orig.tar.xz" "$O/first.xz"; rm "$O/hafix_1.2.3.orig.tar.xz"
"$HAPKG" -q source orig --source hafix --upstream-version 1.2.3 -o "$O" --tarball "$T/hafix_1.2.3.orig.tar.gz" --repack >/dev/null
cmp "$O/first.xz" "$O/hafix_1.2.3.orig.tar.xz" || fail "repack not deterministic"
diff <(tar -tJf "$O/first.xz" | sort) <(tar -tzf "$T/hafix_1.2.3.orig.tar.gz" | sort) >/dev/null || fail "repack content"
tar -tvJf "$O/first.xz" | awk '{print $2}' | sort -u | grep -qx '0/0' || fail "repack owner not 0/0"
G="$T/git"; cp -a "$T/u/hafix-1.2.3" "$G"; rm -rf "$G/debian"
git -C "$G" init -q && git -C "$G" add -A && GIT_COMMITTER_DATE=@1700000000 GIT_AUTHOR_DATE=@1700000000 git -C "$G" -c user.name=t -c user.email=t@e commit -qm up && git -C "$G" tag v1.2.3
mkdir "$O/g1" "$O/g2"
"$HAPKG" -q source orig --source hafix --upstream-version 1.2.3 -o "$O/g1" --git "$G" --tag v1.2.3 >/dev/null
"$HAPKG" -q source orig --source hafix --upstream-version 1.2.3 -o "$O/g2" --git "$G" --tag v1.2.3 >/dev/null
cmp "$O/g1/hafix_1.2.3.orig.tar.xz" "$O/g2/hafix_1.2.3.orig.tar.xz" || fail "git orig not deterministic"
cmp <(xz -dc "$O/g1/hafix_1.2.3.orig.tar.xz") <(git -C "$G" archive --format=tar --prefix=hafix-1.2.3/ v1.2.3) || fail "git orig content differs from git archive"
set +e; "$HAPKG" -q source orig --source hafix --upstream-version 1.2.3 -o "$O/g1" --reuse "$O/first.xz" 2>/dev/null; rc=$?; set -e
[ $rc = 2 ] || fail "--reuse of a non-orig name accepted"
cp "$T/hafix_1.2.3.orig.tar.gz" "$O/published_1.2.3.orig.tar.gz"
"$HAPKG" -q source orig --source hafix --upstream-version 1.2.3 -o "$O/g2" --reuse "$O/published_1.2.3.orig.tar.gz" >/dev/null
cmp "$O/g2/hafix_1.2.3.orig.tar.gz" "$T/hafix_1.2.3.orig.tar.gz" || fail "--reuse not byte-for-byte"
# UNRELEASED is refused.
sed -i '1s/jammy/UNRELEASED/' "$T/hafix-1.2.3/debian/changelog"
set +e; "$HAPKG" -q source changes "$T/hafix-1.2.3" 2>"$T/err"; rc=$?; set -e
[ $rc = 2 ] && grep -q 'debian/changelog:1: distribution UNRELEASED' "$T/err" || fail "UNRELEASED accepted ($rc)"
sed -i '1s/UNRELEASED/jammy/' "$T/hafix-1.2.3/debian/changelog"

# --auto-commit: upstream changes recorded as dpkg-source --auto-commit -b
# records them (patch name, header, diff, series, .pc), same .dsc and tarball.
mkdir -p "$T/ac/d" "$T/ac/h"; tar -C "$T/ac" -xzf "$T/hafix_1.2.3.orig.tar.gz"
A=$T/ac/hafix-1.2.3; cp -a "$T/u/hafix-1.2.3/debian" "$A/"
echo "local" >> "$A/configure"; echo new > "$A/src/newfile.c"; rm "$A/src/file00003.c"
echo "more" >> "$A/docs/ünïcödé-fïlé.txt"; printf 'a\nb' > "$A/src/with space.c"
for w in d h; do cp -a "$A" "$T/hafix_1.2.3.orig.tar.gz" "$T/ac/$w/"; done
(cd "$T/ac/d" && dpkg-source --auto-commit -b hafix-1.2.3 >"$T/ac/d.log" 2>&1) || { cat "$T/ac/d.log"; fail "dpkg-source --auto-commit"; }
"$HAPKG" source build --auto-commit "$T/ac/h/hafix-1.2.3" >/dev/null 2>"$T/ac/h.log" || { cat "$T/ac/h.log"; fail "hapkg --auto-commit"; }
grep -q 'ignoring deletion of file src/file00003.c' "$T/ac/h.log" || fail "--auto-commit: no warning about the deletion"
P=hafix-1.2.3/debian/patches/debian-changes-$V
for f in "$P" hafix-1.2.3/debian/patches/series "hafix_$V.dsc" "hafix_$V.debian.tar.xz"; do
  cmp "$T/ac/d/$f" "$T/ac/h/$f" || { diff "$T/ac/d/$f" "$T/ac/h/$f" | head -30; fail "--auto-commit: $f differs"; }
done
diff -r -x .dpkg-source-unapply "$T/ac/d/hafix-1.2.3" "$T/ac/h/hafix-1.2.3" || fail "--auto-commit: trees (.pc) differ"
(cd "$T/ac/h/hafix-1.2.3" && QUILT_PATCHES=debian/patches quilt pop -a >/dev/null && QUILT_PATCHES=debian/patches quilt push -a >/dev/null) || fail "quilt cannot pop/push after --auto-commit"

# Binary files in debian/: refused like dpkg-source (listing them) unless in
# debian/source/include-binaries or with --include-binaries.
B=$T/bin; mkdir -p "$B"; tar -C "$B" -xzf "$T/hafix_1.2.3.orig.tar.gz"; cp -a "$T/u/hafix-1.2.3/debian" "$B/hafix-1.2.3/"
printf 'PNG\0\1\2' > "$B/hafix-1.2.3/debian/icon.png"; mkdir "$B/hafix-1.2.3/debian/sub"
printf '\0x' > "$B/hafix-1.2.3/debian/sub/b.bin"; printf '\0' > "$B/hafix-1.2.3/debian/junk.o"
bin_case() {  # bin_case NAME [options]: dpkg-source and hapkg on copies of $B
  local n=$1; shift
  mkdir -p "$B/$n/d" "$B/$n/h"
  for w in d h; do cp -a "$B/hafix-1.2.3" "$T/hafix_1.2.3.orig.tar.gz" "$B/$n/$w/"; done
  set +e
  (cd "$B/$n/d" && dpkg-source "$@" -b hafix-1.2.3 >"$B/$n/d.log" 2>&1); drc=$?
  "$HAPKG" -q source build "$@" "$B/$n/h/hafix-1.2.3" >/dev/null 2>"$B/$n/h.log"; hrc=$?
  set -e
}
bin_case refused
[ $drc != 0 ] && [ $hrc = 2 ] || fail "binary files: dpkg-source $drc, hapkg $hrc"
grep -q 'unwanted binary file: debian/icon.png' "$B/refused/d.log" || fail "oracle: dpkg-source did not refuse"
grep -q 'detected 2 unwanted binary files .*: debian/icon.png, debian/sub/b.bin$' "$B/refused/h.log" || { cat "$B/refused/h.log"; fail "binary files not listed"; }
echo "debian/icon.png" > "$B/hafix-1.2.3/debian/source/include-binaries"
bin_case listed
[ $drc != 0 ] && [ $hrc = 2 ] && grep -q 'detected 1 unwanted binary file .*: debian/sub/b.bin$' "$B/listed/h.log" || fail "include-binaries not honoured"
bin_case included --include-binaries
[ $drc = 0 ] && [ $hrc = 0 ] || { cat "$B/included/d.log" "$B/included/h.log"; fail "--include-binaries: dpkg-source $drc, hapkg $hrc"; }
for f in hafix-1.2.3/debian/source/include-binaries "hafix_$V.dsc" "hafix_$V.debian.tar.xz"; do
  cmp "$B/included/d/$f" "$B/included/h/$f" || fail "--include-binaries: $f differs"
done

# 3.0 (native): against dpkg-source.
mkdir -p "$T/n"; cp -a "$T/u/hafix-1.2.3" "$T/n/hafix-1.2.3"; rm -rf "$T/n/hafix-1.2.3/debian/patches"
echo '3.0 (native)' > "$T/n/hafix-1.2.3/debian/source/format"
sed -i '1s/(1.2.3-1ubuntu1~ppa1)/(1.2.3)/' "$T/n/hafix-1.2.3/debian/changelog"
mkdir "$T/n2"; cp -a "$T/n/hafix-1.2.3" "$T/n2/"
(cd "$T/n2" && dpkg-source -b hafix-1.2.3 >/dev/null 2>&1) || fail "dpkg-source -b native"
"$HAPKG" -q source build "$T/n/hafix-1.2.3" >/dev/null
cmp "$T/n/hafix_1.2.3.tar.xz" "$T/n2/hafix_1.2.3.tar.xz" || fail "native tarball differs"
cmp "$T/n/hafix_1.2.3.dsc" "$T/n2/hafix_1.2.3.dsc" || fail "native .dsc differs"
echo OK
