// Index sets and sandbox roots built from real temp trees (archive roots
// laid out as apt-ftparchive / hapkg archive write them).
#include "upgrade/root.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "util/error.h"
#include "upgrade/check_fixture.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::upgrade {
namespace {

struct ArchiveRoot {
  TempDir t{"hapkg-root-test"};
  std::string dists = t.path() + "/archive/dists/trixie";
  ArchiveRoot() {
    fixture::put(dists + "/Release",
                      "Suite: trixie\nArchitectures: amd64 i386\nComponents: main contrib\nSHA256:\n"
                      " 00 42 main/binary-amd64/Packages\n 00 0 contrib/binary-amd64/Packages.xz\n"
                      " 00 10 main/binary-i386/Packages\n");
    fixture::put(dists + "/main/binary-amd64/Packages", "Package: a\nVersion: 1\nArchitecture: amd64\n");
    fixture::put(dists + "/contrib/binary-amd64/Packages.xz", "");
  }
  UpgradeOptions options(std::vector<std::string> archs) const {
    UpgradeOptions o;
    o.new_indices = {t.path() + "/archive"};
    o.new_suite = "trixie";
    o.architectures = std::move(archs);
    return o;
  }
};

TEST(IndexSet, ArchiveRootPlacedUnderAptsListNames) {
  ArchiveRoot a;
  std::string set = prepare_index_set(a.t.path() + "/sets", a.options({"amd64"}), "new");
  std::string lists = set + "/lists/archive.invalid_new0_dists_trixie_";
  EXPECT_EQ(std::filesystem::read_symlink(lists + "main_binary-amd64_Packages"), a.dists + "/main/binary-amd64/Packages");
  EXPECT_TRUE(std::filesystem::is_symlink(lists + "contrib_binary-amd64_Packages.xz"));
  EXPECT_EQ(std::filesystem::read_symlink(lists + "Release"), a.dists + "/Release");
  EXPECT_EQ(read_file(set + "/sources.list"), "deb [trusted=yes] http://archive.invalid/new0 trixie main contrib\n");
  // the same inputs again: the same set
  EXPECT_EQ(prepare_index_set(a.t.path() + "/sets", a.options({"amd64"}), "new"), set);
}

TEST(IndexSet, MissingDataIsNeverAPass) {
  ArchiveRoot a;
  // the Release lists main/binary-i386/Packages, which is not there
  try {
    prepare_index_set(a.t.path() + "/sets", a.options({"amd64", "i386"}), "new");
    FAIL();
  } catch (const OperationError& e) {
    EXPECT_EQ(std::string(e.what()), a.dists + "/main/binary-i386/Packages: missing (the Release lists it)");
  }
  try {
    prepare_index_set(a.t.path() + "/sets", a.options({"arm64"}), "new");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("has no architecture 'arm64'"), std::string::npos) << e.what();
  }
  fixture::put(a.dists + "/main/binary-amd64/Packages", "Package: a\n");  // not the size the Release lists
  try {
    prepare_index_set(a.t.path() + "/sets", a.options({"amd64"}), "new");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), a.dists + "/main/binary-amd64/Packages: size 11, but the Release lists 42 "
                                                "(a stale or truncated index?)");
  }
  EXPECT_FALSE(std::filesystem::exists(a.t.path() + "/sets") &&
               !std::filesystem::is_empty(a.t.path() + "/sets"));  // no half-made set left
}

TEST(SandboxRoot, StatusAndExtendedStates) {
  ArchiveRoot a;
  UpgradeOptions o = a.options({"amd64"});
  std::string set = prepare_index_set(a.t.path() + "/sets", o, "new");
  o.status = a.t.path() + "/status";
  o.extended_states = a.t.path() + "/ext";
  fixture::put(o.status, "Package: a\nStatus: install ok installed\nVersion: 0.9\nArchitecture: amd64\n");
  fixture::put(o.extended_states, "Package: a\nArchitecture: amd64\nAuto-Installed: 1\n");
  std::string root = a.t.path() + "/root";
  build_sandbox_root(root, o, "new", set);
  EXPECT_EQ(read_file(root + "/var/lib/dpkg/status"), read_file(o.status));
  EXPECT_EQ(read_file(root + "/var/lib/apt/extended_states"), read_file(o.extended_states));
  EXPECT_NE(read_file(root + "/etc/apt/apt.conf.d/00hapkg").find("Dir::State::lists \"" + set + "/lists/\""),
            std::string::npos);
  fixture::put(o.status, "Origin: Debian\nSuite: trixie\n");  // a Release given as --status
  try {
    build_sandbox_root(root, o, "new", set);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), o.status + ":1: stanza without a Package: field (not a dpkg status file?)");
  }
}

}  // namespace
}  // namespace hapkg::upgrade
