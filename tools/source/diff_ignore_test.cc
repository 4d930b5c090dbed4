#include "source/diff_ignore.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace hapkg::source {
namespace {

// dpkg's regex, verbatim (Dpkg/Source/Package.pm, dpkg 1.21), as the oracle.
const std::regex& dpkg_regex() {
  static const std::regex re(
      R"((?:^|/).*~$|(?:^|/)\.#.*$|(?:^|/)\..*\.sw.$|(?:^|/),,.*(?:$|/.*$)|)"
      R"((?:^|/)(?:DEADJOE|\.arch-inventory|\.(?:bzr|cvs|hg|git|mtn-)ignore)$|)"
      R"((?:^|/)(?:CVS|RCS|\.deps|\{arch\}|\.arch-ids|\.svn|\.hg(?:tags|sigs)?|_darcs|)"
      R"(\.git(?:attributes|modules|review)?|\.mailmap|\.shelf|_MTN|\.be|\.bzr(?:\.backup|tags)?)(?:$|/.*$))");
  return re;
}

TEST(DiffIgnore, AgreesWithDpkgRegex) {
  const std::vector<std::string> parts = {"a", "src", "x~", ".#x", ".x.swp", ".swp", "a.swp", ",,x", "DEADJOE",
                                          ".gitignore", ".git", ".gitx", "CVS", "CVSx", ".bzr", ".bzrtags",
                                          ".bzr.tags", ".bzr.backup", ".hg", ".hgtags", "{arch}", ".deps",
                                          ".mtn-ignore", ".cvsignore", "_darcs", ".be", ".bee", ".", ".s",
                                          ".sw", "f.sw", ".a/b.swp", "x.c"};
  int checked = 0;
  for (const auto& a : parts) {
    for (const auto& b : parts) {
      for (const std::string& rel : {a, a + "/" + b, "top/" + a + "/" + b, a + "/" + b + "/z"}) {
        bool want = std::regex_search(rel, dpkg_regex());
        EXPECT_EQ(default_diff_ignored(rel), want) << rel;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 4000);
}

}  // namespace
}  // namespace hapkg::source
