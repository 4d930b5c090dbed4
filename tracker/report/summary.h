// The report's shared arithmetic: totals, the two completion figures, and
// the groupings (per assignee, milestone, blueprint) that the Markdown,
// JSON and HTML renderings all show.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "tracker/report/workitems.h"

namespace hapkg::tracker {

// The order in which statuses are shown: what is left first, then what is not.
inline constexpr ItemStatus kDisplayOrder[] = {ItemStatus::kTodo, ItemStatus::kInProgress, ItemStatus::kBlocked,
                                               ItemStatus::kDone, ItemStatus::kPostponed};
// Chart colours, indexed by ItemStatus.
inline constexpr const char* kStatusColors[] = {"#d9534f", "#5cb85c", "#aaaaaa", "#f0ad4e", "#7b1fa2"};

int total(const Counts& c);
int at(const Counts& c, ItemStatus s);
// "12.5%", or "n/a" for an empty denominator.
std::string percent(int num, int den);

// The tools disagree on the denominator (status.ubuntu.com kept postponed
// items in it, the WorkItemsHowto left them out), so both are shown.
struct Completion {
  int done = 0, all = 0, postponed = 0;
  int not_postponed() const { return all - postponed; }
  std::string of_all() const { return percent(done, all); }
  std::string of_not_postponed() const { return percent(done, not_postponed()); }
};
Completion completion(const Counts& c);

using Groups = std::map<std::string, Counts>;
// Counts per value of `field` ("" counted under `none`).
Groups group_counts(const std::vector<WorkItem>& items, std::string WorkItem::*field, const char* none);
// Item indices (input order) per value of `field`, groups sorted by name.
std::map<std::string, std::vector<std::size_t>> group_items(const std::vector<WorkItem>& items,
                                                            std::string WorkItem::*field, const char* none);

struct Section {
  const char* id;
  const char* title;
  const char* first;  // the first column's heading
  Groups groups;
};
// The summary tables: totals, by assignee, by milestone, by blueprint.
std::vector<Section> sections(const std::vector<WorkItem>& items);
inline constexpr const char* kSummaryColumns[] = {"TODO",  "INPROGRESS", "BLOCKED", "DONE", "POSTPONED",
                                                  "TOTAL", "DONE/(TOTAL-POSTPONED)"};
// One row a group: name, counts in kDisplayOrder, total, completion.
std::vector<std::vector<std::string>> rows_of(const Groups& g);

inline constexpr const char* kUnassigned = "(unassigned)";

}  // namespace hapkg::tracker
