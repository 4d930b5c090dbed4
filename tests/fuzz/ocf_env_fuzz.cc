// The OCF environment an agent action runs in (agents/ocf/ocf.h Context):
// NAME=VALUE lines become the environment of an agent with a parameter of
// every type; every accessor answers or fails with an OCF Failure.
#include "agents/ocf/ocf.h"

#include <map>
#include <string>

#include "tests/fuzz/fuzz_input.h"

namespace {

const hapkg::ocf::Agent& agent() {
  using hapkg::ocf::Type;
  static const hapkg::ocf::Agent a{
      .name = "fuzz",
      .version = "1.0",
      .shortdesc = "fuzz",
      .longdesc = "fuzz",
      .params = {{.name = "s", .type = Type::kString, .default_value = "${HA_RSCTMP}/${OCF_RESOURCE_INSTANCE}.pid"},
                 {.name = "i", .type = Type::kInteger, .default_value = "5"},
                 {.name = "b", .type = Type::kBoolean, .default_value = "false"},
                 {.name = "t", .type = Type::kTime, .default_value = "20s"}},
      .actions = {{.name = "monitor", .timeout = 20, .interval = 10}},
  };
  return a;
}

std::map<std::string, std::string> environment_of(const std::string& text) {
  std::map<std::string, std::string> env;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    size_t eq = line.find('=');
    if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return env;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hapkg::ocf;
  auto env = environment_of(hapkg::fuzz::as_text(data, size));
  for (const char* action : {"monitor", "start"}) {
    try {
      Context c(agent(), action, env);
      (void)c.get("s");
      (void)c.is_set("s");
      (void)c.get_bool("b");
      (void)c.get_int("i", -1000000, 1000000);
      (void)c.is_probe();
      (void)c.timeout_ms();
      (void)c.check_level();
      (void)c.rsc_tmp();
      (void)is_true(c.get("b"));
    } catch (const Failure&) {
    }
  }
  return 0;
}
