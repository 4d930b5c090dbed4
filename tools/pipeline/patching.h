// The patch step: this project's patches/<source>/ on top of the fetched
// packaging, zero fuzz. A patch whose every target is under debian/ is a
// change to the packaging itself (the Ubuntu/PPA delta: debian/control,
// debian/rules, ...) and is applied to the tree directly, since a quilt
// patch may not touch debian/; the others are appended to debian/patches
// and the whole series is applied as dpkg-source would.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "patch/series.h"

namespace hapkg::pipeline {

struct Patched {
  std::vector<std::string> packaging;  // applied to debian/ directly
  std::vector<std::string> imported;   // appended to debian/patches/series
  std::vector<std::string> applied;    // quilt patches applied (Debian's and ours)
};

// patches_dir's series split: packaging changes (every target under
// debian/) and upstream quilt patches, in series order.
struct ProjectSeries {
  std::vector<patch::SeriesEntry> packaging, upstream;
};
ProjectSeries split_project_patches(const std::string& patches_dir);

// Appends the upstream patches (minus `skip`) to tree/debian/patches.
// Returns the names added.
std::vector<std::string> import_upstream_patches(const std::string& tree, const std::string& patches_dir,
                                                 const std::vector<patch::SeriesEntry>& upstream,
                                                 const std::set<std::string>& skip = {});

// Patches `tree` in place with the series in `patches_dir` ("" = none),
// leaving out the patches named in `skip` (the track step's new-upstream
// merge applied our packaging changes already, and dropped the upstream
// patches the new release has). InputError naming the
// patch when one does not apply without fuzz.
Patched apply_project_patches(const std::string& tree, const std::string& patches_dir,
                              const std::set<std::string>& skip = {});

// The bytes of the series and every file it names, for the step's hash.
std::string patches_inputs(const std::string& patches_dir);

}  // namespace hapkg::pipeline
