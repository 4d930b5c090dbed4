#!/bin/bash
# hapkg upgrade-check --new http://... verifies a mirror like apt does:
# InRelease / Release.gpg signature (gpgv, --keyring), then each Packages
# file's size and SHA256 against the Release. A loopback HTTP server serves an
# archive exported with `hapkg archive export --sign` (throwaway test key) and
# tampered copies of it; for every case real `apt-get update` (signed-by the
# same key) is the oracle: hapkg accepts exactly what apt accepts.
HAPKG=$1
source "$(dirname "$0")/lib.sh"
SRV=
trap '[[ -n $SRV ]] && kill "$SRV" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
export GNUPGHOME=$T/gnupg; mkdir -m 700 "$GNUPGHOME"
for who in test other; do
  gpg --batch --quiet --passphrase '' --quick-gen-key "hapkg $who <$who@hapkg.invalid>" ed25519 sign never 2>/dev/null
  gpg --batch --export "$who@hapkg.invalid" > "$T/$who.gpg"
done
KEY=$(gpg --batch --with-colons --list-keys test@hapkg.invalid | awk -F: '/^fpr/{print $10; exit}')
mkdeb "$T/in" ha-tool 1.0-1 amd64 "Section: admin"
W=$T/www; A=$W/good
"$HAPKG" archive init -A "$A" -s stable --arch amd64 >/dev/null
"$HAPKG" archive include -A "$A" -s stable "$T/in/ha-tool_1.0-1_amd64.deb" >/dev/null
"$HAPKG" archive export -A "$A" --sign "$KEY" >/dev/null
D=dists/stable
cp -a "$A" "$W/tampered-inrelease"; sed -i 's/^Origin: hapkg/Origin: evil/' "$W/tampered-inrelease/$D/InRelease"
cp -a "$A" "$W/detached"; rm "$W/detached/$D/InRelease"
cp -a "$W/detached" "$W/tampered-release"; sed -i 's/^Label: hapkg/Label: evil/' "$W/tampered-release/$D/Release"
cp -a "$A" "$W/tampered-packages"
for f in "$W"/tampered-packages/$D/main/binary-amd64/Packages*; do printf 'X' >> "$f"; done
cp -a "$A" "$W/unsigned"; rm "$W/unsigned/$D/InRelease" "$W/unsigned/$D/Release.gpg"
cp -a "$A" "$W/missing-packages"; rm "$W"/missing-packages/$D/main/binary-amd64/Packages*

python3 -u -m http.server --bind 127.0.0.1 0 --directory "$W" > "$T/srv.log" 2>/dev/null &
SRV=$!
for _ in $(seq 100); do grep -q "port" "$T/srv.log" 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$T/srv.log")
[[ -n $PORT ]] || fail "http server did not start"
URL=http://127.0.0.1:$PORT
printf 'Package: ha-tool\nStatus: install ok installed\nVersion: 0.9\nArchitecture: amd64\nMaintainer: T <t@example.org>\nInstalled-Size: 1\nSection: admin\nDescription: x\n' > "$T/status"

# apt's verdict: 0 = the indices are accepted, 1 = rejected
apt_verdict() {  # CASE [trusted=yes]
  local R=$T/apt-$1; mkaptroot "$R"
  echo "deb [signed-by=$2] $URL/$1 stable main" > "$R/etc/apt/sources.list"
  APT_CONFIG=$R/apt.conf apt-get -q update > "$R/out" 2>&1 && ! grep -q '^[WE]:' "$R/out" &&
    APT_CONFIG=$R/apt.conf apt-cache show ha-tool >/dev/null 2>&1 && echo 0 || echo 1
}
# hapkg's verdict: 0 = accepted (and ha-tool upgraded), 2 = rejected with a one-line error
hapkg_verdict() {  # CASE EXPECTED-MESSAGE ARGS...
  local c=$1 msg=$2 rc=0; shift 2
  "$HAPKG" --json upgrade-check --arch amd64 --new "$URL/$c" --new-suite stable --status "$T/status" "$@" \
    > "$T/out" 2> "$T/err" || rc=$?
  if [[ $rc == 0 ]]; then
    grep -q '"to": "1.0-1"' "$T/out" || fail "$c: accepted but no ha-tool upgrade: $(cat "$T/out")"
  elif [[ $rc == 2 ]]; then
    [[ $(wc -l < "$T/err") == 1 ]] && grep -q "$msg" "$T/err" || fail "$c: message '$(cat "$T/err")', want '$msg'"
    [[ ! -s $T/out ]] || fail "$c: output despite the error"
  fi
  echo "$rc"
}
check() {  # CASE KEYRING EXPECTED(0|2) MESSAGE [hapkg args]
  local c=$1 key=$2 want=$3 msg=$4; shift 4
  local ours= theirs=
  ours=$(hapkg_verdict "$c" "$msg" --keyring "$key" "$@")
  [[ $ours == "$want" ]] || fail "$c with $(basename "$key"): hapkg exit $ours, want $want ($(cat "$T/err"))"
  if [[ $# == 0 ]]; then
    theirs=$(apt_verdict "$c" "$key")
    [[ $(( ours == 0 )) == $(( theirs == 0 )) ]] || fail "$c with $(basename "$key"): hapkg $ours but apt-get $theirs"
  fi
  local word=; [[ -n $theirs ]] && word=", apt-get update $( ((theirs == 0)) && echo accepts || echo rejects)"
  echo "$c $(basename "$key") ${*:-}: hapkg exit $ours$word"
}
check good "$T/test.gpg" 0 ""
check good "$T/other.gpg" 2 "InRelease: signature check failed"
check tampered-inrelease "$T/test.gpg" 2 "signature check failed"
check detached "$T/test.gpg" 0 ""
check tampered-release "$T/test.gpg" 2 "/Release: signature check failed"
check tampered-packages "$T/test.gpg" 2 "hash sum mismatch"
check unsigned "$T/test.gpg" 2 "not signed"
# the opt-out ([trusted=yes]-like) skips the signature, never the hashes
check good "$T/other.gpg" 0 "" --allow-unsigned
check unsigned "$T/test.gpg" 0 "" --allow-unsigned
check tampered-packages "$T/test.gpg" 2 "hash sum mismatch" --allow-unsigned
# default keyring: Debian's archive keys, which did not sign this
rc=0; "$HAPKG" upgrade-check --arch amd64 --new "$URL/good" --new-suite stable --status "$T/status" >/dev/null 2>"$T/err" || rc=$?
[[ $rc == 2 ]] && grep -q "signature check failed" "$T/err" || fail "default keyring accepted a foreign key: $rc"
# missing data is never a pass: an index the signed Release lists answers 404 -> exit 3 naming the URL,
# and apt-get update fails on the same mirror
rc=0; "$HAPKG" upgrade-check --arch amd64 --new "$URL/missing-packages" --new-suite stable --status "$T/status" \
  --keyring "$T/test.gpg" --expect-installed ha-tool > "$T/out" 2> "$T/err" || rc=$?
want="$URL/missing-packages/$D/main/binary-amd64/Packages.xz: HTTP 404"
[[ $rc == 3 && $(wc -l < "$T/err") == 1 && ! -s $T/out ]] && grep -qF "$want" "$T/err" ||
  fail "mirror without its Packages: exit $rc, '$(cat "$T/err")', want exit 3 and '$want'"
[[ $(apt_verdict missing-packages "$T/test.gpg") == 1 ]] || fail "apt-get update accepted a mirror without Packages"
echo "missing-packages test.gpg: hapkg exit $rc, apt-get update rejects"
# --arch naming an architecture the Release has no index for -> exit 2 naming the Release
rc=0; "$HAPKG" upgrade-check --arch i386 --new "$URL/good" --new-suite stable --status "$T/status" \
  --keyring "$T/test.gpg" > "$T/out" 2> "$T/err" || rc=$?
[[ $rc == 2 && $(wc -l < "$T/err") == 1 ]] && grep -qF "$URL/good/$D/Release: has no architecture 'i386'" "$T/err" ||
  fail "--arch i386 on an amd64 mirror: exit $rc, '$(cat "$T/err")'"
# -v says what was fetched (the debug log), stdout keeps only the report
"$HAPKG" -v upgrade-check --arch amd64 --new "$URL/good" --new-suite stable --status "$T/status" \
  --keyring "$T/test.gpg" > "$T/out" 2> "$T/err" || fail "-v run: $(cat "$T/err")"
grep -qF "$URL/good/$D/main/binary-amd64/Packages.xz: HTTP 200" "$T/err" && ! grep -q HTTP "$T/out" ||
  fail "-v does not name the fetched indices: $(cat "$T/err")"
# progress of the mirror fetch on a terminal only (issue 11 §3): a pty from script(1), then a pipe
script -qec "$HAPKG upgrade-check --arch amd64 --new $URL/good --new-suite stable --status $T/status --keyring $T/test.gpg" \
  /dev/null > "$T/pty.out" 2>&1 || fail "upgrade-check on a pty: $(tr '\r' '\n' < "$T/pty.out" | head -n 5)"
grep -qF "fetching $URL/good/$D: " "$T/pty.out" || fail "no progress on a terminal: $(tr '\r' '\n' < "$T/pty.out" | head -n 5)"
"$HAPKG" upgrade-check --arch amd64 --new "$URL/good" --new-suite stable --status "$T/status" \
  --keyring "$T/test.gpg" > "$T/out" 2> "$T/err" || fail "pipe run: $(cat "$T/err")"
! grep -q 'fetching' "$T/out" "$T/err" || fail "progress drawn into a pipe: $(cat "$T/err")"
echo "mirror_verify: ok"
