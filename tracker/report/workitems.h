// Launchpad blueprint work items (lib/lp/services/fields WorkItemsText):
// "Work items[ for <milestone>]:" headers and "[assignee] title: STATUS"
// lines, the last colon separating the status. One file per blueprint.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hapkg::tracker {

// Launchpad's SpecificationWorkItemStatus, in its order.
enum class ItemStatus { kTodo, kDone, kPostponed, kInProgress, kBlocked };
inline constexpr int kStatusCount = 5;
const char* status_name(ItemStatus s);  // "TODO", "DONE", ...
const char* status_key(ItemStatus s);   // "todo", "done", ... (JSON keys)
std::optional<ItemStatus> parse_status(std::string_view text);  // any case; "" and POSTPONE are aliases
using Counts = std::array<int, kStatusCount>;                    // indexed by ItemStatus

struct WorkItem {
  std::string blueprint;
  std::string milestone;  // "" when none
  std::string assignee;   // "" when none
  std::string title;      // without the check
  ItemStatus status = ItemStatus::kTodo;
  std::string check;      // the linked check, "" when none: "{archive-has X in FILE}"
  std::string file;
  std::size_t line = 0;
};

struct ParseProblem {
  std::string where;  // "file:line"
  std::string problem;
};

struct WorkItemList {
  std::vector<WorkItem> items;
  std::vector<ParseProblem> problems;  // only with lenient parsing
};

// Parses one blueprint's text. Strict: throws InputError("file:line:
// problem") on a line that matches no rule or an unknown status. Lenient:
// records the problem, counts it, and goes on.
void parse_workitems(const std::string& text, const std::string& file, const std::string& blueprint, bool lenient,
                     WorkItemList& out);
// Status-only counting for history snapshots: the same grammar, the same
// errors (strict) and the same problems (lenient, appended to `problems`
// when given, always counted in the return value) as parse_workitems, but
// no item is built. Returns the number of problem lines.
std::size_t count_workitems(std::string_view text, const std::string& file, bool lenient, Counts& counts,
                            std::vector<ParseProblem>* problems = nullptr);
// The blueprint name: the file name without directory and extension.
std::string blueprint_name(const std::string& path);
void read_workitems(const std::string& path, bool lenient, WorkItemList& out);

}  // namespace hapkg::tracker
