// deb822 files (deb/deb822.h) as debian/control, .dsc, .changes and plain
// deb822 (the first byte picks the kind), and every Build-Depends-like
// field through normalize_relations (deb/source_tree.h), which inspect and
// source build apply to debian/control.
#include <cstdlib>

#include "deb/deb822.h"
#include "deb/source_tree.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hapkg::deb;
  if (size == 0) return 0;
  static const Deb822Kind kinds[] = {Deb822Kind::kGeneric, Deb822Kind::kControl, Deb822Kind::kDsc,
                                     Deb822Kind::kChanges};
  const Deb822Kind kind = kinds[data[0] % 4];
  const std::string text = hapkg::fuzz::as_text(data + 1, size - 1);
  hapkg::fuzz::expect_parse_or_error([&] {
    Deb822 doc = parse_deb822(text, "fuzz/control", kind);
    for (const auto& p : doc.paragraphs) {
      (void)render_paragraph(p, kind, true, FieldOrder::kAsIs);
      for (const char* f : {"Build-Depends", "Build-Depends-Indep", "Build-Conflicts", "Depends"})
        if (p.has(f)) (void)normalize_relations(p.get(f));
    }
  });
  return 0;
}
