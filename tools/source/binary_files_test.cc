#include "source/binary_files.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::source {
namespace {

TEST(BinaryFiles, FindsNulFilesAndTheListedOnes) {
  TempDir t("hapkg-bin-test");
  std::filesystem::create_directories(t.path() + "/debian/source");
  write_file_atomic(t.path() + "/debian/logo.png", std::string("PNG\0\1", 5));
  write_file_atomic(t.path() + "/debian/text", "plain\n");
  write_file_atomic(t.path() + "/debian/skip.o", std::string("\0", 1));
  EXPECT_EQ(debian_binary_files(t.path(), {"*.o"}), std::vector<std::string>{"debian/logo.png"});
  write_file_atomic(t.path() + "/debian/source/include-binaries", "# comment\n\n  debian/icon.ico  \n");
  EXPECT_EQ(allowed_binaries(t.path()), std::set<std::string>{"debian/icon.ico"});
  add_allowed_binaries(t.path(), {"debian/logo.png"});
  EXPECT_EQ(allowed_binaries(t.path()), (std::set<std::string>{"debian/icon.ico", "debian/logo.png"}));
}

}  // namespace
}  // namespace hapkg::source
