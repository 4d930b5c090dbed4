// The three agents as data. Parameter names, defaults and advertised
// timeouts follow the shell agents (openstack-resource-agents, ocf/*).
#include "openstack/agents.h"

#include "openstack/service.h"

namespace hapkg::openstack {
namespace {

// keystone under uwsgi (the default) or a keystone-all style binary.
void keystone_command(const ocf::Context& ctx, const std::string& path,
                      std::vector<std::string>& argv, std::vector<std::string>& env,
                      std::vector<std::string>& files) {
  std::string base = path.substr(path.rfind('/') + 1);
  if (base.rfind("uwsgi", 0) != 0) return config_file_command(ctx, path, argv, env, files);
  argv = uwsgi_argv(path, ctx.get("uwsgi_ini"), parse_url(ctx.get("url")).port);
  env = {"OS_KEYSTONE_CONFIG_FILES=" + ctx.get("config")};
  files = {ctx.get("uwsgi_ini"), ctx.get("config")};
}

}  // namespace

ocf::Agent keystone_agent() {
  return make_service_agent({
      .name = "keystone",
      .shortdesc = "Manages an OpenStack Identity Service (Keystone) process",
      .longdesc = "Resource agent for the OpenStack Identity Service (keystone). It runs keystone "
                  "under uwsgi (binary=uwsgi, the default) or a legacy keystone-all style binary "
                  "that takes --config-file, and monitors it over HTTP, optionally with a Keystone "
                  "v3 password authentication.",
      .binary = "uwsgi",
      .config = "/etc/keystone/keystone.conf",
      .user = "keystone",
      .url = "http://127.0.0.1:5000/v3",
      .url_desc = "URL of this keystone's API, checked with GET (2xx or 300 is healthy); also the "
                  "Keystone URL used for authentication when os_auth_url is empty.",
      .client_binary = "keystone",
      // 12–24 s to a first answer on a loaded 2-core node (issue 14),
      // more with Debian's 8 uwsgi processes; stop: uwsgi's worker mercy.
      .start_timeout = 90,
      .stop_timeout = 30,
      .extra_params = {{"uwsgi_ini", ocf::Type::kString, "/etc/keystone/keystone-uwsgi.ini",
                        "uwsgi configuration",
                        "uwsgi ini file passed as --ini when binary is uwsgi; keystone gets its "
                        "config through OS_KEYSTONE_CONFIG_FILES. As Debian's init script does, "
                        "the agent adds --http-socket :PORT (the port of url) unless the ini "
                        "binds a socket itself."}},
      .command = keystone_command,
  });
}

ocf::Agent glance_api_agent() {
  return make_service_agent({
      .name = "glance-api",
      .shortdesc = "Manages an OpenStack ImageService (Glance) API process",
      .longdesc = "Resource agent for the OpenStack ImageService API (glance-api). It monitors "
                  "GET url (the /versions document by default); with os_username/os_password it "
                  "obtains a Keystone v3 token first and sends it along.",
      .binary = "glance-api",
      .config = "/etc/glance/glance-api.conf",
      .user = "glance",
      .url = "http://127.0.0.1:9292/versions",
      .url_desc = "URL checked with GET (2xx or 300 is healthy).",
      .client_binary = "glance",
      .start_timeout = 90,  // 9.5–13.4 s measured on a loaded 2-core node (docs/benchmarks.md)
      .stop_timeout = 30,
      .command = config_file_command,
  });
}

ocf::Agent glance_registry_agent() {
  return make_service_agent({
      .name = "glance-registry",
      .shortdesc = "Manages an OpenStack ImageService (Glance) Registry process",
      .longdesc = "Resource agent for the OpenStack ImageService registry (glance-registry). The "
                  "monitor requires HTTP 200 from url, with a Keystone token when "
                  "os_username/os_password are set.",
      .binary = "glance-registry",
      .config = "/etc/glance/glance-registry.conf",
      .user = "glance",
      .url = "http://127.0.0.1:9191/images",
      .url_desc = "URL to check; only HTTP 200 counts as healthy.",
      .auth_url_param = "keystone_get_token_url",
      .auth_url_default = "http://127.0.0.1:5000/v2.0/tokens",
      .has_client_binary = false,
      .strict_200 = true,
      .command = config_file_command,
  });
}

namespace {
// keystone and glance by name, once (the control plane's are its rows).
struct CoreAgent {
  const char* name;
  ocf::Agent (*make)();
};
constexpr CoreAgent kCoreAgents[] = {
    {"keystone", keystone_agent}, {"glance-api", glance_api_agent}, {"glance-registry", glance_registry_agent}};
}  // namespace

std::vector<std::string> agent_names() {
  std::vector<std::string> names;
  for (const auto& a : kCoreAgents) names.emplace_back(a.name);
  for (auto& n : control_plane_agent_names()) names.push_back(std::move(n));
  return names;
}

std::optional<ocf::Agent> find_agent(const std::string& name) {
  for (const auto& a : kCoreAgents)
    if (name == a.name) return a.make();
  return control_plane_agent(name);
}

std::vector<ocf::Agent> all_agents() {
  std::vector<ocf::Agent> all;
  for (const auto& a : kCoreAgents) all.push_back(a.make());
  for (auto& a : control_plane_agents()) all.push_back(std::move(a));
  return all;
}

}  // namespace hapkg::openstack
