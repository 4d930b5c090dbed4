// debian/patches/series as dpkg-source reads it (Dpkg/Source/Quilt.pm
// read_patch_list), stricter where dpkg only warns: options other than -p1
// and quilt guards are refused, as are names leaving debian/patches/.
#pragma once

#include <string>
#include <vector>

namespace hapkg::patch {

struct SeriesEntry {
  std::string name;  // relative to debian/patches/
  std::size_t line = 0;
};

struct Series {
  std::string path;      // the file read ("" when there is none)
  std::string basename;  // "series" or "<vendor>.series", for .pc/.quilt_series
  std::vector<SeriesEntry> patches;
};

// Parses series text; InputError "file:line: problem" on bad lines.
std::vector<SeriesEntry> parse_series(const std::string& text, const std::string& filename);

// InputError unless `tree` is a directory with a debian/ directory.
void require_source_tree(const std::string& tree);

// debian/patches/<vendor>.series (vendor from DEB_VENDOR, default debian)
// when it exists, else debian/patches/series; an empty Series when neither does.
// InputError when `tree` is not a directory with a debian/ directory.
Series read_series(const std::string& tree);

// True when a '/'-separated path has a ".." component.
bool has_dotdot(const std::string& path);

// The files a -p1 unified or git diff touches, as tree-relative paths.
// Throws InputError naming the patch and line for absolute paths, ".."
// components, or names that -p1 cannot strip.
std::vector<std::string> patch_targets(const std::string& text, const std::string& patch_name);

}  // namespace hapkg::patch
