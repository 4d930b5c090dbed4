// hapkg track --download: fetch the newest upstream tarball (and its
// signature), verify it, and store it as <src>_<ver>.orig.tar.* beside the
// package tree. A partial download lives under "<final>.part" and is
// resumed; the final name only ever holds a complete, verified file.
#pragma once

#include <string>

#include "tracker/upstream/scan.h"

namespace hapkg::tracker {

struct DownloadResult {
  std::string path;       // the orig tarball written
  std::string signature;  // the verified signature file, "" when none
};

// `tree`: the package tree (its debian/upstream/signing-key.asc is the
// keyring); `dest`: where the tarball goes (normally tree/..).
// `signature_url`: for pgpmode=next, the signature the next watch line
// (pgpmode=previous) found for the same version ("" when there is none).
DownloadResult download_newest(const WatchLine& w, const ScanResult& r, const std::string& source,
                               const std::string& tree, const std::string& dest, bool progress_bar,
                               const std::string& signature_url = "");

// Verifies a detached signature with gpgv against an armored key file.
// Throws InputError(where, problem) on a bad signature.
void verify_signature(const std::string& file, const std::string& sig, const std::string& keyfile,
                      const std::string& where);

// pgpmode=self: verifies a gpg-signed (not detached) file with gpgv against
// an armored key file and writes the signed data to `output`. Throws
// InputError(where, problem) on a bad signature; `output` is then removed.
void extract_signed(const std::string& signed_file, const std::string& output, const std::string& keyfile,
                    const std::string& where);

}  // namespace hapkg::tracker
