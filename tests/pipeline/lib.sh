# Shared by the pipeline tests: a throw-away signing key, a Debian-style
# source mirror made from the real packages in /work/shared/sources (their
# Sources stanzas unchanged, Release by apt-ftparchive, InRelease signed with
# the test key), served over loopback HTTP.
SHARED_SOURCES=${HAPKG_SHARED_SOURCES:?set HAPKG_SHARED_SOURCES (ctest does)}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail() { echo "FAIL: $*"; exit 1; }

# make_key HOME NAME: a signing key in GNUPGHOME=HOME; the public keyring at HOME/pub.gpg
make_key() {
  mkdir -p "$1" && chmod 700 "$1"
  gpg --batch --homedir "$1" --passphrase '' --quick-generate-key "$2 <test@hapkg.invalid>" ed25519 sign never 2>/dev/null \
    || fail "gpg key"
  gpg --batch --homedir "$1" --export > "$1/pub.gpg"
}

# make_mirror DIR SUITE KEYHOME PKG...: pool/ + dists/SUITE/{InRelease,Release,main/source/Sources}
# MIRROR_OMIT="SUFFIX...": files whose names end so are left out of the
# stanzas' file lists (what the real archive does not serve, e.g. bookworm
# corosync's orig .asc, and with it the .dsc that names it).
make_mirror() {
  local dir=$1 suite=$2 home=$3; shift 3
  mkdir -p "$dir/dists/$suite/main/source"
  : > "$dir/dists/$suite/main/source/Sources"
  for p in "$@"; do
    python3 - "$SHARED_SOURCES/$suite/Sources" "$p" >> "$dir/dists/$suite/main/source/Sources" <<'PY'
import os, sys
omit = tuple(os.environ.get('MIRROR_OMIT', '').split())
for stanza in open(sys.argv[1], encoding='utf-8').read().split('\n\n'):
    if stanza.startswith('Package: ' + sys.argv[2] + '\n'):
        lines = [l for l in stanza.rstrip('\n').split('\n')
                 if not (omit and l.startswith(' ') and l.split()[-1].endswith(omit))]
        sys.stdout.write('\n'.join(lines) + '\n\n')
PY
    local d; d=$(awk -v p="$p" '$1=="Package:"{x=($2==p)} x&&$1=="Directory:"{print $2; exit}' "$SHARED_SOURCES/$suite/Sources")
    mkdir -p "$dir/$d"
    cp "$SHARED_SOURCES/$suite/${p}_"* "$dir/$d/"
  done
  (cd "$dir/dists/$suite" && apt-ftparchive -o APT::FTPArchive::Release::Codename="$suite" \
     -o APT::FTPArchive::Release::Suite="$suite" release . > Release.tmp && mv Release.tmp Release) || fail "apt-ftparchive"
  gpg --batch --homedir "$home" --clearsign -o "$dir/dists/$suite/InRelease" "$dir/dists/$suite/Release" 2>/dev/null \
    || fail "clearsign"
}

# serve DIR: starts the loopback server; sets PORT and SERVER_PID
serve() {
  rm -f "$tmp/port"
  python3 "$HERE/../tracker/loopback_http.py" "$1" "$tmp/port" & SERVER_PID=$!
  for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
  PORT=$(cat "$tmp/port") || fail "server did not start"
}

# The global and series paragraphs of a small test manifest (old release:
# the machine's bookworm index, as the default manifest).
manifest_head() {
  cat <<EOT
Pipeline: test
State: $tmp/state
Signing-Key: generate
Maintainer: hapkg test <test@hapkg.invalid>

Series: bookworm
Version-Rule: backport 12
Old-Release: $(ls /var/lib/apt/lists/*_debian_dists_bookworm_main_binary-*_Packages* | head -1)
HA-Stack: corosync

EOT
}
