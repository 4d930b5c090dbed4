#!/bin/bash
# Oracle test for `hapkg track --dehs`: the same watch files go through the
# real uscan (devscripts) and through hapkg against an HTTP server on
# loopback and local git repositories this test creates. The DEHS XML must
# agree tag for tag, and so must the exit status.
# Usage: uscan_oracle.sh HAPKG
set -u
HAPKG=$(realpath "$1")
tmp=$(mktemp -d)
server_pid=
cleanup() {
  [ -d "$tmp/gnupg" ] && GNUPGHOME=$tmp/gnupg gpgconf --kill gpg-agent 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail=0

# --- the upstream site -------------------------------------------------------
www=$tmp/www
mkdir -p "$www/hello" "$www/rc" "$www/plain" "$www/dfsg" "$www/moved/new" "$www/empty"
for v in 1.0 1.9 1.10; do echo "$v" > "$www/hello/hello-$v.tar.gz"; done
echo x > "$www/hello/hello-1.10.tar.xz"
cat > "$www/hello/index.html" <<'HTML'
<html><body>
<a href="hello-1.0.tar.gz">1.0</a>
<A HREF='hello-1.9.tar.gz'>1.9</A>
<a class="dl" href=hello-1.10.tar.gz>1.10</a>
<a href="/hello/hello-1.10.tar.xz">1.10 xz</a>
<!-- <a href="hello-9.9.tar.gz">commented out</a> -->
<a href="hello-1.10.tar.gz.asc">sig</a>
<a href="../hello/./hello-1.2.tar.gz">dots</a>
</body></html>
HTML
cat > "$www/rc/index.html" <<'HTML'
<a href="https://mirror.invalid/x/rcpkg-2.0rc1.tar.gz">x</a>
<a href="rcpkg-2.0rc1.tar.gz">2.0rc1</a><a href="rcpkg-1.9.tar.bz2">1.9</a>
<a href="rcpkg-2.0rc2.tar.gz">2.0rc2</a>
HTML
printf '{"releases":["plainpkg-3.1.tar.gz","plainpkg-3.10.tar.gz","plainpkg-3.2.tar.gz"]}\n' > "$www/plain/releases.json"
cat > "$www/dfsg/index.html" <<'HTML'
<a href="dfsgpkg-4.2.tar.xz">4.2</a> <a href="dfsgpkg-4.1.tar.xz">4.1</a>
HTML
cat > "$www/moved/new/index.html" <<'HTML'
<a href="movpkg-0.5.tar.gz">0.5</a>
HTML
echo '<html>nothing here</html>' > "$www/empty/index.html"
mkdir -p "$www/comp/main" "$www/comp/extra"  # a main tarball and an orig-component tarball
for v in 1.0 1.1 1.2; do echo "$v" > "$www/comp/main/comppkg-$v.tar.gz"; done
for v in 0.5 0.6 1.2; do echo "$v" > "$www/comp/extra/extra-$v.tar.gz"; done
for d in 1.0:1.0.1 1.2:1.2.1 1.10:1.10.1 1.10-beta:1.10.9; do  # directory listings come from http.server
  mkdir -p "$www/dirs/${d%%:*}"; echo x > "$www/dirs/${d%%:*}/dirpkg-${d#*:}.tar.gz"
done
python3 "$(dirname "$0")/loopback_http.py" "$www" "$tmp/port" --redirect /moved/old=/moved/new/ 2> "$tmp/server.log" &
server_pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port") || { echo "server did not start"; exit 1; }
site=http://127.0.0.1:$port

# --- local git upstreams ----------------------------------------------------
mkgit() {  # mkgit DIR TAG...
  local d=$1; shift
  git init -q "$d" && git -C "$d" -c user.name=t -c user.email=t@t commit -q --allow-empty -m init
  for t in "$@"; do git -C "$d" tag "$t"; done
}
mkgit "$tmp/git1" v1.0 v1.2 v1.10 v2.0-rc1 other-9
mkgit "$tmp/git2" release_3_1 release_3_2 release_3_11
# git3: main (tagged v2.1, two commits later) and a branch "dev"; fixed dates.
gc() { GIT_COMMITTER_DATE="$1T10:00:00+0200" GIT_AUTHOR_DATE="$1T10:00:00+0200" \
  git -C "$tmp/git3" -c user.name=t -c user.email=t@t commit -q --allow-empty -m "$1"; }
git init -q -b main "$tmp/git3" && gc 2026-01-05 && git -C "$tmp/git3" tag -a -m v2.1 v2.1
gc 2026-02-01 && gc 2026-03-02
git -C "$tmp/git3" checkout -q -b dev && gc 2026-04-09 && git -C "$tmp/git3" checkout -q main
git3_head=$(git -C "$tmp/git3" rev-parse --short HEAD)

# --- package trees: name|changelog version|watch body -------------------------
mkpkg() {  # mkpkg NAME VERSION WATCH
  local d=$tmp/pkgs/$1
  mkdir -p "$d/debian"
  printf '%s (%s) unstable; urgency=medium\n\n  * Test.\n\n -- T <t@example.org>  Wed, 25 Nov 2026 00:00:00 +0000\n' \
    "$1" "$2" > "$d/debian/changelog"
  printf '%s\n' "$3" > "$d/debian/watch"
}
mkpkg hello 1.9-1 "version=4
$site/hello/ @PACKAGE@@ANY_VERSION@@ARCHIVE_EXT@"
mkpkg hello 1.9-1 "version=4
$site/hello/ @PACKAGE@@ANY_VERSION@@ARCHIVE_EXT@"
mkpkg uptodate 1:1.10-2 "version=4
opts=\"dversionmangle=s/\+really.*//\" \\
  $site/hello/hello-([\d.]+)\.tar\.gz"
mkpkg older 2.0-1 "version=4
$site/hello/ hello@ANY_VERSION@@ARCHIVE_EXT@"
mkpkg rcpkg 1.9-1 "version=4
opts=uversionmangle=s/rc/~rc/ $site/rc/ @PACKAGE@-(\d[\d.]*(?:rc\d+)?)@ARCHIVE_EXT@"
mkpkg plainpkg 3.2-1 "version=4
opts=searchmode=plain $site/plain/releases.json @PACKAGE@-(\d+)\.(\d+)\.tar\.gz"
mkpkg dfsgpkg 4.2+dfsg-1 "version=4
opts=dversionmangle=auto,repack,filenamemangle=s/.*-(.*)/dfsgpkg_\$1/ $site/dfsg/ dfsgpkg-(\d[\d.]*)\.tar\.xz"
mkpkg movpkg 0.4-1 "version=4
$site/moved/old/ movpkg-([\d.]+)\.tar\.gz"
mkpkg dlmangle 1.0-1 "version=4
opts=downloadurlmangle=s/\.tar\.gz\$/.tar.gz?raw=1/ $site/hello/ hello-([\d.]+)\.tar\.gz"
mkpkg dirpkg 1.2.1-1 "version=4
opts=dirversionmangle=s/-beta/~beta/ $site/dirs/(\d[\d.]*(?:-beta)?)/ dirpkg-([\d.]+)\.tar\.gz"
mkpkg dirpkg2 1.0-1 "version=4
$site/dirs/([\d.]+)/dirpkg-([\d.]+)\.tar\.gz"
mkpkg ignored 0.1-1 "version=4
$site/hello/ hello-([\d.]+)\.tar\.gz ignore"
mkpkg gitpkg 1.2-1 "version=4
opts=\"mode=git, uversionmangle=s/-rc/~rc/\" file://$tmp/git1 refs/tags/v@ANY_VERSION@"
mkpkg gitpkg2 3.11-0ubuntu1 "version=4
opts=mode=git,uversionmangle=s/_/./g $tmp/git2 refs/tags/release_(\d+_\d+)"
# versionless git: HEAD and heads/<branch>, shallow and full clones, pretty=, date=, describe
mkpkg githead 0.0~git20260101.1234567-1 "version=4
opts=mode=git file://$tmp/git3 HEAD"
mkpkg githeadnow 0.0~git20260302.$git3_head-1 "version=4
opts=\"mode=git, gitmode=full\" $tmp/git3 HEAD"
mkpkg gitbranch 0.0~git20260101.1234567-1 "version=4
opts=mode=git,gitmode=shallow file://$tmp/git3 heads/dev"
mkpkg gitbranchfull 0.0~git20260101.1234567-1 "version=4
opts=mode=git,gitmode=full $tmp/git3 heads/dev"
mkpkg gitpretty 2.0-1 "version=4
opts=\"mode=git, pretty=2.1+git%cd, date=%Y.%m.%d.%H%M\" $tmp/git3 HEAD"
mkpkg gitdescribe 2.1-1 "version=4
opts=\"mode=git, pretty=describe, uversionmangle=s/^v//\" $tmp/git3 HEAD"
# multi-line watch files with orig-component tarballs; the version field same / ignore / (debian)
mkpkg compsame 1.1-1 "version=4
$site/comp/main/ comppkg-([\d.]+)\.tar\.gz
opts=\"component=extra\" $site/comp/extra/ extra-([\d.]+)\.tar\.gz same"
mkpkg compignore 1.2-1 "version=4
$site/comp/main/ comppkg-([\d.]+)\.tar\.gz
opts=component=extra $site/comp/extra/ extra-([\d.]+)\.tar\.gz ignore"
mkpkg compdebian 1.1-1 "version=4
$site/comp/main/ comppkg-([\d.]+)\.tar\.gz debian
opts=component=extra $site/comp/extra/ extra-([\d.]+)\.tar\.gz"
# pgpmode in --report: uscan's corrections and their warnings; modes that only matter when downloading
mkpkg pgpauto 1.9-1 "version=4
opts=pgpsigurlmangle=s/\$/.asc/,pgpmode=auto $site/hello/ hello-([\d.]+)\.tar\.gz"
mkpkg pgpmangle 1.9-1 "version=4
opts=pgpmode=mangle $site/hello/ hello-([\d.]+)\.tar\.gz"
mkpkg pgpnone 1.9-1 "version=4
opts=pgpmode=none $site/hello/ hello-([\d.]+)\.tar\.gz"
mkpkg pgpgittag 1.2-1 "version=4
opts=mode=git,pgpmode=gittag file://$tmp/git1 refs/tags/v([\d.]+)"
# group: the Debian version is the group lines' versions joined with +~
mkpkg compgroup 1.1+~0.6-1 "version=4
$site/comp/main/ comppkg-([\d.]+)\.tar\.gz group
opts=component=extra $site/comp/extra/ extra-([\d.]+)\.tar\.gz group"
mkpkg compgroupnew 1.1-1 "version=4
$site/comp/main/ comppkg-([\d.]+)\.tar\.gz group
opts=component=extra $site/comp/extra/ extra-([\d.]+)\.tar\.gz group"
mkpkg compgroupok 1.2+~1.2-1 "version=4
$site/comp/main/ comppkg-([\d.]+)\.tar\.gz group
opts=component=extra $site/comp/extra/ extra-([\d.]+)\.tar\.gz group"
# a signature on its own line (pgpmode=next, then pgpmode=previous with version previous): skipped in --report
mkpkg sigline 1.9-1 "version=4
opts=pgpmode=next $site/hello/ hello-([\d.]+)\.tar\.gz
opts=pgpmode=previous $site/hello/ hello-([\d.]+)\.tar\.gz\.asc previous"

status=0
for d in "$tmp"/pkgs/*; do
  name=$(basename "$d")
  (cd "$d" && uscan --no-conf --report --dehs > "$tmp/$name.uscan" 2> "$tmp/$name.uscan.err"); u=$?
  (cd "$d" && "$HAPKG" track --dehs > "$tmp/$name.hapkg" 2> "$tmp/$name.hapkg.err"); h=$?
  if ! diff -u "$tmp/$name.uscan" "$tmp/$name.hapkg"; then
    echo "FAIL $name: DEHS output differs (uscan stderr: $(cat "$tmp/$name.uscan.err"))"; fail=1
  elif [ "$u" != "$h" ]; then
    echo "FAIL $name: exit status uscan=$u hapkg=$h"; fail=1
  else
    echo "ok   $name: $(grep -o "<upstream-version>.*</upstream-version>" "$tmp/$name.hapkg") $(grep -o "<status>.*</status>" "$tmp/$name.hapkg") exit $h"
  fi
done

# --- watch version 5 (deb822) ---------------------------------------------------
# Debian 12's uscan (devscripts 2.23) has no version 5, so each v5 file below
# is the equivalent of a v4 watch file above: hapkg on the v5 file must give
# exactly the DEHS that the real uscan gave on the v4 one.
v5() {  # v5 NAME TEXT: the tree NAME with its watch file replaced
  rm -rf "$tmp/v5/$1"; mkdir -p "$tmp/v5/$1"; cp -r "$tmp/pkgs/$1/debian" "$tmp/v5/$1/"
  printf '%s\n' "$2" > "$tmp/v5/$1/debian/watch"
  (cd "$tmp/v5/$1" && "$HAPKG" track --dehs > "$tmp/$1.v5" 2> "$tmp/$1.v5.err")
  if diff -u "$tmp/$1.uscan" "$tmp/$1.v5"; then echo "ok   v5 $1: same DEHS as uscan on the v4 line"
  else echo "FAIL v5 $1: $(cat "$tmp/$1.v5.err")"; fail=1; fi
}
v5 hello "Version: 5

Source: $site/hello/
Matching-Pattern: @PACKAGE@@ANY_VERSION@@ARCHIVE_EXT@"
v5 rcpkg "Version: 5
Uversion-Mangle: s/rc/~rc/

Source: $site/rc/
Matching-Pattern: @PACKAGE@-(\d[\d.]*(?:rc\d+)?)@ARCHIVE_EXT@"
v5 plainpkg "Version: 5

Source: $site/plain/releases.json
Matching-Pattern: @PACKAGE@-(\d+)\.(\d+)\.tar\.gz
Searchmode: plain"
v5 dfsgpkg "Version: 5

Source: $site/dfsg/
Matching-Pattern: dfsgpkg-(\d[\d.]*)\.tar\.xz
Dversion-Mangle: auto
Repack: yes
Filename-Mangle: s/.*-(.*)/dfsgpkg_\$1/"
v5 gitpkg "Version: 5

Source: file://$tmp/git1
Matching-Pattern: refs/tags/v@ANY_VERSION@
Mode: git
Uversion-Mangle: s/-rc/~rc/"
v5 gitpretty "Version: 5

Source: $tmp/git3
Matching-Pattern: HEAD
Mode: git
Pretty: 2.1+git%cd
Date: %Y.%m.%d.%H%M"

# --- a manifest: same answers as the trees' watch files, in a table -----------
cat > "$tmp/manifest.conf" <<MAN
# HA stack, for the test
Source: hello
Version: 1.9-1
Watch:
 $site/hello/ @PACKAGE@@ANY_VERSION@@ARCHIVE_EXT@

Source: rcpkg
Version: 1.9-1
Watch:
 opts=uversionmangle=s/rc/~rc/ \
   $site/rc/ @PACKAGE@-(\d[\d.]*(?:rc\d+)?)@ARCHIVE_EXT@
MAN
"$HAPKG" track --manifest "$tmp/manifest.conf" > "$tmp/table" 2>&1; h=$?
want="hello   1.9-1  1.10      newer package available
rcpkg   1.9-1  2.0~rc2   newer package available"
if [ $h = 0 ] && [ "$(tail -n +2 "$tmp/table")" = "$want" ] && head -1 "$tmp/table" | grep -q '^SOURCE  OURS   UPSTREAM  STATUS'; then
  echo "ok   manifest: table as the trees give it"
else echo "FAIL manifest: exit $h"; cat "$tmp/table"; fail=1; fi

# --- --archive: versions from Sources indices beside ours and upstream ------
printf 'Package: hello\nVersion: 1.9-1\n\nPackage: hello\nVersion: 1.10-2\n\nPackage: other\nVersion: 5\n' | gzip > "$tmp/Sources.gz"
(cd "$tmp/pkgs/hello" && "$HAPKG" --json track --archive "$tmp/Sources.gz" > "$tmp/arch.json"); h=$?
if [ $h = 0 ] && python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j[0]["archives"][sys.argv[2]]=="1.10-2" and j[0]["upstream-version"]=="1.10" else 1)' "$tmp/arch.json" "$tmp/Sources.gz"
then echo "ok   --archive: Sources.gz version shown"; else echo "FAIL --archive: $(cat "$tmp/arch.json")"; fail=1; fi

# --- --download, compared with uscan --download; resume; signatures ----------
export GNUPGHOME=$tmp/gnupg; mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'Upstream <up@example.org>' ed25519 sign never 2>/dev/null
mkdir -p "$www/signed"
mkdir -p "$tmp/src/signed-2.0" && head -c 200000 /dev/urandom > "$tmp/src/signed-2.0/data"
tar -C "$tmp/src" -cJf "$www/signed/signed-2.0.tar.xz" signed-2.0
gpg --batch --quiet --armor --detach-sign -o "$www/signed/signed-2.0.tar.xz.asc" "$www/signed/signed-2.0.tar.xz"
echo '<a href="signed-2.0.tar.xz">2.0</a> <a href="signed-2.0.tar.xz.asc">sig</a>' > "$www/signed/index.html"
for tool in uscan hapkg; do
  mkdir -p "$tmp/dl-$tool/signed"
  cp -r "$tmp/pkgs/hello/debian" "$tmp/dl-$tool/signed/"
  sed -i '1s/^hello (1.9-1)/signed (1.0-1)/' "$tmp/dl-$tool/signed/debian/changelog"
  printf 'version=4\nopts=pgpsigurlmangle=s/$/.asc/ %s/signed/ signed-([\\d.]+)\\.tar\\.xz\n' "$site" > "$tmp/dl-$tool/signed/debian/watch"
  mkdir -p "$tmp/dl-$tool/signed/debian/upstream" "$tmp/dl-$tool/signed/debian/source"
  echo '3.0 (quilt)' > "$tmp/dl-$tool/signed/debian/source/format"
  gpg --batch --armor --export up@example.org > "$tmp/dl-$tool/signed/debian/upstream/signing-key.asc"
done
(cd "$tmp/dl-uscan/signed" && uscan --no-conf --download --rename > "$tmp/uscan-dl.log" 2>&1)
# a stale partial file must not end up in the result
echo garbage > "$tmp/dl-hapkg/signed_2.0.orig.tar.xz.unverified.part"
(cd "$tmp/dl-hapkg/signed" && "$HAPKG" track --download > /dev/null 2> "$tmp/dl.err"); h=$?
u_file=$(cd "$tmp/dl-uscan" && ls signed_*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -1)
if [ $h = 0 ] && [ -n "$u_file" ] && cmp -s "$tmp/dl-hapkg/$u_file" "$www/signed/signed-2.0.tar.xz" \
   && ! ls "$tmp/dl-hapkg" | grep -Eq '\.(part|unverified)$'; then
  echo "ok   --download: $u_file as uscan names it, signature verified, no partial file left"
else echo "FAIL --download: exit $h, uscan made '$u_file' ($(cat "$tmp/uscan-dl.log")), hapkg: $(ls "$tmp/dl-hapkg") $(cat "$tmp/dl.err")"; fail=1; fi
# signature mismatch: error naming the watch file and line, no orig tarball
rm -f "$tmp"/dl-hapkg/signed_2.0.orig.tar.xz*
echo "tampered" >> "$www/signed/signed-2.0.tar.xz"
(cd "$tmp/dl-hapkg/signed" && "$HAPKG" track --download > /dev/null 2> "$tmp/dl.err"); h=$?
if [ $h = 2 ] && grep -q 'debian/watch:2: signature check of signed_2.0.orig.tar.xz.unverified failed' "$tmp/dl.err" \
   && [ -z "$(ls "$tmp/dl-hapkg" | grep signed_)" ]; then
  echo "ok   bad signature: $(head -c 120 "$tmp/dl.err")"
else echo "FAIL bad signature: exit $h $(cat "$tmp/dl.err") $(ls "$tmp/dl-hapkg")"; fail=1; fi

# pgpmode=auto finds <url>.sig (binary signature) by itself; pgpmode=none checks nothing
mkdir -p "$www/auto" "$tmp/src/autopkg-3.0" && head -c 50000 /dev/urandom > "$tmp/src/autopkg-3.0/data"
tar -C "$tmp/src" -czf "$www/auto/autopkg-3.0.tar.gz" autopkg-3.0
gpg --batch --quiet --detach-sign -o "$www/auto/autopkg-3.0.tar.gz.sig" "$www/auto/autopkg-3.0.tar.gz"
echo '<a href="autopkg-3.0.tar.gz">3.0</a> <a href="autopkg-2.0.tar.gz">2.0</a>' > "$www/auto/index.html"
for tool in uscan hapkg; do
  d=$tmp/auto-$tool/autopkg; mkdir -p "$d"; cp -r "$tmp/dl-$tool/signed/debian" "$d/"
  sed -i '1s/^signed (1.0-1)/autopkg (1.0-1)/' "$d/debian/changelog"
  printf 'version=4\nopts=pgpmode=auto %s/auto/ autopkg-([\\d.]+)\\.tar\\.gz\n' "$site" > "$d/debian/watch"
done
(cd "$tmp/auto-uscan/autopkg" && uscan --no-conf --download --rename > "$tmp/uscan-auto.log" 2>&1)
(cd "$tmp/auto-hapkg/autopkg" && "$HAPKG" track --download > /dev/null 2> "$tmp/auto.err"); h=$?
u_list=$(cd "$tmp/auto-uscan" && ls autopkg_* | tr '\n' ' '); h_list=$(cd "$tmp/auto-hapkg" && ls autopkg_* | tr '\n' ' ')
if [ $h = 0 ] && [ "$u_list" = "$h_list" ] && cmp -s "$tmp/auto-hapkg/autopkg_3.0.orig.tar.gz" "$www/auto/autopkg-3.0.tar.gz" \
   && cmp -s "$tmp/auto-uscan/autopkg_3.0.orig.tar.gz.asc" "$tmp/auto-hapkg/autopkg_3.0.orig.tar.gz.asc"; then
  echo "ok   pgpmode=auto: found the .sig, verified, kept armoured as uscan does: $h_list"
else echo "FAIL pgpmode=auto: exit $h, uscan: $u_list ($(tail -3 "$tmp/uscan-auto.log")), hapkg: $h_list $(cat "$tmp/auto.err")"; fail=1; fi
rm -f "$tmp"/auto-hapkg/autopkg_*
echo "tampered" >> "$www/auto/autopkg-3.0.tar.gz"
(cd "$tmp/auto-hapkg/autopkg" && "$HAPKG" track --download > /dev/null 2> "$tmp/auto.err"); h=$?
if [ $h = 2 ] && grep -q 'debian/watch:2: signature check of autopkg_3.0.orig.tar.gz.unverified failed' "$tmp/auto.err" \
   && [ -z "$(ls "$tmp/auto-hapkg" | grep autopkg_)" ]; then echo "ok   pgpmode=auto, tampered tarball: refused"
else echo "FAIL pgpmode=auto tampered: exit $h $(cat "$tmp/auto.err") $(ls "$tmp/auto-hapkg")"; fail=1; fi
sed -i 's/pgpmode=auto/pgpmode=none/' "$tmp/auto-hapkg/autopkg/debian/watch"
(cd "$tmp/auto-hapkg/autopkg" && "$HAPKG" track --download > /dev/null 2> "$tmp/auto.err"); h=$?
if [ $h = 0 ] && [ "$(cd "$tmp/auto-hapkg" && ls autopkg_*)" = autopkg_3.0.orig.tar.gz ]; then echo "ok   pgpmode=none: no signature check, as asked"
else echo "FAIL pgpmode=none: exit $h $(cat "$tmp/auto.err")"; fail=1; fi

# the signature on its own watch line: pgpmode=next, then pgpmode=previous (version previous)
mkdir -p "$www/sep"
for v in 3.0 4.0; do
  mkdir -p "$tmp/src/seppkg-$v" && head -c 30000 /dev/urandom > "$tmp/src/seppkg-$v/data"
  tar -C "$tmp/src" -czf "$www/sep/seppkg-$v.tar.gz" "seppkg-$v"
  gpg --batch --quiet --armor --detach-sign -o "$www/sep/seppkg-$v.tar.gz.asc" "$www/sep/seppkg-$v.tar.gz"
done
echo '<a href="seppkg-3.0.tar.gz">3.0</a> <a href="seppkg-4.0.tar.gz">4.0</a> <a href="seppkg-3.0.tar.gz.asc">s</a> <a href="seppkg-4.0.tar.gz.asc">s</a>' > "$www/sep/index.html"
for tool in uscan hapkg; do
  d=$tmp/sep-$tool/seppkg; mkdir -p "$d"; cp -r "$tmp/dl-$tool/signed/debian" "$d/"
  sed -i '1s/^signed (1.0-1)/seppkg (1.0-1)/' "$d/debian/changelog"
  printf 'version=4\nopts=pgpmode=next %s/sep/ seppkg-([\\d.]+)\\.tar\\.gz\nopts=pgpmode=previous %s/sep/ seppkg-([\\d.]+)\\.tar\\.gz\\.asc previous\n' "$site" "$site" > "$d/debian/watch"
done
(cd "$tmp/sep-uscan/seppkg" && uscan --no-conf --download --rename > "$tmp/uscan-sep.log" 2>&1); u=$?
(cd "$tmp/sep-hapkg/seppkg" && "$HAPKG" track --download > /dev/null 2> "$tmp/sep.err"); h=$?
u_list=$(cd "$tmp/sep-uscan" && ls seppkg_* | tr '\n' ' '); h_list=$(cd "$tmp/sep-hapkg" && ls seppkg_* | tr '\n' ' ')
if [ "$u" = "$h" ] && [ "$u_list" = "$h_list" ] && cmp -s "$tmp/sep-hapkg/seppkg_4.0.orig.tar.gz" "$www/sep/seppkg-4.0.tar.gz" \
   && cmp -s "$tmp/sep-uscan/seppkg_4.0.orig.tar.gz.asc" "$tmp/sep-hapkg/seppkg_4.0.orig.tar.gz.asc"; then
  echo "ok   pgpmode=next/previous: signature from the next line, verified, as uscan: $h_list (exit $h)"
else echo "FAIL pgpmode=next/previous: exit $h (uscan $u), uscan: $u_list ($(tail -3 "$tmp/uscan-sep.log")), hapkg: $h_list $(cat "$tmp/sep.err")"; fail=1; fi
rm -f "$tmp"/sep-hapkg/seppkg_*
cp "$www/sep/seppkg-3.0.tar.gz.asc" "$www/sep/seppkg-4.0.tar.gz.asc"  # a signature of another file
(cd "$tmp/sep-hapkg/seppkg" && "$HAPKG" track --download > /dev/null 2> "$tmp/sep.err"); h=$?
if [ $h = 2 ] && grep -q 'signature check of seppkg_4.0.orig.tar.gz.unverified failed' "$tmp/sep.err" \
   && [ -z "$(ls "$tmp/sep-hapkg" | grep seppkg_)" ]; then echo "ok   pgpmode=next/previous, wrong signature: refused"
else echo "FAIL pgpmode=next/previous wrong signature: exit $h $(cat "$tmp/sep.err") $(ls "$tmp/sep-hapkg")"; fail=1; fi

# --- bad input: one line naming file and line, exit 2 (input) or 3 (network)
expect_error() {  # expect_error NAME CODE MESSAGE-REGEX WATCH
  local d=$tmp/bad/$1
  mkdir -p "$d/debian"
  cp "$tmp/pkgs/hello/debian/changelog" "$d/debian/changelog"
  printf '%s\n' "$4" > "$d/debian/watch"
  (cd "$d" && "$HAPKG" track --dehs > "$tmp/out" 2> "$tmp/err"); local h=$?
  if [ "$h" != "$2" ] || ! grep -Eq "$3" "$tmp/err"; then
    echo "FAIL $1: exit $h (want $2), stderr: $(cat "$tmp/err")"; fail=1
  else
    echo "ok   $1: $(head -1 "$tmp/err")"
  fi
}
expect_error bad-regex 2 '^hapkg: error: debian/watch:3: bad regex' "version=4

$site/hello/ hello-([\d.+)\.tar\.gz"
expect_error no-parens 2 '^hapkg: error: debian/watch:2: pattern .* has no version delimiters' "version=4
$site/hello/ hello-1.0.tar.gz"
expect_error bad-mangle 2 '^hapkg: error: debian/watch:2: uversionmangle: ' "version=4
opts=uversionmangle=s/a/b/e $site/hello/ hello-([\d.]+)\.tar\.gz"
expect_error unreachable 3 'debian/watch:2: reading http://127.0.0.1:1/' "version=4
http://127.0.0.1:1/ hello-([\d.]+)\.tar\.gz"
expect_error no-match 3 'debian/watch:3: no matching files' "version=4
# nothing matches
$site/empty/ hello-([\d.]+)\.tar\.gz"
# refs/heads/<branch> is not uscan's versionless form (that is heads/<branch>): uscan skips the line too
expect_error refs-heads 2 '^hapkg: error: debian/watch:2: pattern .refs/heads/dev. has no version delimiters' "version=4
opts=mode=git $tmp/git3 refs/heads/dev"
if (cd "$tmp/bad/refs-heads" && uscan --no-conf --report --dehs 2>&1) | grep -q 'Tag pattern missing version delimiters'; then
  echo "ok   refs-heads: uscan refuses the line as well"
else echo "FAIL refs-heads: uscan accepted refs/heads/dev"; fail=1; fi
expect_error empty 2 '^hapkg: error: debian/watch: empty watch file' ""
rm "$tmp/bad/empty/debian/watch"
(cd "$tmp/bad/empty" && "$HAPKG" track > /dev/null 2> "$tmp/err"); h=$?
if [ "$h" != 2 ] || ! grep -q '^hapkg: error: debian/watch' "$tmp/err"; then
  echo "FAIL missing watch file: exit $h, stderr: $(cat "$tmp/err")"; fail=1
else
  echo "ok   missing: $(cat "$tmp/err")"
fi
exit $fail
