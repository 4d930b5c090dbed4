// dpkg-source's default diff-ignore regex (Dpkg/Source/Package.pm
// $diff_ignore_default_regex) as a plain matcher: the upstream-change check
// calls it for every file of the tree and of the orig, where std::regex was
// a measurable share of the build time.
#pragma once

#include <string_view>

namespace hapkg::source {

// True when dpkg-source's default diff-ignore regex matches `rel` (a path
// relative to the source tree, no leading "./").
bool default_diff_ignored(std::string_view rel);

}  // namespace hapkg::source
