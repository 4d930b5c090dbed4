#!/bin/bash
# Real Debian source packages as the oracle (issue 11 §1). For every complete
# source package in SOURCES/{bookworm,trixie} (each file verified against the
# Sources stanza beside it first: a mismatch fails):
#   - dpkg-source -x, then dpkg-source -b and hapkg source build on identical
#     copies: byte-identical .dsc and debian tarball, on the tree as extracted
#     and after hapkg patch unapply (which must give the --skip-patches tree);
#   - on dpkg-source -x --skip-patches trees: hapkg patch apply against
#     quilt push -a (identical trees and .pc), hapkg patch check (every patch
#     applies; after apply every patch is applied), hapkg patch unapply back
#     to the unpatched tree, quilt pop -a on hapkg's .pc;
#   - hapkg inspect accepts every tree as dpkg-source does.
# Usage: real_packages.sh HAPKG SOURCES_DIR
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
unset SOURCE_DATE_EPOCH DEB_VENDOR QUILT_PC
HAPKG=$1; SOURCES=$2
# On tmpfs when there is room: the trees are copied about ten times each.
if [ -d /dev/shm ] && [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt 2000000 ]; then export TMPDIR=/dev/shm; fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export QUILT_PATCHES=debian/patches

# stanza SUITE PACKAGE VERSION: the Sources paragraph of that package version.
stanza() {
  awk -v p="$2" -v v="$3" 'BEGIN { RS = ""; FS = "\n" }
    { pk = ""; ve = ""
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^Package: /) pk = substr($i, 10)
        if ($i ~ /^Version: /) ve = substr($i, 10)
      }
      if (pk == p && ve == v) { print; exit } }' "$SOURCES/$1/Sources"
}
# sha256_lines: " <sha256> <size> <name>" of a stanza's Checksums-Sha256.
sha256_lines() { awk '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 } on' ; }

# verify SUITE STANZA: 0 when every file of the stanza but perhaps the .dsc
# and an upstream signature (.asc) is there (each verified: a mismatch
# fails), 1 when a tarball is missing. Sets no_asc when a listed .asc is not.
verify() {
  local suite=$1 st=$2 missing=0 sum size name
  no_asc=
  while read -r sum size name; do
    local f=$SOURCES/$suite/$name
    if [ ! -e "$f" ]; then
      case $name in *.dsc) continue ;; *.asc) no_asc=1; continue ;; esac
      echo "incomplete: $suite: $name is missing"; missing=1; continue
    fi
    [ "$(stat -c %s "$f")" = "$size" ] || fail "$f: size $(stat -c %s "$f"), Sources says $size"
    [ "$(sha256sum < "$f" | cut -d' ' -f1)" = "$sum" ] || fail "$f: SHA256 differs from the Sources stanza"
  done < <(printf '%s\n' "$st" | sha256_lines)
  return $missing
}

# dsc_from_stanza [asc]: the .dsc a Sources stanza was made from (Package back
# to Source; Directory, Priority, Section and the .dsc's own lines dropped), for
# a package whose .dsc the mirror does not serve, or (asc) whose orig's .asc it
# does not serve (its lines dropped too: no tree then has one, so both builds
# list none). dpkg-source -x checks every file against it; the file order of
# the fields does not matter to it.
dsc_from_stanza() {
  awk -v asc="${1:-}" '/^(Directory|Priority|Section):/ { skip = 1; next }
       /^[^ ]/ { skip = 0 }
       skip { next }
       /^ .*\.dsc$/ { next }
       asc && /^ .*\.asc$/ { next }
       { sub(/^Package:/, "Source:"); print }'
}

# same_build LABEL DIR: dpkg-source -b and hapkg source build on two copies of
# DIR (a folder with the upstream tarballs and the tree src/).
same_build() {
  local label=$1 dir=$2
  cp -a "$dir" "$dir.ref"; cp -a "$dir" "$dir.hapkg"
  (cd "$dir.ref" && dpkg-source -b src > "$dir.ref.log" 2>&1) || { cat "$dir.ref.log"; fail "$label: dpkg-source -b"; }
  "$HAPKG" -q source build "$dir.hapkg/src" > /dev/null 2> "$dir.err" || { cat "$dir.err"; fail "$label: hapkg source build"; }
  local f n=0
  for f in "$dir.ref"/*.dsc "$dir.ref"/*.debian.tar.*; do
    n=$((n + 1))
    cmp -s "$f" "$dir.hapkg/${f##*/}" || { diff "$f" "$dir.hapkg/${f##*/}" || true; fail "$label: ${f##*/} differs from dpkg-source's"; }
  done
  [ $n = 2 ] || fail "$label: dpkg-source wrote $n files"
  # Both trees are as dpkg-source leaves them (patches applied, same .pc).
  diff -r -x .dpkg-source-unapply "$dir.ref/src" "$dir.hapkg/src" > /dev/null || fail "$label: trees differ after the builds"
  rm -rf "$dir.ref" "$dir.hapkg"
}

# patches LABEL UNPATCHED: quilt push -a against hapkg patch apply, check, unapply.
patches() {
  local label=$1 s=$2 rc
  cp -a "$s" "$s.quilt"; cp -a "$s" "$s.hapkg"
  (cd "$s.quilt" && quilt push -a -q > /dev/null 2>&1) || [ ! -s "$s/debian/patches/series" ] || fail "$label: quilt push -a"
  set +e; "$HAPKG" -q patch check -C "$s" > "$s.check" 2>&1; rc=$?; set -e
  [ $rc = 0 ] || { cat "$s.check"; fail "$label: patch check exit $rc on the unpatched tree"; }
  grep -v ': applies' "$s.check" && fail "$label: patch check reports a patch that does not apply"
  [ "$(grep -c ': applies' "$s.check" || true)" = "$(grep -cv '^\s*\(#\|$\)' "$s/debian/patches/series" 2>/dev/null || echo 0)" ] ||
    fail "$label: patch check does not list every patch"
  "$HAPKG" -q patch apply -C "$s.hapkg" > /dev/null 2> "$s.err" || { cat "$s.err"; fail "$label: hapkg patch apply"; }
  # quilt also leaves an empty .pc/<patch>/.timestamp (its own marker, which
  # dpkg-source does not write either): everything else must be identical.
  diff -r -x .timestamp "$s.quilt" "$s.hapkg" || fail "$label: hapkg patch apply differs from quilt push -a (tree or .pc)"
  [ -z "$(find "$s.quilt/.pc" -name .timestamp -size +0 2>/dev/null)" ] || fail "$label: quilt wrote a non-empty .timestamp"
  set +e; "$HAPKG" -q patch check -C "$s.hapkg" > "$s.check" 2>&1; rc=$?; set -e
  [ $rc = 0 ] || { cat "$s.check"; fail "$label: patch check exit $rc on the patched tree"; }
  grep -v ': applied' "$s.check" && fail "$label: patch check after apply reports a patch not applied"
  # quilt can pop what hapkg applied, hapkg can pop what quilt applied.
  mv "$s.hapkg" "$s.pop"
  (cd "$s.pop" && quilt pop -a -q > /dev/null 2>&1) || [ ! -s "$s/debian/patches/series" ] || fail "$label: quilt pop -a on hapkg's .pc"
  # (quilt pop -a keeps .pc/.version and .quilt_*: the tree without .pc is compared.)
  diff -r -x .pc "$s" "$s.pop" > /dev/null || fail "$label: quilt pop -a after hapkg patch apply is not the unpatched tree"
  "$HAPKG" -q patch unapply -C "$s.quilt" > /dev/null || fail "$label: hapkg patch unapply"
  diff -r "$s" "$s.quilt" > /dev/null || fail "$label: hapkg patch unapply after quilt push -a is not the unpatched tree"
  rm -rf "$s.quilt" "$s.pop" "$s.check" "$s.err"
}

complete=0
for suite in bookworm trixie; do
  [ -s "$SOURCES/$suite/Sources" ] || fail "no $SOURCES/$suite/Sources"
  while read -r pkg ver; do
    st=$(stanza "$suite" "$pkg" "$ver")
    verify "$suite" "$st" || continue
    complete=$((complete + 1))
    name=${pkg}_${ver#*:}; label=$suite/$name; W=$T/$suite-$name
    mkdir -p "$W/x" "$W/skip"
    dsc=$SOURCES/$suite/$name.dsc
    if [ ! -e "$dsc" ] || [ -n "$no_asc" ]; then
      dsc=$W/$name.dsc
      printf '%s\n' "$st" | dsc_from_stanza $no_asc > "$dsc"
      for f in $(printf '%s\n' "$st" | sha256_lines | awk '{print $3}'); do
        case $f in *.dsc) continue ;; esac  # the one rebuilt above
        [ -e "$SOURCES/$suite/$f" ] && cp "$SOURCES/$suite/$f" "$W/"
      done
      echo "note: $label: .dsc rebuilt from the Sources stanza${no_asc:+ (without the upstream signature, which is not there)}"
    fi
    for f in $(printf '%s\n' "$st" | sha256_lines | awk '{print $3}'); do
      [ -e "$SOURCES/$suite/$f" ] || continue  # an .asc that is not there (no_asc)
      case $f in *.orig.tar.*|*.orig-*.tar.*) cp "$SOURCES/$suite/$f" "$W/x/"; cp "$SOURCES/$suite/$f" "$W/skip/" ;; esac
    done
    (cd "$W" && dpkg-source -x "$dsc" x/src > x.log 2>&1) || { cat "$W/x.log"; fail "$label: dpkg-source -x"; }
    (cd "$W" && dpkg-source -x --skip-patches "$dsc" skip/src > skip.log 2>&1) || { cat "$W/skip.log"; fail "$label: dpkg-source -x --skip-patches"; }
    # inspect reads the same control files (crmsh's debian/tests/control has comment lines).
    "$HAPKG" -q inspect "$W/x/src" > "$W/inspect" 2> "$W/err" || { cat "$W/err"; fail "$label: hapkg inspect"; }
    grep -q "^Package-List:" "$W/inspect" || fail "$label: hapkg inspect shows no Package-List"
    same_build "$label (as extracted)" "$W/x"
    "$HAPKG" -q patch unapply -C "$W/x/src" > /dev/null 2> "$W/err" || { cat "$W/err"; fail "$label: hapkg patch unapply"; }
    diff -r "$W/skip/src" "$W/x/src" > /dev/null || fail "$label: hapkg patch unapply is not the --skip-patches tree"
    same_build "$label (after patch unapply)" "$W/x"
    patches "$label" "$W/skip/src"
    echo "ok: $label"
    rm -rf "$W"
  done < <(awk '/^Package: / { p = $2 } /^Version: / { print p, $2 }' "$SOURCES/$suite/Sources")
done
[ $complete -gt 0 ] || fail "no complete source package in $SOURCES"
echo "OK: $complete complete source packages"
