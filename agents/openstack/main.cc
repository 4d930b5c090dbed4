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
  auto agents = hapkg::openstack::all_agents();
  for (const auto& agent : agents)
    if (agent.name == name) return hapkg::ocf::run(agent, argc, argv);
  std::string names;
  for (const auto& agent : agents) names += (names.empty() ? "" : ", ") + agent.name;
  std::fprintf(stderr, "ocf-exit-reason:run this program as one of: %s\n", names.c_str());
  return hapkg::ocf::kErrInstalled;
}
