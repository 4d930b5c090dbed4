#include "source/autopatch.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "deb/changelog.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::source {
namespace {

TEST(Autopatch, DiffsLabelledAsDpkgSource) {
  TempDir ref("hapkg-autopatch-test"), tree("hapkg-autopatch-test");
  write_file_atomic(ref.path() + "/a", "one\n");
  write_file_atomic(tree.path() + "/a", "one\ntwo\n");
  write_file_atomic(tree.path() + "/new", "n\n");
  std::string d = diff_files(ref.path(), tree.path(), {"a", "new"}, "hello-1.0");
  EXPECT_NE(d.find("--- hello-1.0.orig/a\n+++ hello-1.0/a\n"), std::string::npos) << d;
  EXPECT_NE(d.find("+two\n"), std::string::npos) << d;
  EXPECT_NE(d.find("--- /dev/null\n+++ hello-1.0/new\n"), std::string::npos) << d;
}

TEST(Autopatch, HeaderFromLocalPatchHeaderFirst) {
  TempDir tree("hapkg-autopatch-test");
  std::filesystem::create_directories(tree.path() + "/debian/source");
  write_file_atomic(tree.path() + "/debian/changelog",
                    "hello (1.0-1) unstable; urgency=medium\n\n  * Initial.\n\n"
                    " -- Jane Doe <jane@example.org>  Tue, 01 Dec 2026 12:00:00 +0000\n");
  deb::Changelog cl = deb::read_changelog(tree.path() + "/debian/changelog");
  std::string fallback = autopatch_header(tree.path(), cl.entries.front(), 0);
  EXPECT_NE(fallback.find("Author: Jane Doe <jane@example.org>"), std::string::npos) << fallback;
  write_file_atomic(tree.path() + "/debian/source/local-patch-header", "Description: mine\n");
  EXPECT_EQ(autopatch_header(tree.path(), cl.entries.front(), 0).rfind("Description: mine\n", 0), 0u);
}

}  // namespace
}  // namespace hapkg::source
