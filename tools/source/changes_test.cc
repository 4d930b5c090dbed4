#include "source/changes.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "deb/deb822.h"
#include "source/build.h"
#include "source/test_tree.h"
#include "util/error.h"

namespace hapkg::source {
namespace {

TEST(Changes, SourceOnlyChangesOfABuiltTree) {
  TempDir t("hapkg-changes-test");
  std::string dir = make_test_tree(t);
  build_source(dir);
  std::string out = write_changes(dir, {});
  EXPECT_EQ(out, t.path() + "/hello_1.0-1_source.changes");
  deb::Paragraph c = deb::read_deb822(out, deb::Deb822Kind::kChanges).paragraphs.at(0);
  EXPECT_EQ(c.get("Version"), "1.0-1");
  EXPECT_EQ(c.get("Distribution"), "unstable");
  EXPECT_EQ(c.get("Closes"), "123");
  // First upload of this upstream version (no previous entry): the orig is included.
  std::string files = c.get("Files");
  EXPECT_NE(files.find(" misc optional hello_1.0-1.dsc"), std::string::npos) << files;
  EXPECT_NE(files.find(" misc optional hello_1.0.orig.tar.gz"), std::string::npos) << files;
  EXPECT_NE(files.find(" misc optional hello_1.0-1.debian.tar.xz"), std::string::npos) << files;
  ChangesOptions sd;
  sd.orig = OrigInclusion::kNever;
  write_changes(dir, sd);
  c = deb::read_deb822(out, deb::Deb822Kind::kChanges).paragraphs.at(0);
  EXPECT_EQ(c.get("Files").find(".orig.tar.gz"), std::string::npos);
}

TEST(Changes, RefusesBadSinceAndUnbuiltTrees) {
  TempDir t("hapkg-changes-test");
  std::string dir = make_test_tree(t);
  EXPECT_THROW(write_changes(dir, {}), InputError);  // no .dsc built yet
  build_source(dir);
  ChangesOptions bad;
  bad.since = "not a version";
  EXPECT_THROW(write_changes(dir, bad), InputError);
}

}  // namespace
}  // namespace hapkg::source
