#!/bin/bash
# hapkg track and hapkg report on bad input and long work, as a user meets
# them (issue 11 §3): the exact exit code and one line naming the user's file
# (and line); warnings in text mode; `track --help` on versions and exit
# status; progress only on a terminal (a pty from script(1)); -v logging
# each step. Loopback HTTP only. Usage: errors_cli.sh HAPKG
set -u
HAPKG=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
cd "$tmp"

# expect RC REGEX CMD...: exit code RC, stderr exactly one line matching REGEX
# (extended regex, whole line), no JSON library text.
expect() {
  local want=$1 re=$2; shift 2
  "$@" > out 2> err; local rc=$?
  if [ "$rc" = "$want" ] && [ "$(wc -l < err)" = 1 ] && grep -Eqx "$re" err && ! grep -q 'json.exception' err; then
    ok "exit $rc: $(cat err)"
  else bad "$*: want exit $want and one line /$re/, got exit $rc: $(cat err)"; fi
}

printf 'Work items:\n[a] one: DONE\n' > bp.txt
expect 2 'hapkg: error: /tmp: is a directory; give the blueprints'"'"' work-item files' "$HAPKG" report /tmp
expect 2 "hapkg: error: --release-date: expected a date YYYY-MM-DD, got '2026-13-45'" \
  "$HAPKG" report --release-date 2026-13-45 bp.txt
expect 2 "hapkg: error: --release-date: expected a date YYYY-MM-DD, got '2026-02-30'" \
  "$HAPKG" report --release-date 2026-02-30 bp.txt
printf '{"package": "pacemaker"}\n' > object.json
printf '[{"package": "pacemaker", "upstream-version": 2}]\n' > number.json
printf 'Work items:\n[a] current {packaged >= upstream pacemaker}: DONE\n' > packaged.txt
expect 2 "hapkg: error: $tmp/object.json: expected the array printed by \`hapkg track --json\`, got a JSON object" \
  "$HAPKG" report --track "$tmp/object.json" packaged.txt
expect 2 "hapkg: error: number.json: expected the array printed by \`hapkg track --json\`: element 1 \"upstream-version\" is not a string" \
  "$HAPKG" report --track number.json packaged.txt
# {archive-has}: the index's error names the work-item file:line holding the check
printf 'Work items:\n[a] fine: DONE\n[a] uploaded {archive-has x in %s/missing/Sources}: DONE\n' "$tmp" > archive.txt
expect 2 "hapkg: error: archive.txt:3: check \{archive-has x in $tmp/missing/Sources\}: .*$tmp/missing/Sources.*" \
  "$HAPKG" report archive.txt
printf 'Package: x\nVersion: 1\nBogus line\n' > broken.Sources
printf 'Work items:\n[a] uploaded {archive-has x in %s/broken.Sources}: DONE\n' "$tmp" > broken.txt
expect 2 "hapkg: error: broken.txt:2: check \{archive-has x in $tmp/broken.Sources\}: .*broken.Sources:3.*" \
  "$HAPKG" report broken.txt

# --- track: loopback site ------------------------------------------------------
mkdir -p www/hello
for v in 1.0 1.2 1.10; do echo "$v" > "www/hello/hello-$v.tar.gz"; done
python3 "$HERE/loopback_http.py" www port 2> server.log &
server_pid=$!
for _ in $(seq 100); do [ -s port ] && break; sleep 0.1; done
site=http://127.0.0.1:$(cat port)
mkdir -p pkg/debian
printf 'hello (1.2-1) unstable; urgency=medium\n\n  * x\n\n -- A <a@example.org>  Mon, 01 Jan 2024 00:00:00 +0000\n' > pkg/debian/changelog
printf 'version=4\nopts=utersionmalgle=s/a/b/ %s/hello/ hello-(\\d[\\d.]*)\\.tar\\.gz\n' "$site" > pkg/debian/watch
(cd pkg && "$HAPKG" track > ../table 2> ../err); rc=$?
if [ $rc = 0 ] && [ "$(cat err)" = "hapkg: warning: debian/watch:2: unrecognized option utersionmalgle=s/a/b/" ] \
   && grep -q '^hello .* 1\.10 .*newer package available' table; then ok "misspelt option warned in text mode: $(cat err)"
else bad "misspelt option: rc=$rc err=$(cat err) $(cat table)"; fi
(cd pkg && "$HAPKG" -v track > /dev/null 2> ../verr)
if grep -q "debian/watch:2: fetching $site/hello/" verr && grep -q "debian/watch:2: $site/hello/: [0-9]* matches, 3 versions found: 1.10, 1.2, 1.0$" verr
then ok "-v: the URL fetched and the versions found"; else bad "-v log: $(cat verr)"; fi
sed -i 's/^hello (1.2-1)/hello (1.10-1)/' pkg/debian/changelog
(cd pkg && "$HAPKG" track > /dev/null 2>&1); rc=$?
[ $rc = 1 ] && ok "nothing newer: exit 1 as uscan" || bad "nothing newer: exit $rc"

# --manifest: errors at the paragraph's own line
cat > m.conf <<MAN
# two sources
Source: hello
Version: 1.2-1
Watch: $site/hello/ hello-(\d[\d.]*)\.tar\.gz

Source: broken
Version: 1.0-1
Watch:
 opts="uversionmangle=s/a/b/" \\
  $site/hello/ hello-([0-9.+)\.tar\.gz
MAN
expect 2 "hapkg: error: m.conf:9: bad regex.*" "$HAPKG" track --manifest m.conf
head -5 m.conf > good.conf
# progress on a terminal only: script(1) gives the command a pty
script -qec "$HAPKG track --manifest good.conf" /dev/null > pty.out 2>&1; rc=$?
"$HAPKG" track --manifest good.conf > pipe.out 2> pipe.err
if [ $rc = 0 ] && grep -q 'scanning upstreams' pty.out && ! grep -q 'scanning upstreams' pipe.out pipe.err; then
  ok "track --manifest: progress on a terminal, none in a pipe"
else bad "progress: rc=$rc pty=$(tr '\r' '\n' < pty.out | head -5) pipe=$(cat pipe.err)"; fi

"$HAPKG" track --help > help.txt 2>&1
grep -q 'version 3, 4 or 5' help.txt && grep -q '1 when nothing is newer' help.txt && ok "track --help: versions and exit status" \
  || bad "track --help: $(cat help.txt)"

# report --git: progress on a terminal
git init -q repo && printf 'Work items:\na: TODO\n' > repo/bp.txt && git -C repo add bp.txt \
  && git -C repo -c user.name=t -c user.email=t@t commit -qm one
script -qec "$HAPKG report --git --format csv repo/bp.txt" /dev/null > gitpty.out 2>&1; rc=$?
"$HAPKG" report --git --format csv repo/bp.txt > gitpipe.out 2>&1
if [ $rc = 0 ] && grep -q 'reading git history' gitpty.out && ! grep -q 'reading git history' gitpipe.out; then
  ok "report --git: progress on a terminal, none in a pipe"
else bad "report --git progress: rc=$rc $(tr '\r' '\n' < gitpty.out | head -5)"; fi
exit $fail
