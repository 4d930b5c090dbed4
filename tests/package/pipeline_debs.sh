#!/bin/bash
# Self-packaging: builds the project's binary packages from a copy of the
# source tree with `dpkg-buildpackage -b -us -uc` (BUILD_TESTING off, as
# debian/rules does), runs lintian on the .changes (no errors allowed), and
# checks what the packages hold: the binary's --version is debian/changelog's
# version, the man page and bash completion are installed and work.
# Usage: build_and_lint.sh SOURCE_DIR
set -uo pipefail
src=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# A copy without build trees or VCS data: what a clean clone holds.
mkdir "$work/hapkg"
tar -C "$src" --exclude=./.git --exclude=./build --exclude='./build-*' --exclude='./obj-*' -cf - . |
  tar -C "$work/hapkg" -xf - || { echo "cannot copy $src"; exit 1; }
version=$(dpkg-parsechangelog -l "$src/debian/changelog" -SVersion)
cd "$work/hapkg" || exit 1
if ! DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -b -us -uc >"$work/build.log" 2>&1; then
  tail -n 40 "$work/build.log"
  echo "FAIL: dpkg-buildpackage"
  exit 1
fi
cd "$work" || exit 1
changes=$(ls "$work"/hapkg_*_*.changes)
[[ -f "$changes" ]] || { echo "FAIL: no .changes"; exit 1; }

# lintian: no errors (warnings are printed for the record).
lintian --fail-on error --tag-display-limit 0 "$changes" >"$work/lintian.log" 2>&1
lintian_rc=$?
cat "$work/lintian.log"
[[ $lintian_rc == 0 ]] || fail "lintian exit $lintian_rc"
grep -q '^E: ' "$work/lintian.log" && fail "lintian errors"

for pkg in hapkg resource-agents-openstack; do
  deb="$work/${pkg}_${version}_$(dpkg --print-architecture).deb"
  [[ -f "$deb" ]] || { fail "$pkg: $deb not built"; continue; }
  [[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "$pkg: Version is not $version"
  dpkg-deb -x "$deb" "$work/root"
  # Libraries loaded with dlopen() (tools/util/curl_api.h, archive_api.h)
  # are invisible to dpkg-shlibdeps: debian/control must name them.
  deps=$(dpkg-deb -f "$deb" Depends)
  [[ "$deps" == *"libcurl3-gnutls | libcurl4"* ]] || fail "$pkg: Depends lacks libcurl3-gnutls | libcurl4: $deps"
  [[ $pkg != hapkg || "$deps" == *libarchive13* ]] || fail "$pkg: Depends lacks libarchive13: $deps"
done

bin="$work/root/usr/bin/hapkg"
[[ -x "$bin" ]] || fail "hapkg package has no /usr/bin/hapkg"
got=$("$bin" --version)
[[ "$got" == "hapkg $version" ]] || fail "hapkg --version says '$got', debian/changelog says $version"

man="$work/root/usr/share/man/man1/hapkg.1.gz"
if [[ -f "$man" ]]; then
  # The man page renders without warnings and documents the exit codes.
  rendered=$(zcat "$man" | groff -man -Tutf8 -ww -P-cbou 2>"$work/man.err")
  [[ -s "$work/man.err" ]] && fail "man page warnings: $(cat "$work/man.err")"
  grep -q 'EXIT STATUS' <<<"$rendered" || fail "man page has no EXIT STATUS section"
else
  fail "no man page in the hapkg package"
fi

completion="$work/root/usr/share/bash-completion/completions/hapkg"
if [[ -f "$completion" ]]; then
  # Complete "hapkg ver<TAB>" and "hapkg version <TAB>" with the packaged binary.
  out=$(PATH="$work/root/usr/bin:$PATH" bash -c '
    source "$1"
    COMP_WORDS=(hapkg ver); COMP_CWORD=1; _hapkg; echo "${COMPREPLY[*]}"
    COMP_WORDS=(hapkg version ""); COMP_CWORD=2; _hapkg; echo "${COMPREPLY[*]}"' _ "$completion")
  [[ $(sed -n 1p <<<"$out") == *version* ]] || fail "completion of 'hapkg ver': '$out'"
  [[ $(sed -n 2p <<<"$out") == *compare*next* || $(sed -n 2p <<<"$out") == *next*compare* ]] ||
    fail "completion of 'hapkg version ': '$out'"
else
  fail "no bash completion in the hapkg package"
fi

[[ -d "$work/root/usr/lib/ocf/resource.d/openstack" ]] || fail "no /usr/lib/ocf/resource.d/openstack"
# The reference topology (agents/topology): generated at build time.
ex="$work/root/usr/share/doc/resource-agents-openstack/examples"
for f in topology.conf topology.crm topology.pcs predictions/steady.txt; do
  [[ -f "$ex/$f" ]] || fail "resource-agents-openstack lacks examples/$f (uncompressed: dh_compress skips examples/ at compat 13)"
done
echo "package: built $version, lintian exit $lintian_rc, $fails failures"
exit $((fails > 0))
