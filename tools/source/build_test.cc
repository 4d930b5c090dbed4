#include "source/build.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/tempdir.h"
#include "source/test_tree.h"

namespace hapkg::source {
namespace {

bool exists(const std::string& p) {
  struct stat st;
  return ::lstat(p.c_str(), &st) == 0;
}

TEST(BuildSource, WritesDscAndTarballWithPatchesApplied) {
  TempDir t("hapkg-build-test");
  std::string dir = make_test_tree(t);
  BuildResult r = build_source(dir);
  EXPECT_EQ(r.dsc, t.path() + "/hello_1.0-1.dsc");
  EXPECT_EQ(r.applied, std::vector<std::string>{"fix.patch"});
  ASSERT_TRUE(exists(t.path() + "/hello_1.0-1.debian.tar.xz"));
  std::string dsc = read_file(r.dsc);
  // dpkg's rules: Package-List sorted, a value starting on a continuation
  // line merged for Uploaders with the leading space kept.
  EXPECT_NE(dsc.find("Package-List:\n hello deb misc optional arch=any\n zz-hello deb misc optional arch=all\n"),
            std::string::npos)
      << dsc;
  EXPECT_NE(dsc.find("\nUploaders:  A <a@x>, B <b@x>\n"), std::string::npos) << dsc;
  EXPECT_EQ(read_file(dir + "/README"), "hello, world\n");
}

TEST(BuildSource, FailedBuildLeavesNothing) {
  TempDir t("hapkg-build-test");
  std::string dir = make_test_tree(t);
  std::filesystem::create_directories(dir + "/debian/tests");
  write_file_atomic(dir + "/debian/tests/control", "Tests: smoke\n no field here\n\n continuation\n");
  EXPECT_THROW(build_source(dir), InputError);
  for (const auto& e : std::filesystem::directory_iterator(t.path()))
    EXPECT_TRUE(e.path().filename() == "hello-1.0" || e.path().filename() == "hello_1.0.orig.tar.gz") << e.path();
  EXPECT_EQ(read_file(dir + "/README"), "hello\n");  // the patch applied for the build is undone
}

TEST(BuildSource, RefusesUnrecordedUpstreamChanges) {
  TempDir t("hapkg-build-test");
  std::string dir = make_test_tree(t);
  write_file_atomic(dir + "/NEW", "x\n");
  try {
    build_source(dir);
    FAIL() << "built";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unexpected upstream changes (not in the orig tarball or a patch): NEW"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(exists(t.path() + "/hello_1.0-1.debian.tar.xz"));
}

TEST(BuildSource, PatchedIgnoredFileBuilds) {
  // A patch editing a file dpkg's default diff-ignore matches (.gitignore).
  TempDir t("hapkg-build-test");
  std::string up = t.path() + "/hello-1.0";
  std::filesystem::create_directories(up);
  write_file_atomic(up + "/.gitignore", "*.o\n");
  std::string dir = make_test_tree(t);
  write_file_atomic(dir + "/debian/patches/gitignore.patch",
                    "--- a/.gitignore\n+++ b/.gitignore\n@@ -1 +1,2 @@\n *.o\n+*.a\n");
  write_file_atomic(dir + "/debian/patches/series", "fix.patch\ngitignore.patch\n");
  EXPECT_NO_THROW(build_source(dir));
  EXPECT_EQ(read_file(dir + "/.gitignore"), "*.o\n*.a\n");
}

TEST(OrigName, ParsesDpkgNames) {
  auto m = parse_orig_name("hello_1.0.orig.tar.gz", "hello_1.0");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->component, "");
  EXPECT_FALSE(m->signature);
  auto c = parse_orig_name("hello_1.0.orig-docs-2.tar.xz.asc", "hello_1.0");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->component, "docs-2");
  EXPECT_TRUE(c->signature);
  EXPECT_FALSE(parse_orig_name("hello_1.0.orig.tar.zst", "hello_1.0"));
  EXPECT_FALSE(parse_orig_name("hello_1.0.orig-a.b.tar.gz", "hello_1.0"));
  EXPECT_FALSE(parse_orig_name("hello_1.0.orig-.tar.gz", "hello_1.0"));
  EXPECT_FALSE(parse_orig_name("hello_1.01.orig.tar.gz", "hello_1.0"));
  EXPECT_FALSE(parse_orig_name("hello_1.0.debian.tar.xz", "hello_1.0"));
}

TEST(IgnoredByBuild, DebianPcAndDiffIgnore) {
  EXPECT_TRUE(ignored_by_build("debian/control"));
  EXPECT_TRUE(ignored_by_build(".pc/applied-patches"));
  EXPECT_TRUE(ignored_by_build("sub/.gitignore"));
  EXPECT_FALSE(ignored_by_build("debianish"));
  EXPECT_FALSE(ignored_by_build("src/main.c"));
}

}  // namespace
}  // namespace hapkg::source
