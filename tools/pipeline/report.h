// The report step: the manifest's work-item files with their linked checks
// evaluated against this run's archive ("@ARCHIVE@" in a check is the
// pipeline's archive directory), an item whose check holds counted DONE
// because the check proves it; then this run's step table. Written as
// Markdown and HTML into `out`.
#pragma once

#include <string>

#include "pipeline/manifest.h"
#include "pipeline/state.h"

namespace hapkg::pipeline {

struct RunReport {
  std::string markdown, html;  // paths
  int done = 0, total = 0;     // work items
};

RunReport write_run_report(const Manifest& m, const StateStore& state, const std::string& out);

}  // namespace hapkg::pipeline
