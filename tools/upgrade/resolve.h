// The libapt-pkg part of hapkg upgrade-check. Each function initialises
// apt's process-global configuration for one sandbox root, so call it at
// most once per process (upgrade/check.cc forks for that).
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "upgrade/check.h"

namespace hapkg::upgrade {

// `share_cache`: use (and write) the index set's srcpkgcache.bin that the
// root's configuration names, instead of parsing the indices in memory.

// Runs the upgrade on `root` the way apt-get's upgrade/dist-upgrade does and
// returns the report (without assertions' summary "ok").
nlohmann::json resolve_upgrade(const std::string& root, const UpgradeOptions& o, bool share_cache);

// A sandbox's opened cache (apt's globals initialised for its root). Open it
// once, then fork a child per check: the children share the parsed cache and
// the initial depcache copy-on-write, so checks of the same node state
// (index set, status, pins) in other modes cost only the resolver.
struct OpenedCache;
std::shared_ptr<OpenedCache> open_sandbox(const std::string& root, const UpgradeOptions& o, bool share_cache);
// resolve_upgrade on an opened cache; changes its depcache (call in a child).
nlohmann::json resolve_upgrade(OpenedCache& cache, const UpgradeOptions& o);

// Opens the cache of `root` once so that its index set's srcpkgcache.bin is
// written (or found valid) before several checks map it.
void warm_source_cache(const std::string& root, const UpgradeOptions& o);

// The install closure of o.installed (+ Essential/required/important) on the
// old release in `root`, as `apt-get install` computes it; returns a dpkg
// status file (full archive stanzas) and writes ROOT/extended_states text
// into `extended_states`.
std::string install_closure(const std::string& root, const UpgradeOptions& o, bool share_cache,
                            std::string& extended_states);

}  // namespace hapkg::upgrade
