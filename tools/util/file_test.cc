#include "util/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "util/error.h"

namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "hapkg-test-XXXXXX").string();
  return fs::path(mkdtemp(tmpl.data()));
}

TEST(AtomicFile, AppearsOnlyOnCommit) {
  fs::path dir = temp_dir();
  std::string target = (dir / "out").string();
  {
    hapkg::AtomicFile f(target);
    f.write("hello");
    EXPECT_FALSE(fs::exists(target));
  }
  EXPECT_FALSE(fs::exists(target)) << "an uncommitted file must not appear";
  EXPECT_TRUE(fs::is_empty(dir)) << "the temp file must be removed";
  hapkg::write_file_atomic(target, "data");
  EXPECT_EQ(hapkg::read_file(target), "data");
  fs::remove_all(dir);
}

TEST(AtomicFile, ReplacesAPlantedSymlinkInsteadOfFollowingIt) {
  fs::path dir = temp_dir();
  std::string victim = (dir / "victim").string();
  hapkg::write_file_atomic(victim, "precious");
  fs::create_symlink(victim, dir / "out");
  hapkg::write_file_atomic((dir / "out").string(), "new");
  EXPECT_EQ(hapkg::read_file(victim), "precious");
  EXPECT_FALSE(fs::is_symlink(dir / "out"));
  fs::remove_all(dir);
}

TEST(ReadFile, MissingFileIsAnInputError) {
  try {
    hapkg::read_file("/nonexistent/hapkg/file");
    FAIL() << "no exception";
  } catch (const hapkg::Error& e) {
    EXPECT_EQ(e.code(), hapkg::Exit::kUsage);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/hapkg/file"), std::string::npos);
  }
}

}  // namespace
