// Health checks of the daemons that serve no HTTP API of their own: the
// AMQP workers (connected to a broker of their transport_url), the console
// proxy (listening on its port), and the deep check that asks the
// service's API whether this host's service is up.
#pragma once

#include <string>

#include "ocf/ocf.h"
#include "ocf/proc.h"

namespace hapkg::openstack {

// How the service's API lists its services (OCF_CHECK_LEVEL=10).
enum class ServiceApi { kNone, kNova, kCinder, kNeutron, kHeat };

// "" when the process tree of `own` holds an ESTABLISHED connection to a
// broker of the config's transport_url (amqp_server_port: the port of hosts
// that name none); at OCF_CHECK_LEVEL >= 10 also service_up().
std::string amqp_check(const ocf::Context& ctx, const ocf::Identity& own, long deadline_ms,
                       ServiceApi api, const std::string& service_binary);

// "" when the process tree of `own` listens on the port parameter `port_param`.
std::string listen_check(const ocf::Context& ctx, const ocf::Identity& own,
                         const std::string& port_param);

// "" when the API at `url` (with a Keystone v3 token from the os_*
// parameters) reports `service_binary` on this host (oslo's [DEFAULT] host of
// the config, else the node name) as up.
std::string service_up(const ocf::Context& ctx, long deadline_ms, ServiceApi api,
                       const std::string& service_binary);

// The host name the service registers under: [DEFAULT] host, else gethostname().
std::string service_host(const std::string& config_path);

}  // namespace hapkg::openstack
