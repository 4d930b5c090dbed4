#include "source/tree_compare.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include "util/file.h"

namespace hapkg::source {
namespace {

TEST(TreeComparer, FindsChangedAndRemovedFiles) {
  char tmpl[] = "/tmp/hapkg-cmp-test-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string d = tmpl;
  write_file_atomic(d + "/same", "abc");
  write_file_atomic(d + "/longer", "abcd");
  write_file_atomic(d + "/edited", "abX");
  std::string big(300000, 'x');
  write_file_atomic(d + "/big", big);
  ASSERT_EQ(::symlink("same", (d + "/link").c_str()), 0);
  ASSERT_EQ(::symlink("same", (d + "/file-now-link").c_str()), 0);
  {
    TreeComparer c(d);
    c.add("same", '0', "abc");
    c.add("longer", '0', "abc");
    c.add("edited", '0', "abc");
    for (int i = 0; i < 20; ++i) c.add("big", '0', big);  // more than the queue holds
    c.add("link", '2', "same");
    c.add("file-now-link", '0', "abc");
    c.add("gone", '0', "abc");
    c.add("gone-link", '2', "x");
    c.finish();
    EXPECT_EQ(c.differs, (std::set<std::string>{"edited", "file-now-link", "longer"}));
    EXPECT_EQ(c.removed, (std::vector<std::string>{"gone", "gone-link"}));
  }
  std::filesystem::remove_all(d);
}

}  // namespace
}  // namespace hapkg::source
