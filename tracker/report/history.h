// The burndown's history: daily counts per status, from dated snapshot
// directories, from the blueprint files' git history, or from a CSV of
// daily counts.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tracker/report/workitems.h"

namespace hapkg::tracker {

struct DayCounts {
  std::string date;  // YYYY-MM-DD
  Counts counts{};
};

struct HistoryOptions {
  bool lenient = false;
  // A cache of per-snapshot counts ("" = none). A snapshot's counts are
  // taken from it only when every file of the snapshot has the same name,
  // size, mtime_ns, ctime_ns, inode and device as recorded; it is rewritten
  // atomically when anything was counted afresh. A damaged or foreign cache
  // is ignored (with a warning), never trusted.
  std::string cache;
  unsigned threads = 0;  // 0: every core
};

// What history_from_dir did, for logs and tests.
struct HistoryStats {
  std::size_t days = 0, files = 0;
  std::size_t cached_days = 0;   // whole snapshots taken from the cache
  std::size_t same_inode = 0;    // files already counted under another name (hard links)
  std::size_t same_bytes = 0;    // files byte-identical to the same blueprint the day before
  std::size_t parsed = 0;        // files counted
};

// History from a directory of dated snapshots: DIR/YYYY-MM-DD/ holding the
// blueprint files as they were that day (other entries are ignored). The
// files are counted with count_workitems (the full parser's grammar and
// errors), in parallel over the days; errors name the first bad file:line
// in date order, as a sequential read would.
std::vector<DayCounts> history_from_dir(const std::string& dir, const HistoryOptions& opts,
                                        HistoryStats* stats = nullptr);
// History from a CSV file of daily counts, as the old tracker's
// `workitems.py --csv` kept it: "date,todo,done,postponed,inprogress,blocked"
// (a header line is allowed). Errors name file:line.
std::vector<DayCounts> history_from_csv(const std::string& path);
// The same CSV, to keep a history cheaply (one line a day).
std::string render_history_csv(const std::vector<DayCounts>& h);
// History from the files' git history: for each day with a commit touching
// them, the files as of the last such commit that day (first-parent line),
// the days between carried forward. One `git log --raw` and one
// `git cat-file --batch` per repository; each distinct blob is counted once.
std::vector<DayCounts> history_from_git(const std::vector<std::string>& files, bool lenient);

// Day numbers (days since 1970-01-01), -1 for a malformed or impossible date
// (2026-13-45, 2026-02-30).
long day_number(const std::string& yyyy_mm_dd);
std::string day_string(long day);

}  // namespace hapkg::tracker
