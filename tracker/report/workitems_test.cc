#include "tracker/report/workitems.h"

#include <gtest/gtest.h>

#include "util/error.h"

using namespace hapkg::tracker;

namespace {
struct Tricky {
  const char* line;
  const char* assignee;
  const char* title;
  const char* status;
  const char* check;
};
}  // namespace

// The tricky lines: colons and brackets in titles, missing assignee,
// trailing spaces, CRLF, UTF-8 names, status case, aliases, checks.
TEST(WorkItems, TrickyLines) {
  const Tricky cases[] = {
      {"[jdoe] package pacemaker 1.1.8: DONE", "jdoe", "package pacemaker 1.1.8", "DONE", ""},
      {"[jdoe] fix http://example.org/x: y: todo", "jdoe", "fix http://example.org/x: y", "TODO", ""},
      {"merge [debian] changes: InProgress", "", "merge [debian] changes", "INPROGRESS", ""},
      {"[ann]   spaces around   :   blocked   ", "ann", "spaces around", "BLOCKED", ""},
      {"[bob] windows line ending: DONE\r", "bob", "windows line ending", "DONE", ""},
      {"[josé] UTF-8 ñame — ok: Postpone", "josé", "UTF-8 ñame — ok", "POSTPONED", ""},
      {"[] empty assignee:", "", "empty assignee", "TODO", ""},
      {"[x] a [b] c [d]: postponed", "x", "a [b] c [d]", "POSTPONED", ""},
      {"[x] ship it {archive-has foo in /tmp/Sources}: DONE", "x", "ship it", "DONE", "archive-has foo in /tmp/Sources"},
      {"    [indented] item: todo", "indented", "item", "TODO", ""},
  };
  for (const auto& c : cases) {
    WorkItemList l;
    parse_workitems(std::string("Work items:\n") + c.line + "\n", "bp.txt", "bp", false, l);
    ASSERT_EQ(l.items.size(), 1u) << c.line;
    EXPECT_EQ(l.items[0].assignee, c.assignee) << c.line;
    EXPECT_EQ(l.items[0].title, c.title) << c.line;
    EXPECT_STREQ(status_name(l.items[0].status), c.status) << c.line;
    EXPECT_EQ(l.items[0].check, c.check) << c.line;
    EXPECT_EQ(l.items[0].line, 2u);
  }
}

TEST(WorkItems, MilestonesAndBlankLines) {
  WorkItemList l;
  parse_workitems("Work items for ubuntu-12.10-beta-1:\n[a] one: DONE\n\n\n[b] two: TODO\nWork items:\nthree: DONE\n"
                  "WORK ITEMS FOR later milestone:\nfour: todo\n",
                  "f", "bp", false, l);
  ASSERT_EQ(l.items.size(), 4u);
  EXPECT_EQ(l.items[0].milestone, "ubuntu-12.10-beta-1");
  EXPECT_EQ(l.items[1].milestone, "ubuntu-12.10-beta-1");
  EXPECT_EQ(l.items[1].line, 5u);
  EXPECT_EQ(l.items[2].milestone, "");
  EXPECT_EQ(l.items[3].milestone, "milestone");
}

static std::string error_of(const std::string& text) {
  try {
    WorkItemList l;
    parse_workitems(text, "bp.txt", "bp", false, l);
  } catch (const hapkg::InputError& e) {
    return e.what();
  }
  return "";
}

TEST(WorkItems, ErrorsNameFileAndLine) {
  EXPECT_EQ(error_of("Work items:\n[a] ok: DONE\nno status here\n").rfind("bp.txt:3: not a work item", 0), 0u);
  EXPECT_EQ(error_of("[a] x: FINISHED\n"),
            "bp.txt:1: unknown status 'FINISHED' (TODO, DONE, POSTPONED, INPROGRESS, BLOCKED; POSTPONE and empty "
            "are aliases)");
  EXPECT_EQ(error_of("\n[a x: DONE\n"), "bp.txt:2: missing closing ] after the assignee");
}

TEST(WorkItems, LenientCountsProblems) {
  WorkItemList l;
  parse_workitems("[a] x: DONE\nbogus\n[b] y: WHAT\n[c] z: todo\n", "bp.txt", "bp", true, l);
  EXPECT_EQ(l.items.size(), 2u);
  ASSERT_EQ(l.problems.size(), 2u);
  EXPECT_EQ(l.problems[0].where, "bp.txt:2");
  EXPECT_EQ(l.problems[1].where, "bp.txt:3");
}

