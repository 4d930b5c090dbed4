#!/bin/bash
# Issue 12's benchmark: the default pipeline (the README's first command:
# tracker/ha-stack.conf, hapkg native from this repository's HEAD and
# trixie's resource-agents with patches/resource-agents/, both built in a
# clean bookworm chroot, signed archive, upgrade proof) against the same
# work done by a shell script of the reference tools in the same run, with
# THE SAME chroot builder: the same mmdebstrap tarball, unpacked and entered
# the way tools/build/chroot_session.cc does it (tar --zstd, policy-rc.d,
# unshare + chroot, the same environment), build-deps by apt-get build-dep
# inside, dpkg-buildpackage -b inside.
#   0. the chroot tarball (ensure_chroot, i.e. mmdebstrap), once, shared by
#      both sides and reported on its own;
#   1. the reference script: sha256sum against the Sources stanza,
#      dpkg-source -x, patch -F0 / quilt push --fuzz=0, dch, dpkg-source -b,
#      dpkg-genchanges -S -sa, lintian, the chroot builds, debsign (gpg
#      --clearsign for the binary .changes, as the pipeline), apt-ftparchive
#      + gpg for a signed archive, and on a bookworm HA-node apt root
#      (apt-get -s install of the HA stack from the machine's bookworm index)
#      apt-get update of the archive, apt-get -s dist-upgrade and apt-get -s
#      install PKG=VERSION of every archive package;
#   2. `hapkg pipeline run` cold on a fresh state directory;
#   3. the same again (warm, nothing changed; the script has no cache);
#   4. one changed patch (a copy of tracker/ and patches/, 0001 edited as
#      tests/pipeline/default_resume.sh does): which packages reran, and
#      the time.
# Both sides run the machine's DEB_BUILD_OPTIONS (unset: the tests run).
# hapkg must be built from this checkout (its default manifest and
# `Packaging: repository` are this repository, HEAD).
# Usage: bench/pipeline_binaries_bench.sh [path/to/hapkg [path/to/build_driver]]
# HAPKG_CHROOT_CACHE: an existing chroot cache to use (the tarball is then
# not made, and step 0 reports the cache hit).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HAPKG=$(readlink -f "${1:-$ROOT/build/tools/cli/hapkg}")
DRIVER=$(readlink -f "${2:-$ROOT/build/tests/build/build_driver}")
export HAPKG_SHARED_SOURCES=${HAPKG_SHARED_SOURCES:-/work/shared/sources}
. "$ROOT/tests/pipeline/lib.sh"  # fail, make_key
tmp=$(mktemp -d /var/tmp/hapkg-bench.XXXXXX); chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1764547200 DEBFULLNAME="hapkg bench" DEBEMAIL=bench@hapkg.invalid
export HAPKG_CHROOT_CACHE=${HAPKG_CHROOT_CACHE:-$tmp/chroot-cache}
SERIES=bookworm
OLD=/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4
OLD_RELEASE=/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease
HA_STACK="pacemaker corosync resource-agents crmsh"
RA=$ROOT/tracker/sources/trixie
[[ -x $HAPKG && -x $DRIVER ]] || fail "build hapkg and build_driver first ($HAPKG, $DRIVER)"
[[ -f $OLD && -f $OLD_RELEASE ]] || fail "$OLD: run apt-get update (bookworm)"

# timed NAME CMD...: runs CMD, adds its wall time to T[NAME].
declare -A T
timed() {
  local name=$1 t0=$EPOCHREALTIME; shift
  "$@" || fail "$name: $*"
  T[$name]=$(awk -v a="${T[$name]:-0}" -v t0="$t0" -v t1="$EPOCHREALTIME" 'BEGIN { printf "%.2f", a + t1 - t0 }')
}
sum() { awk 'BEGIN { s = 0; for (i = 1; i < ARGC; i++) s += ARGV[i]; printf "%.2f", s }' "$@"; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * a / b }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "date: $(date -u '+%F %T UTC'), $(nproc) cores, $(awk '/MemTotal/ {print int($2/1024) " MB"}' /proc/meminfo)"
echo "hapkg: $HAPKG ($(git -C "$ROOT" rev-parse --short HEAD)), DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-}"
echo "load average before: $(load)"

# --- 0. the chroot tarball, shared ------------------------------------------
make_chroot() { CHROOT_LINE=$(nice "$DRIVER" chroot "$SERIES" "$HAPKG_CHROOT_CACHE"); }
timed chroot make_chroot
TARBALL=${CHROOT_LINE%%$'\t'*}
echo "chroot: $TARBALL ($(du -m "$TARBALL" | cut -f1) MB) in ${T[chroot]} s (shared by both sides)"

# --- 1. the reference script ------------------------------------------------
W=$tmp/ref
A=$W/archive
KEYHOME=$W/gnupg

# The tarballs of resource-agents' Sources stanza, by sha256 (the .dsc it
# names is not carried: the one beside them is made from the stanza), then
# dpkg-source -x of that .dsc.
ref_fetch_ra() {
  (cd "$RA" && awk '/^Checksums-Sha256:/ {on = 1; next} /^[^ ]/ {on = 0} on && $3 !~ /\.dsc$/ {print $1 "  " $3}' Sources \
     | sha256sum -c --quiet) || return 1
  mkdir -p "$W/src-resource-agents" && dpkg-source -x "$RA/resource-agents_4.16.0-3+deb13u2.dsc" "$W/src-resource-agents/resource-agents" > "$W/ra-x.log" 2>&1
}
ref_fetch_hapkg() {
  mkdir -p "$W/src-hapkg/hapkg" && git -C "$ROOT" archive --format=tar HEAD | tar -x -C "$W/src-hapkg/hapkg"
}
# Debian-only patches are packaging changes applied to the tree; the others
# join debian/patches and are applied by quilt (as the pipeline's patch step).
ref_patch_ra() {
  local p t=$W/src-resource-agents/resource-agents
  for p in $(grep -v '^#' "$PATCHES/series"); do
    if grep -E '^(\+\+\+|---) ' "$PATCHES/$p" | awk '{print $2}' | grep -vqE '^(/dev/null|[ab]/debian/)'; then
      cp "$PATCHES/$p" "$t/debian/patches/" && echo "$p" >> "$t/debian/patches/series" || return 1
    else
      patch -d "$t" -p1 -F0 -s < "$PATCHES/$p" || return 1
    fi
  done
  (cd "$t" && QUILT_PATCHES=debian/patches quilt push -a -q --fuzz=0 > /dev/null)
}
# ref_source PKG VERSION: changelog entry, dpkg-source -b, the source .changes,
# lintian; the tree is $W/src-PKG/PKG, the outputs beside it.
ref_source() {
  local pkg=$1 v=$2 d=$W/src-$1 vv=${2#*:}
  local up=${vv%-*}
  (cd "$d/$pkg" && dch -b -p -v "$v" -D "$SERIES" --force-distribution "Built for $SERIES by the reference script." \
     2> /dev/null) || return 1
  [[ $pkg != resource-agents ]] || cp "$RA/resource-agents_${up}.orig.tar.gz" "$d/" || return 1
  (cd "$d" && dpkg-source -b "$pkg" > source.log 2>&1) || return 1
  (cd "$d/$pkg" && dpkg-genchanges -S -sa > "../${pkg}_${vv}_source.changes" 2> /dev/null) || return 1
  lintian --no-cfg "$d/${pkg}_${vv}.dsc" > "$d/lintian.log" 2>&1 || true
}
# in_chroot ROOT CWD CMD...: as ChrootSession::run_result.
in_chroot() {
  local r=$1 cwd=$2; shift 2
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 TZ=UTC0 HOME=/build \
    ${DEB_BUILD_OPTIONS:+DEB_BUILD_OPTIONS="$DEB_BUILD_OPTIONS"} \
    unshare --mount --propagation private --pid --fork --kill-child --mount-proc="$r/proc" \
    chroot "$r" env --chdir="$cwd" "$@" >> "$W/build-$PKG.log" 2>&1
}
ref_unpack_chroot() {
  mkdir -p "$CR" && tar --zstd -xpf "$TARBALL" --numeric-owner -C "$CR" || return 1
  printf '#!/bin/sh\nexit 101\n' > "$CR/usr/sbin/policy-rc.d" && chmod 755 "$CR/usr/sbin/policy-rc.d"
  mkdir -p "$CR/build"
  if [[ -f $A/dists/$SERIES/Release ]]; then  # the archive as an extra source, same paths inside
    mkdir -p "$CR$A" && cp -a "$A/." "$CR$A/" || return 1
    echo "deb [signed-by=$A/archive-key.gpg] file:$A $SERIES main" > "$CR/etc/apt/sources.list.d/hapkg-extra.list"
  fi
  local dsc=$1 f
  cp "$dsc" "$CR/build/"
  for f in $(awk '/^Files:/ {on = 1; next} /^[^ ]/ {on = 0} on {print $3}' "$dsc"); do cp "$(dirname "$dsc")/$f" "$CR/build/"; done
}
# ref_build PKG DSC: the chroot build (sub-steps timed on their own), outputs copied out.
ref_build() {
  PKG=$1 CR=$W/chroot-$1/root
  local dsc=$2 n
  n=$(basename "$2")
  timed build:unpack-chroot ref_unpack_chroot "$dsc"
  timed build:apt-update in_chroot "$CR" / apt-get update
  timed build:build-dep in_chroot "$CR" / apt-get -y -o APT::Install-Recommends=false build-dep "/build/$n"
  timed build:dpkg-source-x in_chroot "$CR" / dpkg-source --no-check -x "/build/$n" /build/src
  timed build:dpkg-buildpackage in_chroot "$CR" /build/src dpkg-buildpackage -b -us -uc
  timed build:copy-out-cleanup ref_copy_out
  timed build:lintian ref_lintian_debs
}
ref_copy_out() {
  local c f; c=$(ls "$CR"/build/*.changes) && mkdir -p "$W/bin-$PKG" || return 1
  for f in $(awk '/^Files:/ {on = 1; next} /^[^ ]/ {on = 0} on {print $5}' "$c") "$(basename "$c")"; do
    cp "$CR/build/$f" "$W/bin-$PKG/" || return 1
  done
  rm -rf "$(dirname "$CR")"
}
ref_lintian_debs() { lintian --no-cfg "$W/bin-$PKG"/*.deb "$W/bin-$PKG"/*.changes > "$W/bin-$PKG/lintian.log" 2>&1 || true; }
ref_key() {
  make_key "$KEYHOME" "reference archive key" > /dev/null
  FPR=$(gpg --homedir "$KEYHOME" --list-secret-keys --with-colons | awk -F: '/^fpr/ {print $10; exit}')
}
# ref_sign PKG: debsign the source upload; the binary .changes clearsigned.
ref_sign() {
  local c; c=$(ls "$W/bin-$1"/*.changes)
  GNUPGHOME=$KEYHOME debsign -k"$FPR" --no-re-sign "$W/src-$1"/*_source.changes > /dev/null 2>&1 || return 1
  gpg --homedir "$KEYHOME" --batch --yes -u "$FPR" --clearsign -o "$c.asc" "$c" 2> /dev/null && mv "$c.asc" "$c"
}
# ref_publish PKG: into pool/, indices and the signed Release by apt-ftparchive + gpg.
ref_publish() {
  local d=$A/dists/$SERIES f
  mkdir -p "$A/pool/main" "$d/main/binary-amd64" "$d/main/source"
  for f in "$W/src-$1"/*.{dsc,tar.*} "$W/bin-$1"/*.deb; do cp "$f" "$A/pool/main/"; done
  rm -f "$d/Release" "$d/InRelease" "$d/Release.gpg"
  (cd "$A" && apt-ftparchive packages pool/main > "$d/main/binary-amd64/Packages" 2> /dev/null \
     && apt-ftparchive sources pool/main > "$d/main/source/Sources" 2> /dev/null) || return 1
  gzip -9nkf "$d/main/binary-amd64/Packages" "$d/main/source/Sources"
  (cd "$d" && apt-ftparchive -o APT::FTPArchive::Release::Codename="$SERIES" -o APT::FTPArchive::Release::Suite="$SERIES" \
     -o APT::FTPArchive::Release::Components=main -o APT::FTPArchive::Release::Architectures=amd64 \
     release . > "$W/Release" && mv "$W/Release" Release) || return 1
  gpg --homedir "$KEYHOME" --batch --yes -u "$FPR" --clearsign -o "$d/InRelease" "$d/Release" 2> /dev/null \
    && gpg --homedir "$KEYHOME" --batch --yes -u "$FPR" -abs -o "$d/Release.gpg" "$d/Release" 2> /dev/null \
    && gpg --homedir "$KEYHOME" --export "$FPR" > "$A/archive-key.gpg"
}
# An old-release HA node as an apt root: the machine's bookworm lists, a
# dpkg status of what `apt-get -s install HA_STACK` installs there.
ref_node() {
  local r=$W/node
  mkdir -p "$r/etc/apt/sources.list.d" "$r/etc/apt/apt.conf.d" "$r/etc/apt/preferences.d" "$r/var/lib/apt/lists/partial" \
    "$r/var/lib/dpkg" "$r/var/cache/apt/archives/partial"
  ln -s "$OLD" "$OLD_RELEASE" "$r/var/lib/apt/lists/"
  : > "$r/var/lib/dpkg/status"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $SERIES main" \
    > "$r/etc/apt/sources.list"
  printf 'Debug::NoLocking "true";\nAPT::Sandbox::User "root";\nAPT::Architecture "amd64";\nAPT::Architectures { "amd64"; };\nAPT::Install-Recommends "true";\n' \
    > "$r/etc/apt/apt.conf.d/00bench"
  echo "Dir \"$r/\";" > "$r/apt.conf"
  APT_CONFIG=$r/apt.conf apt-get -s -q install $HA_STACK > "$W/node-install.log" 2>&1 || return 1
  awk '/^Inst / {v = $3; sub(/^\(/, "", v); print $2 " " v}' "$W/node-install.log" > "$W/node-set"
  lz4cat "$OLD" | python3 -c '
import sys
want = set(tuple(l.split()) for l in open(sys.argv[1]))
for st in sys.stdin.read().split("\n\n"):
    f = dict(l.split(": ", 1) for l in st.split("\n") if l[:1] not in ("", " ") and ": " in l)
    if (f.get("Package"), f.get("Version")) in want:
        lines = st.strip("\n").split("\n")
        print(lines[0] + "\nStatus: install ok installed\n" + "\n".join(lines[1:]) + "\n")
' "$W/node-set" > "$r/var/lib/dpkg/status"
  [[ $(grep -c '^Package:' "$r/var/lib/dpkg/status") == $(wc -l < "$W/node-set") ]]
}
# The archive on that node: apt-get update of it alone, apt-get -s
# dist-upgrade (installs resource-agents-openstack, removes nothing), every
# archive package installable alone.
ref_verify() {
  local r=$W/node apt="env APT_CONFIG=$W/node/apt.conf apt-get -q"
  echo "deb [signed-by=$A/archive-key.gpg] file:$A $SERIES main" > "$r/etc/apt/sources.list.d/archive.list"
  : > "$r/etc/apt/empty.list"
  $apt -o Dir::Etc::SourceList="$r/etc/apt/empty.list" -o APT::Get::List-Cleanup=false update > "$W/verify.log" 2>&1 \
    || return 1
  $apt -s dist-upgrade > "$W/dist-upgrade.log" 2>&1 || return 1
  grep -q '^Inst resource-agents-openstack ' "$W/dist-upgrade.log" || { echo "no resource-agents-openstack"; return 1; }
  grep -q '^Remv ' "$W/dist-upgrade.log" && { echo "removals"; return 1; }
  local pv
  for pv in $(awk '/^Package:/ {p = $2} /^Version:/ {print p "=" $2}' "$A/dists/$SERIES/main/binary-amd64/Packages"); do
    $apt -s install "$pv" >> "$W/verify.log" 2>&1 || { echo "not installable: $pv"; return 1; }
  done
}

reference() {
  mkdir -p "$W"
  local hv rv
  PATCHES=$ROOT/patches/resource-agents
  timed fetch ref_fetch_hapkg
  timed fetch ref_fetch_ra
  timed patch ref_patch_ra
  hv="$(dpkg-parsechangelog -l "$W/src-hapkg/hapkg/debian/changelog" -S Version)~12.1"
  rv="$(dpkg-parsechangelog -l "$W/src-resource-agents/resource-agents/debian/changelog" -S Version)~12.1"
  timed source ref_source hapkg "$hv"
  timed binaries ref_build hapkg "$W/src-hapkg/hapkg_${hv#*:}.dsc"
  timed sign ref_key
  timed sign ref_sign hapkg
  timed publish ref_publish hapkg
  timed source ref_source resource-agents "$rv"
  timed binaries ref_build resource-agents "$W/src-resource-agents/resource-agents_${rv#*:}.dsc"
  timed sign ref_sign resource-agents
  timed publish ref_publish resource-agents
  timed verify ref_node
  timed verify ref_verify
}
timed reference-total reference
echo "reference script: ${T[reference-total]} s"
for s in fetch patch source binaries sign publish verify; do printf '  %-10s %8s s\n' "$s" "${T[$s]}"; done
ref_tools=$(sum "${T[build:apt-update]}" "${T[build:build-dep]}" "${T[build:dpkg-source-x]}" "${T[build:dpkg-buildpackage]}")
for s in unpack-chroot apt-update build-dep dpkg-source-x dpkg-buildpackage copy-out-cleanup lintian; do
  printf '    binaries: %-18s %8s s\n' "$s" "${T[build:$s]}"
done
echo "  build tools in the chroot (apt-get update, build-dep, dpkg-source -x, dpkg-buildpackage): $ref_tools s"
echo "load average after the script: $(load)"

# --- 2-4. the pipeline --------------------------------------------------------
S=$tmp/state
# per_step STATE: the records' seconds, per step (both packages added) and per package x step.
per_step() {
  python3 - "$1" <<'PY'
import json, os, sys
recs = os.path.join(sys.argv[1], "records")
order = ["fetch", "track", "patch", "version", "source", "binaries", "sign", "publish", "verify", "report"]
tot = {}
for pkg in sorted(os.listdir(recs)):
    for f in sorted(os.listdir(os.path.join(recs, pkg))):
        r = json.load(open(os.path.join(recs, pkg, f)))
        tot[r["step"]] = tot.get(r["step"], 0) + r["seconds"]
        print(f"    {pkg:16} {r['step']:9} {r['seconds']:8.2f} s  {r['result']}")
for s in order:
    if s in tot:
        print(f"  {s:10} {tot[s]:8.2f} s")
PY
}
# chroot_tools STATE: the chroot steps' own seconds from the binaries .build logs.
chroot_tools() {
  cat "$1"/logs/*/binaries-*.build | awk '/^\+ \[.*\] exit 0 after [0-9]+ s$/ {
    step = $0; sub(/^\+ \[/, "", step); sub(/\].*/, "", step); t[step] += $(NF - 1); all += $(NF - 1) }
    END { for (s in t) printf "    %-18s %5d s\n", s, t[s]; printf "%d\n", all }'
}

timed pipeline-cold "$HAPKG" pipeline run --state "$S" > "$tmp/cold.out" 2> "$tmp/cold.err"
echo "pipeline cold: ${T[pipeline-cold]} s"
per_step "$S"
chroot_tools "$S" > "$tmp/tools"
pipe_tools=$(tail -n 1 "$tmp/tools")
head -n -1 "$tmp/tools"
echo "  build tools in the chroot (from the .build logs, whole seconds): $pipe_tools s"
# The two sides built the same packages.
find "$W"/bin-* -name '*.deb' -printf '%f\n' | sort > "$tmp/ref-debs"
find "$S/work" -path '*/binaries/*' -name '*.deb' -printf '%f\n' | sort > "$tmp/pipe-debs"
cmp -s "$tmp/ref-debs" "$tmp/pipe-debs" || { echo "NOTE: the two sides' .debs differ by name:"; diff "$tmp/ref-debs" "$tmp/pipe-debs" || true; }

timed pipeline-warm "$HAPKG" pipeline run --state "$S" > "$tmp/warm.out" 2> "$tmp/warm.err"
echo "pipeline warm, nothing changed: ${T[pipeline-warm]} s; steps started: $(grep -c ': started' "$tmp/warm.err" || true)"

mkdir "$tmp/repo" && cp -a "$ROOT/tracker" "$ROOT/patches" "$tmp/repo/"
p=$(ls "$tmp/repo/patches/resource-agents/"0001-*.patch)
sed -i 's/^+OpenStack high availability agents$/+OpenStack high-availability agents/' "$p"  # hunk sizes unchanged
cmp -s "$p" "$ROOT/patches/resource-agents/$(basename "$p")" && fail "the patch did not change"
timed pipeline-changed "$HAPKG" pipeline run --manifest "$tmp/repo/tracker/ha-stack.conf" --state "$S" \
  > "$tmp/changed.out" 2> "$tmp/changed.err"
echo "pipeline, one resource-agents patch changed: ${T[pipeline-changed]} s; steps that ran:"
grep -oE '^pipeline: [^ ]+ [a-z]+: started' "$tmp/changed.err" | sed 's/^pipeline: /  /; s/: started//' || true
echo "  packages rebuilt (binaries ran): $(grep -oE '^pipeline: [^ ]+ binaries: started' "$tmp/changed.err" | cut -d' ' -f2 | tr '\n' ' ')"
echo "load average after: $(load)"

ref=${T[reference-total]} cold=${T[pipeline-cold]}
over=$(awk -v p="$cold" -v r="$ref" 'BEGIN { printf "%.1f", 100 * (p - r) / p }')
echo
echo "SUMMARY"
echo "  chroot tarball (shared, not in either total): ${T[chroot]} s"
echo "  reference script: $ref s, of which chroot build tools $ref_tools s ($(pct "$ref_tools" "$ref") %)"
echo "  pipeline cold:    $cold s, of which chroot build tools $pipe_tools s ($(pct "$pipe_tools" "$cold") %)"
echo "  overhead (pipeline - script) / pipeline: $over % (target <= 5 %)"
echo "  warm, nothing changed: ${T[pipeline-warm]} s (target < 1 s; the script: $ref s)"
echo "  one patch changed: ${T[pipeline-changed]} s"
