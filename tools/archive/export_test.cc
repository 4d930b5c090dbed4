// archive export on a real Debian .dsc (../shared/sources, via
// HAPKG_SHARED_SOURCES) and an empty suite: the indices, the Release that
// lists them, nothing half-written.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "archive/repo.h"
#include "deb/deb822.h"
#include "deb/hashes.h"
#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::archive {
namespace {

// ../shared/sources beside the checkout (or beside a worktree's parent).
std::string shared_sources() {
  if (const char* s = std::getenv("HAPKG_SHARED_SOURCES")) return s;
  const char* src = std::getenv("HAPKG_SOURCE_DIR");
  for (const char* up : {"/../shared/sources", "/../../shared/sources"})
    if (src && std::filesystem::exists(std::string(src) + up)) return std::string(src) + up;
  return "";
}

SuiteConfig suite(const std::string& name) {
  SuiteConfig s;
  s.suite = s.codename = name;
  s.architectures = {"amd64"};
  return s;
}

TEST(Export, ReleaseListsEveryIndexWithItsHashes) {
  TempDir t("hapkg-export-test");
  init_archive(t.path(), suite("stable"));
  EXPECT_TRUE(export_archive(t.path(), {}).empty());
  std::string base = t.path() + "/dists/stable/";
  auto release = deb::read_deb822(base + "Release", deb::Deb822Kind::kRelease).paragraphs.at(0);
  EXPECT_EQ(release.get("Architectures"), "amd64");
  std::string sha256 = release.get("SHA256");
  for (const char* f : {"main/binary-amd64/Packages", "main/binary-amd64/Packages.xz", "main/source/Sources.gz",
                        "main/source/Release"}) {
    auto h = deb::hash_file(base + f);
    EXPECT_NE(sha256.find(h.sha256 + " "), std::string::npos) << f;
  }
  for (const auto& e : std::filesystem::recursive_directory_iterator(t.path()))
    EXPECT_EQ(e.path().string().find(".hapkg-new"), std::string::npos) << e.path();
  EXPECT_FALSE(std::filesystem::exists(base + "InRelease"));
}

TEST(Export, SourcesStanzaOfARealDsc) {
  std::string dir = shared_sources() + "/trixie";
  ASSERT_TRUE(std::filesystem::exists(dir + "/corosync_3.1.9-2+deb13u1.dsc"))
      << "the real source packages (../shared/sources) are missing: " << dir;
  TempDir t("hapkg-export-test");
  init_archive(t.path(), suite("trixie"));
  include_files(t.path(), "trixie", "", {dir + "/corosync_3.1.9-2+deb13u1.dsc"});
  export_archive(t.path(), {});
  auto src = deb::read_deb822(t.path() + "/dists/trixie/main/source/Sources", deb::Deb822Kind::kSources);
  ASSERT_EQ(src.paragraphs.size(), 1u);
  const auto& p = src.paragraphs.front();
  EXPECT_EQ(p.get("Package"), "corosync");
  EXPECT_EQ(p.get("Directory"), "pool/main/c/corosync");
  EXPECT_FALSE(p.has("Priority"));  // only an override file gives them (apt-ftparchive)
  EXPECT_FALSE(p.has("Section"));
  // the .dsc has no Checksums-Sha512; the index has one line per file, the .dsc first
  auto dsc = deb::hash_file(dir + "/corosync_3.1.9-2+deb13u1.dsc");
  std::string sha512 = p.get("Checksums-Sha512");
  EXPECT_EQ(sha512.rfind(dsc.sha512 + " " + std::to_string(dsc.size) + " corosync_3.1.9-2+deb13u1.dsc\n", 0), 0u)
      << sha512;
  EXPECT_NE(sha512.find(deb::hash_file(dir + "/corosync_3.1.9.orig.tar.gz.asc").sha512), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(t.path() + "/pool/main/c/corosync/corosync_3.1.9.orig.tar.gz"));
}

TEST(Include, DscWithATamperedChecksumNamesTheField) {
  std::string dir = shared_sources() + "/trixie";
  ASSERT_TRUE(std::filesystem::exists(dir + "/gfs2-utils_3.6.1-1.dsc")) << dir;
  TempDir t("hapkg-export-test");
  for (const char* f : {"gfs2-utils_3.6.1.orig.tar.xz", "gfs2-utils_3.6.1-1.debian.tar.xz"})
    std::filesystem::copy_file(std::string(dir) + "/" + f, t.path() + "/" + f);
  std::string dsc = deb::read_deb822_text(dir + "/gfs2-utils_3.6.1-1.dsc");
  auto at = dsc.find("Checksums-Sha256:\n ") + 19;
  dsc.replace(at, 4, dsc.substr(at, 4) == "0000" ? "1111" : "0000");
  write_file_atomic(t.path() + "/gfs2-utils_3.6.1-1.dsc", dsc);
  init_archive(t.path() + "/a", suite("trixie"));
  try {
    include_files(t.path() + "/a", "trixie", "", {t.path() + "/gfs2-utils_3.6.1-1.dsc"});
    FAIL() << "a tampered .dsc was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("gfs2-utils_3.6.1-1.dsc:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("checksum mismatch for gfs2-utils_3.6.1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(Checksums-Sha256)"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(t.path() + "/a/pool/main/g"));
}

}  // namespace
}  // namespace hapkg::archive
