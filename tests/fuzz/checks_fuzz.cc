// Linked checks of work items (tracker/report/checks.h): the work-item
// line is parsed, then each check it links is evaluated against a small
// Sources index (HAPKG_FUZZ_SOURCES, written by the target on first use)
// or the `hapkg track --json` array below.
#include "tracker/report/checks.h"

#include <stdlib.h>
#include <unistd.h>

#include <fstream>

#include "tests/fuzz/fuzz_input.h"

namespace {

const std::string& sources_file() {
  static const std::string path = [] {
    std::string p = "/tmp/hapkg-fuzz-sources." + std::to_string(getpid());
    std::ofstream(p) << "Package: hello\nVersion: 1.0-1\n\nPackage: resource-agents\nVersion: 1:4.12.0-2\n";
    return p;
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hapkg::tracker;
  std::string text = hapkg::fuzz::as_text(data, size);
  // "@" in the input stands for the index file, so the fuzzer reaches the
  // version comparisons.
  for (size_t at; (at = text.find('@')) != std::string::npos;) text.replace(at, 1, sources_file());
  // A mutated check can name an http(s) index ({archive-has X in https://j}):
  // a fuzz run must never touch the network (a DNS lookup of "j" hung for
  // 10 s here). Every URL goes to a closed loopback port through libcurl's
  // proxy setting, so it fails at once and the error path is what is fuzzed.
  static const bool offline = [] {
    setenv("ALL_PROXY", "http://127.0.0.1:9", 1);
    unsetenv("NO_PROXY");
    unsetenv("no_proxy");
    return true;
  }();
  (void)offline;
  static CheckContext* context = new CheckContext(nlohmann::json::parse(
      R"([{"package":"hello","debian-mangled-uversion":"1.0","upstream-version":"1.1"}])"));
  WorkItemList items;
  hapkg::fuzz::expect_parse_or_error([&] { parse_workitems(text, "fuzz/bp.txt", "bp", true, items); });
  for (const auto& item : items.items)
    if (!item.check.empty()) hapkg::fuzz::expect_parse_or_error([&] { (void)context->evaluate(item); });
  return 0;
}
