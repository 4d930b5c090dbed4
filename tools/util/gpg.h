// The one way hapkg runs GnuPG: signing with a key of the user's keyring,
// verifying with gpgv against a given keyring, and private homes for keys
// that must not touch the user's keyring. Errors are one line (gpg's verdict
// through first_line); gpg's whole stderr goes to the debug log (-v).
#pragma once

#include <string>

#include "util/tempdir.h"

namespace hapkg::gpg {

enum class SignMode {
  kClearsign,  // InRelease, .dsc, .changes
  kDetached,   // Release.gpg (armored)
};

// Signs the file `input` into `output` with `key` (gpg --local-user, SHA256
// digest, no tty). OperationError "gpg signing with key K failed: ..." (a
// missing key, no agent, a cancelled passphrase).
void sign_file(const std::string& input, const std::string& output, const std::string& key, SignMode mode);
// The clearsigned form of `text` (for a .changes written in memory).
std::string clearsign_text(const std::string& text, const std::string& key);

// Checks a signature with gpgv against `keyring` (a binary keyring file):
// `signature` is a detached signature over `data`, or "" for a clearsigned
// `data`; then, when `output` is given, the signed content is written there.
// Returns "" when the signature is good, else gpgv's one-line verdict (and
// `output` is removed): the caller names the file in its own error.
std::string check_signature(const std::string& keyring, const std::string& data, const std::string& signature = "",
                            const std::string& output = "");

// A throwaway GNUPGHOME (removed with everything in it; gpg-agent never
// autostarts there, so nothing outlives it) for keys given as files.
class Home {
 public:
  Home();
  const std::string& dir() const { return tmp_.path(); }
  // Imports the keys of `key_file` (armored or binary) into the home's
  // keyring (for gpg/git verify-tag). InputError naming the file.
  void import_key(const std::string& key_file);
  // The keys of `key_file` as a binary keyring in the home (for gpgv).
  // InputError naming the file.
  std::string keyring_of(const std::string& key_file);

 private:
  TempDir tmp_;
};

// A persistent GnuPG home of hapkg's own (the pipeline's archive key),
// given by its directory. Each throws OperationError with gpg's verdict.
void generate_key(const std::string& home, const std::string& uid);      // ed25519, no passphrase
void import_key_into(const std::string& home, const std::string& key_file);
std::string secret_fingerprint(const std::string& home);                  // "" when it holds none
std::string export_public_key(const std::string& home, const std::string& fingerprint);  // binary
void stop_agent(const std::string& home);  // so that nothing outlives a home about to be moved

// A binary OpenPGP signature file as ASCII armour (gpg --enarmor).
std::string enarmor(const std::string& file);

// gpg's verdict in a multi-line stderr: the first line that says something
// other than the "Signature made" / "using ... key" / "issuer" preamble.
std::string verdict(const std::string& stderr_text);

}  // namespace hapkg::gpg
