// util/gpg against real gpg and gpgv: a throwaway ed25519 key in its own
// GNUPGHOME (its agent is stopped at the end), signatures checked both ways.
#include "util/gpg.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>

#include "util/error.h"
#include "util/file.h"
#include "util/process.h"

namespace hapkg::gpg {
namespace {

class Gpg : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    home_ = new TempDir("hapkg-gpg-test");
    ::setenv("GNUPGHOME", home_->path().c_str(), 1);
    ProcessResult r = run_process({"gpg", "--batch", "--quiet", "--passphrase", "", "--quick-gen-key",
                                   "hapkg test <test@hapkg.invalid>", "ed25519", "sign", "never"});
    ASSERT_EQ(r.exit_status, 0) << r.err;
    r = run_process({"gpg", "--batch", "--armor", "--export", "test@hapkg.invalid"});
    write_file_atomic(home_->path() + "/key.asc", r.out);
  }
  static void TearDownTestSuite() {
    run_process({"gpgconf", "--homedir", home_->path(), "--kill", "gpg-agent"});
    ::unsetenv("GNUPGHOME");
    delete home_;
  }
  static std::string file(const std::string& name) { return home_->path() + "/" + name; }
  static TempDir* home_;
};
TempDir* Gpg::home_ = nullptr;

TEST_F(Gpg, SignsAndVerifiesDetachedAndClearsigned) {
  write_file_atomic(file("Release"), "Origin: hapkg\n");
  sign_file(file("Release"), file("Release.gpg"), "test@hapkg.invalid", SignMode::kDetached);
  sign_file(file("Release"), file("InRelease"), "test@hapkg.invalid", SignMode::kClearsign);
  EXPECT_NE(read_file(file("InRelease")).find("-----BEGIN PGP SIGNED MESSAGE-----"), std::string::npos);
  Home h;
  std::string keyring = h.keyring_of(file("key.asc"));
  EXPECT_EQ(check_signature(keyring, file("Release"), file("Release.gpg")), "");
  EXPECT_EQ(check_signature(keyring, file("InRelease"), "", file("signed")), "");
  EXPECT_EQ(read_file(file("signed")), "Origin: hapkg\n");
  std::string text = clearsign_text("Format: 1.8\n", "test@hapkg.invalid");
  write_file_atomic(file("x.changes"), text);
  EXPECT_EQ(check_signature(keyring, file("x.changes")), "");
}

TEST_F(Gpg, ABadSignatureIsOneLine) {
  write_file_atomic(file("data"), "one\n");
  sign_file(file("data"), file("data.asc"), "test@hapkg.invalid", SignMode::kDetached);
  write_file_atomic(file("data"), "two\n");
  Home h;
  std::string keyring = h.keyring_of(file("key.asc"));
  std::string v = check_signature(keyring, file("data"), file("data.asc"), file("out"));
  EXPECT_EQ(v.rfind("gpgv: BAD signature from \"hapkg test", 0), 0u) << v;
  EXPECT_EQ(v.find('\n'), std::string::npos) << v;
  EXPECT_NE(::access(file("out").c_str(), F_OK), 0);  // nothing unverified left behind
  Home other;  // a keyring without the key
  write_file_atomic(file("empty.asc"), "");
  v = check_signature(other.dir() + "/none.gpg", file("data"), file("data.asc"));
  EXPECT_FALSE(v.empty());
}

TEST_F(Gpg, MissingKeysAndKeyFiles) {
  write_file_atomic(file("d"), "x\n");
  EXPECT_THROW(sign_file(file("d"), file("d.asc"), "nobody@hapkg.invalid", SignMode::kDetached), OperationError);
  Home h;
  write_file_atomic(file("garbage.asc"), "not a key\n");
  EXPECT_THROW(h.import_key(file("garbage.asc")), InputError);
  h.import_key(file("key.asc"));
  ProcessResult r = run_process({"gpg", "--batch", "--homedir", h.dir(), "--list-keys", "test@hapkg.invalid"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
}

TEST(Verdict, SkipsThePreamble) {
  EXPECT_EQ(verdict("gpgv: Signature made Tue Dec  1 21:00:00 2026 UTC\n"
                    "gpgv:                using EDDSA key 0123\n"
                    "gpgv:                issuer \"test@hapkg.invalid\"\n"
                    "gpgv: Can't check signature: No public key\n"),
            "gpgv: Can't check signature: No public key");
  EXPECT_EQ(verdict("\n"), "");
}

}  // namespace
}  // namespace hapkg::gpg
