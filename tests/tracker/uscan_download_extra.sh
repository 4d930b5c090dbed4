#!/bin/bash
# `hapkg track --download` for pgpmode=self, mode=git and pgpmode=gittag,
# compared with the real `uscan --download --rename` (devscripts) on the same
# watch file, HTTP server on loopback and local git repository: same file
# names, same bytes. A wrong key, a tampered file or an unsigned tag is
# refused with an error naming the watch file and line, and nothing is left
# under the final name.
# Usage: uscan_download_extra.sh HAPKG
set -u
HAPKG=$(realpath "$1")
tmp=$(mktemp -d)
server_pid=
cleanup() {
  for h in "$tmp/gnupg" "$tmp/other"; do [ -d "$h" ] && gpgconf --homedir "$h" --kill all 2>/dev/null; done
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

export GNUPGHOME=$tmp/gnupg
mkdir -m 700 "$GNUPGHOME" "$tmp/other"
gpg --batch --quiet --passphrase '' --quick-gen-key 'Upstream <up@example.org>' ed25519 sign never 2>/dev/null
gpg --homedir "$tmp/other" --batch --quiet --passphrase '' --quick-gen-key 'Other <other@example.org>' ed25519 sign never 2>/dev/null

# mkpkg DIR SOURCE WATCH-LINE [VERSION]: a package tree (3.0 (quilt)) with the signing key
mkpkg() {
  mkdir -p "$1/debian/upstream" "$1/debian/source"
  printf '%s (%s) unstable; urgency=medium\n\n  * Test.\n\n -- T <t@example.org>  Wed, 25 Nov 2026 00:00:00 +0000\n' \
    "$2" "${4:-1.0-1}" > "$1/debian/changelog"
  printf 'version=4\n%s\n' "$3" > "$1/debian/watch"
  echo '3.0 (quilt)' > "$1/debian/source/format"
  gpg --batch --armor --export up@example.org > "$1/debian/upstream/signing-key.asc"
}
# both NAME SOURCE WATCH-LINE [VERSION]: uscan and hapkg each download into their own dir
both() {
  for tool in uscan hapkg; do rm -rf "$tmp/$1-$tool"; mkpkg "$tmp/$1-$tool/$2" "$2" "$3" "${4:-}"; done
  (cd "$tmp/$1-uscan/$2" && uscan --no-conf --download --rename > "$tmp/$1.uscan.log" 2>&1); u=$?
  (cd "$tmp/$1-hapkg/$2" && "$HAPKG" track --download > /dev/null 2> "$tmp/$1.err"); h=$?
  u_list=$(cd "$tmp/$1-uscan" && ls | grep -v "^$2\$" | tr '\n' ' ')
  h_list=$(cd "$tmp/$1-hapkg" && ls | grep -v "^$2\$" | tr '\n' ' ')
}
# refused LABEL NAME SOURCE REGEX: hapkg (exit 2) names the watch line; no orig tarball
refused() {
  (cd "$tmp/$2-hapkg/$3" && "$HAPKG" track --download > /dev/null 2> "$tmp/$1.err"); h=$?
  left=$(cd "$tmp/$2-hapkg" && ls | grep -v "^$3\$" | tr '\n' ' ')
  if [ $h = 2 ] && grep -Eq "$4" "$tmp/$1.err" && [ -z "$left" ]; then ok "$1: $(head -c 150 "$tmp/$1.err")"
  else bad "$1: exit $h, left: '$left', stderr: $(cat "$tmp/$1.err")"; fi
}

# --- pgpmode=self: foo-2.0.tar.gz.gpg made with gpg --sign ---------------------
www=$tmp/www
mkdir -p "$www/self" "$tmp/src/selfpkg-2.0"
head -c 100000 /dev/urandom > "$tmp/src/selfpkg-2.0/data"
tar -C "$tmp/src" -czf "$tmp/selfpkg-2.0.tar.gz" selfpkg-2.0
gpg --batch --quiet --sign -o "$www/self/selfpkg-2.0.tar.gz.gpg" "$tmp/selfpkg-2.0.tar.gz"
echo '<a href="selfpkg-2.0.tar.gz.gpg">2.0</a> <a href="selfpkg-1.0.tar.gz.gpg">1.0</a>' > "$www/self/index.html"
python3 "$(dirname "$0")/loopback_http.py" "$www" "$tmp/port" 2> "$tmp/server.log" &
server_pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port") || { echo "server did not start"; exit 1; }
site=http://127.0.0.1:$port

both self selfpkg "opts=pgpmode=self $site/self/ selfpkg-([\\d.]+)\\.tar\\.gz\\.gpg"
if [ $h = 0 ] && [ "$u_list" = "$h_list" ] && [ -n "$h_list" ] \
   && cmp -s "$tmp/self-hapkg/selfpkg_2.0.orig.tar.gz" "$tmp/selfpkg-2.0.tar.gz" \
   && cmp -s "$tmp/self-uscan/selfpkg_2.0.orig.tar.gz" "$tmp/self-hapkg/selfpkg_2.0.orig.tar.gz"; then
  ok "pgpmode=self: verified, signed data extracted, same files as uscan: $h_list"
else bad "pgpmode=self: exit $h (uscan $u), uscan: '$u_list' ($(tail -3 "$tmp/self.uscan.log")), hapkg: '$h_list' $(cat "$tmp/self.err")"; fi
# signed by a key that is not in signing-key.asc
gpg --homedir "$tmp/other" --batch --quiet --yes --sign -o "$www/self/selfpkg-2.0.tar.gz.gpg" "$tmp/selfpkg-2.0.tar.gz"
rm -f "$tmp"/self-hapkg/selfpkg[_-]*
refused self-wrongkey self selfpkg 'debian/watch:2: signature check of selfpkg_2.0.orig.tar.gz.unverified failed'
# tampered: a byte of the signed file changed
gpg --batch --quiet --yes --sign -o "$www/self/selfpkg-2.0.tar.gz.gpg" "$tmp/selfpkg-2.0.tar.gz"
python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[len(b)//2]^=1; open(sys.argv[1],"wb").write(b)' \
  "$www/self/selfpkg-2.0.tar.gz.gpg"
refused self-tampered self selfpkg 'debian/watch:2: signature check of selfpkg_2.0.orig.tar.gz.unverified failed'

# --- mode=git: git archive of the newest tag, as uscan builds it ---------------
up=$tmp/upstream.git
git init -q "$up"
mkdir -p "$up/sub" && echo hello > "$up/README" && head -c 20000 /dev/urandom > "$up/sub/blob"
git -C "$up" add . && GIT_COMMITTER_DATE=2026-01-05T10:00:00Z GIT_AUTHOR_DATE=2026-01-05T10:00:00Z \
  git -C "$up" -c user.name=t -c user.email=t@t commit -q -m one
git -C "$up" tag v1.0
echo more > "$up/NEWS" && git -C "$up" add NEWS && GIT_COMMITTER_DATE=2026-02-05T10:00:00Z \
  GIT_AUTHOR_DATE=2026-02-05T10:00:00Z git -C "$up" -c user.name=t -c user.email=t@t commit -q -m two
gittag() { git -C "$up" -c user.name=t -c user.email=t@t "$@"; }
gittag tag -s -u up@example.org -m "v1.2" v1.2
both git gitpkg "opts=mode=git file://$up refs/tags/v([\\d.]+)"
if [ $h = 0 ] && [ "$u_list" = "$h_list" ] && [ "$h_list" = "gitpkg_1.2.orig.tar.xz " ] \
   && cmp -s "$tmp/git-uscan/gitpkg_1.2.orig.tar.xz" "$tmp/git-hapkg/gitpkg_1.2.orig.tar.xz" \
   && [ "$(tar -tJf "$tmp/git-hapkg/gitpkg_1.2.orig.tar.xz" | sort | tr '\n' ' ')" = "gitpkg-1.2/ gitpkg-1.2/NEWS gitpkg-1.2/README gitpkg-1.2/sub/ gitpkg-1.2/sub/blob " ]; then
  ok "mode=git: same bytes as uscan: $h_list"
else bad "mode=git: exit $h (uscan $u), uscan: '$u_list' ($(tail -3 "$tmp/git.uscan.log")), hapkg: '$h_list' $(cat "$tmp/git.err")"; fi
# a 1.0 source format (no debian/source/format): uscan repacks to gzip
rm -rf "$tmp/git-uscan/gitpkg/debian/source" "$tmp/git-hapkg/gitpkg/debian/source" "$tmp"/git-*/gitpkg_*
(cd "$tmp/git-uscan/gitpkg" && uscan --no-conf --download --rename > "$tmp/git.uscan.log" 2>&1); u=$?
(cd "$tmp/git-hapkg/gitpkg" && "$HAPKG" track --download > /dev/null 2> "$tmp/git.err"); h=$?
u_list=$(cd "$tmp/git-uscan" && ls | grep -v '^gitpkg$' | tr '\n' ' '); h_list=$(cd "$tmp/git-hapkg" && ls | grep -v '^gitpkg$' | tr '\n' ' ')
if [ $h = 0 ] && [ "$u_list" = "$h_list" ] && [ "$h_list" = "gitpkg_1.2.orig.tar.gz " ] \
   && cmp -s "$tmp/git-uscan/gitpkg_1.2.orig.tar.gz" "$tmp/git-hapkg/gitpkg_1.2.orig.tar.gz"; then
  ok "mode=git, format 1.0: gzip, same bytes as uscan: $h_list"
else bad "mode=git format 1.0: exit $h (uscan $u), uscan: '$u_list' ($(tail -3 "$tmp/git.uscan.log")), hapkg: '$h_list' $(cat "$tmp/git.err")"; fi
# versionless HEAD (full clone)
both githead headpkg "opts=\"mode=git, gitmode=full\" $up HEAD" 0.0~git20200101.1234567-1
if [ $h = 0 ] && [ "$u_list" = "$h_list" ] && [ -n "$h_list" ] \
   && cmp -s "$tmp/githead-uscan/${h_list% }" "$tmp/githead-hapkg/${h_list% }"; then
  ok "mode=git HEAD: same bytes as uscan: $h_list"
else bad "mode=git HEAD: exit $h (uscan $u), uscan: '$u_list' ($(tail -3 "$tmp/githead.uscan.log")), hapkg: '$h_list' $(cat "$tmp/githead.err")"; fi

# versionless heads/<branch> (shallow clone of the branch)
git -C "$up" branch dev v1.0
both gitbranch branchpkg "opts=mode=git $up heads/dev" 0.0~git20200101.1234567-1
if [ $h = 0 ] && [ "$u_list" = "$h_list" ] && [ -n "$h_list" ] \
   && cmp -s "$tmp/gitbranch-uscan/${h_list% }" "$tmp/gitbranch-hapkg/${h_list% }" \
   && ! tar -tJf "$tmp/gitbranch-hapkg/${h_list% }" | grep -q NEWS; then
  ok "mode=git heads/dev: same bytes as uscan: $h_list"
else bad "mode=git heads/dev: exit $h (uscan $u), uscan: '$u_list' ($(tail -3 "$tmp/gitbranch.uscan.log")), hapkg: '$h_list' $(cat "$tmp/gitbranch.err")"; fi

# --- pgpmode=gittag: the tag's signature checked before the tarball is made ---
both gittag tagpkg "opts=mode=git,pgpmode=gittag file://$up refs/tags/v([\\d.]+)"
if [ $h = 0 ] && [ "$u_list" = "$h_list" ] && [ "$h_list" = "tagpkg_1.2.orig.tar.xz " ] \
   && cmp -s "$tmp/gittag-uscan/tagpkg_1.2.orig.tar.xz" "$tmp/gittag-hapkg/tagpkg_1.2.orig.tar.xz"; then
  ok "pgpmode=gittag: signed tag verified, same bytes as uscan: $h_list"
else bad "pgpmode=gittag: exit $h (uscan $u), uscan: '$u_list' ($(tail -3 "$tmp/gittag.uscan.log")), hapkg: '$h_list' $(cat "$tmp/gittag.err")"; fi
rm -f "$tmp"/gittag-hapkg/tagpkg_*
# the newest tag signed by another key
GNUPGHOME=$tmp/other gittag tag -s -u other@example.org -m v1.3 v1.3
refused gittag-wrongkey gittag tagpkg 'debian/watch:2: signature check of tag refs/tags/v1.3 failed'
# the newest tag not signed at all (annotated, and lightweight)
gittag tag -a -m v1.4 v1.4
refused gittag-unsigned gittag tagpkg 'debian/watch:2: signature check of tag refs/tags/v1.4 failed'
gittag tag v1.5
refused gittag-lightweight gittag tagpkg 'debian/watch:2: signature check of tag refs/tags/v1.5 failed'
(cd "$tmp/gittag-uscan/tagpkg" && rm -f ../tagpkg_* && uscan --no-conf --download --rename > "$tmp/gittag.uscan.log" 2>&1); u=$?
if [ $u != 0 ] && [ -z "$(cd "$tmp/gittag-uscan" && ls | grep tagpkg_)" ]; then ok "uscan refuses the lightweight tag as well"
else bad "uscan accepted the lightweight tag: $(tail -3 "$tmp/gittag.uscan.log")"; fi
exit $fail
