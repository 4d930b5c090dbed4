#!/bin/bash
# Regenerates the seed corpora in tests/fuzz/seeds/<target>/ from real
# files: Debian changelogs of installed packages, the .dsc files and Sources
# stanzas of ../shared/sources (and the debian/ folders of its tarballs:
# control, watch, patches), the repo's manifest (tracker/ha-stack.conf),
# and work items, linked checks, scenarios and OCF environments written
# below in the shapes the repo's fixtures use. Seeds are committed; run
# this only to refresh them.
# Usage: make_seeds.sh SHARED_SOURCES_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
sources=${1:?usage: make_seeds.sh /work/shared/sources}
seeds=$here/seeds
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$seeds"
mkdir -p "$seeds"/{changelog,deb822,series,watch,workitems,checks,scenarios,ocf_env}

# deb822_fuzz's first byte picks the kind: 0 generic, 1 control, 2 dsc, 3 changes.
kind() { printf "\\x$(printf %02x "$1")"; }
n=0
for f in "$sources"/*/*.dsc; do
  { kind 2; cat "$f"; } > "$seeds/deb822/dsc-$(basename "$f")"
done
for f in "$sources"/*/Sources; do
  { kind 0; head -c 20000 "$f"; } > "$seeds/deb822/sources-$(basename "$(dirname "$f")")"
done
for t in "$sources"/*/*.debian.tar.xz; do
  name=$(basename "$t" .debian.tar.xz)
  mkdir -p "$work/$name" && tar -xJf "$t" -C "$work/$name" debian
  d=$work/$name/debian
  { kind 1; cat "$d/control"; } > "$seeds/deb822/control-$name"
  [[ -f $d/tests/control ]] && { kind 0; cat "$d/tests/control"; } > "$seeds/deb822/tests-control-$name"
  [[ -f $d/watch ]] && cp "$d/watch" "$seeds/watch/$name"
  [[ -f $d/patches/series ]] && cp "$d/patches/series" "$seeds/series/$name"
  for p in $(ls "$d/patches" 2>/dev/null | grep -v '^series$' | head -n 3); do
    head -c 8000 "$d/patches/$p" > "$seeds/series/$name-$p"
  done
  head -n 60 "$d/changelog" > "$seeds/changelog/$name"
done
# Installed packages' changelogs: the 40 smallest, whole.
for f in $(ls -S /usr/share/doc/*/changelog.Debian.gz | tail -n 40); do
  zcat "$f" > "$seeds/changelog/$(basename "$(dirname "$f")")"
done
cp "$repo/debian/changelog" "$seeds/changelog/hapkg"
{ kind 3; printf 'Format: 1.8\nDate: Tue, 24 Nov 2026 10:00:00 +0000\nSource: hello\nBinary: hello\nArchitecture: source\nVersion: 1.0-1\nDistribution: unstable\nUrgency: medium\nMaintainer: Jane Doe <jane@example.org>\nChanges:\n hello (1.0-1) unstable; urgency=medium\n .\n   * Initial release.\nChecksums-Sha256:\n 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef 1000 hello_1.0-1.dsc\nFiles:\n 0123456789abcdef0123456789abcdef 1000 devel optional hello_1.0-1.dsc\n'; } > "$seeds/deb822/changes-hello"
# Version 5 (deb822) watch files: the real ones above are version 4, so
# these follow the HA stack's v4 files in uscan's v5 field names.
printf 'Version: 5\n\nSource: https://github.com/ClusterLabs/pacemaker/tags\nMatching-Pattern: .*/Pacemaker-(\\d[\\d.]*(?:-rc\\d+)?)\\.tar\\.gz\nUversion-Mangle: s/-rc/~rc/\n' > "$seeds/watch/v5-pacemaker"
printf 'Version: 5\nPgp-Mode: auto\n\nSource: https://github.com/corosync/corosync/tags\nMatching-Pattern: .*/v?(\\d\\S+)\\.tar\\.gz\n\nSource: https://build.clusterlabs.org/corosync/releases/\nMatching-Pattern: corosync-(\\d[\\d.]*)\\.tar\\.gz\nSearchmode: plain\nDversionmangle: auto\n' > "$seeds/watch/v5-corosync"
cp "$repo/tracker/ha-stack.conf" "$seeds/deb822/manifest-ha-stack"
# Work items and linked checks ('@' stands for the target's Sources index).
printf 'Work items:\n[jane] Package pacemaker 3.0: DONE\nReview corosync: TODO\nWork items for ubuntu-26.04:\n[bob] Backport crmsh {archive-has crmsh in @}: INPROGRESS\nDrop old agents: POSTPONED\n' > "$seeds/workitems/blueprint"
printf 'Work items:\n[jane] hello is in {archive-has hello >= 1.0 in @}: TODO\n[jane] newer upstream {packaged >= upstream hello}: TODO\n[x] ra {archive-has resource-agents << 1:5 in @}: BLOCKED\n' > "$seeds/checks/checks"
cp "$seeds/workitems/blueprint" "$seeds/checks/blueprint"
# Scenario files.
printf 'Name: bookworm to trixie\nStatus: status\nNew: trixie/Packages\nPPA: ppa/Packages\nPin: 990\nMode: dist-upgrade\nArch: amd64, i386\nExpect-Installed: pacemaker, corosync\nExpect-No-Removals: yes\n\nName: upgrade only\nOld: bookworm/Packages\nInstalled: pacemaker\nNew: trixie/Packages\nMode: upgrade\nExpect-Version: pacemaker=3.0.0-2\n' > "$seeds/scenarios/two"
# OCF environments as pacemaker passes them.
printf 'OCF_RESOURCE_INSTANCE=keystone\nOCF_RESKEY_i=42\nOCF_RESKEY_b=yes\nOCF_RESKEY_CRM_meta_timeout=20000\nOCF_RESKEY_CRM_meta_interval=10000\nOCF_CHECK_LEVEL=10\nHA_RSCTMP=/run/resource-agents\n' > "$seeds/ocf_env/monitor"
printf 'OCF_RESOURCE_INSTANCE=glance:0\nOCF_RESKEY_i=-7\nOCF_RESKEY_b=off\nOCF_RESKEY_CRM_meta_interval=0\n' > "$seeds/ocf_env/probe"
du -sh "$seeds"; for d in "$seeds"/*; do echo "$(basename "$d"): $(ls "$d" | wc -l)"; done
