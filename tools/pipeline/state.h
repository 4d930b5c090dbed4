// The pipeline's memory: one record per package x step under
// STATE/records/<package>/<step>.json (written atomically), and each step's
// finished output under STATE/work/<package>/<step>/. A step fills a staging
// directory (<step>.partial-<pid>) that is renamed into place only when it is
// complete, and its record is written after the rename: a run killed at any
// moment leaves either the previous complete output or a staging directory
// that the next run deletes, never something that looks complete.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hapkg::pipeline {

struct StepRecord {
  std::string package, step;
  std::string inputs;     // sha256 of everything the step read
  std::string result;     // "ok" or "failed"
  std::string detail;     // the error, for a failure
  std::string log;        // the step's log file
  std::string finished;   // UTC, ISO 8601
  double seconds = 0;
  nlohmann::json outputs = nlohmann::json::object();  // step-specific (file names, versions)
};

class StateStore {
 public:
  explicit StateStore(std::string dir);
  const std::string& dir() const { return dir_; }

  std::optional<StepRecord> load(const std::string& package, const std::string& step) const;
  void save(const StepRecord& record) const;
  // Every record, sorted by package then step name.
  std::vector<StepRecord> all() const;

  // The finished output of a step (may not exist yet).
  std::string output_dir(const std::string& package, const std::string& step) const;
  std::string log_path(const std::string& package, const std::string& step) const;
  // A fresh, empty staging directory for the step (leftovers of killed runs removed).
  std::string begin_output(const std::string& package, const std::string& step) const;
  // Replaces the step's output with the staging directory.
  void commit_output(const std::string& package, const std::string& step, const std::string& staging) const;

 private:
  std::string dir_;
};

nlohmann::json to_json(const StepRecord& r);
StepRecord record_from_json(const nlohmann::json& j);

}  // namespace hapkg::pipeline
