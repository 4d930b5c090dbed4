#!/bin/bash
# build_binaries on a tiny generated source package in a clean bookworm
# chroot made by ensure_chroot (real mmdebstrap from the machine's mirror):
# its one build dependency exists only in a signed local archive (hapkg
# archive, test key) passed as the extra source, so the build proves that
# the archive and its key reach apt inside. Then the same build without the
# extra source: it must fail, leave out_dir empty and keep a log that names
# the missing dependency. Oracles: dpkg-deb on the result, apt inside.
# usage: chroot_build.sh BUILD_DRIVER HAPKG BINARY_DIR
DRIVER=$1 HAPKG=$2 BINARY_DIR=$3
source "$(dirname "$0")/lib.sh"
bookworm_chroot
again=$("$DRIVER" chroot bookworm "$CACHE")
[[ $again == "$TARBALL"$'\t'"$CHROOT_KEY" ]] || fail "second ensure_chroot differs: $again"

# --- a build dependency only the extra archive has ---------------------------
mkdir -p "$T/dep/DEBIAN" "$T/dep/usr/share/hapkg-probe"
echo "probe data" > "$T/dep/usr/share/hapkg-probe/data"
printf 'Package: hapkg-probe-dep\nVersion: 1.0\nArchitecture: all\nMaintainer: t <t@hapkg.invalid>\nDescription: build dependency of the probe\n' \
  > "$T/dep/DEBIAN/control"
dpkg-deb --root-owner-group -b "$T/dep" "$T/hapkg-probe-dep_1.0_all.deb" >/dev/null
test_key
A=$T/srv/archive
"$HAPKG" archive init -A "$A" -s bookworm --arch amd64 >/dev/null
"$HAPKG" archive include -A "$A" -s bookworm "$T/hapkg-probe-dep_1.0_all.deb" >/dev/null
"$HAPKG" archive export -A "$A" --sign "$KEY" >/dev/null

# --- the source package: native, no debhelper, uses the dependency's file ----
S=$T/src/hapkg-probe-1.0
mkdir -p "$S/debian/source"
echo "3.0 (native)" > "$S/debian/source/format"
cat > "$S/debian/control" <<'CTL'
Source: hapkg-probe
Section: misc
Priority: optional
Maintainer: hapkg tests <t@hapkg.invalid>
Build-Depends: hapkg-probe-dep
Standards-Version: 4.6.2
Rules-Requires-Root: no

Package: hapkg-probe
Architecture: any
Depends: ${misc:Depends}
Description: probe built in a clean chroot
 Its file comes from a build dependency served by the extra archive.
CTL
cat > "$S/debian/changelog" <<'CL'
hapkg-probe (1.0) bookworm; urgency=medium

  * Probe.

 -- hapkg tests <t@hapkg.invalid>  Tue, 01 Dec 2026 12:00:00 +0000
CL
cat > "$S/debian/rules" <<'RULES'
#!/usr/bin/make -f
build build-arch build-indep:
	test -r /usr/share/hapkg-probe/data
binary binary-arch: build
	mkdir -p debian/tmp/DEBIAN debian/tmp/usr/share/hapkg-probe
	cp /usr/share/hapkg-probe/data debian/tmp/usr/share/hapkg-probe/copied
	dpkg-gencontrol -phapkg-probe -Pdebian/tmp
	dpkg-deb --root-owner-group -b debian/tmp ..
binary-indep:
clean:
	rm -rf debian/tmp debian/files
RULES
chmod +x "$S/debian/rules"
(cd "$T/src" && dpkg-source -b hapkg-probe-1.0 >/dev/null)
DSC=$T/src/hapkg-probe_1.0.dsc

# --- with the extra archive: succeeds, outputs in out_dir ---------------------
SRC_LINE="deb [signed-by=$KEYFILE] file:$A bookworm main"
out=$(nice "$DRIVER" build "$DSC" "$TARBALL" bookworm "$T/out" "$T/log/ok.log" --source "$SRC_LINE" --key "$KEYFILE" --full) \
  || { tail -30 "$T/log/ok.log"; fail "build with the extra archive"; }
deb=$(awk -F'\t' '$1=="deb"{print $2}' <<<"$out")
[[ $deb == "$T/out/hapkg-probe_1.0_amd64.deb" && -f $deb ]] || fail "deb path: $out"
dpkg-deb -c "$deb" | grep -q './usr/share/hapkg-probe/copied' || fail "deb lacks the file from the build dependency"
[[ $(dpkg-deb -f "$deb" Version) == 1.0 ]] || fail "deb version"
grep -q 'Get:.*file:.*hapkg-probe-dep\|hapkg-probe-dep' "$T/log/ok.log" || fail "log does not show the dependency install"
grep -q 'hapkg-probe_1.0.dsc' "$T/out/hapkg-probe_1.0_amd64.changes" || fail "--full .changes lists no source"
[[ -f $T/out/hapkg-probe_1.0_amd64.buildinfo && -f $T/out/hapkg-probe_1.0.tar.xz ]] || fail "buildinfo/source missing"
# Signed-by really checks: the Release signature verified inside the chroot.
grep -q "file:$A bookworm InRelease" "$T/log/ok.log" || fail "InRelease not read inside the chroot"
"$DRIVER" lintian "$deb" > "$T/lintian.txt" || fail "run_lintian"
grep -q '^[EW]: hapkg-probe' "$T/lintian.txt" || fail "lintian found nothing on a package without copyright/changelog"

# --- without it: fails, nothing in out_dir, the log says why ------------------
if nice "$DRIVER" build "$DSC" "$TARBALL" bookworm "$T/out2" "$T/log/bad.log" 2> "$T/bad.err"; then
  fail "build without the extra archive succeeded"
fi
grep -q "$T/log/bad.log" "$T/bad.err" || fail "error does not name the log: $(cat "$T/bad.err")"
grep -q 'hapkg-probe-dep' "$T/log/bad.log" || fail "log does not name the unmet build dependency"
[[ -z $(ls -A "$T/out2" 2>/dev/null) ]] || fail "failed build left files: $(ls -A "$T/out2")"
# --- a signed-by key that was not passed is refused before anything runs ------
rc=0; "$DRIVER" build "$DSC" "$TARBALL" bookworm "$T/out3" "$T/log/k.log" --source "$SRC_LINE" 2>/dev/null || rc=$?
[[ $rc == 2 ]] || fail "signed-by without --key: exit $rc, expected 2"
# --- a key whose path crosses a symlink in the chroot (/var/run -> /run) -------
# would be written through it onto the host: refused with exit 2.
RUNKEY=/var/run/hapkg-build-test-$$.asc
cp "$KEYFILE" "$RUNKEY"
rc=0; "$DRIVER" build "$DSC" "$TARBALL" bookworm "$T/out4" "$T/log/sym.log" --key "$RUNKEY" 2> "$T/sym.err" || rc=$?
rm -f "$RUNKEY"
[[ $rc == 2 ]] && grep -q 'symlink' "$T/sym.err" || fail "key through a chroot symlink: exit $rc: $(cat "$T/sym.err")"
echo "PASS chroot_build"
