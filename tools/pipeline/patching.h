// The patch step: this project's patches/<source>/ on top of the fetched
// packaging, zero fuzz. A patch whose every target is under debian/ is a
// change to the packaging itself (the Ubuntu/PPA delta: debian/control,
// debian/rules, ...) and is applied to the tree directly, since a quilt
// patch may not touch debian/; the others are appended to debian/patches
// and the whole series is applied as dpkg-source would.
#pragma once

#include <string>
#include <vector>

namespace hapkg::pipeline {

struct Patched {
  std::vector<std::string> packaging;  // applied to debian/ directly
  std::vector<std::string> imported;   // appended to debian/patches/series
  std::vector<std::string> applied;    // quilt patches applied (Debian's and ours)
};

// Patches `tree` in place with the series in `patches_dir` ("" = none).
// InputError naming the patch when one does not apply without fuzz.
Patched apply_project_patches(const std::string& tree, const std::string& patches_dir);

// The bytes of the series and every file it names, for the step's hash.
std::string patches_inputs(const std::string& patches_dir);

}  // namespace hapkg::pipeline
