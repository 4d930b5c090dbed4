// debian/changelog (deb/changelog.h): parse, every derived field, render.
#include "deb/changelog.h"

#include <cstdlib>

#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = hapkg::fuzz::as_text(data, size);
  hapkg::fuzz::expect_parse_or_error([&] {
    hapkg::deb::Changelog cl = hapkg::deb::parse_changelog(text, "fuzz/changelog");
    // A parsed changelog renders back to its bytes.
    if (hapkg::deb::render_changelog(cl) != text) std::abort();
    for (const auto& e : cl.entries) {
      (void)e.urgency();
      (void)e.closes();
      (void)e.launchpad_bugs();
      (void)e.dpkg_changes();
      (void)e.timestamp();
    }
  });
  return 0;
}
