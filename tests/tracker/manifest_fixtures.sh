#!/bin/bash
# tracker/ha-stack.conf cannot be checked against the real upstream sites
# here (no network). This test runs every paragraph of the real manifest
# against saved pages shaped like those sites (fixtures/ha-stack/<host>/...:
# GitHub tag lists, Apache and nginx directory indices; a local git repo for
# mode=git), served on loopback with only the scheme and host rewritten:
# the real uscan (--report --dehs) and hapkg track --dehs must agree on each
# line, which also shows that uscan accepts every watch line's syntax, and
# `hapkg track --manifest` must find the expected versions. A paragraph
# without a fixture fails the test.
# Usage: manifest_fixtures.sh HAPKG MANIFEST FIXTURES
set -u
HAPKG=$(realpath "$1"); MANIFEST=$(realpath "$2"); FIX=$(realpath "$3")
tmp=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
python3 "$(dirname "$0")/loopback_http.py" "$FIX" "$tmp/port" --all-html 2> "$tmp/server.log" &
server_pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port") || { echo "server did not start"; exit 1; }

# The git upstream (openstack-resource-agents): tags shaped like a release history.
g=$tmp/git/github.com/hastexo/openstack-resource-agents
git init -q -b master "$g" && git -C "$g" -c user.name=t -c user.email=t@t commit -q --allow-empty -m init
for t in v1.0 v1.1 v2.0-rc1 debian/1.0-1; do git -C "$g" tag "$t"; done

# One package tree per manifest paragraph, with the watch line rewritten.
python3 - "$MANIFEST" "$tmp" "$port" <<'PY' || { echo "FAIL: could not split the manifest"; exit 1; }
import os, re, sys
manifest, tmp, port = sys.argv[1:]
paras, cur, key = [], {}, None
for line in open(manifest, encoding='utf-8').read().split('\n') + ['']:
    if line.startswith('#'): continue
    if not line.strip():
        if cur: paras.append(cur)
        cur, key = {}, None
    elif line[0] in ' \t':
        cur[key] += ('\n' if cur[key] else '') + line[1:]
    else:
        key, _, v = line.partition(':'); cur[key] = v.strip()
with open(f'{tmp}/sources', 'w') as out:
    for p in paras:
        if 'Watch' not in p: continue  # the pipeline's paragraphs (tools/pipeline/manifest.h)
        w = p['Watch']
        if 'mode=git' in w:
            w = re.sub(r'https://(\S+)', lambda m: f'{tmp}/git/{m.group(1)}', w)
        else:
            w = re.sub(r'https://([^/\s]+)/', lambda m: f'http://127.0.0.1:{port}/{m.group(1)}/', w)
        d = f"{tmp}/pkgs/{p['Source']}/debian"; os.makedirs(d)
        open(f'{d}/watch', 'w').write('version=4\n' + w + '\n')
        open(f'{d}/changelog', 'w').write(f"{p['Source']} ({p['Version']}) unstable; urgency=medium\n\n  * T.\n\n"
                                          " -- T <t@example.org>  Wed, 25 Nov 2026 00:00:00 +0000\n")
        out.write(p['Source'] + '\n')
    # the manifest itself, rewritten the same way, for --manifest
    text = open(manifest, encoding='utf-8').read()
    text = re.sub(r'https://(github\.com/hastexo/\S+)', lambda m: f'{tmp}/git/{m.group(1)}', text)
    text = re.sub(r'https://([^/\s]+)/', lambda m: f'http://127.0.0.1:{port}/{m.group(1)}/', text)
    open(f'{tmp}/manifest.conf', 'w').write(text)
PY

declare -A want=([resource-agents]=4.14.0~rc1 [pacemaker]=2.1.8~rc1 [corosync]=3.1.10 [fence-agents]=4.15.0
                 [dlm]=4.3.0 [gfs2-utils]=3.5.1 [drbd-utils]=9.27.0 [openstack-resource-agents]=2.0~rc1)
n=0
while read -r src; do
  n=$((n + 1))
  d=$tmp/pkgs/$src
  if [ -z "${want[$src]:-}" ]; then echo "FAIL $src: no fixture for this manifest paragraph"; fail=1; continue; fi
  (cd "$d" && uscan --no-conf --report --dehs > "$tmp/$src.uscan" 2> "$tmp/$src.uscan.err"); u=$?
  (cd "$d" && "$HAPKG" track --dehs > "$tmp/$src.hapkg" 2> "$tmp/$src.hapkg.err"); h=$?
  got=$(grep -o '<upstream-version>.*</upstream-version>' "$tmp/$src.uscan")
  if ! diff -u "$tmp/$src.uscan" "$tmp/$src.hapkg"; then
    echo "FAIL $src: DEHS differs from uscan ($(cat "$tmp/$src.uscan.err" "$tmp/$src.hapkg.err"))"; fail=1
  elif [ "$u" != "$h" ] || [ "$got" != "<upstream-version>${want[$src]}</upstream-version>" ]; then
    echo "FAIL $src: exit uscan=$u hapkg=$h, uscan found '$got', want ${want[$src]}"; fail=1
  else
    echo "ok   $src: uscan and hapkg agree: ${want[$src]} ($(grep -o '<status>.*</status>' "$tmp/$src.hapkg"))"
  fi
done < "$tmp/sources"
[ "$n" = "${#want[@]}" ] || { echo "FAIL: manifest has $n paragraphs, fixtures cover ${#want[@]}"; fail=1; }

"$HAPKG" --json track --manifest "$tmp/manifest.conf" > "$tmp/manifest.json" 2> "$tmp/manifest.err"; h=$?
if [ $h = 0 ] && python3 - "$tmp/manifest.json" <<PY
import json, sys
want = {$(for k in "${!want[@]}"; do printf '"%s": "%s", ' "$k" "${want[$k]}"; done)}
got = {e['package']: e['upstream-version'] for e in json.load(open(sys.argv[1]))}
sys.exit(0 if got == want else print(got) or 1)
PY
then echo "ok   --manifest: every paragraph's newest version found"
else echo "FAIL --manifest: exit $h $(cat "$tmp/manifest.err")"; fail=1; fi
exit $fail
