#include "source/diff_ignore.h"

#include <array>

namespace hapkg::source {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// (?:^|/)(?:CVS|RCS|...)(?:$|/.*$): a whole component, file or directory.
constexpr std::array<std::string_view, 19> kIgnoredComponents = {
    "CVS", "RCS", ".deps", "{arch}", ".arch-ids", ".svn", ".hg", ".hgtags", ".hgsigs", "_darcs", ".git",
    ".gitattributes", ".gitmodules", ".gitreview", ".mailmap", ".shelf", "_MTN", ".be", ".bzr"};
// dpkg's `\.bzr(?:\.backup|tags)?`: ".bzr.backup" and ".bzrtags" (sic).
constexpr std::array<std::string_view, 2> kIgnoredComponentsBzr = {".bzr.backup", ".bzrtags"};
// (?:^|/)(?:DEADJOE|...)$: the last component only.
constexpr std::array<std::string_view, 7> kIgnoredNames = {"DEADJOE",     ".arch-inventory", ".bzrignore", ".cvsignore",
                                                           ".hgignore",   ".gitignore",      ".mtn-ignore"};

}  // namespace

bool default_diff_ignored(std::string_view rel) {
  // (?:^|/).*~$ : anything ending in '~'.
  if (!rel.empty() && rel.back() == '~') return true;
  // (?:^|/)\..*\.sw.$ : a component starting with '.', and the path ends in
  // ".sw" + one character somewhere after that dot.
  bool swap_suffix = rel.size() >= 4 && rel.substr(rel.size() - 4, 3) == ".sw";
  size_t start = 0;
  while (start <= rel.size()) {
    size_t slash = rel.find('/', start);
    bool last = slash == std::string_view::npos;
    std::string_view comp = rel.substr(start, last ? std::string_view::npos : slash - start);
    if (starts_with(comp, ".#") || starts_with(comp, ",,")) return true;
    if (swap_suffix && starts_with(comp, ".") && rel.size() - 4 >= start + 1) return true;
    for (auto c : kIgnoredComponents)
      if (comp == c) return true;
    for (auto c : kIgnoredComponentsBzr)
      if (comp == c) return true;
    if (last) {
      for (auto n : kIgnoredNames)
        if (comp == n) return true;
      break;
    }
    start = slash + 1;
  }
  return false;
}

}  // namespace hapkg::source
