// What every fuzz target shares: the input as a string, and the rule that
// only hapkg's own errors (InputError, OperationError) may leave a parser.
// Anything else escaping (std::out_of_range from stoi, a regex error) is a
// bug libFuzzer reports as a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "util/error.h"

namespace hapkg::fuzz {

inline std::string as_text(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// Runs `parse`; an hapkg::Error is a correct answer to bad input.
template <typename F>
void expect_parse_or_error(F parse) {
  try {
    parse();
  } catch (const hapkg::Error&) {
  }
}

}  // namespace hapkg::fuzz
