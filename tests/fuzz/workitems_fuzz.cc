// Work-item files (tracker/report/workitems.h), strict and lenient, and
// the status-only count of history snapshots, which must agree.
#include "tracker/report/workitems.h"

#include <cstdlib>

#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hapkg::tracker;
  const std::string text = hapkg::fuzz::as_text(data, size);
  hapkg::fuzz::expect_parse_or_error([&] {
    WorkItemList strict;
    parse_workitems(text, "fuzz/bp.txt", "bp", false, strict);
  });
  WorkItemList lenient;
  Counts counts{};
  hapkg::fuzz::expect_parse_or_error([&] {
    parse_workitems(text, "fuzz/bp.txt", "bp", true, lenient);
    std::size_t problems = count_workitems(text, "fuzz/bp.txt", true, counts);
    if (problems != lenient.problems.size()) std::abort();
  });
  return 0;
}
