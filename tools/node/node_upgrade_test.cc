// The pure parts of the real node upgrade. The dpkg and apt-get texts are
// copied from real runs (bookworm's dpkg 1.21 and apt 2.6 in a chroot); the
// whole upgrade runs in tests/upgrade/real_node.sh.
#include "node/node_upgrade.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::node {
namespace {

const char* kBefore =
    "Package: pcs\nStatus: install ok installed\nArchitecture: all\nVersion: 0.11.5-1\n\n"
    "Package: resource-agents\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:4.12.0-2\n\n"
    "Package: libc6\nStatus: install ok installed\nArchitecture: i386\nVersion: 2.36-9\n\n"
    "Package: oldconf\nStatus: deinstall ok config-files\nArchitecture: all\nVersion: 1\n\n"
    "Package: gone\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2\n";
const char* kAfter =
    "Package: pcs\nStatus: install ok installed\nArchitecture: all\nVersion: 0.11.5-1\n\n"
    "Package: resource-agents\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:4.16.0-3~bpo12+1\n\n"
    "Package: libc6\nStatus: install ok installed\nArchitecture: i386\nVersion: 2.36-9\n\n"
    "Package: resource-agents-openstack\nStatus: install ok installed\nArchitecture: amd64\nVersion: 0.1.0\n";

TEST(NodeUpgrade, StatusDiffSeesUpgradesInstallsAndRemovals) {
  auto before = installed_packages(kBefore, "before", "amd64");
  EXPECT_EQ(before.size(), 4u);  // config-files is not installed
  EXPECT_TRUE(before.count("libc6:i386"));
  auto d = diff_status(before, installed_packages(kAfter, "after", "amd64"));
  ASSERT_EQ(d.upgraded.size(), 1u);
  EXPECT_EQ(d.upgraded[0].package, "resource-agents");
  EXPECT_EQ(d.upgraded[0].to, "1:4.16.0-3~bpo12+1");
  ASSERT_EQ(d.installed.size(), 1u);
  EXPECT_EQ(d.installed[0].package, "resource-agents-openstack");
  ASSERT_EQ(d.removed.size(), 1u);
  EXPECT_EQ(d.removed[0].package, "gone");
}

TEST(NodeUpgrade, BadStatusNamesFileAndLine) {
  try {
    installed_packages("Package: a\nStatus: install ok installed\n\nVersion: 1\n", "st", "amd64");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("st:4:", 0), 0u) << e.what();
  }
}

TEST(NodeUpgrade, PredictionEqualToRealIsNoDifference) {
  auto d = diff_status(installed_packages(kBefore, "b", "amd64"), installed_packages(kAfter, "a", "amd64"));
  nlohmann::json report = {
      {"upgraded", {{{"package", "resource-agents"}, {"from", "1:4.12.0-2"}, {"to", "1:4.16.0-3~bpo12+1"}}}},
      {"new", {{{"package", "resource-agents-openstack"}, {"version", "0.1.0"}}}},
      {"removed", {{{"package", "gone"}, {"version", "2"}}}}};
  EXPECT_TRUE(compare_prediction(report, d).empty());
}

TEST(NodeUpgrade, EveryDifferenceNamesThePackages) {
  auto d = diff_status(installed_packages(kBefore, "b", "amd64"), installed_packages(kAfter, "a", "amd64"));
  nlohmann::json report = {
      {"upgraded", {{{"package", "resource-agents"}, {"from", "1:4.12.0-2"}, {"to", "1:4.16.0-3"}}}},
      {"new", nlohmann::json::array()},
      {"removed", {{{"package", "gone"}, {"version", "2"}}, {{"package", "pcs"}, {"version", "0.11.5-1"}}}}};
  auto diffs = compare_prediction(report, d);
  ASSERT_EQ(diffs.size(), 3u);
  EXPECT_EQ(diffs[0], "upgraded at another version than predicted: resource-agents (predicted 1:4.16.0-3, dpkg has "
                      "1:4.16.0-3~bpo12+1)");
  EXPECT_EQ(diffs[1], "installed by the real upgrade but not predicted: resource-agents-openstack 0.1.0");
  EXPECT_EQ(diffs[2], "removed predicted by upgrade-check but not by the real upgrade: pcs");
}

TEST(NodeUpgrade, DpkgErrorsNameThePackageAndDpkgsLine) {
  // apt-get dist-upgrade output of real failures (bookworm, dpkg 1.21.22)
  std::string out =
      "Unpacking crmsh (99:1) over (4.4.1-1) ...\n"
      "dpkg: error processing archive /var/cache/apt/archives/crmsh_99%3a1_all.deb (--unpack):\n"
      " trying to overwrite '/usr/sbin/corosync-cfgtool', which is also in package corosync 3.1.7-1\n"
      "Setting up pcs (99:1) ...\n"
      "dpkg: error processing package pcs:amd64 (--configure):\n"
      " installed pcs package post-installation script subprocess returned error exit status 1\n"
      "Errors were encountered while processing:\n"
      " /var/cache/apt/archives/crmsh_99%3a1_all.deb\n"
      "E: Sub-process /usr/bin/dpkg returned an error code (1)\n";
  auto e = dpkg_errors(out);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].package, "crmsh");
  EXPECT_EQ(e[0].message,
            "trying to overwrite '/usr/sbin/corosync-cfgtool', which is also in package corosync 3.1.7-1");
  EXPECT_EQ(e[1].package, "pcs");
  EXPECT_EQ(e[1].message, "installed pcs package post-installation script subprocess returned error exit status 1");
  EXPECT_TRUE(dpkg_errors("Setting up x (1) ...\n").empty());
}

TEST(NodeUpgrade, LeftoversAreUnownedPathsStillThere) {
  TempDir t;
  std::filesystem::create_directories(t.path() + "/usr/lib/ocf/resource.d/openstack");
  write_file_atomic(t.path() + "/usr/lib/ocf/resource.d/openstack/keystone", "x");
  std::filesystem::create_directories(t.path() + "/var/lib/dpkg/info");
  write_file_atomic(t.path() + "/var/lib/dpkg/info/resource-agents.list", "/usr\n/usr/lib\n/usr/lib/ocf\n");
  auto owned = owned_paths(t.path());
  EXPECT_EQ(owned.size(), 3u);
  std::vector<std::string> listed = {"/.", "/usr", "/usr/lib", "/usr/lib/ocf", "/usr/lib/ocf/resource.d/openstack",
                                     "/usr/lib/ocf/resource.d/openstack/keystone",
                                     "/usr/lib/ocf/resource.d/openstack/glance"};
  auto left = leftover_files(listed, t.path(), owned);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0], "/usr/lib/ocf/resource.d/openstack");
  EXPECT_EQ(left[1], "/usr/lib/ocf/resource.d/openstack/keystone");
  std::filesystem::remove_all(t.path() + "/usr/lib/ocf/resource.d");
  EXPECT_TRUE(leftover_files(listed, t.path(), owned).empty());
}

// What apt 2.6 left in a node after `apt-get update` with a file: archive
// (an absolute symlink by the path inside the chroot) and a mirror (a file).
TEST(NodeUpgrade, PackageListsFollowAptsSymlinksInsideTheRoot) {
  TempDir t;
  namespace fs = std::filesystem;
  std::string lists = t.path() + "/var/lib/apt/lists";
  fs::create_directories(lists + "/partial");
  fs::create_directories(t.path() + "/srv/hapkg-archive/dists/bookworm/main/binary-amd64");
  write_file_atomic(t.path() + "/srv/hapkg-archive/dists/bookworm/main/binary-amd64/Packages", "Package: a\n");
  fs::create_symlink("/srv/hapkg-archive/dists/bookworm/main/binary-amd64/Packages",
                     lists + "/_srv_hapkg-archive_dists_bookworm_main_binary-amd64_Packages");
  write_file_atomic(lists + "/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", "Package: b\n");
  write_file_atomic(lists + "/deb.debian.org_debian_dists_bookworm_InRelease", "x");
  fs::create_symlink("/nonexistent/Packages", lists + "/_dangling_Packages");
  auto l = package_lists(t.path());
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(read_file(l.at("_srv_hapkg-archive_dists_bookworm_main_binary-amd64_Packages")), "Package: a\n");
  EXPECT_EQ(read_file(l.at("deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages")), "Package: b\n");
}

TEST(NodeUpgrade, BadOptionsAreInputErrors) {
  NodeUpgradeOptions o;
  o.archive = "/nonexistent";
  o.key = "/nonexistent.asc";
  o.work_dir = o.cache_dir = "/tmp";
  EXPECT_THROW(upgrade_node(o), InputError);
}

}  // namespace
}  // namespace hapkg::node
