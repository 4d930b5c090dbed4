#include <gtest/gtest.h>

#include "tracker/report/report.h"

namespace hapkg::tracker {
namespace {

Report report(const std::string& text) {
  Report r;
  WorkItemList l;
  parse_workitems(text, "bp.txt", "bp", false, l);
  r.items = l.items;
  return r;
}

std::size_t occurrences(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

TEST(ReportHtml, ListsEveryItemPerAssigneeAndPerBlueprint) {
  Report r = report("Work items for m1:\n[ann] one: DONE\n[bob] two <b>: POSTPONED\nthree: POSTPONED\n");
  r.checks = {CheckOutcome{true, "x 1.0 in Sources"}, std::nullopt, std::nullopt};
  std::string h = render_html(r);
  EXPECT_NE(h.find("<div id=\"items-by-assignee\">"), std::string::npos);
  EXPECT_NE(h.find("<div id=\"items-by-blueprint\">"), std::string::npos);
  EXPECT_EQ(occurrences(h, "<table class=\"items\""), 4u);  // ann, bob, (unassigned); bp
  EXPECT_EQ(occurrences(h, "<tr class=\"postponed\">"), 4u);  // two items, listed twice
  EXPECT_NE(h.find("two &lt;b&gt;"), std::string::npos);
  EXPECT_NE(h.find("<td class=\"check\">DONE: x 1.0 in Sources</td>"), std::string::npos);
  EXPECT_NE(h.find("<td>m1</td>"), std::string::npos);
  EXPECT_NE(h.find("<td>bp.txt:2</td>"), std::string::npos);
}

TEST(ReportHtml, HeadlineLabelsBothFigures) {
  std::string h = render_html(report("[a] one: DONE\n[a] two: POSTPONED\n[a] three: TODO\n[a] four: POSTPONED\n"));
  EXPECT_NE(h.find("<b>25.0%</b> of all items (DONE / TOTAL = 1/4)"), std::string::npos) << h;
  EXPECT_NE(h.find("<b>50.0%</b> of the items not postponed (DONE / (TOTAL &minus; POSTPONED) = 1/2)"),
            std::string::npos);
}

TEST(ReportHtml, SnapshotChartWithoutHistoryAndBeforeNoBurndown) {
  Report r = report("[a] one: DONE\n[b] two: POSTPONED\n[b] three: TODO\n");
  std::string h = render_html(r);
  auto snap = h.find("<svg id=\"snapshot\"");
  ASSERT_NE(snap, std::string::npos);
  EXPECT_EQ(h.find("<svg id=\"burndown\""), std::string::npos);
  EXPECT_LT(snap, h.find("no burndown"));
  EXPECT_EQ(occurrences(h, "class=\"per-status "), 3u);    // zero counts draw no bar
  EXPECT_EQ(occurrences(h, "class=\"per-assignee "), 3u);  // a: done; b: todo, postponed
  r.history = {{"2026-11-01", Counts{1, 1, 1, 0, 0}}};
  h = render_html(r);
  EXPECT_LT(h.find("<svg id=\"burndown\""), h.find("<svg id=\"snapshot\""));
}

}  // namespace
}  // namespace hapkg::tracker
