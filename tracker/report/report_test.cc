#include "tracker/report/report.h"

#include <gtest/gtest.h>

using namespace hapkg::tracker;

TEST(Report, JsonRoundTripAndCompletion) {
  Report r;
  WorkItemList l;
  parse_workitems("Work items for m1:\n[a] one: DONE\n[a] two: POSTPONED\n[b] thr:ee: todo\nfour {packaged >= upstream x}: blocked\n",
                  "bp.txt", "bp", false, l);
  r.items = l.items;
  auto j = render_json(r);
  EXPECT_EQ(j["totals"]["total"], 4);
  EXPECT_EQ(j["completion"]["denominators"]["total_minus_postponed"], 3);
  EXPECT_EQ(j["workitems_by_assignee"]["a"]["done"][0][1], "one");
  EXPECT_EQ(j["workitems_by_assignee"]["(unassigned)"]["blocked"][0][0], "bp");
  Report back;
  back.items = items_from_json(nlohmann::json::parse(j.dump()));
  EXPECT_EQ(render_json(back), j);
  EXPECT_EQ(render_markdown(back), render_markdown(r));
  std::string md = render_markdown(r);
  EXPECT_NE(md.find("**33.3%** of the items not postponed (DONE / (TOTAL - POSTPONED) = 1/3)"), std::string::npos) << md;
  EXPECT_NE(md.find("Completion: **25.0%** of all items (DONE / TOTAL = 1/4)"), std::string::npos) << md;
}

TEST(Report, ChecksDisagreeOnlyWithWhatIsNotPostponed) {
  WorkItem done, todo, postponed;
  done.status = ItemStatus::kDone;
  todo.status = ItemStatus::kTodo;
  postponed.status = ItemStatus::kPostponed;
  EXPECT_TRUE(check_disagrees(done, {false, ""}));
  EXPECT_FALSE(check_disagrees(done, {true, ""}));
  EXPECT_TRUE(check_disagrees(todo, {true, ""}));
  EXPECT_FALSE(check_disagrees(todo, {false, ""}));
  EXPECT_FALSE(check_disagrees(postponed, {true, ""}));
  EXPECT_FALSE(check_disagrees(postponed, {false, ""}));
}

TEST(Report, EvaluatesOnlyItemsWithACheck) {
  Report r;
  WorkItemList l;
  parse_workitems("[a] one: DONE\n[a] two {packaged >= upstream x}: TODO\n", "bp.txt", "bp", false, l);
  r.items = l.items;
  CheckContext ctx(nlohmann::json::parse(R"([{"package": "x", "debian-mangled-uversion": "1", "upstream-version": "2"}])"));
  evaluate_checks(r, ctx);
  ASSERT_EQ(r.checks.size(), 2u);
  EXPECT_FALSE(r.checks[0].has_value());
  ASSERT_TRUE(r.checks[1].has_value());
  EXPECT_FALSE(r.checks[1]->holds);
  EXPECT_EQ(r.checks[1]->detail, "x packaged 1, upstream 2");
}
