// The archive's signing key. "Signing-Key: generate" makes one key, once,
// in STATE/gnupg (no passphrase: a local archive's key, never an upload
// key); a key file is imported there. Every gpg the pipeline runs (debsign
// equivalent, the signed Release) uses that home through GNUPGHOME, so the
// user's own keyring is never read or changed.
#pragma once

#include <string>
#include <vector>

namespace hapkg::pipeline {

struct SigningKey {
  std::string gnupghome;
  std::string fingerprint;
  std::string public_key;  // binary keyring with the public key (signed-by=, gpgv --keyring)
};

SigningKey prepare_signing_key(const std::string& signing_key, const std::string& state_dir);
// The key a previous run prepared (empty fingerprint when none): for plan,
// which must not make one.
SigningKey existing_signing_key(const std::string& state_dir);

// debsign's work on a .changes: its .dsc (when it lists one) and then the
// .changes clearsigned with the key; the .changes' checksums of the .dsc
// updated.
void sign_upload(const std::string& changes, const SigningKey& key);

}  // namespace hapkg::pipeline
