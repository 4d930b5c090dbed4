// The pipeline's steps, in order, as the engine runs them. Each step's work
// is a library function with its own test (fetch.h, patching.h,
// versioning.h, source_upload.h, binaries.h, signing.h, publish.h,
// report.h); this file only wires them to the engine: what each step
// hashes, where it reads its predecessors' outputs, what it records.
#pragma once

#include <string>
#include <vector>

#include "pipeline/engine.h"
#include "pipeline/signing.h"

namespace hapkg::pipeline {

// fetch track patch version source binaries sign publish | verify report
std::vector<StepDef> pipeline_steps(const SigningKey& key);

// The names of every step, for --from/--until help.
std::vector<std::string> step_names();

// Build-Depends among the manifest's packages, from each package's patched
// tree (patch step output): P depends on Q when P build-depends on one of
// Q's binary packages.
std::function<std::vector<std::string>(const std::string&)> build_dependencies(const Manifest& m,
                                                                                 const StateStore& state);

}  // namespace hapkg::pipeline
