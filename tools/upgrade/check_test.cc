// upgrade-check's steps (validation, contradictions, per-scenario errors)
// in-process; its apt parts run in forked children. apt-get itself is the
// oracle in tests/archive/upgrade_vs_apt.py.
#include "upgrade/check.h"

#include <gtest/gtest.h>

#include "upgrade/check_fixture.h"
#include "util/error.h"

namespace hapkg::upgrade {
namespace {

using fixture::Tree;

TEST(Check, ContradictionsAndMissingDataAreInputErrors) {
  Tree t;
  auto expect_error = [&](UpgradeOptions o, const std::string& message) {
    try {
      run_upgrade_check(o);
      ADD_FAILURE() << "accepted; want " << message;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  };
  UpgradeOptions o = t.options();
  o.pin = 1001;
  expect_error(o, "--pin needs --ppa");
  o = t.options();
  o.old_indices = {t.path("Packages")};
  expect_error(o, "--old is only used");
  o = t.options();
  o.architectures = {"i386"};
  expect_error(o, t.path("Packages") + ": no package for architecture 'i386'");
  o = t.options();
  o.status = t.t.path();
  expect_error(o, t.t.path() + ": not a file");
  o = t.options();
  o.expect_version = {"app (>= "};
  expect_error(o, "--expect-version 'app (>= '");
}

TEST(Check, ScenariosReportTheirOwnErrors) {
  Tree t;
  UpgradeOptions good = t.options(), bad = t.options(), broken = t.options();
  good.name = "good";
  bad.name = "bad";
  bad.where = "s.scn:5";
  bad.status = t.path("nope");
  broken.name = "broken";
  broken.input_error = "s.scn:9: unknown Mode 'x'";
  auto reports = run_upgrade_checks({good, bad, broken});
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_TRUE(reports[0]["ok"].get<bool>());
  EXPECT_EQ(report_error_code(reports[0]), 0);
  EXPECT_EQ(reports[1]["error"], "s.scn:5: " + t.path("nope") + ": cannot read the dpkg status file");
  EXPECT_EQ(report_error_code(reports[1]), 2);
  EXPECT_EQ(reports[2]["error"], "s.scn:9: unknown Mode 'x'");
  std::string junit = render_junit(reports);
  EXPECT_NE(junit.find("name=\"scenario runs\">\n      <failure message=\"s.scn:9: unknown Mode 'x'\""),
            std::string::npos) << junit;
}

}  // namespace
}  // namespace hapkg::upgrade
