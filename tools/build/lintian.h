// The lintian runner's pure half: which lines of its output are tags.
#pragma once

#include <string>
#include <vector>

namespace hapkg::build {

// "E: ..." and "W: ..." lines of lintian's output, in order (I:, N:, P:,
// X: and anything else dropped).
std::vector<std::string> lintian_tag_lines(const std::string& output);

}  // namespace hapkg::build
