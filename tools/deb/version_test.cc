#include "deb/version.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace {

using hapkg::deb::check_version;
using hapkg::deb::compare_versions;
using hapkg::deb::dpkg_compare_versions;

TEST(Version, SplitsAtTheLastHyphen) {
  auto c = check_version("1:2.0-rc1-3ubuntu1");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.parts.epoch, "1");
  EXPECT_EQ(c.parts.upstream, "2.0-rc1");
  EXPECT_EQ(c.parts.revision, "3ubuntu1");
  EXPECT_EQ(c.parts.str(), "1:2.0-rc1-3ubuntu1");
}

TEST(Version, ReportsDpkgsReasons) {
  EXPECT_EQ(check_version("").problem, "version string is empty");
  EXPECT_EQ(check_version("1.0 1").problem, "version string has embedded spaces");
  EXPECT_EQ(check_version("a:1.0").problem, "epoch in version is empty");
  EXPECT_EQ(check_version("1a:1.0").problem, "epoch in version is not number");
  EXPECT_EQ(check_version("1:").problem, "nothing after colon in version number");
  EXPECT_EQ(check_version("1.0-").problem, "revision number is empty");
  EXPECT_EQ(check_version("abc").severity, hapkg::deb::VersionCheck::Severity::kWarning);
  EXPECT_THROW(hapkg::deb::parse_version("1.0-", "debian/changelog:1"), hapkg::InputError);
}

TEST(Version, ComparesTheReferenceTraps) {
  EXPECT_LT(compare_versions("1.0~rc1-1", "1.0-1"), 0);
  EXPECT_GT(compare_versions("1.0-1+ppa1", "1.0-1ubuntu1"), 0);
  EXPECT_LT(compare_versions("1.0-1ubuntu1~ppa1", "1.0-1ubuntu1"), 0);
  EXPECT_EQ(compare_versions("1.0", "1.0-0"), 0);
  EXPECT_GT(compare_versions("1:4.12.0-2ubuntu1", "4.13.0-1"), 0);
}

TEST(Version, DpkgCompareVersionsExitCodes) {
  EXPECT_EQ(dpkg_compare_versions("1.0", "lt", "1.1").exit_code, 0);
  EXPECT_EQ(dpkg_compare_versions("1.0", ">>", "1.1").exit_code, 1);
  EXPECT_EQ(dpkg_compare_versions("", "lt", "1.1").exit_code, 0);
  EXPECT_EQ(dpkg_compare_versions("", "lt-nl", "1.1").exit_code, 1);
  EXPECT_EQ(dpkg_compare_versions("1.0", "foo", "1.1").exit_code, 2);
  EXPECT_EQ(dpkg_compare_versions("1:", "lt", "1.1").exit_code, 2);
}

}  // namespace
