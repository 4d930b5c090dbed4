// process-incoming on real uploads: a tiny 3.0 (quilt) package built by
// tools/source (dpkg-source's bytes), its source-only .changes signed as
// debsign does with throwaway ed25519 keys (real gpg), checked by gpgv.
// Every rejection rule has its test; each checks the .reject line and that
// the archive did not change.
#include "archive/incoming.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <iterator>
#include <sstream>

#include "archive/repo.h"
#include "deb/deb822.h"
#include "deb/hashes.h"
#include "source/build.h"
#include "source/changes.h"
#include "util/error.h"
#include "util/file.h"
#include "util/gpg.h"
#include "util/process.h"
#include "util/tempdir.h"

namespace fs = std::filesystem;

namespace hapkg::archive {
namespace {

const char kUploader[] = "uploader@hapkg.invalid";
const char kStranger[] = "stranger@hapkg.invalid";

class Incoming : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    home_ = new TempDir("hapkg-incoming-gpg");
    ::setenv("GNUPGHOME", home_->path().c_str(), 1);
    for (const char* uid : {kUploader, kStranger}) {
      ProcessResult r = run_process({"gpg", "--batch", "--quiet", "--passphrase", "", "--quick-gen-key",
                                     std::string("hapkg test <") + uid + ">", "ed25519", "sign", "never"});
      ASSERT_EQ(r.exit_status, 0) << r.err;
    }
  }
  static void TearDownTestSuite() {
    run_process({"gpgconf", "--homedir", home_->path(), "--kill", "gpg-agent"});
    ::unsetenv("GNUPGHOME");
    delete home_;
  }

  void SetUp() override {
    archive_ = t_.path() + "/archive";
    SuiteConfig s;
    s.suite = s.codename = "bookworm";
    s.architectures = {"amd64"};
    init_archive(archive_, s);
    ProcessResult r = run_process({"gpg", "--batch", "--export", kUploader});
    ASSERT_EQ(r.exit_status, 0);
    write_file_atomic(uploaders_keyring(archive_), r.out);
  }

  struct Upload {
    std::string orig_text = "hello\n";  // the upstream README
    std::string version = "1.0-1", dist = "bookworm", key = kUploader, entry = "Initial.";
    source::OrigInclusion orig = source::OrigInclusion::kAlways;
  };
  // Builds hello <version> in its own directory (the incoming directory)
  // and returns the .changes. Origs of equal text are the same bytes.
  std::string make(const Upload& u) {
    std::string dir = t_.path() + "/up" + std::to_string(++n_), up = u.version.substr(0, u.version.find('-'));
    std::string tree = dir + "/hello-" + up;
    fs::create_directories(tree + "/debian/source");
    write_file_atomic(tree + "/README", u.orig_text);
    std::string orig = dir + "/hello_" + up + ".orig.tar.gz";
    std::string cached = t_.path() + "/orig-" + deb::sha256_hex(up + u.orig_text);
    if (!fs::exists(cached)) {
      ProcessOptions o;
      o.cwd = dir;
      EXPECT_EQ(run_process({"tar", "--mtime=@0", "--owner=0", "--group=0", "-czf", cached, "hello-" + up}, o)
                    .exit_status, 0);
    }
    fs::copy_file(cached, orig);
    write_file_atomic(tree + "/debian/source/format", "3.0 (quilt)\n");
    write_file_atomic(tree + "/debian/changelog", "hello (" + u.version + ") " + u.dist +
                                                      "; urgency=medium\n\n  * " + u.entry +
                                                      "\n\n -- Jane Doe <jane@example.org>  Tue, 01 Dec 2026 "
                                                      "12:00:00 +0000\n");
    write_file_atomic(tree + "/debian/control",
                      "Source: hello\nSection: misc\nPriority: optional\nMaintainer: Jane Doe <jane@example.org>\n\n"
                      "Package: hello\nArchitecture: all\nDescription: h\n h\n");
    source::build_source(tree);
    source::ChangesOptions co;
    co.orig = u.orig;
    std::string changes = source::write_changes(tree, co);
    if (!u.key.empty()) source::sign_changes(changes, u.key);
    return changes;
  }

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
  // The suite's packages and every file of the tree, with its content.
  std::string state() {
    std::string out;
    for (const auto& e : list_entries(archive_, "bookworm")) out += e.package + " " + e.version + "\n";
    for (const auto& f : fs::recursive_directory_iterator(archive_))
      if (f.is_regular_file()) out += f.path().string() + " " + deb::hash_file(f.path().string()).sha256 + "\n";
    return out;
  }

  static TempDir* home_;
  TempDir t_{"hapkg-incoming-test"};
  std::string archive_;
  int n_ = 0;
};
TempDir* Incoming::home_ = nullptr;

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

// Launchpad takes no unsigned .dsc either: the .dsc's signature stripped,
// the .changes listing its new checksums and signed again.
TEST_F(Incoming, RejectsAnUnsignedDsc) {
  std::string changes = make({});
  std::string dsc = parent_dir(changes) + "/hello_1.0-1.dsc";
  write_file_atomic(dsc, deb::read_deb822_text(dsc));
  deb::FileHashes h = deb::hash_file(dsc);
  std::string text, line;
  std::istringstream in(deb::read_deb822_text(changes));
  while (std::getline(in, line)) {
    std::istringstream w(line);
    std::vector<std::string> words{std::istream_iterator<std::string>(w), {}};
    if (line[0] == ' ' && words.back() == "hello_1.0-1.dsc") {
      words[1] = std::to_string(h.size);
      words[0] = words[0].size() == 32 ? h.md5 : words[0].size() == 40 ? h.sha1 : h.sha256;
      line.clear();
      for (const auto& x : words) line += " " + x;
    }
    text += line + "\n";
  }
  write_file_atomic(changes, gpg::clearsign_text(text, kUploader));
  std::string r = rejection(changes);
  EXPECT_EQ(r.rfind("signature: GPG verification of hello_1.0-1.dsc failed: ", 0), 0u) << r;
}

// A mixed upload: the source .changes plus a real .deb (dpkg-deb), listed
// with its real checksums and signed again (as debsign would).
TEST_F(Incoming, RejectsBinariesInASourceOnlyUpload) {
  std::string changes = make({});
  std::string dir = parent_dir(changes), root = t_.path() + "/debroot";
  fs::create_directories(root + "/DEBIAN");
  write_file_atomic(root + "/DEBIAN/control", "Package: hello\nVersion: 1.0-1\nArchitecture: all\n"
                                              "Maintainer: Jane Doe <jane@example.org>\nDescription: h\n h\n");
  ASSERT_EQ(run_process({"dpkg-deb", "--root-owner-group", "-b", root, dir + "/hello_1.0-1_all.deb"}).exit_status, 0);
  deb::FileHashes h = deb::hash_file(dir + "/hello_1.0-1_all.deb");
  std::string text = deb::read_deb822_text(changes);
  auto add = [&](const std::string& field, const std::string& line) {
    auto end = text.find("\n", text.find(field + ":"));
    while (end != std::string::npos && end + 1 < text.size() && text[end + 1] == ' ') end = text.find("\n", end + 1);
    text.insert(end == std::string::npos ? text.size() : end, line);  // the last field may lack its newline
  };
  add("Files", "\n " + h.md5 + " " + std::to_string(h.size) + " misc optional hello_1.0-1_all.deb");
  add("Checksums-Sha1", "\n " + h.sha1 + " " + std::to_string(h.size) + " hello_1.0-1_all.deb");
  add("Checksums-Sha256", "\n " + h.sha256 + " " + std::to_string(h.size) + " hello_1.0-1_all.deb");
  text.replace(text.find("Architecture: source"), 20, "Architecture: source all");
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
