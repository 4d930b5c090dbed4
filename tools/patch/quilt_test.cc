#include "patch/quilt.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::patch {
namespace {

bool exists(const std::string& p) {
  struct stat st;
  return ::lstat(p.c_str(), &st) == 0;
}

// tree/{a,.gitignore} and a series of two patches: one edits a, one creates b.
std::string make_tree(const TempDir& t) {
  std::string tree = t.path() + "/src";
  std::filesystem::create_directories(tree + "/debian/patches");
  write_file_atomic(tree + "/a", "one\ntwo\n");
  write_file_atomic(tree + "/debian/patches/edit-a.patch", "--- a/a\n+++ b/a\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n");
  write_file_atomic(tree + "/debian/patches/new-b.patch", "--- /dev/null\n+++ b/b\n@@ -0,0 +1 @@\n+bee\n");
  write_file_atomic(tree + "/debian/patches/series", "edit-a.patch\nnew-b.patch\n");
  return tree;
}

TEST(Quilt, PushAndPopAllAsQuilt) {
  TempDir t("hapkg-quilt-test");
  std::string tree = make_tree(t);
  EXPECT_EQ(push_all(tree), (std::vector<std::string>{"edit-a.patch", "new-b.patch"}));
  EXPECT_EQ(read_file(tree + "/a"), "one\n2\n");
  EXPECT_EQ(read_file(tree + "/b"), "bee\n");
  EXPECT_EQ(read_file(tree + "/.pc/applied-patches"), "edit-a.patch\nnew-b.patch\n");
  EXPECT_EQ(read_file(tree + "/.pc/.version"), "2\n");
  EXPECT_EQ(read_file(tree + "/.pc/edit-a.patch/a"), "one\ntwo\n");  // quilt's backup of the file
  EXPECT_EQ(read_file(tree + "/.pc/new-b.patch/b"), "");             // empty: created by the patch
  EXPECT_EQ(applied_patches(tree).size(), 2u);
  EXPECT_TRUE(push_all(tree).empty());  // nothing left to apply
  for (const auto& c : check_series(tree)) EXPECT_EQ(c.state, PatchState::kApplied) << c.name;
  EXPECT_EQ(pop_all(tree), (std::vector<std::string>{"new-b.patch", "edit-a.patch"}));
  EXPECT_EQ(read_file(tree + "/a"), "one\ntwo\n");
  EXPECT_FALSE(exists(tree + "/b"));
  EXPECT_FALSE(exists(tree + "/.pc"));
}

TEST(Quilt, FailedPushRollsBackAndNamesTheFile) {
  TempDir t("hapkg-quilt-test");
  std::string tree = make_tree(t);
  // GNU patch reports a missing file before the context that names it.
  write_file_atomic(tree + "/debian/patches/missing.patch",
                    "--- a/.gitignore\n+++ b/.gitignore\n@@ -1 +1,2 @@\n *.o\n+*.a\n");
  write_file_atomic(tree + "/debian/patches/series", "edit-a.patch\nmissing.patch\n");
  try {
    push_all(tree);
    FAIL() << "applied";
  } catch (const InputError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("patch missing.patch does not apply: file .gitignore: can't find file to patch"),
              std::string::npos)
        << m;
    EXPECT_EQ(m.find("file ?"), std::string::npos) << m;
  }
  EXPECT_EQ(read_file(tree + "/a"), "one\ntwo\n");
  EXPECT_FALSE(exists(tree + "/.pc"));
}

TEST(Quilt, CheckSeriesWithoutChangingTheTree) {
  TempDir t("hapkg-quilt-test");
  std::string tree = make_tree(t);
  write_file_atomic(tree + "/debian/patches/upstream.patch", "--- a/a\n+++ b/a\n@@ -1,2 +1,2 @@\n-one\n+1\n two\n");
  write_file_atomic(tree + "/a", "1\ntwo\n");  // upstream already has it
  write_file_atomic(tree + "/debian/patches/series", "upstream.patch\nnew-b.patch\n");
  auto res = check_series(tree);
  ASSERT_EQ(res.size(), 2u);
  EXPECT_EQ(res[0].state, PatchState::kAlreadyUpstream);
  EXPECT_EQ(res[1].state, PatchState::kClean);
  EXPECT_FALSE(exists(tree + "/b"));
}

TEST(Quilt, MissingTreeIsInputError) {
  EXPECT_THROW(push_all("/nonexistent/hapkg-tree"), InputError);
  EXPECT_THROW(pop_all("/nonexistent/hapkg-tree"), InputError);
  EXPECT_THROW(check_series("/nonexistent/hapkg-tree"), InputError);
  TempDir t("hapkg-quilt-test");
  EXPECT_THROW(read_series(t.path()), InputError);  // no debian/
}

}  // namespace
}  // namespace hapkg::patch
