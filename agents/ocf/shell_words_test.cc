#include "ocf/shell_words.h"

#include <gtest/gtest.h>

namespace hapkg::ocf {
namespace {

using V = std::vector<std::string>;

TEST(ShellWords, SplitsLikeSh) {
  EXPECT_EQ(split_shell_words("").words, V{});
  EXPECT_EQ(split_shell_words("  --debug   --verbose ").words, (V{"--debug", "--verbose"}));
  EXPECT_EQ(split_shell_words("--log-file '/var/log/a b.log'").words, (V{"--log-file", "/var/log/a b.log"}));
  EXPECT_EQ(split_shell_words("\"x \\\"y\\\" \\\\z\"").words, (V{"x \"y\" \\z"}));
  EXPECT_EQ(split_shell_words("a\\ b c''d \"\"").words, (V{"a b", "cd", ""}));
  EXPECT_EQ(split_shell_words("--opt=a#b x~").words, (V{"--opt=a#b", "x~"}));
}

TEST(ShellWords, RefusesWhatAShellWouldInterpret) {
  for (const char* bad : {"a; rm -rf /", "$HOME", "`id`", "a | b", "a > f", "'open", "\"open", "x\\",
                          "\"$(id)\"", "*.conf", "# comment", "(sub)"})
    EXPECT_FALSE(split_shell_words(bad).error.empty()) << bad;
  EXPECT_TRUE(split_shell_words("'$HOME; `x`'").error.empty());
}

}  // namespace
}  // namespace hapkg::ocf
