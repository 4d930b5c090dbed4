# Helpers shared by the tests/build scripts: a temp dir removed on exit,
# the chroot cache (kept between runs: HAPKG_CHROOT_CACHE, default beside
# the build tree) and a test signing key in its own GNUPGHOME.
set -euo pipefail
T=$(mktemp -d)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
CACHE=${HAPKG_CHROOT_CACHE:-$BINARY_DIR/chroot-cache}
# bookworm_chroot: sets TARBALL and CHROOT_KEY (mmdebstrap on first use).
bookworm_chroot() {
  local line
  line=$(nice "$DRIVER" chroot bookworm "$CACHE") || fail "ensure_chroot bookworm"
  TARBALL=${line%%$'\t'*}
  CHROOT_KEY=${line#*$'\t'}
  [[ -s $TARBALL && ${#CHROOT_KEY} == 64 ]] || fail "ensure_chroot output: $line"
}
# test_key: a throwaway signing key; sets KEY (fingerprint) and KEYFILE (public, armored).
test_key() {
  export GNUPGHOME=$T/gnupg
  mkdir -m 700 "$GNUPGHOME"
  gpg --batch --quiet --passphrase '' --quick-gen-key 'hapkg build test <build@hapkg.invalid>' ed25519 sign never 2>/dev/null
  KEY=$(gpg --batch --with-colons --list-keys build@hapkg.invalid 2>/dev/null | awk -F: '/^fpr/{print $10; exit}')
  KEYFILE=$T/keys/archive.asc
  mkdir -p "$T/keys"
  gpg --batch --quiet --armor --export "$KEY" > "$KEYFILE" 2>/dev/null
}
