// Linked checks: a work item may end its title with a fact the pipeline
// can verify, in braces:
//   {archive-has SRC in INDEX}              SRC is in a Sources index (file or URL)
//   {archive-has SRC in DIR SUITE}          ... in DIR/dists/SUITE/*/source/Sources*
//   {archive-has SRC OP VERSION in ...}     ... with a version satisfying OP (<< <= = >= >>)
//   {packaged OP upstream SRC}              our version (from `hapkg track --json` output
//                                           given with --track) OP the newest upstream one
// A check that holds means the item is done.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "tracker/report/workitems.h"

namespace hapkg::tracker {

struct CheckOutcome {
  bool holds = false;
  std::string detail;  // what was found, e.g. "resource-agents 1:4.12.0-2 in Sources"
};

class CheckContext {
 public:
  // `track_json`: the array printed by `hapkg track --json` (may be null).
  explicit CheckContext(nlohmann::json track_json = nullptr) : track_(std::move(track_json)) {}
  // Throws InputError naming the item's file:line for a malformed check,
  // OperationError when an index cannot be read.
  CheckOutcome evaluate(const WorkItem& item);

 private:
  const std::map<std::string, std::string>& index(const std::string& where);
  nlohmann::json track_;
  std::map<std::string, std::map<std::string, std::string>> indices_;
};

}  // namespace hapkg::tracker
