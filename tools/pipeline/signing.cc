#include "pipeline/signing.h"

#include <filesystem>
#include <sstream>

#include "source/changes.h"
#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/gpg.h"
#include "util/tempdir.h"

namespace hapkg::pipeline {
namespace fs = std::filesystem;


SigningKey prepare_signing_key(const std::string& signing_key, const std::string& state_dir) {
  SigningKey k;
  k.gnupghome = state_dir + "/gnupg";
  if (!fs::exists(k.gnupghome + "/pubring.kbx")) {
    // Made in a temp home and renamed: a killed run leaves no half key.
    TempDir tmp("hapkg-gnupg");
    fs::permissions(tmp.path(), fs::perms::owner_all);
    if (signing_key == "generate")
      gpg::generate_key(tmp.path(), "hapkg pipeline archive key <pipeline@hapkg.invalid>");
    else
      gpg::import_key_into(tmp.path(), signing_key);
    gpg::stop_agent(tmp.path());
    fs::create_directories(state_dir);
    fs::rename(tmp.release(), k.gnupghome);
  }
  k.fingerprint = gpg::secret_fingerprint(k.gnupghome);
  if (k.fingerprint.empty()) throw InputError(signing_key, 0, "no secret key in it");
  k.public_key = k.gnupghome + "/archive-key.gpg";
  if (!fs::exists(k.public_key)) write_file_atomic(k.public_key, gpg::export_public_key(k.gnupghome, k.fingerprint));
  return k;
}

SigningKey existing_signing_key(const std::string& state_dir) {
  SigningKey k;
  k.gnupghome = state_dir + "/gnupg";
  if (fs::exists(k.gnupghome + "/pubring.kbx")) k.fingerprint = gpg::secret_fingerprint(k.gnupghome);
  k.public_key = k.gnupghome + "/archive-key.gpg";
  return k;
}

void sign_upload(const std::string& changes, const SigningKey& key) {
  std::string text = read_file(changes);
  if (text.find(".dsc\n") != std::string::npos) {
    // sign_changes runs gpg with the environment's GNUPGHOME (set to
    // key.gnupghome by run_pipeline before any thread starts).
    source::sign_changes(changes, key.fingerprint);
    return;
  }
  // A binary-only .changes: debsign just clearsigns it (GNUPGHOME as above).
  write_file_atomic(changes, gpg::clearsign_text(text, key.fingerprint));
}

}  // namespace hapkg::pipeline
