// check_upload alone: each of Launchpad's acceptance rules on real uploads
// (UploadFixture: tools/source's dpkg-source bytes, real gpg signatures,
// gpgv's verdicts), the verdict's exact one-line reason, and that checking
// changes nothing — the archive's files and the upload's stay as they were.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "archive/incoming.h"
#include "archive/repo.h"
#include "archive/upload_fixture.h"
#include "deb/deb822.h"
#include "deb/hashes.h"
#include "util/error.h"
#include "util/file.h"
#include "util/gpg.h"

namespace fs = std::filesystem;

namespace hapkg::archive {
namespace {

class IncomingCheck : public UploadFixture {
 protected:
  static void SetUpTestSuite() {
    // gpgv's verdicts are quoted in the reasons: its C messages, whatever
    // the developer's locale.
    ::setenv("LC_ALL", "C", 1);
    UploadFixture::SetUpTestSuite();
  }

  // check_upload's verdict: "" when accepted, else the .reject line; the
  // archive and the upload directory are the same before and after.
  std::string verdict(const std::string& changes, UploadCheck* out = nullptr) {
    std::string before = state() + dir_state(parent_dir(changes));
    UploadCheck c = check_upload(changes, archive_, uploaders_keyring(archive_));
    EXPECT_EQ(state() + dir_state(parent_dir(changes)), before) << "checking changed something";
    if (out) *out = c;
    if (!c.rejection) return "";
    EXPECT_EQ(c.rejection->line().find('\n'), std::string::npos) << c.rejection->line();
    return c.rejection->line();
  }
  static std::string dir_state(const std::string& dir) {
    std::string out;
    for (const auto& f : fs::directory_iterator(dir))
      if (f.is_regular_file()) out += f.path().string() + " " + deb::hash_file(f.path().string()).sha256 + "\n";
    return out;
  }
  // Puts an upload into the archive the real way (process-incoming).
  void publish(const Upload& u) {
    IncomingResult r = process_incoming(parent_dir(make(u)), archive_, {kUploader, ""});
    ASSERT_EQ(r.accepted.size(), 1u) << (r.rejected.empty() ? "" : r.rejected[0].second);
  }
  std::string pool(const std::string& name) { return archive_ + "/pool/main/h/hello/" + name; }
};

TEST_F(IncomingCheck, AcceptsASignedSourceOnlyUploadWithItsFiles) {
  std::string changes = make({});
  std::string dir = parent_dir(changes);
  UploadCheck c;
  EXPECT_EQ(verdict(changes, &c), "");
  EXPECT_EQ(c.suite, "bookworm");
  EXPECT_EQ(c.source + " " + c.version, "hello 1.0-1");
  // in the order the .changes lists them (dpkg-genchanges: .dsc, orig, debian), the .changes last
  EXPECT_EQ(c.files, (std::vector<std::string>{dir + "/hello_1.0-1.dsc", dir + "/hello_1.0.orig.tar.gz",
                                                dir + "/hello_1.0-1.debian.tar.xz", changes}));
  EXPECT_TRUE(c.from_pool.empty());
}

TEST_F(IncomingCheck, SignatureUnsignedChanges) {
  Upload u;
  u.key = "";
  EXPECT_EQ(verdict(make(u)),
            "signature: GPG verification of hello_1.0-1_source.changes failed: gpgv: no valid OpenPGP data found.");
}

TEST_F(IncomingCheck, SignatureKeyNotInTheUploadersKeyring) {
  Upload u;
  u.key = kStranger;
  EXPECT_EQ(verdict(make(u)), "signature: GPG verification of hello_1.0-1_source.changes failed: gpgv: Can't check "
                              "signature: No public key");
}

TEST_F(IncomingCheck, SignatureComesBeforeEveryOtherRule) {
  Upload u;
  u.key = kStranger;
  u.dist = "sid";  // unknown too: the signature is checked first, as Launchpad does
  EXPECT_EQ(verdict(make(u)).rfind("signature: GPG verification of hello_1.0-1_source.changes failed: ", 0), 0u);
}

TEST_F(IncomingCheck, SignatureUnsignedDsc) {
  std::string changes = make({});
  resign_dsc(changes, "");
  EXPECT_EQ(verdict(changes), "signature: GPG verification of hello_1.0-1.dsc failed: gpgv: no valid OpenPGP data found.");
}

TEST_F(IncomingCheck, SignatureOfTheDscByAStranger) {
  std::string changes = make({});
  resign_dsc(changes, kStranger);  // the .changes is kUploader's and lists the new .dsc's sums
  EXPECT_EQ(verdict(changes),
            "signature: GPG verification of hello_1.0-1.dsc failed: gpgv: Can't check signature: No public key");
}

TEST_F(IncomingCheck, ChecksumsMd5Mismatch) {
  std::string changes = make({});
  std::string tar = parent_dir(changes) + "/hello_1.0-1.debian.tar.xz";
  std::string listed = deb::hash_file(tar).md5;
  std::string data = read_file(tar);
  data[data.size() / 2] ^= 1;  // same size, other bytes
  write_file_atomic(tar, data);
  EXPECT_EQ(verdict(changes), "checksums: File hello_1.0-1.debian.tar.xz mentioned in the changes has a MD5 mismatch. " +
                                  deb::hash_file(tar).md5 + " != " + listed);
}

TEST_F(IncomingCheck, ChecksumsSizeMismatch) {
  std::string changes = make({});
  std::string tar = parent_dir(changes) + "/hello_1.0-1.debian.tar.xz";
  std::string data = read_file(tar);
  std::string listed = std::to_string(data.size());
  write_file_atomic(tar, data + "x");
  EXPECT_EQ(verdict(changes), "checksums: File hello_1.0-1.debian.tar.xz mentioned in the changes has a size "
                              "mismatch. " + std::to_string(data.size() + 1) + " != " + listed);
}

TEST_F(IncomingCheck, ChecksumsFileMissing) {
  std::string changes = make({});
  fs::remove(parent_dir(changes) + "/hello_1.0-1.debian.tar.xz");
  EXPECT_EQ(verdict(changes), "checksums: File hello_1.0-1.debian.tar.xz mentioned in the changes was not found.");
}

TEST_F(IncomingCheck, UnknownSeries) {
  Upload u;
  u.dist = "sid";
  EXPECT_EQ(verdict(make(u)), "unknown-series: Unable to find distroseries: sid");
}

// The suite's codename names it as well as its suite name.
TEST_F(IncomingCheck, SeriesByCodename) {
  SuiteConfig s;
  s.suite = "stable";
  s.codename = "trixie";
  s.architectures = {"amd64"};
  archive_ = t_.path() + "/archive2";
  init_archive(archive_, s);
  write_file_atomic(uploaders_keyring(archive_), read_file(t_.path() + "/archive/conf/uploaders.gpg"));
  Upload u;
  u.dist = "trixie";
  UploadCheck c;
  EXPECT_EQ(verdict(make(u), &c), "");
  EXPECT_EQ(c.suite, "stable");
}

TEST_F(IncomingCheck, OrigDiffersFromThePublishedOne) {
  publish({});
  Upload u;
  u.version = "1.0-2";
  u.orig_text = "hello, other upstream bytes\n";
  EXPECT_EQ(verdict(make(u)), "orig-differs: File hello_1.0.orig.tar.gz already exists in hapkg, but uploaded "
                              "version has different contents.");
}

TEST_F(IncomingCheck, OrigLeftOutIsTakenFromThePool) {
  Upload u;
  u.version = "1.0-2";
  u.orig = source::OrigInclusion::kNever;
  std::string changes = make(u);
  EXPECT_EQ(verdict(changes), "orig-missing: Unable to find hello_1.0.orig.tar.gz in upload or distribution.");
  publish({});
  UploadCheck c;
  EXPECT_EQ(verdict(changes, &c), "");
  EXPECT_EQ(c.from_pool, std::vector<std::string>{pool("hello_1.0.orig.tar.gz")});
  EXPECT_EQ(c.version, "1.0-2");
}

TEST_F(IncomingCheck, VersionOlderThanTheArchive) {
  Upload u;
  u.version = "1.0-2";
  publish(u);
  EXPECT_EQ(verdict(make({})),
            "version-not-newer: hello_1.0-1.dsc: Version older than that in the archive. 1.0-1 <= 1.0-2");
}

TEST_F(IncomingCheck, VersionTheSameAgain) {
  publish({});
  Upload u;
  u.orig = source::OrigInclusion::kNever;  // the same source again, a new .changes
  EXPECT_EQ(verdict(make(u)),
            "version-not-newer: The source hello - 1.0-1 is already accepted in hapkg/bookworm and you cannot upload "
            "the same version within the same distribution. You have to modify the source version and re-upload.");
}

TEST_F(IncomingCheck, VersionNewerIsAccepted) {
  publish({});
  Upload u;
  u.version = "1.0-1+b1";  // dpkg: 1.0-1+b1 > 1.0-1; the orig is the pool's, same bytes
  EXPECT_EQ(verdict(make(u)), "");
}

TEST_F(IncomingCheck, SameVersionOtherContent) {
  publish({});
  Upload u;
  u.entry = "Other changes.";
  EXPECT_EQ(verdict(make(u)), "same-version-other-content: File hello_1.0-1.debian.tar.xz already exists in hapkg, "
                              "but uploaded version has different contents.");
}

TEST_F(IncomingCheck, BinariesMixedWithTheSource) {
  std::string changes = make({});
  write_file_atomic(changes, gpg::clearsign_text(add_binary(changes, "source all"), kUploader));
  EXPECT_EQ(verdict(changes), "binaries: Source/binary (i.e. mixed) uploads are not allowed.");
}

TEST_F(IncomingCheck, BinariesOnly) {
  std::string changes = make({});
  write_file_atomic(changes, gpg::clearsign_text(add_binary(changes, "all"), kUploader));
  EXPECT_EQ(verdict(changes),
            "binaries: Upload rejected because it contains binary packages. Ensure you are using `debuild -S`, or an "
            "equivalent command, to generate only the source package before re-uploading.");
}

// A .deb listed while Architecture says source only: the file names it.
TEST_F(IncomingCheck, BinariesListedUnderArchitectureSource) {
  std::string changes = make({});
  write_file_atomic(changes, gpg::clearsign_text(add_binary(changes, "source"), kUploader));
  EXPECT_EQ(verdict(changes), "binaries: Source/binary (i.e. mixed) uploads are not allowed.");
}

TEST_F(IncomingCheck, MandatoryFieldMissing) {
  std::string changes = make({});
  std::string text = deb::read_deb822_text(changes);
  auto at = text.find("Changed-By:");
  ASSERT_NE(at, std::string::npos);
  text.erase(at, text.find('\n', at) + 1 - at);
  write_file_atomic(changes, gpg::clearsign_text(text, kUploader));
  EXPECT_EQ(verdict(changes), "malformed: Unable to find mandatory field 'Changed-By' in the changes file.");
}

TEST_F(IncomingCheck, NoKeyringIsTheCallersError) {
  std::string changes = make({});
  EXPECT_THROW(check_upload(changes, archive_, t_.path() + "/none.gpg"), InputError);
}

}  // namespace
}  // namespace hapkg::archive
