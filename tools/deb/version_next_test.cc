#include "deb/version_next.h"

#include <gtest/gtest.h>

#include "deb/version.h"
#include "util/error.h"

namespace {

using hapkg::deb::next_version;
using hapkg::deb::NextVersionRequest;

std::string ubuntu(const std::string& v) { return next_version(v, {.ubuntu = true}); }
std::string ppa(const std::string& v) { return next_version(v, {.ppa = true}); }

TEST(NextVersion, UbuntuRules) {
  EXPECT_EQ(ubuntu("2.0-2"), "2.0-2ubuntu1");
  EXPECT_EQ(ubuntu("2.0-2ubuntu1"), "2.0-2ubuntu2");
  EXPECT_EQ(ubuntu("2.0-3build1"), "2.0-3ubuntu1");
  EXPECT_EQ(ubuntu("2.0-2ubuntu0.22.04.1"), "2.0-2ubuntu0.22.04.2");
  EXPECT_EQ(ubuntu("2.0-2ubuntu9"), "2.0-2ubuntu10");
}

TEST(NextVersion, DebianIncrement) {
  EXPECT_EQ(next_version("1.0-1", {}), "1.0-2");
  EXPECT_EQ(next_version("1:1.0-9", {}), "1:1.0-10");
}

TEST(NextVersion, PpaStaysBelowTheNextOfficialUpload) {
  for (const std::string cur : {"2.0-2", "2.0-2ubuntu3", "2.0-3build1"}) {
    std::string p = ppa(cur);
    EXPECT_GT(hapkg::deb::compare_versions(p, cur), 0) << p;
    EXPECT_LT(hapkg::deb::compare_versions(p, ubuntu(cur)), 0) << p;
    EXPECT_EQ(p.find("+ppa"), std::string::npos);
  }
  EXPECT_EQ(ppa("2.0-2ubuntu3"), "2.0-2ubuntu4~ppa1");
  EXPECT_EQ(ppa("2.0-2ubuntu4~ppa1"), "2.0-2ubuntu4~ppa2");
}

TEST(NextVersion, BackportAndNewUpstream) {
  EXPECT_EQ(next_version("3.1-1ubuntu2", {.backport_series = "22.04"}), "3.1-1ubuntu2~22.04.1");
  EXPECT_EQ(next_version("3.1-1ubuntu2~22.04.1", {.backport_series = "22.04"}), "3.1-1ubuntu2~22.04.2");
  EXPECT_EQ(next_version("3.1-1ubuntu2", {.ppa = true, .backport_series = "24.04"}), "3.1-1ubuntu2~24.04.1~ppa1");
  EXPECT_EQ(next_version("1:2.1.6-5ubuntu2", {.ubuntu = true, .new_upstream = "3.0.1"}), "1:3.0.1-0ubuntu1");
  EXPECT_EQ(next_version("2.1.6-5", {.new_upstream = "3.0.1"}), "3.0.1-1");
  EXPECT_THROW(next_version("3.0-1", {.new_upstream = "2.0"}), hapkg::InputError);
}

TEST(NextVersion, CheckAgainstExplainsFailures) {
  auto ok = hapkg::deb::check_greater_than_all("2.0-2ubuntu1~ppa1", {"2.0-2", "2.0-1ubuntu5"});
  EXPECT_TRUE(ok.ok);
  auto bad = hapkg::deb::check_greater_than_all("2.0-2ubuntu1~ppa1", {"2.0-2ubuntu1"});
  EXPECT_FALSE(bad.ok);
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_NE(bad.problems[0].find("lower than 2.0-2ubuntu1"), std::string::npos);
  EXPECT_FALSE(hapkg::deb::check_greater_than_all("2.0-2ubuntu1+ppa1", {"2.0-2"}).ok);
}

}  // namespace
