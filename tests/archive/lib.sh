# Helpers shared by the archive/upgrade-check integration tests.
# Fixture .debs are built with dpkg-deb; every temp dir is removed on exit.
set -euo pipefail
T=$(mktemp -d)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# mkdeb OUTDIR PACKAGE VERSION ARCH [extra control lines...]
mkdeb() {
  local out=$1 pkg=$2 ver=$3 arch=$4; shift 4
  local d="$T/build/$pkg-$ver-$arch"
  mkdir -p "$d/DEBIAN" "$d/usr/share/doc/$pkg" "$out"
  echo "$pkg $ver" > "$d/usr/share/doc/$pkg/README"
  {
    echo "Package: $pkg"; echo "Version: $ver"; echo "Architecture: $arch"
    echo "Maintainer: Test <test@example.org>"; echo "Installed-Size: 1"
    local l; for l in "$@"; do echo "$l"; done
    echo "Description: fixture $pkg"; echo " built by the hapkg tests"
  } > "$d/DEBIAN/control"
  dpkg-deb -Zgzip -z1 --root-owner-group -b "$d" "$out/${pkg}_${ver#*:}_$arch.deb" >/dev/null
}
# An APT_CONFIG for a throwaway root (host configuration is never read).
mkaptroot() {
  local r=$1
  mkdir -p "$r/etc/apt/apt.conf.d" "$r/etc/apt/preferences.d" "$r/etc/apt/sources.list.d" \
    "$r/var/lib/apt/lists/partial" "$r/var/cache/apt/archives/partial" "$r/var/lib/dpkg" "$r/var/log/apt"
  touch "$r/var/lib/dpkg/status"
  cat > "$r/apt.conf" <<CONF
Dir "$r/";
Dir::State::status "$r/var/lib/dpkg/status";
Debug::NoLocking "true";
APT::Sandbox::User "root";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
CONF
}
