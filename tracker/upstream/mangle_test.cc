#include "tracker/upstream/mangle.h"

#include <gtest/gtest.h>

#include "tracker/upstream/watch.h"

using hapkg::tracker::apply_mangle;
using hapkg::tracker::apply_mangles;

static std::string m(const std::string& rule, std::string v) {
  apply_mangle(rule, v);
  return v;
}

TEST(Mangle, SubstituteLikePerl) {
  EXPECT_EQ(m("s/rc/~rc/", "1.0rc1"), "1.0~rc1");
  EXPECT_EQ(m("s/\\./_/g", "1.2.3"), "1_2_3");
  EXPECT_EQ(m("s/\\./_/", "1.2.3"), "1_2.3");
  EXPECT_EQ(m("s/^v(\\d+)/$1/", "v12.1"), "12.1");
  EXPECT_EQ(m("s/(\\d+)_(\\d+)/${1}.$2/", "1_2"), "1.2");
  EXPECT_EQ(m("s%-%.%g", "1-2-3"), "1.2.3");
  EXPECT_EQ(m("s/A/b/gi", "aAa"), "bbb");
  EXPECT_EQ(m("s/x*/-/g", "ab"), "-a-b-");
  EXPECT_EQ(m("s/\\//|/g", "a/b"), "a|b");
}

TEST(Mangle, Transliterate) {
  EXPECT_EQ(m("tr/_/./", "1_2_3"), "1.2.3");
  EXPECT_EQ(m("y/a-c/A-C/", "abcd"), "ABCd");
  EXPECT_EQ(m("tr/-//d", "1-2"), "12");
}

TEST(Mangle, DebExtAuto) {
  std::string rule = std::string("s/") + hapkg::tracker::kDebExt + "//";
  EXPECT_EQ(m(rule, "1.2+dfsg"), "1.2");
  EXPECT_EQ(m(rule, "1.2+ds.1"), "1.2");
  EXPECT_EQ(m(rule, "1.2~deb2"), "1.2");
  EXPECT_EQ(m(rule, "1.2+git"), "1.2+git");
}

TEST(Mangle, RejectsBadRules) {
  std::string v = "1";
  EXPECT_THROW(apply_mangle("s/a/b/e", v), std::invalid_argument);
  EXPECT_THROW(apply_mangle("x/a/b/", v), std::invalid_argument);
  EXPECT_THROW(apply_mangle("s/(/b/", v), std::invalid_argument);
  EXPECT_THROW(apply_mangle("s/a/b", v), std::invalid_argument);
  apply_mangles({"s/1/2/", "s/2/3/"}, v);
  EXPECT_EQ(v, "3");
}

TEST(Mangle, HugeGroupNumberIsNoGroupNotACrash) {
  // A group number past any integer (a fuzzer's find): no group, as Perl
  // leaves an undefined group empty; never std::out_of_range.
  EXPECT_EQ(m("s/(a)/<$99999999999999999999999>/", "xay"), "x<>y");
  EXPECT_EQ(m("s/(a)/<${99999999999999999999999}>/", "xay"), "x<>y");
  EXPECT_EQ(m("s/(a)/<$1>/", "xay"), "x<a>y");
}
