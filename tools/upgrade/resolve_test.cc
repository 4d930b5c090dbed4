// The libapt-pkg part of upgrade-check (resolve.cc) on a real node state,
// reached through run_upgrade_check (one process per apt cache).
#include "upgrade/resolve.h"

#include <gtest/gtest.h>

#include "upgrade/check_fixture.h"
#include "util/error.h"

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

}  // namespace
}  // namespace hapkg::upgrade
