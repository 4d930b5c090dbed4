// What `hapkg report` reads besides the work-item lists, checked the way a
// user can act on: the release date, the history (from which source), the
// results of `hapkg track --json`, and the verdicts that disagree with what
// is written. The CLI only parses options and prints.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tracker/report/report.h"

namespace hapkg::tracker {

// The blueprint files, one work-item list each. A directory or a missing
// file is an InputError naming it.
WorkItemList read_blueprints(const std::vector<std::string>& files, bool lenient);

// A calendar date YYYY-MM-DD (2026-02-30 and 2026-13-45 are not);
// InputError("<what>: ...") otherwise.
std::string checked_date(const std::string& text, const std::string& what);

// Where the burndown's history comes from: a snapshot directory or a CSV
// (`path`, with an optional cache for a directory), or the files' git log.
struct HistorySource {
  std::string path;
  std::string cache;
  bool git = false;
  bool lenient = false;
};
// Empty when no source is given. Shows progress on a terminal.
std::vector<DayCounts> load_history(const HistorySource& src, const std::vector<std::string>& files);

// The array `hapkg track --json` prints, checked for the fields the
// {packaged ...} checks read: InputError naming the file (and the element)
// on anything else, never a JSON library's type error.
nlohmann::json read_track_results(const std::string& path);

// "file:line: written DONE but the check says not done: <detail>", one per
// item whose linked check disagrees with its written status.
std::vector<std::string> mismatches(const Report& r);

}  // namespace hapkg::tracker
