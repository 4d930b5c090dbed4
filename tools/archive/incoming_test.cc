// process-incoming on real uploads (UploadFixture: a tiny 3.0 (quilt)
// package built by tools/source, its .changes signed with real gpg, checked
// by gpgv). Every rejection rule has its test; each checks the .reject line
// and that the archive did not change. The rules' exact reasons:
// incoming_check_test.cc.
#include "archive/incoming.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "archive/repo.h"
#include "archive/upload_fixture.h"
#include "deb/deb822.h"
#include "util/error.h"
#include "util/file.h"
#include "util/gpg.h"
#include "util/process.h"

namespace fs = std::filesystem;

namespace hapkg::archive {
namespace {

class Incoming : public UploadFixture {
 protected:
  IncomingResult run(const std::string& changes) {
    return process_incoming(parent_dir(changes), archive_, {kUploader, ""});
  }
  std::string rejection(const std::string& changes) {
    std::string before = state();
    IncomingResult r = run(changes);
    EXPECT_TRUE(r.accepted.empty());
    EXPECT_EQ(state(), before) << "a rejected upload changed the archive";
    EXPECT_TRUE(fs::exists(changes)) << "a rejected upload was removed";
    std::string line = read_file(changes + ".reject");
    EXPECT_EQ(line.find('\n'), line.size() - 1) << "not one line: " << line;
    EXPECT_EQ(r.rejected.at(0).second + "\n", line);
    return line.substr(0, line.size() - 1);
  }
  void accepted(const std::string& changes) {
    IncomingResult r = run(changes);
    ASSERT_EQ(r.accepted.size(), 1u) << (r.rejected.empty() ? "" : r.rejected[0].second);
  }
};

TEST_F(Incoming, AcceptsIntoPoolAndSuiteSignedAndEmptiesTheUpload) {
  std::string changes = make({});
  std::string dir = parent_dir(changes);
  accepted(changes);
  auto entries = list_entries(archive_, "bookworm");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].package + " " + entries[0].version + " " + entries[0].architecture, "hello 1.0-1 source");
  for (const char* f : {"hello_1.0-1.dsc", "hello_1.0.orig.tar.gz", "hello_1.0-1.debian.tar.xz"}) {
    EXPECT_TRUE(fs::exists(archive_ + "/pool/main/h/hello/" + f)) << f;
    EXPECT_FALSE(fs::exists(dir + "/" + f)) << f << " left in the incoming directory";
  }
  EXPECT_FALSE(fs::exists(changes));
  // signed with the archive key: gpgv accepts InRelease against that key
  gpg::Home h;
  std::string ring = h.dir() + "/archive.gpg";
  write_file_atomic(ring, run_process({"gpg", "--batch", "--export", kUploader}).out);
  EXPECT_EQ(gpg::check_signature(ring, archive_ + "/dists/bookworm/InRelease"), "");
  EXPECT_NE(read_file(archive_ + "/dists/bookworm/main/source/Sources").find("Package: hello"), std::string::npos);
  EXPECT_FALSE(fs::exists(parent_dir(archive_) + "/.archive.incoming-new"));
}

TEST_F(Incoming, RejectsAnUnsignedUpload) {
  Upload u;
  u.key = "";
  EXPECT_EQ(rejection(make(u)).rfind("signature: GPG verification of hello_1.0-1_source.changes failed: ", 0), 0u);
}

TEST_F(Incoming, RejectsAKeyNotInTheUploadersKeyring) {
  Upload u;
  u.key = kStranger;
  std::string line = rejection(make(u));
  EXPECT_EQ(line.rfind("signature: GPG verification of hello_1.0-1_source.changes failed: ", 0), 0u) << line;
  EXPECT_NE(line.find("public key"), std::string::npos) << line;  // gpgv: "No public key"
}

TEST_F(Incoming, RejectsAFileWhoseChecksumDiffers) {
  std::string changes = make({});
  std::string tar = parent_dir(changes) + "/hello_1.0-1.debian.tar.xz";
  std::string data = read_file(tar);
  data[data.size() / 2] ^= 1;  // same size, other bytes
  write_file_atomic(tar, data);
  std::string line = rejection(changes);
  EXPECT_EQ(line.rfind("checksums: File hello_1.0-1.debian.tar.xz mentioned in the changes has a MD5 mismatch. ", 0),
            0u) << line;
}

TEST_F(Incoming, RejectsAnUnknownSeries) {
  Upload u;
  u.dist = "sid";
  EXPECT_EQ(rejection(make(u)), "unknown-series: Unable to find distroseries: sid");
}

TEST_F(Incoming, RejectsAnOrigOtherThanTheArchiveOne) {
  accepted(make({}));
  Upload u;
  u.version = "1.0-2";
  u.orig_text = "hello, other upstream bytes\n";
  EXPECT_EQ(rejection(make(u)), "orig-differs: File hello_1.0.orig.tar.gz already exists in hapkg, but uploaded "
                                "version has different contents.");
}

TEST_F(Incoming, ReusesThePoolOrigAndRejectsAMissingOne) {
  Upload u;
  u.version = "1.0-2";
  u.orig = source::OrigInclusion::kNever;
  EXPECT_EQ(rejection(make(u)), "orig-missing: Unable to find hello_1.0.orig.tar.gz in upload or distribution.");
  accepted(make({}));
  accepted(make(u));  // -sd: the pool's orig, verified against the .dsc
  EXPECT_EQ(list_entries(archive_, "bookworm").at(0).version, "1.0-2");
}

TEST_F(Incoming, RejectsAnOlderVersion) {
  Upload u;
  u.version = "1.0-2";
  accepted(make(u));
  EXPECT_EQ(rejection(make({})),
            "version-not-newer: hello_1.0-1.dsc: Version older than that in the archive. 1.0-1 <= 1.0-2");
}

TEST_F(Incoming, RejectsTheSameVersionAgain) {
  accepted(make({}));
  Upload u;
  u.orig = source::OrigInclusion::kNever;  // the same source again, a new .changes
  EXPECT_EQ(rejection(make(u)),
            "version-not-newer: The source hello - 1.0-1 is already accepted in hapkg/bookworm and you cannot upload "
            "the same version within the same distribution. You have to modify the source version and re-upload.");
}

TEST_F(Incoming, RejectsTheSameVersionWithOtherContent) {
  accepted(make({}));
  Upload u;
  u.entry = "Other changes.";
  std::string line = rejection(make(u));
  EXPECT_EQ(line, "same-version-other-content: File hello_1.0-1.debian.tar.xz already exists in hapkg, but uploaded "
                  "version has different contents.");
}

// Launchpad takes no unsigned .dsc either (UploadFixture::resign_dsc).
TEST_F(Incoming, RejectsAnUnsignedDsc) {
  std::string changes = make({});
  resign_dsc(changes, "");
  std::string r = rejection(changes);
  EXPECT_EQ(r.rfind("signature: GPG verification of hello_1.0-1.dsc failed: ", 0), 0u) << r;
}

// A mixed upload: the source .changes plus a real .deb (dpkg-deb), listed
// with its real checksums and signed again (as debsign would).
TEST_F(Incoming, RejectsBinariesInASourceOnlyUpload) {
  std::string changes = make({});
  std::string text = add_binary(changes, "source all");
  write_file_atomic(changes, gpg::clearsign_text(text, kUploader));
  EXPECT_EQ(rejection(changes), "binaries: Source/binary (i.e. mixed) uploads are not allowed.");
  text.replace(text.find("Architecture: source all"), 24, "Architecture: all");
  write_file_atomic(changes, gpg::clearsign_text(text, kUploader));
  EXPECT_EQ(rejection(changes).rfind("binaries: Upload rejected because it contains binary packages.", 0), 0u);
}

// What a crash leaves: a half-built tree beside the archive (removed), and
// an upload already swapped in whose files are still in the incoming
// directory (db/uploads/ knows it: cleaned up, not rejected as a re-upload).
TEST_F(Incoming, ARunAfterACrashFinishesTheJob) {
  std::string changes = make({});
  std::string dir = parent_dir(changes), copy = t_.path() + "/copy";
  fs::copy(dir, copy, fs::copy_options::recursive);
  accepted(changes);
  std::string stage = parent_dir(archive_) + "/.archive.incoming-new";
  fs::create_directories(stage + "/pool");
  write_file_atomic(stage + "/pool/half-written", "x");
  std::string after = state();
  fs::remove_all(dir);
  fs::rename(copy, dir);
  accepted(changes);
  EXPECT_FALSE(fs::exists(changes));
  EXPECT_FALSE(fs::exists(dir + "/hello_1.0-1.dsc"));
  EXPECT_FALSE(fs::exists(stage));
  EXPECT_EQ(state(), after);
}

TEST_F(Incoming, ASignedArchiveNeedsItsKey) {
  accepted(make({}));
  Upload u;
  u.version = "1.0-2";
  std::string changes = make(u);
  EXPECT_THROW(process_incoming(parent_dir(changes), archive_, {}), InputError);
  EXPECT_TRUE(fs::exists(changes));
}

}  // namespace
}  // namespace hapkg::archive
