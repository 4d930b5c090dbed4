// hapkg pipeline's library front: what `pipeline run|plan|status` do, so
// the CLI only parses options and prints.
#pragma once

#include <string>
#include <vector>

#include "pipeline/engine.h"

namespace hapkg::pipeline {

struct RunSummary {
  std::vector<Outcome> outcomes;
  std::string state, archive, logs, report;  // where things are
  // The track step's record per package: packaged vs upstream, merged.
  nlohmann::json upstream = nlohmann::json::object();
  bool ok = true;
};

// Prepares the signing key (GNUPGHOME for the whole run), then runs.
RunSummary run_pipeline(const Manifest& m, const RunOptions& o, const Observer& observer);
std::vector<PlanItem> plan_pipeline(const Manifest& m, const RunOptions& o);
// The last record of every package x step.
std::vector<StepRecord> pipeline_status(const Manifest& m, const RunOptions& o);

}  // namespace hapkg::pipeline
