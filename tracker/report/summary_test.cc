#include "tracker/report/summary.h"

#include <gtest/gtest.h>

namespace hapkg::tracker {
namespace {

std::vector<WorkItem> items(const std::string& text) {
  WorkItemList l;
  parse_workitems(text, "bp.txt", "bp", false, l);
  return l.items;
}

TEST(Summary, BothCompletionFigures) {
  Counts c{};
  c[static_cast<int>(ItemStatus::kDone)] = 4;
  c[static_cast<int>(ItemStatus::kPostponed)] = 10;
  Completion k = completion(c);
  EXPECT_EQ(k.of_all(), "28.6%");
  EXPECT_EQ(k.of_not_postponed(), "100.0%");
  EXPECT_EQ(k.not_postponed(), 4);
  EXPECT_EQ(completion(Counts{}).of_all(), "n/a");
}

TEST(Summary, GroupsKeepInputOrderAndNameTheUnassigned) {
  auto it = items("[b] one: DONE\nlone: TODO\n[a] two: POSTPONED\n[b] three: TODO\n");
  auto g = group_items(it, &WorkItem::assignee, kUnassigned);
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g.begin()->first, "(unassigned)");
  EXPECT_EQ(g["b"], (std::vector<std::size_t>{0, 3}));
  auto c = group_counts(it, &WorkItem::assignee, kUnassigned);
  EXPECT_EQ(at(c["b"], ItemStatus::kTodo), 1);
  EXPECT_EQ(at(c["b"], ItemStatus::kDone), 1);
  auto rows = rows_of(c);
  ASSERT_EQ(rows.size(), 3u);
  // name, TODO INPROGRESS BLOCKED DONE POSTPONED, TOTAL, completion
  EXPECT_EQ(rows[2], (std::vector<std::string>{"b", "1", "0", "0", "1", "0", "2", "50.0%"}));
}

}  // namespace
}  // namespace hapkg::tracker
