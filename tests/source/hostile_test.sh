#!/bin/bash
# Hostile and broken input: each refused with a one-line error (exit 2), the
# tree unchanged and nothing written outside it. Usage: hostile_test.sh HAPKG SRCDIR
set -euo pipefail
# The oracles are Debian's own tools: no user PATH entries (version-manager
# shims that come and go can shadow patch, diff or python3).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
HAPKG=$1; HERE=$2
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
python3 "$HERE/make_fixture.py" "$T" small >/dev/null 2>&1
W=$T/hafix-1.2.3
snapshot() { (cd "$W" && find . -printf '%p %m %s\n' | sort; find . -type f -print0 | sort -z | xargs -0 sha1sum) > "$1"; }
expect_refused() {  # expect_refused PATTERN cmd...
  local pat=$1; shift
  snapshot "$T/before"
  set +e; "$@" 2>"$T/err" >/dev/null; local rc=$?; set -e
  [ $rc = 2 ] || { cat "$T/err"; fail "exit $rc (not 2) for: $*"; }
  [ "$(wc -l < "$T/err")" = 1 ] || { cat "$T/err"; fail "error is not one line"; }
  grep -q -- "$pat" "$T/err" || { cat "$T/err"; fail "error does not say '$pat'"; }
  snapshot "$T/after"
  cmp -s "$T/before" "$T/after" || fail "tree changed by refused: $*"
}
S=$W/debian/patches/series
cp "$S" "$T/series.orig"
# Series with -p0, with a guard, with ../ and a missing patch.
echo "0001-change-0.patch -p0" > "$S"; expect_refused "series:1: unsupported option '-p0'" "$HAPKG" patch apply -C "$W"
echo "+xen 0001-change-0.patch" > "$S"; expect_refused "series:1: quilt guard" "$HAPKG" patch apply -C "$W"
echo "../../evil.patch" > "$S"; expect_refused "series:1: insecure patch name" "$HAPKG" patch apply -C "$W"
echo "missing.patch" > "$S"; expect_refused "series:1: patch file .* is missing" "$HAPKG" patch apply -C "$W"
# Patches escaping the tree.
printf -- '--- a/../../outside\n+++ b/../../outside\n@@ -0,0 +1 @@\n+x\n' > "$W/debian/patches/dotdot.patch"
echo dotdot.patch > "$S"; expect_refused "path leaving the tree" "$HAPKG" patch apply -C "$W"
printf -- '--- /tmp/hapkg-evil\n+++ /tmp/hapkg-evil\n@@ -0,0 +1 @@\n+x\n' > "$W/debian/patches/abs.patch"
echo abs.patch > "$S"; expect_refused "absolute path" "$HAPKG" patch apply -C "$W"
[ -e /tmp/hapkg-evil ] && fail "wrote outside"
ln -s /tmp "$W/escape"
printf -- '--- a/escape/hapkg-evil2\n+++ b/escape/hapkg-evil2\n@@ -0,0 +1 @@\n+x\n' > "$W/debian/patches/link.patch"
echo link.patch > "$S"; expect_refused "symlink escape" "$HAPKG" patch apply -C "$W"
rm "$W/escape"; [ -e /tmp/hapkg-evil2 ] && fail "wrote through a symlink"
# All or nothing: patches 1-3 apply, then one needing fuzz fails; the tree is as before.
cp "$T/series.orig" "$S"
F=$(grep -l '^+++ b/src/' "$W"/debian/patches/0001-*.patch | head -1)
TARGET=$(sed -n 's|^+++ b/\([^\t]*\).*|\1|p' "$F" | head -1)
{ echo "--- a/$TARGET"; echo "+++ b/$TARGET"; echo "@@ -1,3 +1,4 @@"; echo " this line is not there"; sed -n 2,3p "$W/$TARGET" | sed 's/^/ /'; echo "+added"; } > "$W/debian/patches/zz-fuzz.patch"
echo zz-fuzz.patch >> "$S"
expect_refused "patch zz-fuzz.patch does not apply: file $TARGET: Hunk #1 FAILED" "$HAPKG" patch apply -C "$W"
[ -e "$W/.pc" ] && fail ".pc left after rollback"
set +e; "$HAPKG" patch check -C "$W" > "$T/check"; rc=$?; set -e
[ $rc = 1 ] && grep -q '^zz-fuzz.patch: needs-fuzz' "$T/check" && grep -q '^0001-change-0.patch: applies' "$T/check" || { cat "$T/check"; fail "check"; }
cp "$T/series.orig" "$S"
# Quilt-format version without a revision.
sed -i '1s/(1.2.3-1ubuntu1~ppa1)/(1.2.3)/' "$W/debian/changelog"
expect_refused "changelog:1: non-native package version '1.2.3' does not contain a revision" "$HAPKG" source build "$W"
sed -i '1s/(1.2.3)/(1.2.3-1ubuntu1~ppa1)/' "$W/debian/changelog"
# Upstream changes not recorded in a patch are refused, naming the files:
# on an unpatched tree (a file a patch touches was edited before the build)...
F1=$(sed -n 's|^+++ b/\([^\t]*\).*|\1|p' "$W"/debian/patches/0001-*.patch | head -1)
echo "local change" >> "$W/$F1"
expect_refused "unexpected upstream changes .*: $F1" "$HAPKG" source build "$W"
sed -i '$d' "$W/$F1"
# ...and on a tree whose patches are already applied.
"$HAPKG" -q patch apply -C "$W" >/dev/null
echo "local change" >> "$W/$F1"
expect_refused "unexpected upstream changes .*: $F1" "$HAPKG" source build "$W"
sed -i '$d' "$W/$F1"
echo "local change" >> "$W/configure"; echo new > "$W/src/untracked.c"
expect_refused "unexpected upstream changes .*: configure, src/untracked.c" "$HAPKG" source build "$W"
[ -e "$T/hafix_1.2.3-1ubuntu1~ppa1.dsc" ] && fail ".dsc written despite upstream changes"
rm "$W/src/untracked.c"; sed -i '$d' "$W/configure"
"$HAPKG" -q source build "$W" >/dev/null || fail "clean tree refused"
"$HAPKG" -q patch unapply -C "$W" >/dev/null
# Broken and hostile origs.
O=$T/hafix_1.2.3.orig.tar.gz; cp "$O" "$T/good.tar.gz"
head -c 3000 "$T/good.tar.gz" > "$O"; expect_refused "corrupt or truncated" "$HAPKG" source build "$W"
mk() { python3 - "$O" "$1" "$2" <<'PY'
import io, sys, tarfile
out, kind, arg = sys.argv[1:]
with tarfile.open(out, "w:gz") as t:
    ti = tarfile.TarInfo("hafix-1.2.3/README"); data = b"x\n"; ti.size = len(data); t.addfile(ti, io.BytesIO(data))
    ti = tarfile.TarInfo(arg if kind == "name" else "hafix-1.2.3/link")
    if kind == "name":
        ti.size = 2; t.addfile(ti, io.BytesIO(b"y\n"))
    else:
        ti.type = tarfile.SYMTYPE; ti.linkname = arg; t.addfile(ti)
PY
}
mk name /etc/evil; expect_refused "unsafe entry name '/etc/evil'" "$HAPKG" source build "$W"
mk name hafix-1.2.3/../../evil; expect_refused "unsafe entry name" "$HAPKG" source build "$W"
mk link ../../../etc/passwd; expect_refused "symlink 'hafix-1.2.3/link' points outside" "$HAPKG" source build "$W"
mk link /etc/passwd; expect_refused "points outside" "$HAPKG" source orig --source hafix --upstream-version 9 -o "$T" --tarball "$O"
[ -e "$T/hafix_9.orig.tar.gz" ] && fail "orig written from a hostile tarball"
cp "$T/good.tar.gz" "$O"
# Interrupted build: SIGKILL mid-way leaves no complete-looking file.
for delay in 0.05 0.1 0.2; do
  rm -f "$T"/*.dsc "$T"/*.debian.tar.xz
  "$HAPKG" -q source build "$W" >/dev/null 2>&1 & pid=$!
  sleep $delay; kill -KILL $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
  if [ -e "$T/hafix_1.2.3-1ubuntu1~ppa1.dsc" ]; then
    xz -t "$T/hafix_1.2.3-1ubuntu1~ppa1.debian.tar.xz" || fail "complete-looking .dsc with a broken tarball"
  fi
  [ -e "$T/hafix_1.2.3-1ubuntu1~ppa1.debian.tar.xz" ] && { xz -t "$T/hafix_1.2.3-1ubuntu1~ppa1.debian.tar.xz" || fail "truncated tarball under its final name"; }
  rm -f "$T"/*.hapkg-*
done
# Long lines parse in linear time (they crashed or hung std::regex): a series
# line with 30,000 blanks, a 28 KB Build-Depends token. Exact exit codes.
exit_is() {  # exit_is CODE cmd...: stdout to $T/out, stderr to $T/err
  local want=$1; shift
  set +e; "$@" > "$T/out" 2> "$T/err"; local rc=$?; set -e
  [ $rc = "$want" ] || { head -c 300 "$T/err"; fail "exit $rc (not $want) for: ${*:0:4}"; }
}
cp "$T/series.orig" "$S"
{ printf '0001-change-0.patch%30000s# blanks then a comment\n' ''; printf '%30000s\n' ''; } > "$S"
exit_is 0 "$HAPKG" patch list -C "$W"
grep -qx '[AU] 0001-change-0.patch' "$T/out" || fail "series with 30,000 blanks: $(head -c 200 "$T/out")"
printf '0001-change-0.patch%30000s-p0\n' '' > "$S"
exit_is 2 "$HAPKG" patch list -C "$W"
grep -q "series:1: unsupported option '-p0'" "$T/err" || fail "series with blanks and -p0: $(cat "$T/err")"
cp "$T/series.orig" "$S"
cp "$W/debian/control" "$T/control.orig"
LONG=$(head -c 28000 /dev/zero | tr '\0' a)
sed -i "s/^Build-Depends: /Build-Depends: lib$LONG-dev (>= 1.0), /" "$W/debian/control"
exit_is 0 "$HAPKG" inspect "$W"
grep -q "^Build-Depends: lib$LONG-dev (>= 1.0), " "$T/out" || fail "28 KB Build-Depends token not kept"
cp "$T/control.orig" "$W/debian/control"
BLANKS=$(printf '%28000s' '')
sed -i "s/^Build-Depends: /Build-Depends: foo ($BLANKS>=$BLANKS 1.0$BLANKS) [$BLANKS amd64], /" "$W/debian/control"
exit_is 0 "$HAPKG" inspect "$W"
grep -q "^Build-Depends: foo (>= 1.0) \[ amd64\], " "$T/out" || fail "28 KB of blanks in a relation: $(grep Build-Dep "$T/out" | head -c 200)"
cp "$T/control.orig" "$W/debian/control"
# A failed build leaves no output at all (the .dsc fields fail after the
# debian tarball could have been made): a broken debian/tests/control.
rm -f "$T"/*.dsc "$T"/*.debian.tar.xz
mkdir -p "$W/debian/tests"; printf 'Tests: smoke\n\n continuation without a field\n' > "$W/debian/tests/control"
exit_is 2 "$HAPKG" source build "$W"
grep -q "debian/tests/control:3: " "$T/err" || fail "broken tests/control: $(cat "$T/err")"
ls "$T" | grep -q '\.debian\.tar\.\|\.dsc$\|\.hapkg-' && fail "a failed build left output: $(ls "$T")"
rm -r "$W/debian/tests"
"$HAPKG" -q patch unapply -C "$W" > /dev/null
# Errors a user can act on: a missing tree or tarball is exit 2, one line naming it.
exit_is 2 "$HAPKG" patch list -C /nonexistent
[ "$(wc -l < "$T/err")" = 1 ] && grep -q '/nonexistent: no such directory' "$T/err" || fail "patch list -C /nonexistent: $(cat "$T/err")"
for sub in apply unapply check; do exit_is 2 "$HAPKG" patch $sub -C "$T/nonexistent"; done
exit_is 2 "$HAPKG" source orig --source hafix --upstream-version 9 -o "$T" --tarball "$T/missing.tar.gz"
[ "$(wc -l < "$T/err")" = 1 ] && grep -q "$T/missing.tar.gz: no such file" "$T/err" || fail "orig --tarball missing: $(cat "$T/err")"
exit_is 2 "$HAPKG" source orig --source hafix --upstream-version 9 -o "$T" --reuse "$T/missing.tar.gz"
grep -q "corrupt" "$T/err" && fail "a missing tarball is called corrupt"
echo OK
