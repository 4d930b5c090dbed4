// The sandbox apt root an upgrade check runs in: ROOT/etc/apt (sources,
// apt.conf.d, preferences.d), ROOT/var/lib/apt/lists with the given indices
// placed under apt's own list-file names, ROOT/var/lib/dpkg/status.
// ROOT/apt.conf is an APT_CONFIG for running real apt-get on the same root.
#pragma once

#include <string>

#include "upgrade/check.h"

namespace hapkg::upgrade {

// One index set ("old", or "new" = new + PPA indices) as apt's lists/ plus
// the sources.list naming it, in `cache_base`/<key>/ where the key hashes the
// inputs (absolute paths, suites, architectures). Every root built from the
// same inputs shares it, so apt's srcpkgcache.bin there (the parsed indices,
// re-validated by apt against each list file's size and mtime) is built once
// and mapped by every later check. Local inputs are symlinked, never copied;
// mirror URLs are fetched (and verified) into the set. Returns the set's
// directory; reuses a complete one. InputError for bad inputs.
std::string prepare_index_set(const std::string& cache_base, const UpgradeOptions& o, const std::string& which);

// Builds the root for an index set from prepare_index_set: ROOT/etc/apt
// (apt.conf.d pointing Dir::State::lists and Dir::Cache::srcpkgcache into the
// set, sources.list, PPA pins) and the dpkg status (o.status, or empty).
void build_sandbox_root(const std::string& root, const UpgradeOptions& o, const std::string& which,
                        const std::string& index_set);

// The machine's architecture (dpkg --print-architecture).
std::string native_architecture();

}  // namespace hapkg::upgrade
