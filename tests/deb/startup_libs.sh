#!/bin/bash
# What the dynamic loader maps for a command that downloads nothing: every
# library a `hapkg` process loads costs each run its mapping and relocation
# (bench/core.sh, docs/benchmarks.md). `hapkg version compare` must load
# neither libcurl nor libarchive (nor their TLS/LDAP/Kerberos and
# libxml2/ICU chains), nor PCRE2, nor spdlog and fmt (compiled in); a
# command that downloads still loads libcurl, and one that reads a watch
# file PCRE2, with dlopen(). The loader's own account (LD_DEBUG=files) is
# the oracle.
# Usage: startup_libs.sh HAPKG
set -uo pipefail
hapkg=$(realpath "$1")
. "$(dirname "$0")/lib.sh"

# loaded CMD...: the sonames the loader opened for CMD, one a line, each
# "NAME needed" or "NAME dlopen".
loaded() {
  LD_DEBUG=files LD_DEBUG_OUTPUT="$work/ld" "$@" >/dev/null 2>&1
  cat "$work"/ld.* | sed -n 's/^[[:space:]]*[0-9]*:[[:space:]]*file=\([^ ]*\) \[0\];[[:space:]]*\(needed\|dynamically loaded\) by .*/\1 \2/p' |
    sed 's/ dynamically loaded$/ dlopen/'
  rm -f "$work"/ld.*
}

libs=$(loaded "$hapkg" version compare 1.0-1 lt 1.0-2)
check
# the account itself works: libc is always there (else this test proves nothing)
grep -q '^libc\.so\.6 needed$' <<<"$libs" || fail "LD_DEBUG=files gave no account of the loaded libraries: $libs"
for lib in libcurl libarchive libxml2 libicuuc libgnutls libssl libldap libgssapi_krb5 libnghttp2 libssh2 \
  libpcre2-8 libspdlog libfmt; do
  check
  if grep -q "^$lib[.-]" <<<"$libs"; then fail "version compare loads $(grep "^$lib[.-]" <<<"$libs" | tr '\n' ' ')"; fi
done
echo "version compare: $(wc -l <<<"$libs") libraries: $(cut -d' ' -f1 <<<"$libs" | tr '\n' ' ')"

# A download (hapkg track on a watch file whose site refuses the
# connection): libcurl is dlopen()ed, and the failure is operational (3).
mkdir -p pkg/debian
printf 'hello (1.0-1) unstable; urgency=medium\n\n  * x\n\n -- J D <j@example.org>  Tue, 01 Dec 2026 12:00:00 +0000\n' \
  >pkg/debian/changelog
printf 'version=4\nhttp://127.0.0.1:1/ hello-(\\d[\\d.]*)\\.tar\\.gz\n' >pkg/debian/watch
check
"$hapkg" track pkg >/dev/null 2>&1
rc=$?
[ "$rc" = 3 ] || fail "track against a refused connection exited $rc, not 3"
libs=$(loaded "$hapkg" track pkg)
check
grep -Eq '^libcurl(-gnutls)?\.so\.4 dlopen$' <<<"$libs" || fail "track did not dlopen libcurl: $libs"
check
grep -q '^libpcre2-8\.so\.0 dlopen$' <<<"$libs" || fail "track did not dlopen PCRE2 for its watch file: $libs"
finish startup_libs
