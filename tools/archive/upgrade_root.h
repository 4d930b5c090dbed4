// The sandbox apt root an upgrade check runs in: ROOT/etc/apt (sources,
// apt.conf.d, preferences.d), ROOT/var/lib/apt/lists with the given indices
// placed under apt's own list-file names, ROOT/var/lib/dpkg/status.
// ROOT/apt.conf is an APT_CONFIG for running real apt-get on the same root.
#pragma once

#include <string>

#include "archive/upgrade_check.h"

namespace hapkg::archive {

// Builds the root; which = "new" (new + PPA indices) or "old" (old indices,
// empty status, for the --installed closure). InputError for bad inputs.
void build_sandbox_root(const std::string& root, const UpgradeOptions& o, const std::string& which);

// The machine's architecture (dpkg --print-architecture).
std::string native_architecture();

}  // namespace hapkg::archive
