// debian/watch, version 4 and 5 (tracker/upstream/watch.h).
#include "tracker/upstream/watch.h"

#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = hapkg::fuzz::as_text(data, size);
  hapkg::fuzz::expect_parse_or_error([&] { (void)hapkg::tracker::parse_watch(text, "fuzz/watch", "hello"); });
  return 0;
}
