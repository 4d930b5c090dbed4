// The three agents as data. Parameter names, defaults and advertised
// timeouts follow the shell agents (openstack-resource-agents, ocf/*).
#include "openstack/agents.h"

#include "openstack/service.h"

namespace hapkg::openstack {

ocf::Agent keystone_agent() {
  ServiceSpec s;
  s.name = "keystone";
  s.shortdesc = "Manages an OpenStack Identity Service (Keystone) process";
  s.longdesc =
      "Resource agent for the OpenStack Identity Service (keystone). It runs keystone under "
      "uwsgi (binary=uwsgi, the default) or a legacy keystone-all style binary that takes "
      "--config-file, and monitors it over HTTP, optionally with a Keystone v3 password "
      "authentication.";
  s.binary = "uwsgi";
  s.config = "/etc/keystone/keystone.conf";
  s.user = "keystone";
  s.url = "http://127.0.0.1:5000/v3";
  s.url_desc = "URL of this keystone's API, checked with GET (2xx or 300 is healthy); also the "
               "Keystone URL used for authentication when os_auth_url is empty.";
  s.client_binary = "keystone";
  s.extra_params = {{"uwsgi_ini", ocf::Type::kString, "/etc/keystone/keystone-uwsgi.ini",
                     "uwsgi configuration",
                     "uwsgi ini file passed as --ini when binary is uwsgi; keystone gets config "
                     "through OS_KEYSTONE_CONFIG_FILES."}};
  s.command = [](const ocf::Context& ctx, const std::string& path, std::vector<std::string>& argv,
                 std::vector<std::string>& env, std::vector<std::string>& files) {
    std::string base = path.substr(path.rfind('/') + 1);
    if (base.rfind("uwsgi", 0) == 0) {
      argv = {path, "--ini", ctx.get("uwsgi_ini")};
      env = {"OS_KEYSTONE_CONFIG_FILES=" + ctx.get("config")};
      files = {ctx.get("uwsgi_ini"), ctx.get("config")};
    } else {
      config_file_command(ctx, path, argv, env, files);
    }
  };
  return make_service_agent(s);
}

ocf::Agent glance_api_agent() {
  ServiceSpec s;
  s.name = "glance-api";
  s.shortdesc = "Manages an OpenStack ImageService (Glance) API process";
  s.longdesc =
      "Resource agent for the OpenStack ImageService API (glance-api). It monitors GET url "
      "(the /versions document by default); with os_username/os_password it obtains a Keystone "
      "v3 token first and sends it along.";
  s.binary = "glance-api";
  s.config = "/etc/glance/glance-api.conf";
  s.user = "glance";
  s.url = "http://127.0.0.1:9292/versions";
  s.url_desc = "URL checked with GET (2xx or 300 is healthy).";
  s.client_binary = "glance";
  s.command = config_file_command;
  return make_service_agent(s);
}

ocf::Agent glance_registry_agent() {
  ServiceSpec s;
  s.name = "glance-registry";
  s.shortdesc = "Manages an OpenStack ImageService (Glance) Registry process";
  s.longdesc =
      "Resource agent for the OpenStack ImageService registry (glance-registry). The monitor "
      "requires HTTP 200 from url, with a Keystone token when os_username/os_password are set.";
  s.binary = "glance-registry";
  s.config = "/etc/glance/glance-registry.conf";
  s.user = "glance";
  s.url = "http://127.0.0.1:9191/images";
  s.url_desc = "URL to check; only HTTP 200 counts as healthy.";
  s.auth_url_param = "keystone_get_token_url";
  s.auth_url_default = "http://127.0.0.1:5000/v2.0/tokens";
  s.has_client_binary = false;
  s.strict_200 = true;
  s.command = config_file_command;
  return make_service_agent(s);
}

std::vector<ocf::Agent> all_agents() {
  return {keystone_agent(), glance_api_agent(), glance_registry_agent()};
}

}  // namespace hapkg::openstack
