// The shape every OpenStack API daemon agent shares: a service binary run
// with its config, checked over HTTP (optionally Keystone-authenticated).
// An agent is a ServiceSpec plus make_service_agent(); see agents.cc.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ocf/ocf.h"
#include "ocf/proc.h"

namespace hapkg::openstack {

struct ServiceSpec {
  std::string name;
  std::string shortdesc;
  std::string longdesc;
  std::string binary;   // default of the `binary` parameter
  std::string config;   // default of `config`
  std::string user;     // default of `user`
  std::string url;      // default of `url`
  std::string url_desc;
  // Name of the parameter holding the Keystone URL for authenticated checks
  // ("os_auth_url" or "keystone_get_token_url"), and its default.
  std::string auth_url_param = "os_auth_url";
  std::string auth_url_default;
  bool has_client_binary = true;  // the shell agent's client_binary (kept, unused)
  std::string client_binary;
  bool strict_200 = false;        // only HTTP 200 counts as healthy
  // Advertised start/stop timeouts (s); the shell agents' 20 s by default.
  int start_timeout = 20;
  int stop_timeout = 20;
  // Extra parameters (after the common ones) and the daemon's argv/env.
  std::vector<ocf::Param> extra_params;
  std::function<void(const ocf::Context&, const std::string& path, std::vector<std::string>& argv,
                     std::vector<std::string>& env, std::vector<std::string>& files)>
      command;
  // Workers (see checks.h): the health check that replaces GET url ("" =
  // healthy, else why not). `url` is then the service's API, which this
  // daemon does not serve, and only a deep check asks it.
  std::function<std::string(const ocf::Context&, const ocf::Identity&, long deadline_ms)> check;
};

ocf::Agent make_service_agent(const ServiceSpec& spec);

// "--config-file X" style command for daemons that take their config so.
void config_file_command(const ocf::Context& ctx, const std::string& path,
                         std::vector<std::string>& argv, std::vector<std::string>& env,
                         std::vector<std::string>& files);

// uwsgi run as Debian's init scripts (openstack-pkg-tools) run it:
// `uwsgi --http-socket :PORT --ini INI`. Debian's inis leave the socket to
// the command line; an ini that binds a socket itself keeps its own (a
// second bind of the same port would fail).
std::vector<std::string> uwsgi_argv(const std::string& path, const std::string& ini, unsigned port);
// Does the [uwsgi] section of this ini text bind a socket (http-socket, socket, ...)?
bool uwsgi_ini_binds_socket(const std::string& ini_text);

// host and port of an http(s) URL; port 0 if the URL is not usable.
struct UrlParts {
  std::string host;
  unsigned port = 0;
};
UrlParts parse_url(const std::string& url);

}  // namespace hapkg::openstack
