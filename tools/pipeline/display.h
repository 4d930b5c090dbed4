// What `hapkg pipeline` shows: on a terminal, one live line per package
// (current step, elapsed, result) redrawn in place on stderr; otherwise one
// log line per step event. Then the summary table, --json, --junit.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/engine.h"
#include "pipeline/pipeline.h"

namespace hapkg::pipeline {

class Display {
 public:
  // `live`: stderr is a terminal and the user did not ask for quiet.
  Display(bool live, bool quiet);
  ~Display();
  Display(const Display&) = delete;
  Display& operator=(const Display&) = delete;
  Observer observer();
  void finish();  // stops the live redraw, leaves the final lines

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string render_summary(const RunSummary& s);
nlohmann::json summary_json(const RunSummary& s);
std::string render_plan(const std::vector<PlanItem>& plan);
std::string render_status(const std::vector<StepRecord>& records);
// One testcase per package x step.
std::string render_junit(const std::vector<Outcome>& outcomes);

}  // namespace hapkg::pipeline
