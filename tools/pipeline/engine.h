// The pipeline engine: runs each package's steps in order, skips a step
// whose inputs hash to what its record says (and whose output is still
// there), runs independent packages in parallel (-j) in Build-Depends order
// among the manifest's packages, and stops only the dependents of a failure
// with --keep-going. Steps are plain functions (steps.h); the engine knows
// nothing about Debian.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/manifest.h"
#include "pipeline/state.h"

namespace hapkg::pipeline {

// The pseudo-package whose steps (verify, report) look at the whole archive.
inline constexpr const char* kArchivePackage = "archive";

struct RunOptions {
  std::vector<std::string> only;  // sources to run ("" = all)
  std::string from, until;        // first and last step to run
  int jobs = 1;
  bool keep_going = false;
  std::string state_dir;          // "" = the manifest's
  std::string build_root;         // hapkg's source tree (the `repository` packaging)
  bool new_upstream = false;      // track: merge a newer upstream release (tracking.h)
};

class Engine;

// What a step sees while it runs.
struct StepContext {
  const Manifest& manifest;
  const SourceEntry* source;  // nullptr for the archive pseudo-package
  const StateStore& state;
  const RunOptions& options;
  std::string package, step;
  std::string out;            // the staging directory to fill
  std::string log_path;       // the step's log (kept on failure)
  nlohmann::json outputs = nlohmann::json::object();  // what later steps read (record's outputs)
  std::string summary;        // one line for the run summary when the step succeeds (record's detail)
  Engine* engine = nullptr;

  // The finished output directory and record outputs of an earlier step of
  // this package (or of `package`).
  std::string output_of(const std::string& step, const std::string& package = "") const;
  nlohmann::json outputs_of(const std::string& step, const std::string& package = "") const;
  void log(const std::string& line) const;  // appends to the step's log
};

struct StepDef {
  std::string name;
  bool per_package = true;  // false: runs once, on the archive pseudo-package
  // A string describing every input besides the previous step (hashed by the
  // engine); must not do the step's work.
  std::function<std::string(const StepContext&)> inputs;
  std::function<void(StepContext&)> run;
  // Whether the step applies to this source (e.g. binaries: Build: binaries).
  std::function<bool(const SourceEntry&)> applies;
};

enum class EventKind { kStarted, kSkipped, kDone, kFailed, kBlocked };
struct Event {
  std::string package, step;
  EventKind kind;
  double seconds = 0;
  std::string detail, log;
};
using Observer = std::function<void(const Event&)>;

// One line of `pipeline plan`.
struct PlanItem {
  std::string package, step;
  bool run = false;
  std::string why;  // "no record", "inputs changed", "output missing", "up to date", ...
};

struct Outcome {
  std::string package, step, result;  // ok | skipped | failed | blocked | not run
  double seconds = 0;
  std::string detail, log;
};

class Engine {
 public:
  Engine(const Manifest& manifest, std::vector<StepDef> steps, RunOptions options);

  std::vector<PlanItem> plan();
  // Runs; returns one outcome per package x step considered.
  std::vector<Outcome> run(const Observer& observer);
  const StateStore& state() const { return state_; }
  // Build-Depends among the manifest's packages, from the patched trees
  // (used between the two phases; exposed for tests).
  std::function<std::vector<std::string>(const std::string& package)> dependencies;

 private:
  friend struct StepContext;
  std::vector<std::string> packages() const;
  StepContext context(const std::string& package, const std::string& step) const;
  const SourceEntry* source_of(const std::string& package) const;
  bool step_applies(const StepDef& s, const std::string& package) const;
  std::string chain_hash(const std::string& package, std::size_t step_index, const std::string& previous) const;
  bool run_steps(const std::string& package, std::size_t first, std::size_t last, const Observer& obs,
                 std::vector<Outcome>& out, std::string& previous_hash);
  void run_phase(const std::vector<std::string>& pkgs, std::size_t first, std::size_t last, const Observer& obs,
                 std::vector<Outcome>& out, std::map<std::string, std::string>& hashes);
  std::size_t index_of(const std::string& step) const;

  const Manifest& manifest_;
  std::vector<StepDef> steps_;
  RunOptions options_;
  StateStore state_;
  std::mutex mutex_;
  bool stop_ = false;
  std::map<std::string, std::string> failed_;  // package -> why
};

std::string now_utc();

}  // namespace hapkg::pipeline
