// why_not_installed on a real resolver run: a small node state (dpkg
// status, new release Packages) in a temp tree, upgraded by libapt-pkg
// through run_upgrade_check with --expect-installed, whose report carries
// the reason for each expected package that apt leaves out.
#include "upgrade/why_not_installed.h"

#include <gtest/gtest.h>

#include "upgrade/check_fixture.h"
#include "util/tempdir.h"

namespace hapkg::upgrade {
namespace {

using fixture::put;
using fixture::stanza;

struct Node {
  TempDir t{"hapkg-why-test"};
  std::string path(const std::string& f) const { return t.path() + "/" + f; }
  UpgradeOptions options(const std::string& mode) const {
    UpgradeOptions o;
    o.new_indices = {path("Packages")};
    o.status = path("status");
    o.architectures = {"amd64"};
    o.jobs = 1;
    o.mode = mode;
    o.expect_installed = {"nosuch", "orphan", "rec", "zed"};
    return o;
  }
  Node() {
    // zed already recommended rec and the admin did not install it, so
    // apt does not add it on the upgrade; orphan is in the index only.
    put(path("status"), stanza("zed", "1.0", "Recommends: rec\n", true));
    put(path("Packages"), stanza("zed", "2.0", "Recommends: rec\n") + stanza("rec", "1.0") +
                              stanza("orphan", "3.0"));
  }
};

void expect_reasons(const nlohmann::json& r) {
  ASSERT_EQ(r["final_versions"], nlohmann::json({{"zed", "2.0"}})) << r.dump();
  const nlohmann::json& why = r["not_installed_why"];
  EXPECT_FALSE(why.contains("zed")) << "installed packages get no reason";
  EXPECT_EQ(why["nosuch"], "not installed: no index given has nosuch");
  EXPECT_EQ(why["orphan"],
            "not installed: nothing installed after the upgrade depends on or recommends it, so apt has no reason to "
            "install it (3.0 is available)");
  EXPECT_EQ(why["rec"],
            "not installed: only recommended (by zed) and apt installs new Recommends only of packages it installs "
            "or upgrades (1.0 is available)");
  EXPECT_FALSE(r["ok"].get<bool>()) << "an expected package is missing";
}

TEST(WhyNotInstalled, ReasonsAfterDistUpgrade) {
  Node n;
  expect_reasons(run_upgrade_check(n.options("dist-upgrade")));
}

TEST(WhyNotInstalled, ReasonsAfterUpgrade) {
  Node n;
  expect_reasons(run_upgrade_check(n.options("upgrade")));
}

TEST(WhyNotInstalled, NewRecommendIsInstalledSoNoReason) {
  // The control: a Recommends that zed 2.0 adds is new, apt installs it and
  // why_not_installed is not asked.
  Node n;
  put(n.path("status"), stanza("zed", "1.0", "", true));
  nlohmann::json r = run_upgrade_check(n.options("dist-upgrade"));
  EXPECT_EQ(r["final_versions"]["rec"], "1.0") << r.dump();
  EXPECT_FALSE(r["not_installed_why"].contains("rec"));
  EXPECT_TRUE(r["not_installed_why"].contains("orphan"));
}

}  // namespace
}  // namespace hapkg::upgrade
