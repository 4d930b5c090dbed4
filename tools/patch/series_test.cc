#include "patch/series.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace hapkg::patch {

TEST(Series, ParsesLikeDpkg) {
  auto s = parse_series("# comment\n\n  a.patch  \nsub/b.patch -p1 # why\nc.patch#notacomment\n", "series");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].name, "a.patch");
  EXPECT_EQ(s[1].name, "sub/b.patch");
  EXPECT_EQ(s[1].line, 4u);
  EXPECT_EQ(s[2].name, "c.patch#notacomment");
}

TEST(Series, RefusesOptionsGuardsAndEscapes) {
  EXPECT_THROW(parse_series("a.patch -p0\n", "series"), InputError);
  EXPECT_THROW(parse_series("+xen a.patch\n", "series"), InputError);
  EXPECT_THROW(parse_series("../a.patch\n", "series"), InputError);
  EXPECT_THROW(parse_series("x/../../a.patch\n", "series"), InputError);
  try {
    parse_series("ok\nb -p0\n", "debian/patches/series");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "debian/patches/series:2: unsupported option '-p0' for patch b (dpkg-source applies every patch with -p1)");
  }
}

TEST(PatchTargets, StripsAndValidates) {
  std::string p = "--- a/x\t2020\n+++ b/x\n@@ -1 +1 @@\n--- not a header\n+++ neither\n--- /dev/null\n+++ b/new/f\n@@ -0,0 +1 @@\n+x\n";
  auto t = patch_targets(p, "p");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0], "x");
  EXPECT_EQ(t[1], "new/f");
  EXPECT_THROW(patch_targets("--- a/../x\n+++ b/../x\n", "p"), InputError);
  EXPECT_THROW(patch_targets("--- /etc/passwd\n+++ /etc/passwd\n", "p"), InputError);
  EXPECT_THROW(patch_targets("--- a/.pc/x\n+++ b/.pc/x\n", "p"), InputError);
}

TEST(Series, LongBlankRunsAreLinear) {
  std::string blanks(30000, ' ');
  auto s = parse_series("a.patch" + blanks + "# c\n" + blanks + "\n" + blanks + "b.patch" + blanks + "-p1\n", "series");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].name, "b.patch");
  EXPECT_THROW(parse_series("a.patch" + blanks + "-p0\n", "series"), InputError);
}

TEST(PatchTargets, HunkCountsAreCheckedNumbers) {
  // An overflowing count is not a hunk header (no std::out_of_range).
  EXPECT_NO_THROW(patch_targets("--- a/x\n+++ b/x\n@@ -1,99999999999999999999 +1 @@\n", "p"));
  auto t = patch_targets("--- a/x\n+++ b/x\n@@ -1 +1 @@\n--- a/y\n+++ b/y\n--- a/z\n+++ b/z\n", "p");
  EXPECT_EQ(t, (std::vector<std::string>{"x", "z"}));  // "--- a/y" was a hunk line
}

}  // namespace hapkg::patch
