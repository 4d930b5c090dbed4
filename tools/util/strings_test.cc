#include "util/strings.h"

#include <gtest/gtest.h>

namespace hapkg {
namespace {

TEST(Strings, TrimsSpaceAndTabButNotInnerBlanks) {
  EXPECT_EQ(trim(" \t a b \t\n"), "a b");
  EXPECT_EQ(ltrim("  x "), "x ");
  EXPECT_EQ(rtrim("  x \r\n"), "  x");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t "), "");
}

TEST(Strings, FirstLineSkipsBlankLines) {
  EXPECT_EQ(first_line("\n  \ngpg: signing failed: No secret key\ngpg: [stdin]: clear-sign failed\n"),
            "gpg: signing failed: No secret key");
  EXPECT_EQ(first_line(""), "");
  EXPECT_EQ(first_line("one"), "one");
}

}  // namespace
}  // namespace hapkg
