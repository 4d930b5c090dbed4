// debian/patches/series (patch/series.h) and the file names a patch
// touches (patch_targets), as patch list/apply/check read them.
#include "patch/series.h"

#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = hapkg::fuzz::as_text(data, size);
  hapkg::fuzz::expect_parse_or_error([&] { (void)hapkg::patch::parse_series(text, "fuzz/series"); });
  hapkg::fuzz::expect_parse_or_error([&] { (void)hapkg::patch::patch_targets(text, "fuzz.patch"); });
  return 0;
}
