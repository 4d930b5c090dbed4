#!/bin/bash
# hapkg archive: indices compared with apt-ftparchive on the same pool, then
# consumed by real apt-get (unsigned with [trusted=yes], and signed with a
# test key in its own GNUPGHOME), plus bad-input cases (exit 2, nothing changed).
HAPKG=$1
source "$(dirname "$0")/lib.sh"
A=$T/repo
mkdeb "$T/in" ha-tool 1.0-1 amd64 "Depends: ha-data (>= 1.0)" "Section: admin" "Priority: optional" "Source: ha-src"
mkdeb "$T/in" ha-data 1:1.0-1 all "Multi-Arch: foreign" "Section: contrib/admin" "Source: ha-src (1.0-1)"
mkdeb "$T/in" libha1 1.0-1 amd64 "Multi-Arch: same" "Pre-Depends: ha-data"
# a source package (native) with dpkg-source, and a .changes for it
mkdir -p "$T/src/ha-src-1.0/debian/source"
( cd "$T/src/ha-src-1.0"
  echo '3.0 (native)' > debian/source/format
  printf 'Source: ha-src\nSection: admin\nPriority: optional\nMaintainer: T <t@example.org>\nStandards-Version: 4.6.2\n\nPackage: ha-tool\nArchitecture: any\nDescription: x\n x\n' > debian/control
  printf 'ha-src (1.0) stable; urgency=medium\n\n  * x\n\n -- T <t@example.org>  Wed, 25 Nov 2026 00:00:00 +0000\n' > debian/changelog
  cd .. && dpkg-source -b ha-src-1.0 >/dev/null 2>&1
  cd ha-src-1.0 && dpkg-genchanges -S -u.. -O../ha-src_1.0_source.changes >/dev/null 2>&1 )

"$HAPKG" archive init -A "$A" -s stable --arch amd64,arm64 -c main,contrib
"$HAPKG" archive init -A "$A" -s testing --arch amd64
"$HAPKG" archive include -A "$A" -s stable "$T"/in/*.deb "$T/src/ha-src_1.0.dsc"
"$HAPKG" archive include -A "$A" -s testing "$T/src/ha-src_1.0_source.changes" "$T/in/ha-tool_1.0-1_amd64.deb"
# the same content again is a no-op
out=$("$HAPKG" archive include -A "$A" -s stable "$T/in/ha-tool_1.0-1_amd64.deb")
[[ $out == "unchanged ha-tool 1.0-1 amd64" ]] || fail "re-include not a no-op: $out"
"$HAPKG" archive export -A "$A"
[[ -f $A/dists/stable/contrib/binary-arm64/Packages.xz && -f $A/dists/testing/main/source/Sources.gz ]] || fail layout
[[ $("$HAPKG" archive list -A "$A" -s stable | wc -l) == 4 ]] || fail "list"
[[ -z $(find "$A" -name '*.hapkg-new') ]] || fail "temp files left"

# --- same fields and values as apt-ftparchive on the same pool -------------
python3 - "$A" "$(dirname "$0")" <<'PY'
import subprocess, sys
A = sys.argv[1]
sys.path.insert(0, sys.argv[2])
from stanzas import parse
def cat(*paths):
    return "\n".join(open(f"{A}/{p}").read() for p in paths)
ours = parse(cat("dists/stable/main/binary-amd64/Packages", "dists/stable/contrib/binary-amd64/Packages"))
ref = parse(subprocess.run(["apt-ftparchive", "packages", "pool"], cwd=A, capture_output=True, text=True, check=True).stdout)
assert ours.keys() == ref.keys(), (ours.keys(), ref.keys())
for k in ref:
    assert ours[k] == ref[k], (k, ours[k], ref[k])
def parse_sources(text):
    return parse(text, ("Package", "Version"))
sref = parse_sources(subprocess.run(["apt-ftparchive", "sources", "pool"], cwd=A, capture_output=True, text=True,
                                    check=True).stdout)
# every field of every stanza, Checksums-Sha512 included (the .dsc has none: apt-ftparchive computes it)
for suite in ("stable", "testing"):  # testing got its .dsc through a .changes (which names section/priority)
    src = parse_sources(cat(f"dists/{suite}/main/source/Sources"))
    assert src and all(src[k] == sref[k] for k in src), (suite, src, sref)
print("indices identical to apt-ftparchive:", len(ref), "binary,", len(sref), "source")
PY

# --- real Debian source packages (../shared/sources): Sources == apt-ftparchive sources ------------
SRC=${HAPKG_SHARED_SOURCES:?set HAPKG_SHARED_SOURCES (ctest does)}
[[ -d $SRC/bookworm && -d $SRC/trixie ]] || fail "real source packages not found in $SRC"
RA=$T/real
for suite in bookworm trixie; do
  "$HAPKG" archive init -A "$RA" -s "$suite" --arch amd64 >/dev/null
  # every complete package: a .dsc whose listed files are all there
  mapfile -t dscs < <(python3 - "$SRC/$suite" <<'PY'
import glob, os, re, sys
for dsc in sorted(glob.glob(f"{sys.argv[1]}/*.dsc")):
    files = re.findall(r"^ [0-9a-f]{32} \d+ (\S+)$", open(dsc).read(), re.M)  # the Files lines (MD5)
    if all(os.path.exists(os.path.join(os.path.dirname(dsc), f)) for f in files):
        print(dsc)
PY
)
  (( ${#dscs[@]} >= 2 )) || fail "$suite: only ${#dscs[@]} complete source packages"
  "$HAPKG" archive include -A "$RA" -s "$suite" "${dscs[@]}" >/dev/null
done
"$HAPKG" archive export -A "$RA" >/dev/null
python3 - "$RA" "$(dirname "$0")" <<'PY'
import subprocess, sys
A = sys.argv[1]
sys.path.insert(0, sys.argv[2])
from stanzas import parse as parse_stanzas
def parse(text):
    return parse_stanzas(text, ("Package", "Version"))
ref = parse(subprocess.run(["apt-ftparchive", "sources", "pool"], cwd=A, capture_output=True, text=True,
                           check=True).stdout)
ours = {}
for suite in ("bookworm", "trixie"):
    ours.update(parse(open(f"{A}/dists/{suite}/main/source/Sources").read()))
assert ours.keys() == ref.keys(), (sorted(ours), sorted(ref))
for k in ref:
    assert ours[k] == ref[k], (k, {f: (ours[k].get(f), ref[k].get(f)) for f in set(ours[k]) | set(ref[k])
                                   if ours[k].get(f) != ref[k].get(f)})
print("real .dsc: Sources identical to apt-ftparchive for", ", ".join(f"{p} {v}" for p, v in sorted(ref)))
PY

# --- real apt-get, unsigned with [trusted=yes] ------------------------------
R=$T/root; mkaptroot "$R"
echo "deb [trusted=yes] copy:$A stable main contrib
deb-src [trusted=yes] copy:$A stable main" > "$R/etc/apt/sources.list"
export APT_CONFIG=$R/apt.conf
apt-get -q update >/dev/null
apt-get -q -y install --download-only ha-tool libha1 >/dev/null
ls "$R"/var/cache/apt/archives/ha-data_1%3a1.0-1_all.deb "$R"/var/cache/apt/archives/libha1_1.0-1_amd64.deb >/dev/null
( cd "$T" && apt-get -q source --download-only ha-src >/dev/null ) && [[ -f $T/ha-src_1.0.tar.xz ]] || fail "apt-get source"
# apt sees the archive's Release fields
apt-cache policy | tee "$T/policy" | grep -q 'o=hapkg,a=stable,n=stable,l=hapkg,c=main' || fail "policy fields: $(cat "$T/policy")"

# --- signed with a test key in its own GNUPGHOME ----------------------------
export GNUPGHOME=$T/gnupg; mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'hapkg test <test@hapkg.invalid>' ed25519 sign never 2>/dev/null
KEY=$(gpg --batch --with-colons --list-keys test@hapkg.invalid | awk -F: '/^fpr/{print $10; exit}')
gpg --batch --export "$KEY" > "$T/key.gpg"
"$HAPKG" archive export -A "$A" --sign "$KEY"
gpg --batch --verify "$A/dists/stable/Release.gpg" "$A/dists/stable/Release" 2>/dev/null || fail "Release.gpg"
R2=$T/root2; mkaptroot "$R2"; export APT_CONFIG=$R2/apt.conf
echo "deb [signed-by=$T/key.gpg] copy:$A stable main contrib" > "$R2/etc/apt/sources.list"
apt-get -q update >/dev/null || fail "signed update"
apt-get -q -y install --download-only ha-tool >/dev/null
# a tampered index is rejected by apt (the hashes in InRelease are checked)
echo >> "$A/dists/stable/main/binary-amd64/Packages"; rm "$A"/dists/stable/main/binary-amd64/Packages.{gz,xz}
rm -rf "$R2/var/lib/apt/lists"; mkdir -p "$R2/var/lib/apt/lists/partial"
if apt-get -q update >/dev/null 2>&1 && apt-cache show ha-tool >/dev/null 2>&1; then fail "tampered index accepted"; fi
"$HAPKG" archive export -A "$A" --sign "$KEY"

# --- bad input: exit 2, nothing changed -----------------------------------
snap() { find "$A" -type f \( -path '*/db/*' -o -path '*/dists/*' -o -path '*/pool/*' \) -exec sha256sum {} + | sort; }
before=$(snap)
expect2() { local rc=0; "$@" 2>"$T/err" >/dev/null || rc=$?; [[ $rc == 2 ]] || fail "expected exit 2, got $rc: $*"; [[ -s $T/err ]] || fail "no message"; }
cp "$T/src/ha-src_1.0.dsc" "$T/bad.dsc"; cp "$T/src/ha-src_1.0.tar.xz" "$T/"
sed -i 's/^ \([0-9a-f]\{64\}\) / 0000000000000000000000000000000000000000000000000000000000000000 /' "$T/bad.dsc"
expect2 "$HAPKG" archive include -A "$A" -s stable "$T/bad.dsc"
grep -q 'checksum mismatch' "$T/err" || fail "message: $(cat "$T/err")"
head -c 300 "$T/in/libha1_1.0-1_amd64.deb" > "$T/trunc.deb"
expect2 "$HAPKG" archive include -A "$A" -s stable "$T/in/ha-tool_1.0-1_amd64.deb" "$T/trunc.deb"
expect2 "$HAPKG" archive include -A "$A" -s stable "$T/missing.deb"
rm "$T/ha-src_1.0.tar.xz"; cp "$T/src/ha-src_1.0.dsc" "$T/"
expect2 "$HAPKG" archive include -A "$A" -s stable "$T/ha-src_1.0.dsc"
mkdeb "$T/other" ha-tool 1.0-1 amd64 "Depends: ha-data"   # same version, other content
expect2 "$HAPKG" archive include -A "$A" -s stable "$T/other/ha-tool_1.0-1_amd64.deb"
grep -q 'different content' "$T/err" || fail "message: $(cat "$T/err")"
mkdeb "$T/other" ha-s390 1.0 s390x
expect2 "$HAPKG" archive include -A "$A" -s stable "$T/other/ha-s390_1.0_s390x.deb"
expect2 "$HAPKG" archive init -A "$T/new" -s x --arch amd64,notanarch
[[ ! -e $T/new/conf ]] || fail "init wrote a config for a bad arch"
expect2 "$HAPKG" archive include -A "$A" -s nosuchsuite "$T/in/ha-tool_1.0-1_amd64.deb"
[[ $before == "$(snap)" ]] || fail "bad input changed the archive"
# --- remove deletes pool files no suite references (indices first) ----------
# every file an index names must exist, at every step
names_ok() {
  python3 - "$A" <<'PY' || fail "an index names a missing pool file"
import glob, os, re, sys
A = sys.argv[1]
for f in glob.glob(f"{A}/dists/*/*/binary-*/Packages") + glob.glob(f"{A}/dists/*/*/source/Sources"):
    text = open(f).read()
    for name in re.findall(r"^Filename: (\S+)", text, re.M):
        assert os.path.exists(f"{A}/{name}"), (f, name)
    for stanza in text.split("\n\n"):
        d = re.search(r"^Directory: (\S+)", stanza, re.M)
        for name in re.findall(r"^ [0-9a-f]{32} \d+ (\S+)", stanza, re.M):
            assert os.path.exists(f"{A}/{d.group(1)}/{name}"), (f, name)
PY
}
TOOL=pool/main/h/ha-src/ha-tool_1.0-1_amd64.deb
LIB=pool/main/libh/libha1/libha1_1.0-1_amd64.deb
# a failing export (unknown signing key) leaves the pool alone: the old indices still name the file
rc=0; "$HAPKG" archive remove -A "$A" -s stable libha1 --sign no-such-key >/dev/null 2>&1 || rc=$?
[[ $rc == 3 && -f $A/$LIB ]] || fail "remove with a failing export: exit $rc, pool file gone?"
# the pending cleanup survives the failed export, so the next export still deletes the file
[[ -e $A/db/cleanup-pending ]] || fail "a failed export lost the pending cleanup"
names_ok
# ha-tool 1.0-1 is in stable and testing: removing it from stable keeps the file
out=$("$HAPKG" archive remove -A "$A" -s stable ha-tool libha1 --sign "$KEY")
[[ -f $A/$TOOL && ! -e $A/$LIB ]] || fail "remove from stable: $out"
grep -qx "deleted $LIB" <<<"$out" || fail "remove output: $out"
! grep -q "ha-tool" <<<"$(grep deleted <<<"$out")" || fail "deleted a file testing still uses: $out"
names_ok
out=$("$HAPKG" archive remove -A "$A" -s testing ha-tool ha-src --sign "$KEY")
[[ ! -e $A/$TOOL ]] || fail "remove from testing: $out"
grep -qx "deleted $TOOL" <<<"$out" || fail "remove output: $out"
[[ -f $A/pool/main/h/ha-src/ha-src_1.0.dsc ]] || fail "the .dsc stable still lists was deleted"
names_ok
# a newer version replacing an old one: export deletes the old file
mkdeb "$T/v2" ha-data 1:1.1-1 all "Multi-Arch: foreign" "Section: contrib/admin" "Source: ha-src (1.0-1)"
"$HAPKG" archive include -A "$A" -s stable "$T/v2/ha-data_1.1-1_all.deb" >/dev/null
[[ -f $A/pool/contrib/h/ha-src/ha-data_1.0-1_all.deb ]] || fail "include deleted a file before the export"
out=$("$HAPKG" archive export -A "$A" --sign "$KEY")
[[ $out == "deleted pool/contrib/h/ha-src/ha-data_1.0-1_all.deb" ]] || fail "export after replacement: $out"
[[ ! -e $A/db/cleanup-pending ]] || fail "cleanup still pending after the export that did it"
names_ok
# and real apt still consumes the archive (signed, hashes checked)
rm -rf "$R2/var/lib/apt/lists"; mkdir -p "$R2/var/lib/apt/lists/partial"; export APT_CONFIG=$R2/apt.conf
apt-get -q update >/dev/null || fail "update after remove"
apt-get -q -y install --download-only ha-data >/dev/null || fail "install after remove"
apt-cache show ha-tool >/dev/null 2>&1 && fail "removed package still in the indices"
# an unsigned export drops the old signature (apt would prefer a stale InRelease)
"$HAPKG" archive export -A "$A" >/dev/null
[[ ! -e $A/dists/stable/InRelease && ! -e $A/dists/stable/Release.gpg ]] || fail "stale InRelease kept"
echo "archive_apt: ok"
