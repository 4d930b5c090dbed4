#include "archive/repo.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace hapkg::archive {
namespace {

TEST(PoolDir, PrefixLikeApt) {
  EXPECT_EQ(pool_dir("main", "pacemaker"), "pool/main/p/pacemaker");
  EXPECT_EQ(pool_dir("contrib", "libqb"), "pool/contrib/libq/libqb");
  EXPECT_EQ(pool_dir("main", "lib"), "pool/main/l/lib");
}

TEST(FindSuite, BySuiteOrCodename) {
  SuiteConfig a;
  a.suite = "stable";
  a.codename = "bookworm";
  std::vector<SuiteConfig> v{a};
  EXPECT_EQ(find_suite(v, "bookworm").suite, "stable");
  EXPECT_THROW(find_suite(v, "sid"), InputError);
}

TEST(Architecture, UnknownRefused) {
  EXPECT_NO_THROW(check_architecture("amd64"));
  EXPECT_THROW(check_architecture("amd65"), InputError);
}

}  // namespace
}  // namespace hapkg::archive
