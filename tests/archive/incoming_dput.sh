#!/bin/bash
# Uploads as Launchpad takes them: a tiny package built by dpkg-source and
# dpkg-genchanges, signed by debsign, uploaded by Debian's dput (method
# local, from a dput.cf written here) into an incoming directory, then
# `hapkg archive process-incoming`. Oracles: apt-get (update against the
# re-signed archive, source download), gpgv. Then a SIGKILL at each step of
# an accept: the archive is as it was or fully updated, and a re-run ends
# the job.
HAPKG=$1
source "$(dirname "$0")/lib.sh"
export GNUPGHOME=$T/gnupg
mkdir -m 700 "$GNUPGHOME"
trap 'gpgconf --kill gpg-agent 2>/dev/null; rm -rf "$T"' EXIT
KEY=uploader@hapkg.invalid
gpg --batch --quiet --passphrase '' --quick-gen-key "hapkg uploader <$KEY>" ed25519 sign never
A=$T/archive IN=$T/incoming
mkdir -p "$IN" "$T/orig/hello-1.0"
echo hello > "$T/orig/hello-1.0/README"
tar -C "$T/orig" --mtime=@0 --owner=0 --group=0 -czf "$T/hello_1.0.orig.tar.gz" hello-1.0

# mkpkg VERSION: hello VERSION for bookworm in $T/src/VERSION, signed; prints the .changes
mkpkg() {
  local v=$1 d=$T/src/$1
  mkdir -p "$d/hello-1.0/debian/source"
  cp "$T/hello_1.0.orig.tar.gz" "$d/"
  echo hello > "$d/hello-1.0/README"
  echo '3.0 (quilt)' > "$d/hello-1.0/debian/source/format"
  printf 'Source: hello\nSection: misc\nPriority: optional\nMaintainer: Jane Doe <jane@example.org>\nStandards-Version: 4.6.2\n\nPackage: hello\nArchitecture: all\nDescription: h\n h\n' \
    > "$d/hello-1.0/debian/control"
  printf 'hello (%s) bookworm; urgency=medium\n\n  * Upload %s.\n\n -- Jane Doe <jane@example.org>  Tue, 01 Dec 2026 12:00:00 +0000\n' \
    "$v" "$v" > "$d/hello-1.0/debian/changelog"
  ( cd "$d/hello-1.0" && dpkg-source -b . >/dev/null 2>&1 && dpkg-genchanges -S -sa -O"../hello_${v}_source.changes" >/dev/null 2>&1 ) \
    || fail "building hello $v"
  debsign --no-conf -k"$KEY" "$d/hello_${v}_source.changes" >/dev/null 2>&1 || fail "debsign $v"
  echo "$d/hello_${v}_source.changes"
}
cat > "$T/dput.cf" <<CF
[incoming]
method = local
incoming = $IN
allow_unsigned_uploads = 0
run_lintian = 0
run_dinstall = 0
check_version = 0
CF
upload() { dput -f -c "$T/dput.cf" incoming "$1" >"$T/dput.log" 2>&1 || { cat "$T/dput.log"; fail "dput $1"; }; }
treehash() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum; }
# apt-get update against the signed archive (the uploader key also signs it), then a source download
mkaptroot "$T/root"
echo "deb-src [signed-by=$A/conf/uploaders.gpg] file:$A bookworm main" > "$T/root/etc/apt/sources.list"
apt_source() {  # apt_source VERSION
  rm -rf "$T/get" && mkdir "$T/get"
  APT_CONFIG=$T/root/apt.conf apt-get -q update >"$T/apt.log" 2>&1 || { cat "$T/apt.log"; fail "apt-get update"; }
  grep -q "^W:\|^E:" "$T/apt.log" && { cat "$T/apt.log"; fail "apt-get update warned"; }
  ( cd "$T/get" && APT_CONFIG=$T/root/apt.conf apt-get -q source --download-only "hello=$1" >/dev/null 2>&1 ) \
    || fail "apt-get source hello=$1"
  [[ -f $T/get/hello_$1.dsc && -f $T/get/hello_1.0.orig.tar.gz ]] || fail "apt-get source: files of $1"
}

"$HAPKG" archive init -A "$A" -s bookworm --arch amd64 >/dev/null
gpg --batch --export "$KEY" > "$A/conf/uploaders.gpg"

# --- an upload through dput, accepted --------------------------------------
c1=$(mkpkg 1.0-1)
upload "$c1"
[[ -f $IN/hello_1.0-1_source.changes && -f $IN/hello_1.0-1.dsc ]] || fail "dput did not upload"
out=$("$HAPKG" archive process-incoming "$IN" -A "$A" --sign "$KEY") || fail "process-incoming: $out"
[[ $out == "accepted hello_1.0-1_source.changes" ]] || fail "unexpected: $out"
[[ -z $(ls -A "$IN") ]] || fail "upload files left in incoming: $(ls "$IN")"
[[ $("$HAPKG" archive list -A "$A" -s bookworm) == "hello 1.0-1 source" ]] || fail "not in the suite"
gpgv --keyring "$A/conf/uploaders.gpg" "$A/dists/bookworm/InRelease" 2>/dev/null || fail "InRelease not signed"
apt_source 1.0-1

# --- one rejected through dput: exit 1, the .reject line, nothing changed ---
c0=$(mkpkg 1.0-0)
upload "$c0"
before=$(treehash "$A")
set +e; out=$("$HAPKG" archive process-incoming "$IN" -A "$A" --sign "$KEY"); rc=$?; set -e
(( rc == 1 )) || fail "rejection: exit $rc ($out)"
[[ $(cat "$IN/hello_1.0-0_source.changes.reject") == \
   "version-not-newer: hello_1.0-0.dsc: Version older than that in the archive. 1.0-0 <= 1.0-1" ]] \
  || fail "reject line: $(cat "$IN/hello_1.0-0_source.changes.reject")"
[[ $(treehash "$A") == "$before" ]] || fail "a rejection changed the archive"
rm -f "$IN"/*

# --- SIGKILL at each step of an accept ---------------------------------------
cp -a "$A" "$T/archive-1"
c2=$(mkpkg 1.0-2)
for point in cloned included exported exchanged old-removed; do
  rm -rf "$A" "$IN" && cp -a "$T/archive-1" "$A" && mkdir "$IN"
  upload "$c2"
  before=$(treehash "$A")
  set +e; HAPKG_INCOMING_CRASH_AT=$point "$HAPKG" archive process-incoming "$IN" -A "$A" --sign "$KEY" >/dev/null 2>&1
  rc=$?; set -e
  (( rc == 137 )) || fail "$point: not killed (exit $rc)"
  case $point in
    cloned|included|exported) [[ $(treehash "$A") == "$before" ]] || fail "$point: archive changed before the swap" ;;
    *) [[ $("$HAPKG" archive list -A "$A" -s bookworm) == "hello 1.0-2 source" ]] || fail "$point: not fully updated"
       apt_source 1.0-2 ;;
  esac
  out=$("$HAPKG" archive process-incoming "$IN" -A "$A" --sign "$KEY") || fail "$point: re-run: $out"
  [[ $out == "accepted hello_1.0-2_source.changes" ]] || fail "$point: re-run said: $out"
  [[ -z $(ls -A "$IN") ]] || fail "$point: files left in incoming"
  [[ ! -e $T/.archive.incoming-new ]] || fail "$point: leftover tree beside the archive"
  [[ $("$HAPKG" archive list -A "$A" -s bookworm) == "hello 1.0-2 source" ]] || fail "$point: not accepted"
  apt_source 1.0-2
  echo "killed at $point: archive consistent, re-run accepted"
done
echo "incoming_dput: all passed"
