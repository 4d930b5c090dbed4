// TempDir: a private directory removed with its content on scope exit,
// unless released; the parent-dir constructor creates it where asked.
#include "util/tempdir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "util/error.h"
#include "util/file.h"

namespace fs = std::filesystem;

namespace hapkg {
namespace {

TEST(TempDir, RemovedWithItsContentOnScopeExit) {
  std::string path;
  {
    TempDir t("hapkg-tempdir-test");
    path = t.path();
    ASSERT_TRUE(fs::is_directory(path));
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u) << "mkdtemp's directory is private";
    EXPECT_EQ(fs::path(path).filename().string().rfind("hapkg-tempdir-test-", 0), 0u) << path;
    fs::create_directories(path + "/a/b");
    write_file_atomic(path + "/a/b/file", "x");
  }
  EXPECT_FALSE(fs::exists(path)) << path;
}

TEST(TempDir, ReleaseKeepsTheDirectory) {
  std::string kept;
  {
    TempDir t("hapkg-tempdir-test");
    write_file_atomic(t.path() + "/file", "kept");
    kept = t.release();
    EXPECT_TRUE(t.path().empty());
  }
  ASSERT_TRUE(fs::is_regular_file(kept + "/file")) << kept;
  EXPECT_EQ(read_file(kept + "/file"), "kept");
  fs::remove_all(kept);
}

TEST(TempDir, CreatedInTheGivenParent) {
  TempDir parent("hapkg-tempdir-test");
  std::string inner;
  {
    TempDir t("sub", parent.path());
    inner = t.path();
    EXPECT_EQ(fs::path(inner).parent_path(), fs::path(parent.path()));
    EXPECT_TRUE(fs::is_directory(inner));
  }
  EXPECT_FALSE(fs::exists(inner));
  EXPECT_TRUE(fs::is_directory(parent.path()));
}

TEST(TempDir, MissingParentIsAnOperationalError) {
  TempDir parent("hapkg-tempdir-test");
  std::string missing = parent.path() + "/no-such-dir";
  try {
    TempDir t("sub", missing);
    FAIL() << "created " << t.path();
  } catch (const OperationError& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
}

TEST(TempDir, DefaultParentIsTmpdir) {
  TempDir parent("hapkg-tempdir-test");
  const char* old = std::getenv("TMPDIR");
  std::string saved = old ? old : "";
  ::setenv("TMPDIR", parent.path().c_str(), 1);
  std::string inner;
  {
    TempDir t;
    inner = t.path();
  }
  if (old) ::setenv("TMPDIR", saved.c_str(), 1); else ::unsetenv("TMPDIR");
  EXPECT_EQ(fs::path(inner).parent_path(), fs::path(parent.path()));
}

}  // namespace
}  // namespace hapkg
