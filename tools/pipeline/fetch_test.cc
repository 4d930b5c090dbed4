// The fetch step's local path ("Packaging: sources DIR") with Debian's real
// crmsh 4.4.1-1+deb12u1 from HAPKG_SHARED_SOURCES: every file verified
// against the Sources stanza and the .dsc, then unpacked; one flipped byte
// in the orig tarball is refused by name and nothing is unpacked.
#include "pipeline/fetch.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;
namespace fs = std::filesystem;

namespace {

const std::string kBookworm = std::string(HAPKG_SHARED_SOURCES) + "/bookworm";
const char* kFiles[] = {"Sources", "crmsh_4.4.1-1+deb12u1.dsc", "crmsh_4.4.1.orig.tar.gz",
                        "crmsh_4.4.1-1+deb12u1.debian.tar.xz"};

pl::SourceEntry crmsh_from(const std::string& dir) {
  pl::SourceEntry s;
  s.name = "crmsh";
  s.packaging.kind = pl::Packaging::Kind::kSources;
  s.packaging.uri = dir;
  return s;
}

std::string copy_of_real_sources(const hapkg::TempDir& tmp) {
  std::string dir = tmp.path() + "/sources";
  fs::create_directories(dir);
  for (const char* f : kFiles) {
    fs::copy_file(kBookworm + "/" + f, dir + "/" + f);  // throws (the test fails) when the real data is missing
    fs::permissions(dir + "/" + f, fs::perms::owner_read | fs::perms::owner_write);
  }
  return dir;
}

TEST(FetchSources, RealCrmshIsVerifiedAndUnpacked) {
  hapkg::TempDir tmp;
  std::string dir = copy_of_real_sources(tmp);
  std::vector<std::string> log;
  auto f = pl::fetch_packaging(crmsh_from(dir), "", tmp.path() + "/dest", tmp.path() + "/cache",
                               [&](const std::string& l) { log.push_back(l); });
  EXPECT_EQ(f.version, "4.4.1-1+deb12u1");
  EXPECT_EQ(f.dsc, "crmsh_4.4.1-1+deb12u1.dsc");
  EXPECT_EQ(f.files.size(), 3u);
  EXPECT_EQ(f.tree, tmp.path() + "/dest/crmsh-4.4.1");
  EXPECT_EQ(hapkg::read_file(f.tree + "/debian/changelog").rfind("crmsh (4.4.1-1+deb12u1)", 0), 0u);
  EXPECT_EQ(pl::fetch_inputs(crmsh_from(dir), ""), hapkg::read_file(dir + "/Sources"));
}

TEST(FetchSources, TamperedTarballIsRefusedAndNothingUnpacked) {
  hapkg::TempDir tmp;
  std::string dir = copy_of_real_sources(tmp);
  std::string orig = dir + "/crmsh_4.4.1.orig.tar.gz";
  std::string bytes = hapkg::read_file(orig);
  bytes[bytes.size() / 2] ^= 0x01;
  hapkg::write_file_atomic(orig, bytes);
  try {
    pl::fetch_packaging(crmsh_from(dir), "", tmp.path() + "/dest", tmp.path() + "/cache", [](const std::string&) {});
    FAIL() << "tampered file accepted";
  } catch (const hapkg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("crmsh_4.4.1.orig.tar.gz"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(tmp.path() + "/dest/crmsh-4.4.1"));
}

TEST(FetchSources, MissingSourcesFileNamesIt) {
  hapkg::TempDir tmp;
  try {
    pl::fetch_packaging(crmsh_from(tmp.path()), "", tmp.path() + "/dest", tmp.path() + "/cache",
                        [](const std::string&) {});
    FAIL() << "no error";
  } catch (const hapkg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(tmp.path() + "/Sources"), std::string::npos) << e.what();
  }
  EXPECT_EQ(pl::fetch_inputs(crmsh_from(tmp.path()), ""), "");
}

}  // namespace
