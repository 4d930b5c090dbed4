#!/bin/bash
# The pipeline's verify step on small archives of real .debs (dpkg-deb) over
# the machine's real bookworm index (old release) and trixie's (next
# release, downloaded by tests/next-release-index), each verdict checked
# against the real apt-get -s on the same sandbox root:
#   good:     a backported resource-agents recommending resource-agents-openstack:
#             every archive package installable, the release upgrade to trixie clean;
#   broken:   + a package depending on something no index has: verify fails naming
#             it and apt's reason, and apt-get -s install refuses it too;
#   blocking: resource-agents above trixie's version, and resource-agents-openstack
#             depending on pacemaker (<< 3): the release upgrade is blocked by both.
set -u
HAPKG=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
arch=$(dpkg --print-architecture)
old=$(ls /var/lib/apt/lists/*_debian_dists_bookworm_main_binary-"$arch"_Packages* 2>/dev/null | head -1)
[ -n "$old" ] || fail "no bookworm index in /var/lib/apt/lists (apt-get update)"
next=$(ls "${HAPKG_INDEX_DIR:-/var/lib/hapkg/indices}"/trixie/lists/*_dists_trixie_main_binary-"$arch"_Packages 2>/dev/null | head -1)
[ -n "$next" ] || fail "no trixie index: run tests/next-release-index (tests/bootstrap does)"

# deb NAME VERSION [CONTROL-LINES]: a real binary package of no files
deb() {
  local d=$tmp/debs/$1-$2
  mkdir -p "$d/DEBIAN"
  { printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: hapkg test <test@hapkg.invalid>\n' "$1" "$2"
    printf 'Section: admin\nPriority: optional\n'; [ $# -gt 2 ] && printf '%s\n' "$3"
    printf 'Description: verify test package\n test\n'; } > "$d/DEBIAN/control"
  dpkg-deb --root-owner-group -Zxz -b "$d" "$tmp/debs/${1}_${2//:/%3a}_all.deb" > /dev/null || fail "dpkg-deb $1"
  echo "$tmp/debs/${1}_${2//:/%3a}_all.deb"
}

# check NAME DEB...: an archive of these .debs, verify run on it; sets $out, $err, $rc, $state
check() {
  local name=$1; shift
  local a=$tmp/$name/archive
  state=$tmp/$name/state
  "$HAPKG" archive init -A "$a" -s bookworm --arch "$arch" > /dev/null || fail "$name: archive init"
  "$HAPKG" archive include -A "$a" -s bookworm "$@" > /dev/null || fail "$name: archive include"
  "$HAPKG" archive export -A "$a" > /dev/null || fail "$name: archive export"
  cat > "$tmp/$name/m.conf" <<EOT
Pipeline: verify-$name
State: $state
Archive: $a
Signing-Key: generate

Series: bookworm
Version-Rule: backport 12
Old-Release: $old
Next-Release: $next
HA-Stack: pacemaker corosync resource-agents
Expect-Installed: resource-agents-openstack
EOT
  "$HAPKG" pipeline run --manifest "$tmp/$name/m.conf" > "$tmp/$name/out" 2> "$tmp/$name/err"
  rc=$?
  out=$tmp/$name/out err=$tmp/$name/err
}
# js FILE EXPR: a Python expression over the JSON file's d
js() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
log_has() { grep -qF -- "$2" "$state/logs/$1/verify.log" || { cat "$state/logs/$1/verify.log"; fail "$3"; }; }

ra_good=$(deb resource-agents 1:4.15.0-1~12.1 'Recommends: resource-agents-openstack')
rao_good=$(deb resource-agents-openstack 0.1.0~12.1 'Depends: resource-agents')
broken=$(deb hapkg-verify-broken 1.0 'Depends: hapkg-no-such-library (>= 2)')

# good
check good "$ra_good" "$rao_good"
[ "$rc" = 0 ] || { cat "$out" "$err"; find "$state/logs" -name verify.log -exec cat {} +; fail "good: verify failed (rc $rc)"; }
pkgdir=archive  # the pseudo-package of verify and report (engine.h)
root=$state/work/$pkgdir/verify/bookworm-root
[ -f "$root/apt.conf" ] || fail "good: no sandbox root kept at $root"
# The root was built in the step's staging directory (renamed when the step
# completed): its configuration names that path, so let it point here again.
staged=$(sed -n 's|^Dir "\(.*\)/bookworm-root/*";$|\1|p' "$root/apt.conf")
[ -n "$staged" ] || { cat "$root/apt.conf"; fail "good: no Dir in the root's apt.conf"; }
ln -s "$state/work/$pkgdir/verify" "$staged"
for p in resource-agents=1:4.15.0-1~12.1 resource-agents-openstack=0.1.0~12.1; do
  APT_CONFIG=$root/apt.conf apt-get -s -q install "$p" > "$tmp/apt" 2>&1 || { cat "$tmp/apt"; fail "good: apt-get -s install $p refused"; }
done
next_json=$state/work/$pkgdir/verify/bookworm-next.json
[ "$(js "$next_json" "len(d['baseline']['removed']) > 0 and d['with_archive']['ok'] is not None")" = True ] \
  || fail "good: no release-upgrade reports (or a baseline without the t64 removals)"
[ "$(js "$next_json" "d['with_archive']['final_versions'].get('resource-agents-openstack')")" = 0.1.0~12.1 ] \
  || fail "good: resource-agents-openstack not kept on the release upgrade"
echo "good: ok"

# broken: named with apt's reason, and apt-get agrees
check broken "$ra_good" "$rao_good" "$broken"
[ "$rc" = 1 ] || { cat "$out" "$err"; fail "broken: exit $rc, expected 1"; }
log_has "$pkgdir" "archive package hapkg-verify-broken 1.0 is not installable" "broken: not named"
# the real apt-get -s install on the same root refused it in the same words (a
# disagreement would read "apt-get -s install installs it but ...")
log_has "$pkgdir" "(apt-get: hapkg-verify-broken : Depends: hapkg-no-such-library (>= 2) but it is not installable)" \
  "broken: apt-get's reason missing"
echo "broken: ok"

# blocking: the release upgrade to trixie
ra_high=$(deb resource-agents 1:4.99.0-1~12.1 'Recommends: resource-agents-openstack')
rao_old=$(deb resource-agents-openstack 0.1.0~12.2 'Depends: resource-agents, pacemaker (<< 3)')
check blocking "$ra_high" "$rao_old"
[ "$rc" = 1 ] || { cat "$out" "$err"; fail "blocking: exit $rc, expected 1"; }
log_has "$pkgdir" "resource-agents: the archive's 1:4.99.0-1~12.1 is not below the next release's 1:4.16.0-3+deb13u2" \
  "blocking: version above the next release not named"
# apt 2.6's solver removes the package rather than hold pacemaker back (apt
# 3's solver3 would hold pacemaker: apt-upgrade-check.md 2.5)
log_has "$pkgdir" "next release: removed: resource-agents-openstack 0.1.0~12.2 (an archive package)" \
  "blocking: pacemaker (<< 3) not named"
# the real apt-get -s dist-upgrade on the same root removes it too (its Remv
# lines are logged; a different removal set would be a blocker of its own)
log_has "$pkgdir" "next release: apt-get -s: Remv resource-agents-openstack [0.1.0~12.2]" "blocking: apt-get disagrees"
grep -q 'removes [0-9]* packages, upgrade-check' "$state/logs/$pkgdir/verify.log" && fail "blocking: apt-get disagrees"
echo "blocking: ok"

# a Next-Release index that is missing is an error, not a pass
sed -i "s|^Next-Release: .*|Next-Release: $tmp/no-such-Packages|" "$tmp/good/m.conf"
"$HAPKG" pipeline run --manifest "$tmp/good/m.conf" > /dev/null 2> "$tmp/e"; rc=$?
[ "$rc" = 2 ] || fail "missing Next-Release index: exit $rc"
grep -q "m.conf:[0-9]*: .*Next-Release index $tmp/no-such-Packages is missing" "$tmp/e" || { cat "$tmp/e"; fail "missing index message"; }
echo "PASS"
