#include "build/lintian.h"

#include <gtest/gtest.h>

#include "build/binary_build.h"
#include "util/error.h"

namespace hapkg::build {
namespace {

TEST(LintianTags, KeepsErrorsAndWarningsOnly) {
  auto tags = lintian_tag_lines(
      "E: hapkg: binary-without-manpage usr/bin/x\nI: hapkg: info-tag\nN: note\n"
      "W: hapkg source: newer-standards-version 4.7.0\nX: exp\nP: pedantic\nE:no-space\n");
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0], "E: hapkg: binary-without-manpage usr/bin/x");
  EXPECT_EQ(tags[1], "W: hapkg source: newer-standards-version 4.7.0");
  EXPECT_TRUE(lintian_tag_lines("").empty());
}

TEST(RunLintian, RealDscIsParsedAndNoFilesIsAnError) {
  EXPECT_THROW(run_lintian({}), InputError);
  // A real Debian .dsc whose tarballs are beside it: lintian runs on it and
  // returns only tag lines (whatever they are for this version of lintian).
  for (const auto& t : run_lintian({HAPKG_SHARED_SOURCES "/trixie/gfs2-utils_3.6.1-1.dsc"}))
    EXPECT_TRUE(t.rfind("E: ", 0) == 0 || t.rfind("W: ", 0) == 0) << t;
}

}  // namespace
}  // namespace hapkg::build
