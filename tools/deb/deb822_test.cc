#include "deb/deb822.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace {

using hapkg::deb::Deb822Kind;
using hapkg::deb::FieldOrder;
using hapkg::deb::parse_deb822;
using hapkg::deb::render_deb822;

const char kControl[] =
    "# leading comment\n"
    "Source: foo\n"
    "Build-Depends: debhelper-compat (= 13),\n"
    "# commented-out dependency\n"
    "#  libold-dev,\n"
    "               libnew-dev\n"
    "Maintainer: A <a@example.org>\n"
    "Section: admin\n"
    "\n"
    "Package: foo\n"
    "Description: short\n"
    " long line one\n"
    " .\n"
    " line two\n"
    "Architecture: any\n";

TEST(Deb822, RoundTripsControlWithCommentsByteForByte) {
  auto doc = parse_deb822(kControl, "debian/control", Deb822Kind::kControl);
  ASSERT_EQ(doc.paragraphs.size(), 2u);
  EXPECT_EQ(render_deb822(doc, Deb822Kind::kControl), kControl);
  EXPECT_EQ(doc.paragraphs[0].get("build-depends"), "debhelper-compat (= 13),\n               libnew-dev");
  EXPECT_EQ(doc.paragraphs[1].find("Description")->line, 11u);
}

TEST(Deb822, CanonicalOrderKeepsCommentsWithTheirField) {
  auto doc = parse_deb822(kControl, "debian/control", Deb822Kind::kControl);
  std::string out = render_deb822(doc, Deb822Kind::kControl, FieldOrder::kCanonical);
  EXPECT_LT(out.find("Section:"), out.find("Maintainer:"));
  EXPECT_LT(out.find("Maintainer:"), out.find("Build-Depends:"));
  EXPECT_LT(out.find("Architecture:"), out.find("Description:"));
  EXPECT_NE(out.find("# leading comment\nSource: foo\n"), std::string::npos);
  auto again = parse_deb822(out, "x", Deb822Kind::kControl);
  EXPECT_EQ(again.paragraphs[0].get("Build-Depends"), doc.paragraphs[0].get("Build-Depends"));
}

TEST(Deb822, ErrorsNameFileAndLine) {
  auto expect_error = [](const std::string& text, const std::string& where) {
    try {
      parse_deb822(text, "f", Deb822Kind::kPackages);
      FAIL() << "accepted: " << text;
    } catch (const hapkg::InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(where, 0), 0u) << e.what();
    }
  };
  expect_error(" continuation first\n", "f:1:");
  expect_error("Package: a\n\n continuation after blank\n", "f:3:");
  expect_error("Package: a\nno colon here\n", "f:2:");
  expect_error("Package: a\nPackage: b\n", "f:2:");
  expect_error("Package: a\n# comment\n", "f:2:");
}

TEST(Deb822, FoldValueLikeDpkg) {
  using hapkg::deb::fold_value;
  EXPECT_EQ(fold_value("one"), "one");
  EXPECT_EQ(fold_value("\nfirst  \n\n.\n..\n  indented\t\n\n"), "\n first\n .\n ..\n ...\n   indented");
}

}  // namespace
