// `dpkg-source -b` for 3.0 (quilt) and 3.0 (native): the debian tarball
// (or native tarball) and the .dsc, byte for byte as dpkg-source writes them.
#pragma once

#include <string>
#include <vector>

namespace hapkg::source {

struct BuildOptions {
  bool apply_patches = true;  // apply unapplied series patches first, as dpkg-source -b does
  bool auto_commit = false;
  bool include_binaries = false;  // allow binary files in debian/ (and list them in include-binaries)   // record upstream changes as debian/patches/debian-changes-<version>
};

struct BuildResult {
  std::string dsc;                   // path of the .dsc written
  std::vector<std::string> files;    // the files the .dsc lists, in order (paths)
  std::vector<std::string> applied;  // patches this build applied
  std::string auto_patch;            // --auto-commit: the patch written (empty: none needed)
};

BuildResult build_source(const std::string& dir, const BuildOptions& options = {});

}  // namespace hapkg::source
