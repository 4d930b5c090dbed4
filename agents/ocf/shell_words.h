// Splitting of `additional_parameters` the way `sh -c "binary ... $x"`
// would, without a shell: blanks separate words; '...', "..." and
// backslashes quote. Anything a shell would expand or interpret
// ($, `, ;, |, &, <, >, (, ), unquoted globs) is refused, since passing it
// literally would silently differ from the shell agents.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hapkg::ocf {

struct SplitResult {
  std::vector<std::string> words;
  std::string error;  // empty on success
};

SplitResult split_shell_words(const std::string& text);

}  // namespace hapkg::ocf
