#include "deb/source_tree.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::deb {
namespace {

TEST(SourceTree, FieldValuesAsDpkgParsesAndWritesThem) {
  Deb822 d = parse_deb822("Source: x\nUploaders:\n A <a@x>,\n  B <b@x>\nHomepage:  https://h \n", "control",
                          Deb822Kind::kControl);
  const Paragraph& p = d.paragraphs[0];
  EXPECT_EQ(dpkg_field_value(*p.find("Uploaders")), "\nA <a@x>,\n B <b@x>");
  EXPECT_EQ(merge_lines(dpkg_field_value(*p.find("Uploaders"))), " A <a@x>, B <b@x>");
  EXPECT_EQ(dpkg_field_value(*p.find("Homepage")), "https://h");
  EXPECT_EQ(fold_value(dpkg_field_value(*p.find("Uploaders"))), "\n A <a@x>,\n  B <b@x>");
}

TEST(SourceTree, RelationsNormalisedInLinearTime) {
  EXPECT_EQ(normalize_relations("libfoo-dev(>=1.0) , bar [amd64] | baz"), "libfoo-dev (>= 1.0), bar [amd64] | baz");
  std::string blanks(28000, ' '), token(28000, 'a');
  EXPECT_EQ(normalize_relations("foo (" + blanks + ">=" + blanks + "1" + blanks + ")"), "foo (>= 1)");
  EXPECT_EQ(normalize_relations(token + "," + blanks + "b"), token + ", b");
  EXPECT_EQ(user_field_for("XSBC-Original-Maintainer", 'S'), "Original-Maintainer");
  EXPECT_EQ(user_field_for("XB-Thing", 'S'), "");
  EXPECT_EQ(user_field_for("XC-Thing", 'C'), "Thing");
}

TEST(SourceTree, TestsControlWithCommentBlocks) {
  TempDir t("hapkg-tree-test");
  std::filesystem::create_directories(t.path() + "/debian/tests");
  write_file_atomic(t.path() + "/debian/changelog",
                    "x (1.0-1) unstable; urgency=medium\n\n  * I.\n\n -- J <j@e.org>  Tue, 01 Dec 2026 12:00:00 +0000\n");
  write_file_atomic(t.path() + "/debian/control",
                    "Source: x\nMaintainer: J <j@e.org>\nTestsuite: autopkgtest-pkg-python\n\n"
                    "Package: x\nArchitecture: all\nDescription: d\n d\n");
  write_file_atomic(t.path() + "/debian/tests/control",
                    "# header block\n\nTests: a\nDepends: x, zz\n\n# Tests: disabled\n# Depends: gone\n\n"
                    "# the next one\nTests: b\nDepends: @, aa [amd64]\n");
  Paragraph dsc = dsc_fields(read_source_tree(t.path()));
  EXPECT_EQ(dsc.get("Testsuite"), "autopkgtest, autopkgtest-pkg-python");
  EXPECT_EQ(dsc.get("Testsuite-Triggers"), "aa, zz");
}

}  // namespace
}  // namespace hapkg::deb
