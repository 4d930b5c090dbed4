// hapkg archive process-incoming: source-only uploads (.changes) accepted or
// rejected the way Launchpad's upload processor (lib/lp/archiveuploader)
// does, and each accepted one applied to the archive atomically.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hapkg::archive {

// Why an upload was refused: `rule` is ours (one word, stable), `message`
// Launchpad's wording of the reason. The .reject file holds line().
struct Rejection {
  std::string rule;  // signature, malformed, unknown-series, checksums, binaries,
                     // orig-differs, orig-missing, same-version-other-content, version-not-newer
  std::string message;
  std::string line() const { return rule + ": " + message; }
};

// The verdict on one .changes, taken without changing anything.
struct UploadCheck {
  std::optional<Rejection> rejection;
  std::string suite;                   // the archive's suite named by Distribution
  std::string source, version;
  std::vector<std::string> files;      // the upload's files (paths beside the .changes), .changes last
  std::vector<std::string> from_pool;  // files the .dsc lists that the upload leaves out, found in the pool
};

// The uploaders keyring of an archive: ARCHIVE/conf/uploaders.gpg (a binary
// keyring for gpgv, e.g. `gpg --export KEY...`).
std::string uploaders_keyring(const std::string& archive);

// Checks the upload `changes` against `archive`, in Launchpad's order:
// signature (.changes), mandatory fields, series, checksums, source-only,
// signature (.dsc), the .dsc's files against the pool, version.
UploadCheck check_upload(const std::string& changes, const std::string& archive, const std::string& keyring);

struct IncomingOptions {
  std::string sign_key;  // re-export signed with this key (required when the archive is signed)
  std::string keyring;   // empty: uploaders_keyring(archive)
};

struct IncomingResult {
  std::vector<std::string> accepted;                            // .changes file names
  std::vector<std::pair<std::string, std::string>> rejected;    // .changes name, reject line
};

// Processes every DIR/*.changes (in name order). A rejected one gets
// <changes>.reject (one line) and stays; an accepted one goes into the pool
// and its suite, the archive is re-exported, then its files leave DIR.
//
// Atomic per upload: the new archive is built beside ARCHIVE (pool files
// hard-linked, everything else copied), then swapped in with one
// renameat2(RENAME_EXCHANGE). A crash leaves ARCHIVE as it was or fully
// updated; the next run removes the leftover tree and, from
// db/uploads/<changes>, finishes the clean-up of an upload already in.
IncomingResult process_incoming(const std::string& dir, const std::string& archive, const IncomingOptions& options);

}  // namespace hapkg::archive
