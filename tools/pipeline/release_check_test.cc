// What the release-upgrade check blames on the archive: only what the same
// node without the archive does not suffer (bookworm -> trixie removes the
// t64-renamed libraries on every node), plus every problem of an archive
// package itself and every archive version not below the next release's.
#include "pipeline/release_check.h"

#include <gtest/gtest.h>

namespace pl = hapkg::pipeline;
using nlohmann::json;

namespace {

json report(const char* removed, const char* held, const char* extra = "") {
  return json::parse(std::string(R"({"resolver_ok": true, "removed": )") + removed + R"(, "held": )" + held +
                     R"(, "broken": [])" + extra + "}");
}

TEST(ReleaseBlockers, NothingWhenTheArchiveChangesNothing) {
  json base = report(R"([{"package": "libssl3", "version": "3.0.15-1~deb12u1"}])", "[]");
  json with = report(R"([{"package": "libssl3", "version": "3.0.15-1~deb12u1"}])", "[]",
                     R"(, "ppa_not_below_new": [])");
  EXPECT_TRUE(pl::release_blockers(with, base, {"resource-agents", "resource-agents-openstack"}).empty());
}

TEST(ReleaseBlockers, RemovalsHoldsAndVersionsTheArchiveCauses) {
  json base = report(R"([{"package": "libssl3", "version": "3"}])", "[]");
  json with = report(
      R"([{"package": "libssl3", "version": "3"}, {"package": "resource-agents-openstack", "version": "0.1.0"},
          {"package": "crmsh", "version": "4.4.1-1"}])",
      R"([{"package": "pacemaker", "installed": "2.1.5-1", "candidate": "3.0.0-2"}])",
      R"(, "ppa_not_below_new": [{"package": "resource-agents", "ppa": "1:4.99", "release": "1:4.16.0-3"}])");
  auto b = pl::release_blockers(with, base, {"resource-agents", "resource-agents-openstack"});
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0], "removed: resource-agents-openstack 0.1.0 (an archive package)");
  EXPECT_EQ(b[1], "removed: crmsh 4.4.1-1 (not so on the same upgrade without the archive)");
  EXPECT_EQ(b[2], "held back: pacemaker 2.1.5-1 (candidate 3.0.0-2) (not so on the same upgrade without the archive)");
  EXPECT_EQ(b[3], "resource-agents: the archive's 1:4.99 is not below the next release's 1:4.16.0-3 "
                  "(the release upgrade keeps the archive's package)");
}

TEST(ReleaseBlockers, AnArchivePackageIsBlamedEvenWhenTheBaselineLosesItToo) {
  json base = report(R"([{"package": "resource-agents", "version": "1:4.12.0-2"}])", "[]");
  json with = report(R"([{"package": "resource-agents", "version": "1:4.15~12.1"}])", "[]");
  auto b = pl::release_blockers(with, base, {"resource-agents"});
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0], "removed: resource-agents 1:4.15~12.1 (an archive package)");
}

TEST(ReleaseBlockers, AResolverThatFailsOnlyWithTheArchive) {
  json base = report("[]", "[]");
  json with = report("[]", "[]");
  with["resolver_ok"] = false;
  with["resolver_errors"] = "E: Error, pkgProblemResolver::Resolve generated breaks";
  auto b = pl::release_blockers(with, base, {});
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0], "apt's resolver fails with the archive: E: Error, pkgProblemResolver::Resolve generated breaks");
}

}  // namespace
