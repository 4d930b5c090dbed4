// The publish step's upload mode (Pipeline: Upload:, manifest.h): the signed
// source-only .changes goes through Debian's real dput, configured, not
// reimplemented. For `local DIR` the upload then meets
// `hapkg archive process-incoming` (tools/archive/incoming.h) with the
// pipeline's key in the archive's uploaders keyring, so the local archive
// takes it exactly as Launchpad would; for a PPA or another dput target the
// upload leaves the machine and the local archive is written directly.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pipeline/manifest.h"
#include "pipeline/signing.h"

namespace hapkg::pipeline {

// The dput.cf section the pipeline writes (not `ppa`, which /etc/dput.cf has).
inline constexpr const char* kDputHost = "hapkg-upload";

// The dput.cf for a local or PPA target ("" for `dput TARGET`, which uses
// the user's own configuration).
std::string dput_config(const UploadTarget& target);

// What publish does with the upload, for `pipeline plan` ("" for none).
std::string describe_upload(const UploadTarget& target);

// dput's argv for one .changes (`config`: the file dput_config was written to).
std::vector<std::string> dput_argv(const UploadTarget& target, const std::string& config, const std::string& changes);

// Runs dput (argv, no shell), each output line to `log`; Error (exit 1) with
// dput's own message when it fails.
void run_dput(const UploadTarget& target, const std::string& config, const std::string& changes,
              const std::function<void(const std::string&)>& log);

// Adds the key's public part to ARCHIVE/conf/uploaders.gpg (a binary
// keyring; appended, so other uploaders' keys stay), unless already there.
void add_uploader(const std::string& archive, const SigningKey& key);

// process-incoming on the local target's DIR into `archive`, re-signed with
// the key. Error (exit 1) with the .reject line when `changes` (a name) is
// rejected. Other uploads in DIR are processed too: it is a queue.
void accept_upload(const std::string& dir, const std::string& archive, const std::string& changes,
                   const SigningKey& key, const std::function<void(const std::string&)>& log);

// One series of one package as publish has it: the sign step's output.
struct SeriesUpload {
  std::string suite;
  std::string signed_dir;                   // sign's output for the series
  std::vector<std::string> source_files;    // names in signed_dir: the .dsc and its files
  std::string source_changes;               // name in signed_dir: the signed source-only .changes
  std::vector<std::string> binary_changes;  // names in signed_dir (Build: binaries)
  std::string stage;                        // publish's own directory: the upload dput sends, its log
  std::string label;                        // "SOURCE VERSION source": what an accepted upload adds
};

// The publish step for one series, by the manifest's Upload:
//   none       every .changes included into the archive directly;
//   local DIR  the source upload through dput into DIR and process-incoming
//              into the archive, then the local binaries included as before;
//   ppa/dput   the archive written directly (the check before the upload),
//              then the source upload through dput: Launchpad builds the
//              binaries itself, so only the source leaves.
// Returns "name version arch" of what the archive gained.
std::vector<std::string> publish_series(const Manifest& m, const SeriesUpload& u, const SigningKey& key,
                                        const std::function<void(const std::string&)>& log);

}  // namespace hapkg::pipeline
