// `dpkg-source -b` for 3.0 (quilt) and 3.0 (native): the debian tarball
// (or native tarball) and the .dsc, byte for byte as dpkg-source writes them.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hapkg::source {

struct BuildOptions {
  bool apply_patches = true;  // apply unapplied series patches first, as dpkg-source -b does
  bool auto_commit = false;       // record upstream changes as debian/patches/debian-changes-<version>
  bool include_binaries = false;  // allow binary files in debian/ (and list them in include-binaries)
};

struct BuildResult {
  std::string dsc;                   // path of the .dsc written
  std::vector<std::string> files;    // the files the .dsc lists, in order (paths)
  std::vector<std::string> applied;  // patches this build applied
  std::string auto_patch;            // --auto-commit: the patch written (empty: none needed)
};

// Builds next to the tree (in its parent directory). All or nothing: every
// output is written under a temporary name and renamed only when the whole
// build succeeded; patches the build applied are unapplied on failure.
BuildResult build_source(const std::string& dir, const BuildOptions& options = {});

// An upstream tarball's name "<prefix>.orig[-<component>].tar.<gz|bz2|lzma|xz>[.asc]"
// (prefix "<src>_<upver>"), or nullopt for any other name.
struct OrigName {
  std::string component;  // "" for the main tarball
  bool signature = false;
};
std::optional<OrigName> parse_orig_name(const std::string& name, const std::string& prefix);

// What the build leaves out of the comparison with the orig: debian/, .pc/
// and dpkg's default diff-ignore patterns.
bool ignored_by_build(const std::string& rel);

}  // namespace hapkg::source
