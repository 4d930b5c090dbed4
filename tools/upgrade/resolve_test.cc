// The libapt-pkg part of upgrade-check (resolve.cc) on a real node state,
// reached through run_upgrade_check (one process per apt cache).
#include "upgrade/resolve.h"

#include <gtest/gtest.h>

#include "upgrade/check_fixture.h"
#include "util/error.h"
#include "util/file.h"

#include <filesystem>

namespace hapkg::upgrade {
namespace {

using fixture::Tree;

TEST(Resolve, ListsAreSortedAndAutoFlagsGiveAutoremovable) {
  Tree t;
  UpgradeOptions o = t.options();
  o.extended_states = t.path("ext");
  nlohmann::json r = run_upgrade_check(o);
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(r["upgraded"][0]["package"], "app");
  EXPECT_EQ(r["upgraded"][1]["package"], "zed");
  EXPECT_EQ(r["obsolete"][0]["package"], "gone");
  EXPECT_EQ(r["autoremovable"], nlohmann::json::array({"lib"}));
  o.extended_states.clear();
  EXPECT_EQ(run_upgrade_check(o)["autoremovable"], nlohmann::json::array());
}

TEST(Resolve, PpaPackagesThatCannotBeInstalled) {
  Tree t;
  UpgradeOptions o = t.options();
  o.ppa_indices = {t.path("ppa")};
  o.expect_ppa_installable = true;
  nlohmann::json r = run_upgrade_check(o);
  ASSERT_EQ(r["ppa_uninstallable"].size(), 1u) << r.dump();
  EXPECT_EQ(r["ppa_uninstallable"][0]["package"], "tool");
  EXPECT_EQ(r["ppa_uninstallable"][0]["unmet"], nlohmann::json::array({"Depends: libfmt9"}));
  EXPECT_EQ(r["ppa_uninstallable"][0]["ppa"], t.path("ppa"));
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_EQ(r["assertions"][0]["detail"], "1 not installable: tool 1.0 (Depends: libfmt9)");
}

// Each PPA package alone, as apt-get install PKG=VERSION on the node before
// the upgrade: apt's solver, so a Conflicts the dependency walk above never
// looks at is caught too.
TEST(Resolve, EveryPpaPackageInstalledAloneByAptsSolver) {
  Tree t;
  fixture::put(t.path("ppa2/Packages"), fixture::stanza("tool", "1.0", "Depends: libfmt9\n") +
                                           fixture::stanza("fine", "1.0", "Depends: lib\n") +
                                           fixture::stanza("clash", "1.0", "Conflicts: app\n"));
  UpgradeOptions o = t.options();
  o.ppa_indices = {t.path("ppa2")};
  o.expect_ppa_apt_installable = true;
  nlohmann::json r = run_upgrade_check(o);
  ASSERT_EQ(r["ppa_install"].size(), 3u) << r.dump();
  EXPECT_EQ(r["ppa_install"][0]["package"], "clash");
  EXPECT_TRUE(r["ppa_install"][0]["installable"].get<bool>());  // apt removes app to make room
  EXPECT_EQ(r["ppa_install"][0]["removes"], nlohmann::json::array({"app"}));
  EXPECT_TRUE(r["ppa_install"][1]["installable"].get<bool>()) << r["ppa_install"][1].dump();
  EXPECT_EQ(r["ppa_install"][2]["package"], "tool");
  EXPECT_FALSE(r["ppa_install"][2]["installable"].get<bool>());
  EXPECT_EQ(r["ppa_install"][2]["unmet"], nlohmann::json::array({"tool: Depends: libfmt9"}));
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_EQ(r["assertions"][0]["detail"], "1 of 3 not installable: tool 1.0 (tool: Depends: libfmt9)");
}

TEST(Resolve, PpaVersionsNotBelowTheNewReleaseAndTheStatusAfterwards) {
  Tree t;
  fixture::put(t.path("ppa3/Packages"), fixture::stanza("zed", "2.1") + fixture::stanza("app", "1.5~ppa1", "Depends: lib2\n"));
  UpgradeOptions o = t.options();
  o.ppa_indices = {t.path("ppa3")};
  o.expect_ppa_below_new = true;
  o.final_status = t.path("after/status");
  std::filesystem::create_directories(t.path("after"));
  nlohmann::json r = run_upgrade_check(o);
  EXPECT_EQ(r["ppa_not_below_new"], nlohmann::json::parse(R"([{"package":"zed","ppa":"2.1","release":"2.0"}])"));
  EXPECT_FALSE(r["ok"].get<bool>());
  // The node afterwards, as a status another check can start from: a second
  // upgrade over the same indices has nothing left to do.
  std::string status = read_file(o.final_status);
  EXPECT_NE(status.find("Package: app\nStatus: install ok installed\n"), std::string::npos) << status;
  EXPECT_NE(status.find("Version: 2.0\n"), std::string::npos);
  EXPECT_NE(status.find("Package: lib2\nStatus: install ok installed\n"), std::string::npos);
  EXPECT_NE(read_file(o.final_status + ".extended_states").find("Package: lib2\n"), std::string::npos);  // automatic
  UpgradeOptions again = t.options();
  again.status = o.final_status;
  again.extended_states = o.final_status + ".extended_states";
  nlohmann::json r2 = run_upgrade_check(again);
  EXPECT_TRUE(r2["upgraded"].empty()) << r2.dump();
  EXPECT_TRUE(r2["new"].empty()) << r2.dump();
}

}  // namespace
}  // namespace hapkg::upgrade
