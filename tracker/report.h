// hapkg report: work-item totals (per status, assignee, milestone,
// blueprint), completion with its denominator, linked checks, and a
// burndown from history; rendered as Markdown, JSON (shaped like the old
// status.ubuntu.com team JSON) or one self-contained HTML page.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tracker/checks.h"
#include "tracker/workitems.h"

namespace hapkg::tracker {

using Counts = std::array<int, kStatusCount>;  // indexed by ItemStatus

struct DayCounts {
  std::string date;  // YYYY-MM-DD
  Counts counts{};
};

struct Report {
  std::vector<WorkItem> items;
  std::vector<ParseProblem> problems;                // lenient parsing
  std::vector<std::optional<CheckOutcome>> checks;   // parallel to items
  std::vector<DayCounts> history;                    // oldest first
  std::string release_date;                          // YYYY-MM-DD or ""
};

// Evaluates every item's linked check.
void evaluate_checks(Report& r, CheckContext& ctx);
// Items whose written status disagrees with the checked fact.
bool check_disagrees(const WorkItem& item, const CheckOutcome& c);

// History from a directory of dated snapshots: DIR/YYYY-MM-DD/ holding
// the blueprint files as they were that day.
std::vector<DayCounts> history_from_dir(const std::string& dir, bool lenient);
// History from a CSV file of daily counts, as the old tracker's
// `workitems.py --csv` kept it: "date,todo,done,postponed,inprogress,blocked"
// (a header line is allowed). Errors name file:line.
std::vector<DayCounts> history_from_csv(const std::string& path);
// The same CSV, to keep a history cheaply (one line a day).
std::string render_history_csv(const std::vector<DayCounts>& h);
// History from each file's git log (the last commit of each day), the
// days between carried forward.
std::vector<DayCounts> history_from_git(const std::vector<std::string>& files, bool lenient);
Counts count(const std::vector<WorkItem>& items);

std::string render_markdown(const Report& r);
nlohmann::json render_json(const Report& r);
std::string render_html(const Report& r);
// Rebuilds the items from render_json output (the round trip).
std::vector<WorkItem> items_from_json(const nlohmann::json& j);

}  // namespace hapkg::tracker
