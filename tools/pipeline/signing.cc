#include "pipeline/signing.h"

#include <filesystem>
#include <sstream>

#include "source/changes.h"
#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/tempdir.h"

namespace hapkg::pipeline {
namespace fs = std::filesystem;

namespace {
ProcessResult gpg(const std::string& home, std::vector<std::string> args) {
  args.insert(args.begin(), {"gpg", "--batch", "--no-tty", "--homedir", home});
  return run_process(args);
}

std::string secret_fingerprint(const std::string& home) {
  ProcessResult r = gpg(home, {"--with-colons", "--list-secret-keys"});
  std::istringstream in(r.out);
  bool in_sec = false;
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("sec:", 0) == 0) in_sec = true;
    if (in_sec && l.rfind("fpr:", 0) == 0) {
      auto end = l.find_last_not_of(':');
      return l.substr(l.rfind(':', end) + 1, end - l.rfind(':', end));
    }
  }
  return "";
}
}  // namespace

SigningKey prepare_signing_key(const std::string& signing_key, const std::string& state_dir) {
  SigningKey k;
  k.gnupghome = state_dir + "/gnupg";
  if (!fs::exists(k.gnupghome + "/pubring.kbx")) {
    // Made in a temp home and renamed: a killed run leaves no half key.
    TempDir tmp("hapkg-gnupg");
    fs::permissions(tmp.path(), fs::perms::owner_all);
    ProcessResult r =
        signing_key == "generate"
            ? gpg(tmp.path(), {"--passphrase", "", "--quick-generate-key",
                               "hapkg pipeline archive key <pipeline@hapkg.invalid>", "ed25519", "sign", "never"})
            : gpg(tmp.path(), {"--import", signing_key});
    if (r.exit_status != 0)
      throw OperationError("gpg: cannot " + std::string(signing_key == "generate" ? "generate" : "import") +
                           " the signing key: " + r.err);
    run_process({"gpgconf", "--homedir", tmp.path(), "--kill", "gpg-agent"});
    fs::create_directories(state_dir);
    fs::rename(tmp.release(), k.gnupghome);
  }
  k.fingerprint = secret_fingerprint(k.gnupghome);
  if (k.fingerprint.empty()) throw InputError(signing_key, 0, "no secret key in it");
  k.public_key = k.gnupghome + "/archive-key.gpg";
  if (!fs::exists(k.public_key)) {
    ProcessResult r = gpg(k.gnupghome, {"--export", k.fingerprint});
    if (r.exit_status != 0 || r.out.empty()) throw OperationError("gpg --export " + k.fingerprint + ": " + r.err);
    write_file_atomic(k.public_key, r.out);
  }
  return k;
}

SigningKey existing_signing_key(const std::string& state_dir) {
  SigningKey k;
  k.gnupghome = state_dir + "/gnupg";
  if (fs::exists(k.gnupghome + "/pubring.kbx")) k.fingerprint = secret_fingerprint(k.gnupghome);
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
  // A binary-only .changes: debsign just clearsigns it.
  ProcessOptions o;
  o.input = text;
  ProcessResult r = run_process({"gpg", "--batch", "--no-tty", "--homedir", key.gnupghome, "--local-user",
                                 key.fingerprint, "--armor", "--personal-digest-preferences", "SHA256", "--clearsign"},
                                o);
  if (r.exit_status != 0) throw OperationError("gpg --clearsign " + changes + ": " + r.err);
  write_file_atomic(changes, r.out);
}

}  // namespace hapkg::pipeline
