#include "openstack/service.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "ocf/daemon.h"
#include "ocf/http.h"
#include "ocf/log.h"
#include "ocf/pidfile.h"
#include "ocf/proc.h"
#include "ocf/shell_words.h"

namespace hapkg::openstack {
namespace {

using ocf::Context;
using ocf::Failure;
using ocf::Param;

std::vector<Param> common_params(const ServiceSpec& s) {
  std::vector<Param> p = {
      {"binary", ocf::Type::kString, s.binary, "OpenStack " + s.name + " server binary",
       "Location of the " + s.name + " server binary (a name is looked up in " +
           std::string(ocf::kDaemonPath) + ")."},
      {"config", ocf::Type::kString, s.config, s.name + " configuration file",
       "Location of the " + s.name + " configuration file."},
      {"user", ocf::Type::kString, s.user, s.name + " user",
       "User running the " + s.name + " server (the daemon is started with this user's groups)."},
      {"pid", ocf::Type::kString, "${HA_RSCTMP}/${OCF_RESOURCE_INSTANCE}.pid", s.name + " pid file",
       "The pid file the agent keeps for the " + s.name + " server."},
      {"url", ocf::Type::kString, s.url, s.name + " health-check URL", s.url_desc},
  };
  if (s.auth_url_param != "os_auth_url")
    p.push_back({s.auth_url_param, ocf::Type::kString, s.auth_url_default, "Keystone URL",
                 "Keystone URL used to obtain a token for the authenticated check (a v2.0 URL "
                 "such as http://127.0.0.1:5000/v2.0/tokens is mapped to Keystone v3)."});
  p.push_back({"os_username", ocf::Type::kString, "", "Keystone user for monitoring",
               "User name for the authenticated health check. With os_password set, the monitor "
               "authenticates against Keystone v3 (password in the request body only)."});
  p.push_back({"os_password", ocf::Type::kString, "", "Keystone password for monitoring",
               "Password of os_username. It is only ever sent in an HTTP request body; store it "
               "with cibsecret to keep it out of the CIB."});
  p.push_back({"os_tenant_name", ocf::Type::kString, "", "Keystone project (tenant) for monitoring",
               "Project (formerly tenant) the monitoring token is scoped to; unscoped if empty."});
  p.push_back({"os_user_domain_name", ocf::Type::kString, "Default", "Keystone user domain",
               "Keystone v3 domain name of os_username."});
  p.push_back({"os_project_domain_name", ocf::Type::kString, "Default", "Keystone project domain",
               "Keystone v3 domain name of os_tenant_name."});
  if (s.auth_url_param == "os_auth_url")
    p.push_back({"os_auth_url", ocf::Type::kString, s.auth_url_default, "Keystone URL for monitoring",
                 "Keystone URL for the authenticated check (v2.0 URLs are mapped to v3)." +
                     std::string(s.name == "keystone" ? " Defaults to url." : "")});
  if (s.has_client_binary)
    p.push_back({"client_binary", ocf::Type::kString, s.client_binary, "Client binary (unused)",
                 "Accepted for compatibility with the shell agent; the health check is done "
                 "in-process over HTTP and no client is run."});
  p.push_back({"log_file", ocf::Type::kString, "", "Daemon output file",
               "File the daemon's stdout and stderr are appended to (opened as the daemon user, "
               "symlinks not followed). Empty: /dev/null, as the shell agents did."});
  for (const auto& e : s.extra_params) p.push_back(e);
  p.push_back({"additional_parameters", ocf::Type::kString, "", "Additional parameters",
               "Additional parameters to pass on to the server binary, split like sh would split "
               "them (quotes and backslashes work; shell expansions are refused)."});
  return p;
}

bool is_local_host(const std::string& h) {
  return h == "127.0.0.1" || h == "localhost" || h == "::1" || h == "[::1]" || h == "0.0.0.0" ||
         h.rfind("127.", 0) == 0;
}

struct Checked {
  std::string path;
  std::vector<std::string> argv, env, files;
  UrlParts url;
};

// Configuration checks; throws Failure with the shell agents' codes:
// 6 for inherently invalid parameters, 5 for what is missing on this host.
Checked validate(const ServiceSpec& spec, const Context& ctx, bool local_env) {
  Checked c;
  c.url = parse_url(ctx.get("url"));
  if (c.url.port == 0) throw Failure{ocf::kErrConfigured, "url " + ctx.get("url") + " is not an http(s) URL with a port from 1 to 65535"};
  std::string auth = ctx.get(spec.auth_url_param);
  if (!auth.empty() && parse_url(auth).port == 0)
    throw Failure{ocf::kErrConfigured, spec.auth_url_param + " " + auth + " is not an http(s) URL"};
  if (ctx.is_set("os_username") != ctx.is_set("os_password"))
    throw Failure{ocf::kErrConfigured, "os_username and os_password must be set together"};
  if (ctx.is_set("os_username") && auth.empty() && spec.name != "keystone")
    throw Failure{ocf::kErrConfigured, spec.auth_url_param + " is needed with os_username"};
  auto words = ocf::split_shell_words(ctx.get("additional_parameters"));
  if (!words.error.empty())
    throw Failure{ocf::kErrConfigured, "additional_parameters: " + words.error};
  if (ctx.get("pid").empty() || ctx.get("pid")[0] != '/')
    throw Failure{ocf::kErrConfigured, "pid must be an absolute path"};
  if (!local_env) return c;
  c.path = ocf::find_binary(ctx.get("binary"));
  if (c.path.empty()) throw Failure{ocf::kErrInstalled, "Setup problem: couldn't find command: " + ctx.get("binary")};
  spec.command(ctx, c.path, c.argv, c.env, c.files);
  c.argv.insert(c.argv.end(), words.words.begin(), words.words.end());
  for (const auto& f : c.files) {
    struct stat st {};
    if (::stat(f.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      throw Failure{ocf::kErrInstalled, "config file " + f + " does not exist"};
  }
  if (!ctx.get("user").empty() && !getpwnam(ctx.get("user").c_str()))
    throw Failure{ocf::kErrInstalled, "user " + ctx.get("user") + " does not exist"};
  return c;
}

long remaining(long deadline) { return deadline - ocf::monotonic_ms(); }

// "" if the process tree of `pid` holds the socket listening on `port`,
// else why not. Reads /proc/net/tcp{,6}, which costs the kernel
// milliseconds on a busy host: callers ask only when they must.
std::string port_served_by(pid_t pid, unsigned port) {
  auto listening = ocf::listeners(ocf::read_tcp_table(), port);
  if (listening.empty()) return "nothing listens on port " + std::to_string(port);
  // The daemon itself usually holds the listening socket; its workers
  // (found by scanning all of /proc) are only looked at otherwise.
  auto owns = [&](const std::set<unsigned long>& mine) {
    for (auto inode : listening)
      if (mine.count(inode)) return true;
    return false;
  };
  if (owns(ocf::socket_inodes({pid})) || owns(ocf::socket_inodes(ocf::process_tree(pid)))) return "";
  return "port " + std::to_string(port) + " is served by a process that is not ours";
}

std::string real_path(const std::string& p) {
  char buf[PATH_MAX];
  return ::realpath(p.c_str(), buf) ? std::string(buf) : std::string();
}

// A pid from a one-line pid file (the shell agents wrote only the pid) has
// no start time to prove it ours, and its name proves nothing. It counts
// if it runs the configured binary (its executable, or the script an
// interpreter runs) with the configured file (config, or uwsgi ini) on its
// command line, or if its process tree listens on the URL's local port.
bool legacy_pid_is_ours(const ServiceSpec& spec, const Context& ctx, const ocf::Identity& id) {
  std::string bin = ocf::find_binary(ctx.get("binary"));
  std::string want = bin.empty() ? std::string() : real_path(bin);
  if (!want.empty()) {
    std::vector<std::string> argv, env, files;
    spec.command(ctx, bin, argv, env, files);
    auto cmd = ocf::read_cmdline(id.pid);
    bool runs_binary = ocf::read_exe(id.pid) == want || (cmd.size() > 1 && real_path(cmd[1]) == want);
    bool names_file = !files.empty() && std::find(cmd.begin(), cmd.end(), files[0]) != cmd.end();
    if (runs_binary && names_file) return true;
  }
  UrlParts u = parse_url(ctx.get("url"));
  return u.port != 0 && is_local_host(u.host) && port_served_by(id.pid, u.port).empty();
}

// Our daemon, if the pid file names one that runs.
std::optional<ocf::Identity> our_daemon(const ServiceSpec& spec, const Context& ctx) {
  std::string bin = ocf::find_binary(ctx.get("binary"));
  return ocf::running(ctx.get("pid"), bin.empty() ? ctx.get("binary") : bin,
                      [&](const ocf::Identity& id) { return legacy_pid_is_ours(spec, ctx, id); });
}

// "" when GET url answers as healthy, else why not; with os_username
// authenticated (keystone: the password authentication is the check).
std::string url_health(const ServiceSpec& spec, const Context& ctx, long deadline) {
  std::vector<std::string> headers = {"Accept: application/json"};
  std::string cache = ctx.rsc_tmp() + "/" + ctx.instance() + ".token";
  bool reused = false;
  if (ctx.is_set("os_username")) {
    ocf::KeystoneCredentials cred;
    cred.auth_url = ctx.get(spec.auth_url_param);
    if (cred.auth_url.empty()) cred.auth_url = ctx.get("url");
    cred.username = ctx.get("os_username");
    cred.password = ctx.get("os_password");
    cred.project = ctx.get("os_tenant_name");
    cred.user_domain = ctx.get("os_user_domain_name");
    cred.project_domain = ctx.get("os_project_domain_name");
    // The cache is keyed by every credential (a wrong password misses it);
    // a deep check (OCF_CHECK_LEVEL >= 10) always authenticates anew, so it
    // proves Keystone still issues tokens (fernet keys, DB, backend).
    auto tok = ocf::keystone_token(cred, cache, remaining(deadline), ctx.check_level() >= 10);
    if (tok.token.empty()) return tok.error;
    reused = tok.reused;
    ocf::log(ocf::Level::kDebug, reused ? "reusing the cached token" : "obtained a new token");
    // For keystone a fresh password authentication is the check; with a
    // reused token the (unauthenticated) version document is fetched.
    if (spec.name == "keystone" && !reused) return "";
    if (spec.name != "keystone") headers.push_back("X-Auth-Token: " + tok.token);
  }
  auto r = ocf::http_request("GET", ctx.get("url"), headers, "", remaining(deadline));
  if (r.code == 401 && reused) {  // the cached token was revoked: authenticate anew
    ::unlink(cache.c_str());
    return url_health(spec, ctx, deadline);
  }
  if (r.code == 0) return "GET " + ctx.get("url") + " failed: " + r.error;
  if (spec.strict_200 ? r.code != 200 : !ocf::http_ok(r.code))
    return "GET " + ctx.get("url") + " returned HTTP " + std::to_string(r.code);
  return "";
}

// "" when healthy, else why not. `own` is the daemon whose process tree
// must hold the listening socket of a local URL. That ownership check runs
// during start (where another process could answer in our daemon's place)
// and in deep monitors (OCF_CHECK_LEVEL >= 10), not in every recurring
// monitor, and only once the URL answers: a start polling a daemon that
// does not listen yet costs a refused connect, not a /proc/net/tcp read.
std::string health(const ServiceSpec& spec, const Context& ctx, const ocf::Identity& own,
                   long deadline) {
  if (spec.check) return spec.check(ctx, own, deadline);  // workers: AMQP, listen checks
  std::string why = url_health(spec, ctx, deadline);
  if (!why.empty()) return why;
  UrlParts u = parse_url(ctx.get("url"));
  if (is_local_host(u.host) && (ctx.action() == "start" || ctx.check_level() >= 10))
    return port_served_by(own.pid, u.port);
  return "";
}

long op_deadline(const Context& ctx, long margin_ms) {
  long t = ctx.timeout_ms();
  return ocf::monotonic_ms() + std::max(1000L, t - margin_ms);
}

int monitor(const ServiceSpec& spec, const Context& ctx) {
  long deadline = op_deadline(ctx, 1000);
  validate(spec, ctx, false);
  if (!ctx.is_probe()) validate(spec, ctx, true);
  auto id = our_daemon(spec, ctx);
  if (!id) return ocf::kNotRunning;
  std::string why = health(spec, ctx, *id, deadline);
  if (why.empty()) return ocf::kSuccess;
  throw Failure{ocf::kErrGeneric, spec.name + " (pid " + std::to_string(id->pid) + ") is running but unhealthy: " + why};
}

int start(const ServiceSpec& spec, const Context& ctx) {
  long deadline = op_deadline(ctx, 1000);
  Checked c = validate(spec, ctx, true);
  if (our_daemon(spec, ctx)) {
    ocf::log(ocf::Level::kInfo, spec.name + " is already running");
    return ocf::kSuccess;
  }
  if (!spec.check && is_local_host(c.url.host) && !ocf::listeners(ocf::read_tcp_table(), c.url.port).empty())
    throw Failure{ocf::kErrGeneric, "port " + std::to_string(c.url.port) + " is already in use by another process"};
  ocf::DaemonSpec d;
  d.path = c.path;
  d.argv = c.argv;
  d.extra_env = c.env;
  d.user = ctx.get("user");
  d.log_file = ctx.get("log_file");
  d.pid_file = ctx.get("pid");
  d.binary_name = c.path;
  ocf::Identity child = ocf::spawn(d);
  ocf::wait_healthy(child, [&] { return health(spec, ctx, child, deadline); }, deadline);
  ocf::log(ocf::Level::kInfo, spec.name + " started and healthy");
  return ocf::kSuccess;
}

int stop(const ServiceSpec& spec, const Context& ctx) {
  // No validation: a stop must succeed when the binary, config or user is
  // gone, or the node gets fenced.
  std::string pid = ctx.get("pid");
  auto id = our_daemon(spec, ctx);
  if (id) {
    long t = ctx.timeout_ms();
    long term_wait = std::max(1000L, t - 5000);
    long kill_wait = std::max(1000L, std::min(4000L, t - term_wait - 500));
    if (!ocf::stop_daemon(*id, term_wait, kill_wait))
      throw Failure{ocf::kErrGeneric, "pid " + std::to_string(id->pid) + " is still running after SIGKILL"};
    ocf::log(ocf::Level::kInfo, spec.name + " stopped");
  }
  ocf::remove_pidfile(pid);
  ::unlink((ctx.rsc_tmp() + "/" + ctx.instance() + ".token").c_str());
  return ocf::kSuccess;
}

}  // namespace

UrlParts parse_url(const std::string& url) {
  UrlParts u;
  unsigned def = 0;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    def = 80;
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    def = 443;
    rest = url.substr(8);
  } else {
    return u;
  }
  std::string hostport = rest.substr(0, rest.find_first_of("/?#"));
  if (hostport.find('@') != std::string::npos) return u;  // no credentials in URLs
  size_t colon = hostport.rfind(':');
  size_t bracket = hostport.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    std::string p = hostport.substr(colon + 1);
    char* end = nullptr;
    long n = p.empty() ? 0 : std::strtol(p.c_str(), &end, 10);
    // Digits only: strtol alone would also take " 80" and "+80".
    if (p.empty() || p.find_first_not_of("0123456789") != std::string::npos || *end != '\0' || n < 1 ||
        n > 65535)
      return u;
    u.host = hostport.substr(0, colon);
    u.port = static_cast<unsigned>(n);
  } else {
    u.host = hostport;
    u.port = def;
  }
  if (u.host.empty()) u.port = 0;
  return u;
}

void config_file_command(const Context& ctx, const std::string& path, std::vector<std::string>& argv,
                         std::vector<std::string>&, std::vector<std::string>& files) {
  argv = {path, "--config-file", ctx.get("config")};
  files = {ctx.get("config")};
}

bool uwsgi_ini_binds_socket(const std::string& ini_text) {
  static const std::set<std::string> kSocketOptions = {
      "socket",      "uwsgi-socket",   "http-socket", "https-socket", "http11-socket", "http",
      "https",       "fastcgi-socket", "scgi-socket", "suwsgi-socket", "raw-socket", "shared-socket"};
  std::istringstream in(ini_text);
  bool in_uwsgi = false;
  for (std::string line; std::getline(in, line);) {
    line.erase(0, line.find_first_not_of(" \t"));
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      in_uwsgi = line.rfind("[uwsgi]", 0) == 0;
      continue;
    }
    auto eq = line.find('=');
    if (!in_uwsgi || eq == std::string::npos) continue;
    std::string key = line.substr(0, eq);
    key.erase(key.find_last_not_of(" \t") + 1);
    if (kSocketOptions.count(key)) return true;
  }
  return false;
}

std::vector<std::string> uwsgi_argv(const std::string& path, const std::string& ini, unsigned port) {
  std::ifstream in(ini);
  std::stringstream text;
  text << in.rdbuf();
  if (uwsgi_ini_binds_socket(text.str())) return {path, "--ini", ini};
  return {path, "--http-socket", ":" + std::to_string(port), "--ini", ini};
}

ocf::Agent make_service_agent(const ServiceSpec& spec) {
  ocf::Agent a;
  a.name = spec.name;
  a.version = "1.0";
  a.shortdesc = spec.shortdesc;
  a.longdesc = spec.longdesc;
  a.params = common_params(spec);
  a.actions = {{"start", spec.start_timeout}, {"stop", spec.stop_timeout}, {"status", 20},
               {"monitor", 30, 20, 0}, {"validate-all", 5},  {"meta-data", 5},
               {"usage", 5}};
  a.handlers["start"] = [spec](Context& c) { return start(spec, c); };
  a.handlers["stop"] = [spec](Context& c) { return stop(spec, c); };
  a.handlers["monitor"] = [spec](Context& c) { return monitor(spec, c); };
  a.handlers["validate-all"] = [spec](Context& c) {
    validate(spec, c, true);
    return static_cast<int>(ocf::kSuccess);
  };
  return a;
}

}  // namespace hapkg::openstack
