#!/bin/bash
# upgrade-check --expect-installed says *why* apt leaves a package out, on
# hand-made indices (seconds; the full real-build proof is upgrade_path.sh):
# nothing depends on/recommends it, no index has it, and the passing case
# once a Recommends is added. apt-get -s on the kept sandbox root is the
# oracle that the package really is (not) installed.
# usage: why_not_installed.sh HAPKG
HAPKG=$1
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
set -euo pipefail
stanza() {  # NAME VERSION [extra lines]
  local n=$1 v=$2; shift 2
  printf 'Package: %s\nVersion: %s\nArchitecture: amd64\nPriority: optional\nSection: admin\nInstalled-Size: 1\nMaintainer: T <t@example.org>\n' "$n" "$v"
  local l; for l in "$@"; do echo "$l"; done
  printf 'Filename: pool/%s_%s_amd64.deb\nSize: 100\nMD5sum: %s\nDescription: fixture %s\n\n' "$n" "$v" "$(printf '0%.0s' {1..32})" "$n"
}
printf 'Package: resource-agents\nStatus: install ok installed\nPriority: optional\nSection: admin\nInstalled-Size: 1\nMaintainer: T <t@example.org>\nArchitecture: amd64\nVersion: 1.0\nDescription: fixture\n' > "$T/status"
# run NAME PACKAGES_CONTENT EXPECT_RC PATTERN
run() {
  local d=$T/$1; mkdir -p "$d"; printf '%s' "$2" > "$d/Packages"
  set +e
  "$HAPKG" upgrade-check --arch amd64 --status "$T/status" --new "$d/Packages" --keep-root "$d/root" \
    --expect-installed "${5:-resource-agents-openstack}" > "$d/out" 2>&1
  local rc=$?; set -e
  [[ $rc == "$3" ]] || { cat "$d/out"; fail "$1: exit $rc, expected $3"; }
  grep -q -- "$4" "$d/out" || { cat "$d/out"; fail "$1: no '$4'"; }
  APT_CONFIG=$d/root/apt.conf apt-get -s -o Debug::NoLocking=1 dist-upgrade > "$d/apt" 2>&1 || fail "$1: apt-get -s"
}
# (command substitution drops the blank line that ends a stanza: join with one)
both="$(stanza resource-agents 2.0)"$'\n\n'"$(stanza resource-agents-openstack 0.1.0)"
run nothing "$both" 1 'not installed: nothing installed after the upgrade depends on or recommends it.*0.1.0 is available'
grep -q '^Inst resource-agents-openstack' "$T/nothing/apt" && fail "apt-get installs it after all"
run recommended "$(stanza resource-agents 2.0 'Recommends: resource-agents-openstack')"$'\n\n'"$(stanza resource-agents-openstack 0.1.0)" 0 \
  'installed resource-agents-openstack.*PASS\|installed resource-agents-openstack: ok\|0.1.0'
grep -q '^Inst resource-agents-openstack' "$T/recommended/apt" || fail "apt-get does not install it"
run missing "$both" 1 'not installed: no index given has nosuch-package' nosuch-package
echo "PASS why_not_installed"
