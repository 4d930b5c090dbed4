// The version step: the version of the upload for one target series, by
// the existing rules (deb/version_next.h: a PPA upload stays below the next
// official one, a backport gets ~SERIES.N), proven against every version
// known for the source: the old release's, the packaging's own (the new
// release) and every version the archive already holds. A version the
// archive holds is never reused for different content: N goes up.
#pragma once

#include <string>
#include <vector>

#include "pipeline/manifest.h"

namespace hapkg::pipeline {

struct VersionChoice {
  std::string version;
  std::vector<std::string> checked_against;  // "old release 1:4.12.0-2", ...
};

// `archive_versions`: what the archive holds for the source in this suite.
// `reusable`: the archive's copy of this exact version is the same upload
// (its recorded content hash matches), so it may be proposed again.
VersionChoice choose_version(const std::string& source, const std::string& current, const SeriesEntry& series,
                             const std::vector<std::string>& old_versions,
                             const std::vector<std::string>& archive_versions);

// Versions of the source package `source` in binary Packages indices (the
// Source field, or the package name when there is none), read by libapt-pkg.
std::vector<std::string> source_versions_in_packages(const std::vector<std::string>& indices,
                                                     const std::string& source);

// Versions of `source` the local archive holds in `suite` (none when the
// archive or suite does not exist yet).
std::vector<std::string> archive_source_versions(const std::string& archive, const std::string& suite,
                                                 const std::string& source);

}  // namespace hapkg::pipeline
