// The binaries step: hapkg::build::build_binaries (tools/build, h-chroot's
// library) in a clean chroot of each target series, with the local archive
// as an extra apt source (what earlier packages of the manifest published),
// then lintian on the .debs and .changes (for Build: binaries sources).
#pragma once

#include "pipeline/engine.h"

namespace hapkg::pipeline {

StepDef binaries_step();

}  // namespace hapkg::pipeline
