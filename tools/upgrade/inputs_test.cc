#include "upgrade/inputs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "util/error.h"
#include "upgrade/check_fixture.h"
#include "util/file.h"
#include "util/process.h"
#include "util/tempdir.h"

namespace hapkg::upgrade {
namespace {

TEST(Inputs, StanzasNeedPackageAndStatus) {
  auto release = deb::parse_deb822("Origin: Debian\nSuite: trixie\n", "/x/Release", deb::Deb822Kind::kGeneric);
  try {
    check_package_stanzas(release, true);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "/x/Release:1: stanza without a Package: field (not a dpkg status file?)");
  }
  auto packages = deb::parse_deb822("Package: a\nVersion: 1\n\nPackage: b\n", "P", deb::Deb822Kind::kGeneric);
  EXPECT_NO_THROW(check_package_stanzas(packages, false));
  EXPECT_THROW(check_package_stanzas(packages, true), InputError);
}

TEST(Inputs, DiagnosesTruncatedAndPackagelessIndices) {
  TempDir t("hapkg-inputs-test");
  std::string p = t.path() + "/Packages";
  fixture::put(p, "Package: a\nVersion: 1\n\nVersion: 2\nArchitecture: all\n");
  EXPECT_EQ(diagnose_index(p, false), p + ":4: stanza without a Package: field (not a Packages index?)");
  ASSERT_EQ(run_process({"xz", "-k", p}).exit_status, 0);
  ASSERT_EQ(::truncate((p + ".xz").c_str(), 30), 0);
  EXPECT_EQ(diagnose_index(p + ".xz", false), p + ".xz: corrupt or truncated (cannot be decompressed or read)");
  fixture::put(p, "Package: a\nVersion: 1\n");
  EXPECT_EQ(diagnose_index(p, false), "");
}

TEST(Inputs, AptErrorsNameTheUsersFile) {
  TempDir t("hapkg-inputs-test");
  std::string user = t.path() + "/mine/Packages", lists = t.path() + "/set/lists/";
  fixture::put(user, "Version: 2\n");
  std::filesystem::create_directories(lists);
  std::string list = lists + "archive.invalid_new0_dists_new0_main_binary-amd64_Packages";
  std::filesystem::create_symlink(user, list);
  std::string apt = "Problem with MergeList " + list +
                    "; The package lists or status file could not be parsed or opened.";
  EXPECT_EQ(explain_unreadable_input(lists, t.path() + "/root/status", "/home/me/status", apt),
            user + ":1: stanza without a Package: field (not a Packages index?)");
  std::string status = t.path() + "/root/status";
  fixture::put(status, "Origin: Debian\n");
  EXPECT_EQ(explain_unreadable_input(lists, status, "/home/me/status",
                                     "Problem with MergeList " + status + " - run apt-get update to correct"),
            "/home/me/status:1: stanza without a Package: field (not a dpkg status file?)");
  std::string other = explain_unreadable_input(lists, status, "/home/me/status",
                                               "Could not open " + status + "; You may want to run apt-get update to correct these problems");
  EXPECT_EQ(other.find("apt-get update"), std::string::npos) << other;
}

}  // namespace
}  // namespace hapkg::upgrade
