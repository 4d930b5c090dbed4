#include "openstack/checks.h"

#include <netinet/tcp.h>
#include <unistd.h>

#include <cctype>
#include <optional>

#include <nlohmann/json.hpp>

#include "ocf/amqp.h"
#include "ocf/daemon.h"
#include "ocf/http.h"
#include "ocf/ini.h"

namespace hapkg::openstack {
namespace {

using nlohmann::json;

std::string url_escape(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string join_url(std::string base, const std::string& path) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + path;
}

long left(long deadline_ms) { return std::max(1L, deadline_ms - ocf::monotonic_ms()); }

// GET of a JSON document with the token; nullopt and *why on failure.
std::optional<json> get_json(const std::string& url, const std::vector<std::string>& headers,
                             long deadline_ms, std::string* why) {
  auto r = ocf::http_request("GET", url, headers, "", left(deadline_ms));
  if (r.code != 200) {
    *why = "GET " + url + (r.code ? " returned HTTP " + std::to_string(r.code) : " failed: " + r.error);
    return std::nullopt;
  }
  json j = json::parse(r.body, nullptr, false);
  if (j.is_discarded()) {
    *why = "GET " + url + " returned no JSON";
    return std::nullopt;
  }
  return j;
}

// Heat's URLs name the project: the id of the token's project.
std::string token_project_id(const std::string& auth_url, const std::string& token, long deadline_ms,
                             std::string* why) {
  std::string url = ocf::keystone_v3_base(auth_url) + "/auth/tokens";
  auto j = get_json(url, {"X-Auth-Token: " + token, "X-Subject-Token: " + token, "Accept: application/json"},
                    deadline_ms, why);
  if (!j) return {};
  auto id = j->value(json::json_pointer("/token/project/id"), std::string());
  if (id.empty()) *why = "the monitoring token is not scoped to a project (set os_tenant_name)";
  return id;
}

bool host_matches(const std::string& reported, const std::string& host) {
  // cinder-volume registers as host@backend.
  return reported == host || reported.rfind(host + "@", 0) == 0;
}

}  // namespace

std::string service_host(const std::string& config_path) {
  auto h = ocf::ini_file_value(config_path, "DEFAULT", "host");
  if (h && !h->empty()) return *h;
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return {};
  return buf;
}

std::string service_up(const ocf::Context& ctx, long deadline_ms, ServiceApi api,
                       const std::string& service_binary) {
  if (api == ServiceApi::kNone) return "";  // no API lists this service: depth 0 is all there is
  if (!ctx.is_set("os_username") || !ctx.is_set("os_auth_url"))
    return "OCF_CHECK_LEVEL=10 needs os_username, os_password and os_auth_url";
  ocf::KeystoneCredentials cred;
  cred.auth_url = ctx.get("os_auth_url");
  cred.username = ctx.get("os_username");
  cred.password = ctx.get("os_password");
  cred.project = ctx.get("os_tenant_name");
  cred.user_domain = ctx.get("os_user_domain_name");
  cred.project_domain = ctx.get("os_project_domain_name");
  auto tok = ocf::keystone_token(cred, ctx.rsc_tmp() + "/" + ctx.instance() + ".token", left(deadline_ms), true);
  if (tok.token.empty()) return tok.error;
  std::string host = service_host(ctx.get("config"));
  std::vector<std::string> headers = {"X-Auth-Token: " + tok.token, "Accept: application/json"};
  std::string q = "?binary=" + url_escape(service_binary), why, list = "services";
  std::string url;
  switch (api) {
    case ServiceApi::kNova: url = join_url(ctx.get("url"), "/os-services" + q + "&host=" + url_escape(host)); break;
    case ServiceApi::kCinder: url = join_url(ctx.get("url"), "/os-services" + q); break;
    case ServiceApi::kNeutron:
      url = join_url(ctx.get("url"), "/agents" + q + "&host=" + url_escape(host));
      list = "agents";
      break;
    case ServiceApi::kHeat: {
      std::string project = token_project_id(cred.auth_url, tok.token, deadline_ms, &why);
      if (project.empty()) return why;
      url = join_url(ctx.get("url"), "/" + project + "/services");
      break;
    }
    case ServiceApi::kNone: break;
  }
  auto j = get_json(url, headers, deadline_ms, &why);
  if (!j) return why;
  if (!j->contains(list) || !(*j)[list].is_array()) return "GET " + url + " has no " + list + " list";
  for (const auto& s : (*j)[list]) {
    if (s.value("binary", "") != service_binary || !host_matches(s.value("host", ""), host)) continue;
    bool up = api == ServiceApi::kNeutron ? s.value("alive", false)
                                          : s.value("state", s.value("status", "")) == "up";
    if (up) return "";
    return "the " + std::string(api == ServiceApi::kNeutron ? "neutron" : "service") + " API reports " +
           service_binary + " on " + host + " as down";
  }
  return "the service API lists no " + service_binary + " on host " + host;
}

std::string amqp_check(const ocf::Context& ctx, const ocf::Identity& own, long deadline_ms,
                       ServiceApi api, const std::string& service_binary) {
  if (!ctx.get_bool("zeromq")) {
    unsigned port = static_cast<unsigned>(ctx.get_int("amqp_server_port", 1, 65535));
    auto t = ocf::config_transport_url(ctx.get("config"), port);
    if (!t.error.empty()) return t.error;
    std::vector<std::string> unresolved;
    auto brokers = ocf::resolve_brokers(t.brokers, &unresolved);
    std::string names;
    for (const auto& b : t.brokers) names += (names.empty() ? "" : ", ") + ocf::broker_name(b);
    if (brokers.empty()) return "no broker of transport_url resolves (" + names + ")";
    std::string why = ocf::broker_connection_problem(own.pid, brokers);
    if (!why.empty()) return why + " (" + names + ")";
  }
  if (ctx.check_level() >= 10) return service_up(ctx, deadline_ms, api, service_binary);
  return "";
}

std::string listen_check(const ocf::Context& ctx, const ocf::Identity& own, const std::string& port_param) {
  unsigned port = static_cast<unsigned>(ctx.get_int(port_param, 1, 65535));
  auto listens = [port](const ocf::Endpoint& local, const ocf::Endpoint&, int state) {
    return state == TCP_LISTEN && local.port == port;
  };
  if (auto fast = ocf::tree_has_socket(own.pid, listens))
    return *fast ? "" : "its process tree does not listen on port " + std::to_string(port);
  auto listening = ocf::listeners(ocf::read_tcp_table("/proc/" + std::to_string(own.pid)), port);
  if (listening.empty()) return "nothing listens on port " + std::to_string(port);
  for (auto inode : ocf::socket_inodes(ocf::process_tree(own.pid)))
    if (listening.count(inode)) return "";
  return "port " + std::to_string(port) + " is served by a process that is not ours";
}

}  // namespace hapkg::openstack
