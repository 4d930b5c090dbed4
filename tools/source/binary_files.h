// Binary files in debian/ (Dpkg/Source/BinaryFiles.pm): dpkg-source refuses
// them unless debian/source/include-binaries lists them or
// --include-binaries is given (which appends them to that file).
#pragma once

#include <set>
#include <string>
#include <vector>

namespace hapkg::source {

// Regular files under tree/debian (not excluded by the tar `excludes`) with
// a NUL byte in their first 4 KiB, as "debian/..." paths, sorted.
std::vector<std::string> debian_binary_files(const std::string& tree, const std::vector<std::string>& excludes);

// The paths listed in tree/debian/source/include-binaries (trimmed, '#'
// comments and blank lines skipped).
std::set<std::string> allowed_binaries(const std::string& tree);

// Appends `paths` to tree/debian/source/include-binaries.
void add_allowed_binaries(const std::string& tree, const std::vector<std::string>& paths);

}  // namespace hapkg::source
