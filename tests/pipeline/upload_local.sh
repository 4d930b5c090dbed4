#!/bin/bash
# Upload: local DIR, source-only: the real corosync 3.1.9 packaging (trixie,
# local signed mirror) backported to bookworm; publish sends the signed
# source-only .changes through Debian's dput (method local, the dput.cf the
# step writes) into an incoming directory, and process-incoming takes it into
# the pipeline's archive with the pipeline's key as the uploader. Oracles:
# dput's own .upload log, gpgv, apt-get source from the archive. A second run
# does nothing. Runs to publish (--until): verify's upgrade proof is
# pipeline_run_resume's.
set -u
HAPKG=$1
tmp=$(mktemp -d); SERVER_PID=
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
export SOURCE_DATE_EPOCH=1764547200

make_key "$tmp/key" "mirror key"
make_mirror "$tmp/mirror" trixie "$tmp/key" corosync
{ manifest_head | sed "s|^Maintainer: .*|&\nUpload: local $tmp/incoming|"
  printf 'Source: corosync\nPackaging: %s trixie main\nPackaging-Keyring: %s\nBuild: source\n' \
    "$tmp/mirror" "$tmp/key/pub.gpg"; } > "$tmp/m.conf"
ran() { grep -c ': started' "$tmp/err"; }

"$HAPKG" pipeline plan --manifest "$tmp/m.conf" > "$tmp/plan" || fail "plan"
grep -Eq "^corosync +publish +run +no record; upload: dput \(local\) into $tmp/incoming, then process-incoming\$" "$tmp/plan" \
  || { cat "$tmp/plan"; fail "plan does not name the upload"; }
"$HAPKG" pipeline run --manifest "$tmp/m.conf" --until publish > "$tmp/out" 2> "$tmp/err" \
  || { cat "$tmp/out" "$tmp/err" "$tmp"/state/logs/corosync/publish.log; fail "first run"; }
[ "$(ran)" = 7 ] || { cat "$tmp/err"; fail "first run: $(ran) steps, want 7 (fetch, track, patch, version, source, sign, publish; no binaries)"; }
log=$tmp/state/logs/corosync/publish.log
v=3.1.9-2+deb13u1~12.1
echo "--- publish.log"; cat "$log"
grep -q "bookworm: \$ dput -c .*/dput.cf -- hapkg-upload .*/corosync_${v}_source.changes" "$log" || fail "dput not run"
grep -q "bookworm: dput: Successfully uploaded packages." "$log" || fail "dput did not upload"
grep -q "bookworm: process-incoming: accepted corosync_${v}_source.changes" "$log" || fail "not accepted"
up=$tmp/state/work/corosync/publish/upload/bookworm
echo "--- dput's own log"; cat "$up/corosync_${v}_source.hapkg-upload.upload" || fail "no dput .upload log"
grep -q "^method = local" "$up/dput.cf" || fail "dput.cf"
[ -z "$(ls -A "$tmp/incoming")" ] || fail "files left in incoming: $(ls "$tmp/incoming")"
archive=$tmp/state/archive
[ -f "$archive/db/uploads/corosync_${v}_source.changes" ] || fail "process-incoming did not record the upload"
cmp -s "$archive/conf/uploaders.gpg" "$tmp/state/gnupg/archive-key.gpg" || fail "uploaders keyring is not the pipeline key"
gpgv --keyring "$archive/archive-key.gpg" "$archive/dists/bookworm/InRelease" 2>/dev/null || fail "InRelease not signed"
[ "$("$HAPKG" archive list -A "$archive" -s bookworm)" = "corosync $v source" ] || fail "not in the suite"

# apt-get source from the archive.
mkdir -p "$tmp/apt/lists/partial" "$tmp/apt/cache" "$tmp/get"
echo "deb-src [signed-by=$archive/archive-key.gpg] file:$archive bookworm main" > "$tmp/apt/sources.list"
aptq() { apt-get -q -o Dir::Etc::SourceList="$tmp/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent \
  -o Dir::State::Lists="$tmp/apt/lists" -o Dir::Cache="$tmp/apt/cache" -o APT::Sandbox::User=root "$@"; }  # the mktemp dir is root's
aptq update > "$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log"; fail "apt-get update on the archive"; }
grep -q '^[WE]:' "$tmp/apt.log" && { cat "$tmp/apt.log"; fail "apt-get update warned"; }
(cd "$tmp/get" && aptq source "corosync=$v") > "$tmp/src.log" 2>&1 || { cat "$tmp/src.log"; fail "apt-get source"; }
[ -f "$tmp/get/corosync-3.1.9/debian/changelog" ] || fail "apt-get source did not unpack"
head -1 "$tmp/get/corosync-3.1.9/debian/changelog" | grep -qF "corosync ($v) bookworm;" || fail "changelog"
echo "apt-get source corosync=$v: $(ls "$tmp/get" | tr '\n' ' ')"

# Nothing changed: nothing runs, nothing uploaded again.
"$HAPKG" pipeline run --manifest "$tmp/m.conf" --until publish > "$tmp/out" 2> "$tmp/err" || fail "second run"
[ "$(ran)" = 0 ] || { cat "$tmp/err"; fail "second run did work"; }
echo "PASS: dput (local) + process-incoming publish, apt-get source, no-op rerun"
