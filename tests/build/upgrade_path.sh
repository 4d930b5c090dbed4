#!/bin/bash
# The upgrade path, end to end with the real tools: resource-agents (trixie's
# packaging from tracker/sources/trixie, backported to bookworm with this
# project's patches/resource-agents/) and this repository's own package
# (resource-agents-openstack) are built in a clean bookworm chroot
# (ensure_chroot + build_binaries), published in a signed local archive
# (hapkg archive), and a bookworm node with the HA stack installed (a real
# root unpacked from the same chroot tarball, packages installed by apt from
# the mirror) is checked with `hapkg upgrade-check` on its own dpkg status
# and with real `apt-get -s dist-upgrade`, then really upgraded:
# resource-agents-openstack comes in. Negative case: the same archive with
# resource-agents built without the Recommends patch; upgrade-check fails
# and says why, and apt-get agrees (no resource-agents-openstack).
# usage: upgrade_path.sh BUILD_DRIVER HAPKG BINARY_DIR SOURCE_DIR
DRIVER=$1 HAPKG=$2 BINARY_DIR=$3 SRC=$4
source "$(dirname "$0")/lib.sh"
export DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-parallel=2}
RA_DSC=$SRC/tracker/sources/trixie/resource-agents_4.16.0-3+deb13u2.dsc
PATCHES=$SRC/patches/resource-agents
RECOMMENDS_PATCH=0003-recommends-resource-agents-openstack.patch
t0=$(date +%s); stamp() { echo "[$(( $(date +%s) - t0 ))s] $*"; }
bookworm_chroot
test_key
# The backport version by the project's rule (below trixie's, above bookworm's).
V=$("$HAPKG" version next 1:4.16.0-3+deb13u2 --backport 12 | head -1)
"$HAPKG" version compare "$V" lt 1:4.16.0-3+deb13u2 && "$HAPKG" version compare "$V" gt 1:4.12.0-2 \
  || fail "backport version $V not between bookworm's and trixie's"

# ra_source NAME [SKIP_PATCH]: the backported resource-agents source package
# in $T/NAME; prints the .dsc. Packaging patches (only debian/) are applied
# with patch(1); the others are imported into debian/patches (hapkg patch).
ra_source() {
  local dir=$T/$1 skip=${2:-} p
  mkdir -p "$dir/up"
  (cd "$dir" && dpkg-source -x "$RA_DSC" resource-agents-4.16.0 >/dev/null 2>&1) || fail "dpkg-source -x $RA_DSC"
  for p in $(grep -v '^#' "$PATCHES/series"); do
    [[ $p == "$skip" ]] && continue
    if awk '/^\+\+\+ / && $2 !~ /^b\/debian\// {f = 1} END {exit !f}' "$PATCHES/$p"; then
      cp "$PATCHES/$p" "$dir/up/"; echo "$p" >> "$dir/up/series"
    else
      patch -d "$dir/resource-agents-4.16.0" -p1 -F0 --no-backup-if-mismatch -s < "$PATCHES/$p" || fail "packaging patch $p"
    fi
  done
  "$HAPKG" -q patch import --from "$dir/up" -C "$dir/resource-agents-4.16.0" >/dev/null || fail "patch import"
  # dch -b: a backport's version is lower than the entry it backports (hapkg
  # changelog new refuses that, as dch does without -b).
  (cd "$dir/resource-agents-4.16.0" && DEBFULLNAME="hapkg tests" DEBEMAIL=build@hapkg.invalid \
    dch -b -v "$V" -D bookworm --force-distribution "Backport to bookworm." >/dev/null 2>&1) || fail "dch"
  [[ $(dpkg-parsechangelog -l "$dir/resource-agents-4.16.0/debian/changelog" -S Version) == "$V" ]] || fail "changelog version"
  (cd "$dir" && dpkg-source -b resource-agents-4.16.0 >/dev/null 2>&1) || fail "dpkg-source -b ($1)"
  echo "$dir/resource-agents_${V#*:}.dsc"
}
# build NAME DSC: binaries in $T/debs/NAME (log $T/logs/NAME.log).
build() {
  nice "$DRIVER" build "$2" "$TARBALL" bookworm "$T/debs/$1" "$T/logs/$1.log" > "$T/$1.out" \
    || { tail -40 "$T/logs/$1.log"; fail "build $1"; }
  stamp "built $1: $(awk -F'\t' '$1=="deb"{printf "%s ", $2}' "$T/$1.out" | xargs -n1 basename | tr '\n' ' ')"
}

# HAPKG_PREBUILT_DEBS=DIR (development only, never set by CI): take the
# three builds from DIR/{ra-with,ra-without,own}/ (build_driver outputs made
# the same way) instead of building them again; everything after the builds
# is checked the same.
if [[ -n ${HAPKG_PREBUILT_DEBS:-} ]]; then
  build() {
    mkdir -p "$T/debs/$1" "$T/logs"
    cp "$HAPKG_PREBUILT_DEBS/$1"/*.{deb,changes,buildinfo} "$T/debs/$1/"
    cp "$HAPKG_PREBUILT_DEBS/$1.log" "$T/logs/$1.log"
  }
  ra_source() { :; }
fi
build ra-with "$(ra_source ra-with)"
deb=$T/debs/ra-with/resource-agents_${V#*:}_amd64.deb
dpkg-deb -f "$deb" Recommends | grep -q 'resource-agents-openstack' || fail "built resource-agents lacks the Recommends"
grep -q 'applying 0001-doc-HA-OpenStack-agents-pointer.patch' "$T/logs/ra-with.log" || fail "upstream patch 0001 not applied in the build"
build ra-without "$(ra_source ra-without "$RECOMMENDS_PATCH")"
dpkg-deb -f "$T/debs/ra-without/resource-agents_${V#*:}_amd64.deb" Recommends | grep -q 'resource-agents-openstack' \
  && fail "negative build still recommends resource-agents-openstack"
# This repository's own package, as a native source from its tracked files.
O=$T/own/hapkg-0.1.0
mkdir -p "$O"
git -C "$SRC" ls-files -z | (cd "$SRC" && tar --null -T - -cf -) | tar -x -C "$O"
OV=$(dpkg-parsechangelog -l "$O/debian/changelog" -S Version)
[[ -n ${HAPKG_PREBUILT_DEBS:-} ]] || (cd "$T/own" && dpkg-source -b "hapkg-0.1.0" >/dev/null 2>&1) || fail "dpkg-source -b hapkg"
build own "$T/own/hapkg_$OV.dsc"
OWN=$T/debs/own/resource-agents-openstack_${OV}_amd64.deb
[[ -f $OWN ]] || fail "no resource-agents-openstack .deb"
"$DRIVER" lintian "$T"/debs/*/*.changes > "$T/lintian.txt" || fail "run_lintian"
stamp "lintian: $(grep -c . "$T/lintian.txt" || true) E/W tags"

# archive NAME DEBDIR: a signed archive with the resource-agents build and ours.
archive() {
  local A=$T/archives/$1
  "$HAPKG" -q archive init -A "$A" -s bookworm --arch amd64 >/dev/null
  "$HAPKG" -q archive include -A "$A" -s bookworm "$2"/*.deb "$T"/debs/own/*.deb >/dev/null
  "$HAPKG" -q archive export -A "$A" --sign "$KEY" >/dev/null
}
archive with "$T/debs/ra-with"
archive without "$T/debs/ra-without"

# --- the node: bookworm with the HA stack (apt from the machine's mirror) ------
N=$T/node
mkdir "$N"
tar --zstd -xpf "$TARBALL" --numeric-owner -C "$N"
printf '#!/bin/sh\nexit 101\n' > "$N/usr/sbin/policy-rc.d"; chmod 755 "$N/usr/sbin/policy-rc.d"
in_node() {
  unshare --mount --propagation private --pid --fork --kill-child --mount-proc="$N/proc" \
    chroot "$N" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}
in_node apt-get -q update >/dev/null || fail "node: apt-get update"
in_node apt-get -q -y install pacemaker corosync resource-agents > "$T/node-install.log" 2>&1 \
  || { tail "$T/node-install.log"; fail "node: installing the HA stack"; }
[[ $(in_node dpkg-query -W -f '${Version}' resource-agents) == 1:4.12.0-2 ]] || fail "node: bookworm resource-agents"
in_node dpkg-query -W resource-agents-openstack >/dev/null 2>&1 && fail "node: resource-agents-openstack already there"
cp -a "$N/var/lib/dpkg/status" "$T/status.before"
stamp "node installed: $(grep -c '^Package:' "$T/status.before") packages"
mkdir -p "$N/etc/apt/keyrings"; cp "$KEYFILE" "$N/etc/apt/keyrings/hapkg.asc"
# The mirror's bookworm index as apt on the node has it (before our archive is added).
MAIN_LIST=$(ls "$N"/var/lib/apt/lists/*_dists_bookworm_main_binary-amd64_Packages*)
[[ $(wc -w <<<"$MAIN_LIST") == 1 ]] || fail "node: expected one bookworm main index, got: $MAIN_LIST"

# check NAME: upgrade-check and apt-get -s on the node with archive NAME.
check() {
  rm -rf "$N/srv/archive"; mkdir -p "$N/srv"; cp -a "$T/archives/$1" "$N/srv/archive"
  echo "deb [signed-by=/etc/apt/keyrings/hapkg.asc] file:/srv/archive bookworm main" > "$N/etc/apt/sources.list.d/hapkg.list"
  in_node apt-get -q update >/dev/null 2>&1 || fail "node: apt-get update with the $1 archive (signature?)"
  set +e
  "$HAPKG" upgrade-check --status "$N/var/lib/dpkg/status" --new "$MAIN_LIST" --ppa "$T/archives/$1" \
    --ppa-suite bookworm --keyring "$KEYFILE" --expect-installed resource-agents-openstack \
    --expect-version "resource-agents (= $V)" --expect-no-removals > "$T/check-$1.txt" 2>&1
  CHECK_RC=$?
  set -e
  in_node apt-get -s dist-upgrade > "$T/apt-$1.txt" 2>&1 || fail "apt-get -s dist-upgrade ($1)"
}

check with
[[ $CHECK_RC == 0 ]] || { cat "$T/check-with.txt"; fail "upgrade-check with the delta: exit $CHECK_RC"; }
grep -q '^Inst resource-agents-openstack ' "$T/apt-with.txt" || { cat "$T/apt-with.txt"; fail "apt-get -s does not install resource-agents-openstack"; }
grep -q "^Inst resource-agents \[1:4.12.0-2\] ($V " "$T/apt-with.txt" || fail "apt-get -s does not upgrade resource-agents to $V"
grep -q '^Remv ' "$T/apt-with.txt" && fail "apt-get -s removes packages: $(grep '^Remv' "$T/apt-with.txt")"
stamp "with the delta: upgrade-check PASS, apt-get -s: $(grep -c '^Inst' "$T/apt-with.txt") Inst"
# ... and the real upgrade does what both said.
in_node apt-get -q -y dist-upgrade > "$T/upgrade.log" 2>&1 || { tail "$T/upgrade.log"; fail "real dist-upgrade"; }
[[ $(in_node dpkg-query -W -f '${Status} ${Version}' resource-agents-openstack) == "install ok installed $OV" ]] \
  || fail "resource-agents-openstack not installed by the real upgrade"
[[ -z $(in_node dpkg --audit) ]] || fail "dpkg --audit after the upgrade"
# The agents are symlinks to one binary: -L follows them inside the node.
agents=$(find -L "$N/usr/lib/ocf/resource.d/openstack" -mindepth 1 -type f -perm -u+x 2>/dev/null | wc -l)
[[ $agents -gt 0 ]] || fail "no ocf:openstack agents after the upgrade"
stamp "real dist-upgrade: resource-agents-openstack $OV installed, $agents ocf:openstack agents"

# --- negative: the delta removed ------------------------------------------------
cp -a "$T/status.before" "$N/var/lib/dpkg/status"
check without
[[ $CHECK_RC == 1 ]] || { cat "$T/check-without.txt"; fail "upgrade-check without the delta: exit $CHECK_RC, expected 1"; }
grep -q 'resource-agents-openstack.*nothing installed after the upgrade depends on or recommends it' "$T/check-without.txt" \
  || { cat "$T/check-without.txt"; fail "upgrade-check does not say why"; }
grep -q '^Inst resource-agents-openstack ' "$T/apt-without.txt" && fail "apt-get -s disagrees: installs resource-agents-openstack"
grep -q "^Inst resource-agents \[1:4.12.0-2\] ($V " "$T/apt-without.txt" || fail "negative: resource-agents not upgraded"
stamp "without the delta: upgrade-check FAIL ($(grep -o 'not installed: [^)]*' "$T/check-without.txt" | head -1)), apt-get agrees"
echo "PASS upgrade_path"
