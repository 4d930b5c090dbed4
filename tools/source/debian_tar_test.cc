#include "source/debian_tar.h"

#include <gtest/gtest.h>

namespace hapkg::source {

TEST(TarExclude, MatchesLikeGnuTar) {
  const auto& d = default_tar_excludes();
  EXPECT_TRUE(tar_excluded("debian/x.o", d));
  EXPECT_TRUE(tar_excluded("debian/sub/.git", d));
  EXPECT_TRUE(tar_excluded("debian/control~", d));
  EXPECT_TRUE(tar_excluded("debian/.control.swp", d));
  EXPECT_FALSE(tar_excluded("debian/control", d));
  EXPECT_FALSE(tar_excluded("debian/gitignore", d));
}

TEST(Xz, RoundTripsThroughHeader) {
  std::string x = xz_compress(std::string(100000, 'a'));
  ASSERT_GT(x.size(), 12u);
  EXPECT_EQ(x.substr(0, 6), std::string("\xFD" "7zXZ\0", 6));
}

}  // namespace hapkg::source
