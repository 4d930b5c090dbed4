#include "tracker/report/summary.h"

#include <cstdio>

namespace hapkg::tracker {

int total(const Counts& c) {
  int t = 0;
  for (int v : c) t += v;
  return t;
}

int at(const Counts& c, ItemStatus s) { return c[static_cast<int>(s)]; }

std::string percent(int num, int den) {
  if (den <= 0) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * num / den);
  return buf;
}

Completion completion(const Counts& c) {
  return {at(c, ItemStatus::kDone), total(c), at(c, ItemStatus::kPostponed)};
}

Groups group_counts(const std::vector<WorkItem>& items, std::string WorkItem::*field, const char* none) {
  Groups g;
  for (const auto& i : items) {
    const std::string& k = i.*field;
    g[k.empty() ? none : k][static_cast<int>(i.status)]++;
  }
  return g;
}

std::map<std::string, std::vector<std::size_t>> group_items(const std::vector<WorkItem>& items,
                                                            std::string WorkItem::*field, const char* none) {
  std::map<std::string, std::vector<std::size_t>> g;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string& k = items[i].*field;
    g[k.empty() ? none : k].push_back(i);
  }
  return g;
}

std::vector<Section> sections(const std::vector<WorkItem>& items) {
  Counts all{};
  for (const auto& i : items) all[static_cast<int>(i.status)]++;
  return {{"totals", "Totals", "Status", Groups{{"all", all}}},
          {"by-assignee", "By assignee", "Assignee", group_counts(items, &WorkItem::assignee, kUnassigned)},
          {"by-milestone", "By milestone", "Milestone", group_counts(items, &WorkItem::milestone, "(none)")},
          {"by-blueprint", "By blueprint", "Blueprint", group_counts(items, &WorkItem::blueprint, "(none)")}};
}

std::vector<std::vector<std::string>> rows_of(const Groups& g) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [k, v] : g) {
    std::vector<std::string> row{k};
    for (ItemStatus st : kDisplayOrder) row.push_back(std::to_string(at(v, st)));
    row.push_back(std::to_string(total(v)));
    row.push_back(completion(v).of_not_postponed());
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace hapkg::tracker
