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

#include "tracker/report/checks.h"
#include "tracker/report/history.h"
#include "tracker/report/workitems.h"

namespace hapkg::tracker {

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

Counts count(const std::vector<WorkItem>& items);

std::string render_markdown(const Report& r);
nlohmann::json render_json(const Report& r);
std::string render_html(const Report& r);
// Rebuilds the items from render_json output (the round trip).
std::vector<WorkItem> items_from_json(const nlohmann::json& j);

}  // namespace hapkg::tracker
