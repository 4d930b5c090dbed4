// upgrade-check --scenarios files (tools/upgrade/check.h read_scenarios),
// which read a path: the input is written to a file of this process first.
#include <unistd.h>

#include <fstream>

#include "tests/fuzz/fuzz_input.h"
#include "upgrade/check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/hapkg-fuzz-scenarios." + std::to_string(getpid());
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                static_cast<std::streamsize>(size));
  hapkg::upgrade::UpgradeOptions defaults;
  hapkg::fuzz::expect_parse_or_error([&] { (void)hapkg::upgrade::read_scenarios(path, defaults); });
  return 0;
}
