#!/bin/bash
# Self-packaging, on what the default pipeline built (the
# pipeline_default_state fixture): hapkg's own source package from this
# repository's HEAD, built by `dpkg-buildpackage` inside a clean bookworm
# chroot (tools/build; BUILD_TESTING off, as debian/rules does) — the same
# build a dpkg-buildpackage on the host made before, minus the host's
# packages. lintian on the build's .changes (no errors allowed), and what
# the packages hold: the binary's --version is the package's version (the
# pipeline's changelog entry, as debian/changelog's top entry decides at
# build time), the dlopen()ed libraries are in Depends, the man page and
# bash completion are installed and work, the agents and the topology
# examples are there.
# Usage: pipeline_debs.sh BINARY_DIR
set -uo pipefail
state=$1/pipeline-default
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

built=$state/work/hapkg/binaries/bookworm
changes=$(ls "$built"/hapkg_*_*.changes 2>/dev/null)
[[ -n "$changes" && -f "$changes" ]] || { echo "FAIL: no hapkg .changes in $built (run pipeline_default)"; exit 1; }
version=$(sed -n 's/^Version: //p' "$changes")
[[ -n "$version" ]] || { echo "FAIL: $changes has no Version"; exit 1; }
cd "$work" || exit 1

# lintian: no errors (warnings are printed for the record).
lintian --fail-on error --tag-display-limit 0 "$changes" >"$work/lintian.log" 2>&1
lintian_rc=$?
cat "$work/lintian.log"
[[ $lintian_rc == 0 ]] || fail "lintian exit $lintian_rc"
grep -q '^E: ' "$work/lintian.log" && fail "lintian errors"

for pkg in hapkg resource-agents-openstack; do
  deb="$built/${pkg}_${version}_$(dpkg --print-architecture).deb"
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
[[ "$got" == "hapkg $version" ]] || fail "hapkg --version says '$got', the package is $version"

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
echo "package: pipeline-built $version, lintian exit $lintian_rc, $fails failures"
exit $((fails > 0))
