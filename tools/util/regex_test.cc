// Regex (PCRE2): Perl semantics for uscan's watch patterns, errors instead
// of exceptions-from-nowhere, and a bounded match on a pathological pattern.
#include "util/regex.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace hapkg {
namespace {

TEST(Regex, SearchReportsOffsetsAndGroups) {
  Regex re(R"(foo-(\d+)\.(\d+)(rc\d+)?\.tar)");
  EXPECT_EQ(re.group_count(), 3u);
  auto m = re.search("see foo-1.22.tar.gz");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->begin, 4u);
  EXPECT_EQ(m->end, 16u);
  ASSERT_EQ(m->groups.size(), 3u);
  EXPECT_EQ(m->groups[0], "1");
  EXPECT_EQ(m->groups[1], "22");
  EXPECT_FALSE(m->groups[2]) << "an optional group that did not take part is nullopt";
  EXPECT_FALSE(re.search("foo-x.tar"));
}

TEST(Regex, SearchFromAStartOffset) {
  Regex re("a(.)");
  auto m = re.search("ab ac", 1);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->begin, 3u);
  EXPECT_EQ(m->groups[0], "c");
  EXPECT_FALSE(re.search("ab", 3)) << "start past the end";
}

TEST(Regex, CaselessAndExtended) {
  EXPECT_FALSE(Regex("abc").search("ABC"));
  EXPECT_TRUE(Regex("abc", true).search("xABCx"));
  Regex x(" a  b  # comment", false, true);
  EXPECT_TRUE(x.search("ab"));
  EXPECT_FALSE(x.search("a b"));
}

TEST(Regex, BadPatternNamesPatternAndOffset) {
  try {
    Regex re("foo(bar");
    FAIL();
  } catch (const std::invalid_argument& e) {
    std::string w = e.what();
    EXPECT_EQ(w.rfind("bad regex 'foo(bar': ", 0), 0u) << w;
    EXPECT_NE(w.find("at offset 7"), std::string::npos) << w;
  }
}

TEST(Regex, PathologicalPatternHitsTheMatchLimitInsteadOfHanging) {
  // Catastrophic backtracking: 2^n paths. PCRE2's match limit stops it
  // with an error (std::regex would run for ages or overflow the stack).
  Regex re("^(a+)+$");
  std::string subject(64, 'a');
  subject += 'b';
  EXPECT_THROW(re.search(subject), std::runtime_error);
  // The same regex still matches a normal subject afterwards.
  EXPECT_TRUE(re.search(std::string(64, 'a')));
}

TEST(Regex, FullMatchIsAnchoredAndUndefinedGroupsAreEmpty) {
  auto g = full_match(R"(v?(\d+)(?:-(\w+))?)", "v12");
  ASSERT_TRUE(g);
  EXPECT_EQ(*g, (std::vector<std::string>{"12", ""}));
  EXPECT_FALSE(full_match(R"(\d+)", "12x"));
  EXPECT_FALSE(full_match(R"(\d+)", "x12"));
  EXPECT_THROW(full_match("(", "x"), std::invalid_argument);
}

}  // namespace
}  // namespace hapkg
