# Helpers of the real node upgrade tests: a temp dir removed on exit, the
# node tarball cache (HAPKG_CHROOT_CACHE/node, the chroot cache's own
# subdirectory, kept between runs) and root (mmdebstrap --mode=root, chroot).
set -euo pipefail
T=$(mktemp -d)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ $(id -u) == 0 ]] || fail "needs root (mmdebstrap --mode=root, chroot)"
CACHE=${HAPKG_CHROOT_CACHE:-$BINARY_DIR/chroot-cache}/node
t0=$(date +%s); stamp() { echo "[$(( $(date +%s) - t0 ))s] $*"; }
