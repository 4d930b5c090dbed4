// The ocf:openstack agents this binary implements.
#pragma once

#include <string>
#include <vector>

#include "ocf/ocf.h"

namespace hapkg::openstack {

ocf::Agent keystone_agent();
ocf::Agent glance_api_agent();
ocf::Agent glance_registry_agent();
// nova, cinder, heat, manila, neutron and ceilometer (control_plane.cc).
std::vector<ocf::Agent> control_plane_agents();
// All of them, for tests and the multi-call dispatcher.
std::vector<ocf::Agent> all_agents();

}  // namespace hapkg::openstack
