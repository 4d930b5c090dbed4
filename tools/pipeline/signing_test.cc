// The archive key with real gpg in a temp state dir: made once and reused,
// absent for plan, and a binary-only .changes clearsigned so that gpgv
// accepts it with the exported public key (and rejects it once altered).
#include "pipeline/signing.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "util/error.h"
#include "util/file.h"
#include "util/gpg.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;
namespace fs = std::filesystem;

namespace {

TEST(SigningKey, NoneBeforeTheFirstRun) {
  hapkg::TempDir state;
  auto k = pl::existing_signing_key(state.path());
  EXPECT_TRUE(k.fingerprint.empty());
  EXPECT_FALSE(fs::exists(k.gnupghome));  // plan must not make one
}

TEST(SigningKey, MissingKeyFileIsRefusedAndLeavesNoHome) {
  hapkg::TempDir state;
  EXPECT_ANY_THROW(pl::prepare_signing_key(state.path() + "/no-such-key.asc", state.path()));
  EXPECT_FALSE(fs::exists(state.path() + "/gnupg"));
}

TEST(SigningKey, GeneratedOnceThenReusedAndSignsAChanges) {
  hapkg::TempDir state;
  auto k = pl::prepare_signing_key("generate", state.path());
  ASSERT_EQ(k.fingerprint.size(), 40u) << k.fingerprint;
  EXPECT_EQ(k.gnupghome, state.path() + "/gnupg");
  ASSERT_TRUE(fs::exists(k.public_key));
  auto again = pl::prepare_signing_key("generate", state.path());
  EXPECT_EQ(again.fingerprint, k.fingerprint);  // not a second key
  EXPECT_EQ(pl::existing_signing_key(state.path()).fingerprint, k.fingerprint);

  // A binary-only .changes (no .dsc listed): clearsigned as debsign does.
  std::string changes = state.path() + "/pacemaker_2.1.5-1_amd64.changes";
  std::string body = "Format: 1.8\nSource: pacemaker\nVersion: 2.1.5-1\nArchitecture: amd64\nFiles:\n"
                     " d41d8cd98f00b204e9800998ecf8427e 0 admin optional pacemaker_2.1.5-1_amd64.deb\n";
  hapkg::write_file_atomic(changes, body);
  ::setenv("GNUPGHOME", k.gnupghome.c_str(), 1);  // as run_pipeline sets it
  pl::sign_upload(changes, k);
  std::string signed_text = hapkg::read_file(changes);
  EXPECT_EQ(signed_text.rfind("-----BEGIN PGP SIGNED MESSAGE-----", 0), 0u);
  EXPECT_NE(signed_text.find("Source: pacemaker"), std::string::npos);
  EXPECT_EQ(hapkg::gpg::check_signature(k.public_key, changes), "");

  std::string tampered = state.path() + "/tampered.changes";
  std::string t = signed_text;
  t.replace(t.find("2.1.5-1\n"), 7, "2.1.5-9");
  hapkg::write_file_atomic(tampered, t);
  EXPECT_NE(hapkg::gpg::check_signature(k.public_key, tampered), "");
  hapkg::gpg::stop_agent(k.gnupghome);
  ::unsetenv("GNUPGHOME");
}

}  // namespace
