#include "deb/changelog.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace {

using hapkg::deb::parse_changelog;

const char kLog[] =
    "hello (1.0-2) unstable; urgency=High (security fix)\n"
    "\n"
    "  * Fix it. Closes: #123, #456\n"
    "  * LP: #789\n"
    "\n"
    " -- Jane Doe <jane@example.org>  Wed, 25 Nov 2026 00:35:05 +0100\n"
    "\n"
    "hello (1.0-1) unstable; urgency=low\n"
    "\n"
    "  * Initial release.\n"
    "\n"
    " -- Jane Doe <jane@example.org>  Tue, 24 Nov 2026 10:00:00 +0000\n"
    "\n"
    "Local variables:\n"
    "mode: debian-changelog\n";

TEST(Changelog, ParsesAndRendersByteIdentical) {
  auto cl = parse_changelog(kLog, "debian/changelog");
  ASSERT_EQ(cl.entries.size(), 2u);
  const auto& top = cl.entries[0];
  EXPECT_EQ(top.source, "hello");
  EXPECT_EQ(top.version, "1.0-2");
  EXPECT_EQ(top.urgency(), "high");
  EXPECT_EQ(top.maintainer, "Jane Doe <jane@example.org>");
  EXPECT_EQ(top.timestamp(), 1795566905 - 3600);
  EXPECT_EQ(top.closes(), (std::vector<std::string>{"123", "456"}));
  EXPECT_EQ(top.launchpad_bugs(), (std::vector<std::string>{"789"}));
  EXPECT_EQ(hapkg::deb::render_changelog(cl), kLog);
}

TEST(Changelog, BrokenTrailerIsAnErrorWithLine) {
  std::string bad = "hello (1.0-1) unstable; urgency=low\n\n  * x\n\n -- Jane <j@e.org> Tue, 24 Nov 2026 10:00:00 +0000\n";
  try {
    parse_changelog(bad, "c");
    FAIL();
  } catch (const hapkg::InputError& e) {
    EXPECT_EQ(std::string(e.what()), "c:5: badly formatted trailer line");
  }
  EXPECT_THROW(parse_changelog("hello (1.0-1) unstable; urgency=low\n\n  * x\n", "c"), hapkg::InputError);
}

TEST(Changelog, NewEntryLikeDch) {
  auto cl = parse_changelog(kLog, "c");
  hapkg::deb::NewEntry e;
  e.changes = {"New thing."};
  e.maintainer = "Jane Doe <jane@example.org>";
  e.when = 1795566905;
  EXPECT_EQ(hapkg::deb::add_changelog_entry(cl, e), "1.0-3");
  std::string out = hapkg::deb::render_changelog(cl);
  EXPECT_EQ(out.substr(0, out.find(kLog)),
            "hello (1.0-3) UNRELEASED; urgency=medium\n\n  * New thing.\n\n"
            " -- Jane Doe <jane@example.org>  Wed, 25 Nov 2026 00:35:05 +0000\n\n");
  e.version = "1.0-1";
  EXPECT_THROW(hapkg::deb::add_changelog_entry(cl, e), hapkg::InputError);
  // dch -b: a backport's version sorts below the entry it comes from.
  e.version = "1.0-3~12.1";
  e.distribution = "bookworm";
  e.allow_lower = true;
  EXPECT_EQ(hapkg::deb::add_changelog_entry(cl, e), "1.0-3~12.1");
  EXPECT_EQ(cl.entries.front().version, "1.0-3~12.1");
}

TEST(Changelog, UnreleasedTopEntryIsRewrittenLikeDch) {
  auto cl = parse_changelog(kLog, "c");
  hapkg::deb::NewEntry e;
  e.changes = {"One."};
  e.maintainer = "Jane Doe <jane@example.org>";
  e.when = 1795566905;
  EXPECT_EQ(hapkg::deb::add_changelog_entry(cl, e), "1.0-3");
  e.changes = {"Two."};
  e.maintainer = "Joe Bloggs <joe@example.org>";
  EXPECT_EQ(hapkg::deb::add_changelog_entry(cl, e), "1.0-4");
  ASSERT_EQ(cl.entries.size(), 3u);
  EXPECT_EQ(cl.entries[0].raw,
            "hello (1.0-4) UNRELEASED; urgency=medium\n\n  [ Jane Doe ]\n  * One.\n\n  [ Joe Bloggs ]\n  * Two.\n\n"
            " -- Joe Bloggs <joe@example.org>  Wed, 25 Nov 2026 00:35:05 +0000\n\n");
  e.merge_unreleased = false;
  EXPECT_EQ(hapkg::deb::add_changelog_entry(cl, e), "1.0-5");
  EXPECT_EQ(cl.entries.size(), 4u);
}

}  // namespace
