// Multi-call binary: the agent is chosen by the name it is run as
// (/usr/lib/ocf/resource.d/openstack/<agent> links here).
#include <cstdio>
#include <cstring>

#include "ocf/ocf.h"
#include "openstack/agents.h"

int main(int argc, char** argv) {
  const char* self = argc > 0 ? argv[0] : "";
  const char* slash = std::strrchr(self, '/');
  std::string name = slash ? slash + 1 : self;
  // Only the agent called: building all 26 tables cost a monitor call
  // about 0.5 ms of its ~1.2 ms CPU and half its page faults (docs/benchmarks.md).
  if (auto agent = hapkg::openstack::find_agent(name)) return hapkg::ocf::run(*agent, argc, argv);
  std::string names;
  for (const auto& n : hapkg::openstack::agent_names()) names += (names.empty() ? "" : ", ") + n;
  std::fprintf(stderr, "ocf-exit-reason:run this program as one of: %s\n", names.c_str());
  return hapkg::ocf::kErrInstalled;
}
