// Fetching a release's indices from an http(s) mirror, verified the way apt
// verifies them: the InRelease (or Release + Release.gpg) signature with
// gpgv against a keyring, then every Packages file's size and SHA256
// against the signed Release before it is used.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "deb/deb822.h"

namespace hapkg::upgrade {

struct MirrorTrust {
  std::string keyring;          // "" = /usr/share/keyrings/debian-archive-keyring.gpg
  bool allow_unsigned = false;  // [trusted=yes]: no signature needed (hashes still checked)
};

struct ReleaseFile {
  std::uint64_t size = 0;
  std::string sha256;
};
// path ("main/binary-amd64/Packages.xz") -> size and SHA256, from a Release's SHA256 field.
std::map<std::string, ReleaseFile> release_sha256(const deb::Paragraph& release);

// InputError naming `where` when the Release's Architectures field lacks one of `archs`.
void require_architectures(const std::string& where, const deb::Paragraph& release,
                           const std::vector<std::string>& archs);

// Mirrors dists/<suite>/Release and the binary-<arch> Packages of every
// component into `dest` (an archive root). InputError (exit 2) for an
// unknown suite, a bad or missing signature, an architecture the Release
// has no index for, or a size/hash mismatch; OperationError (exit 3) naming
// the URL when an index the Release lists cannot be fetched. Nothing
// unverified is left in `dest`.
void fetch_mirror(const std::string& url, const std::string& suite, const std::vector<std::string>& archs,
                  const std::string& dest, const MirrorTrust& trust);

// The signed text of a verified clearsigned InRelease, or of Release checked
// against a detached Release.gpg (`signature` non-empty). InputError naming
// `what` when gpgv does not accept the signature with `keyring`.
std::string verify_release(const std::string& what, const std::string& signed_data, const std::string& signature,
                           const std::string& keyring, const std::string& scratch);

}  // namespace hapkg::upgrade
