// Unit-test fixture for uploads (incoming_test.cc, incoming_check_test.cc):
// a tiny 3.0 (quilt) package built by tools/source (dpkg-source's bytes),
// its source-only .changes signed as debsign does with throwaway ed25519
// keys (real gpg), an empty archive whose uploaders keyring holds only
// kUploader. The broken uploads (.dsc signed again, binaries) are made the way
// a maintainer's tools would make them: real files, real checksums, signed
// again.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "archive/incoming.h"
#include "archive/repo.h"
#include "deb/deb822.h"
#include "deb/hashes.h"
#include "source/build.h"
#include "source/changes.h"
#include "util/file.h"
#include "util/gpg.h"
#include "util/process.h"
#include "util/tempdir.h"

namespace hapkg::archive {

inline constexpr char kUploader[] = "uploader@hapkg.invalid";
inline constexpr char kStranger[] = "stranger@hapkg.invalid";

class UploadFixture : public ::testing::Test {
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
    home_ = nullptr;
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
    std::filesystem::create_directories(tree + "/debian/source");
    write_file_atomic(tree + "/README", u.orig_text);
    std::string orig = dir + "/hello_" + up + ".orig.tar.gz";
    std::string cached = t_.path() + "/orig-" + deb::sha256_hex(up + u.orig_text);
    if (!std::filesystem::exists(cached)) {
      ProcessOptions o;
      o.cwd = dir;
      EXPECT_EQ(run_process({"tar", "--mtime=@0", "--owner=0", "--group=0", "-czf", cached, "hello-" + up}, o)
                    .exit_status, 0);
    }
    std::filesystem::copy_file(cached, orig);
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

  // The .dsc signed again by `key` ("" : its signature stripped), the
  // .changes listing its new checksums and signed again by kUploader.
  void resign_dsc(const std::string& changes, const std::string& key) {
    std::string dsc = parent_dir(changes) + "/hello_1.0-1.dsc";
    std::string text = deb::read_deb822_text(dsc);
    write_file_atomic(dsc, key.empty() ? text : gpg::clearsign_text(text, key));
    deb::FileHashes h = deb::hash_file(dsc);
    std::string line;
    text.clear();
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
  }

  // A real .deb (dpkg-deb) added beside the source upload, listed in the
  // .changes with its real checksums, and the .changes' unsigned text with
  // Architecture: `architecture` (the caller signs it).
  std::string add_binary(const std::string& changes, const std::string& architecture) {
    std::string dir = parent_dir(changes), root = t_.path() + "/debroot";
    std::filesystem::create_directories(root + "/DEBIAN");
    write_file_atomic(root + "/DEBIAN/control", "Package: hello\nVersion: 1.0-1\nArchitecture: all\n"
                                                "Maintainer: Jane Doe <jane@example.org>\nDescription: h\n h\n");
    EXPECT_EQ(run_process({"dpkg-deb", "--root-owner-group", "-b", root, dir + "/hello_1.0-1_all.deb"}).exit_status, 0);
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
    text.replace(text.find("Architecture: source"), 20, "Architecture: " + architecture);
    return text;
  }

  // Every suite's packages and every file of the archive, with its content.
  std::string state() {
    std::string out;
    for (const auto& suite : read_config(archive_))
      for (const auto& e : list_entries(archive_, suite.suite)) out += e.package + " " + e.version + "\n";
    for (const auto& f : std::filesystem::recursive_directory_iterator(archive_))
      if (f.is_regular_file()) out += f.path().string() + " " + deb::hash_file(f.path().string()).sha256 + "\n";
    return out;
  }

  static inline TempDir* home_ = nullptr;
  TempDir t_{"hapkg-incoming-test"};
  std::string archive_;
  int n_ = 0;
};

}  // namespace hapkg::archive
