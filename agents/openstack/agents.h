// The ocf:openstack agents this binary implements.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ocf/ocf.h"

namespace hapkg::openstack {

ocf::Agent keystone_agent();
ocf::Agent glance_api_agent();
ocf::Agent glance_registry_agent();
// nova, cinder, heat, manila, neutron and ceilometer (control_plane.cc).
std::vector<ocf::Agent> control_plane_agents();
std::vector<std::string> control_plane_agent_names();
std::optional<ocf::Agent> control_plane_agent(const std::string& name);
// Every agent's name, in all_agents() order.
std::vector<std::string> agent_names();
// The one agent called `name`, built alone (the multi-call dispatcher: a
// monitor call builds one table, not all 26), or nullopt.
std::optional<ocf::Agent> find_agent(const std::string& name);
// All of them (tests, meta-data checks).
std::vector<ocf::Agent> all_agents();

}  // namespace hapkg::openstack
