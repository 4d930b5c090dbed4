// The OpenStack control plane besides keystone and glance, as one table:
// each row is an agent (name, service binary, config, user, check kind,
// ports), every agent is make_service_agent() over its row. Parameter
// names and defaults follow the shell agents (openstack-resource-agents,
// ocf/*); docs/agents.md lists where and why a default differs.
#include <vector>

#include "openstack/agents.h"
#include "openstack/checks.h"
#include "openstack/service.h"

namespace hapkg::openstack {
namespace {

using ocf::Param;
using ocf::Type;

enum class Kind {
  kApi,      // HTTP API: GET url (service.cc), under uwsgi or the service's own binary
  kAmqp,     // worker: connected to its broker; depth 10 asks the API
  kListen,   // console proxy: listens on console_port
  kRemoved,  // removed upstream: start/validate-all fail with OCF_ERR_INSTALLED
};

struct Row {
  const char* name;
  const char* what;     // "the Compute API (nova-api)"
  const char* binary;   // default of `binary`
  const char* config;
  const char* user;
  Kind kind;
  const char* url;      // kApi: the health URL; kAmqp: the API asked at depth 10
  const char* clone;    // may it be cloned? (meta-data longdesc, docs/agents.md)
  int monitor_timeout = 30;
  int monitor_interval = 20;
  const char* uwsgi_ini = "";         // kApi: Debian's uwsgi ini (binary=uwsgi)
  // How the wsgi app gets `config`: "NAME=...{config}..." in its environment,
  // else --pyargv --config-file=config. nova's first file is its paste config
  // (relative names are in /etc/nova, OS_NOVA_CONFIG_DIR's default).
  const char* uwsgi_config_env = "";
  const char* plugin_param = "";      // neutron: plugin_config / agent_config
  const char* plugin_default = "";
  ServiceApi api = ServiceApi::kNone;
  const char* service_binary = "";    // the name the service API lists ("" = binary)
  bool nova_ports = false;            // database_server_port + zeromq (nova, heat-engine)
  const char* removed = "";           // kRemoved: when and what replaces it
  const char* pid_default = "${HA_RSCTMP}/${OCF_RESOURCE_INSTANCE}.pid";
  const char* auth_url_param = "os_auth_url";
  std::vector<std::string> fixed_args = {};  // after --config-file, as Debian's init script adds them
};

constexpr const char* kOnce = "Run it once in the cluster (a primitive, not a clone).";
constexpr const char* kClone =
    "It may run on several nodes at once: configure it as a clone (every instance joins the same "
    "broker and shares the work).";
constexpr const char* kEveryNode = "It belongs on every network and compute node: configure it as a clone.";
constexpr const char* kApiClone =
    "It may run as a clone behind a load balancer or a virtual IP (the API is stateless).";

// Row makers: the fields that vary by kind, in the order the table reads.
Row api(const char* name, const char* what, const char* config, const char* user, const char* url,
        const char* uwsgi_ini, const char* auth_url_param = "os_auth_url") {
  Row r{.name = name, .what = what, .binary = "uwsgi", .config = config, .user = user, .kind = Kind::kApi,
        .url = url, .clone = kApiClone, .monitor_timeout = 10, .monitor_interval = 5, .uwsgi_ini = uwsgi_ini};
  r.auth_url_param = auth_url_param;
  return r;
}

Row worker(const char* name, const char* what, const char* binary, const char* config, const char* user,
           const char* api_url, ServiceApi api, const char* clone = kClone) {
  return {.name = name, .what = what, .binary = binary, .config = config, .user = user, .kind = Kind::kAmqp,
          .url = api_url, .clone = clone, .api = api};
}

Row nova_worker(const char* name, const char* what, Kind kind = Kind::kAmqp, const char* removed = "") {
  Row r = worker(name, what, name, "/etc/nova/nova.conf", "nova", "http://127.0.0.1:8774/v2.1", ServiceApi::kNova);
  r.kind = kind;
  r.nova_ports = true;
  r.removed = removed;
  if (kind == Kind::kRemoved) r.clone = kOnce;
  return r;
}

Row cinder_worker(const char* name, const char* what, const char* binary, const char* clone = kClone) {
  return worker(name, what, binary, "/etc/cinder/cinder.conf", "cinder", "http://127.0.0.1:8776/v3",
                ServiceApi::kCinder, clone);
}

Row neutron_agent(const char* name, const char* binary, const char* what, const char* plugin_default,
                  const char* clone, const char* plugin_param = "plugin_config") {
  Row r = worker(name, what, binary, "/etc/neutron/neutron.conf", "neutron", "http://127.0.0.1:9696/v2.0",
                 ServiceApi::kNeutron, clone);
  r.plugin_param = plugin_param;
  r.plugin_default = plugin_default;
  r.service_binary = binary;
  return r;
}

Row console_proxy(const char* name) {
  return {.name = name, .what = "the Compute noVNC console proxy (nova-novncproxy, Debian package nova-consoleproxy)",
          .binary = "nova-novncproxy", .config = "/etc/nova/nova.conf", .user = "nova", .kind = Kind::kListen,
          .url = "http://127.0.0.1:6080/", .clone = kApiClone, .monitor_timeout = 5, .monitor_interval = 10};
}

// The shell agents' monitor timeout/interval where they differ from 30/20.
Row timed(Row r, int timeout, int interval) {
  r.monitor_timeout = timeout;
  r.monitor_interval = interval;
  return r;
}

// nova, including the services OpenStack removed.
std::vector<Row> nova_rows() {
  return {
      api("nova-api", "the Compute API (nova-api)", "/etc/nova/nova.conf", "nova", "http://127.0.0.1:8774/v2.1/",
          "/etc/nova/nova-api-uwsgi.ini", "keystone_get_token_url"),
      nova_worker("nova-scheduler", "the Compute scheduler (nova-scheduler)"),
      nova_worker("nova-conductor", "the Compute conductor (nova-conductor)"),
      timed(nova_worker("nova-cert", "the Compute x509 certificate service (nova-cert)", Kind::kRemoved,
                        "nova-cert was removed from OpenStack in Pike (nova 16.0.0); nothing replaces it (it "
                        "only served the EC2 API's certificates): delete this resource"), 5, 10),
      timed(nova_worker("nova-consoleauth", "the Compute console authentication service (nova-consoleauth)",
                        Kind::kRemoved,
                        "nova-consoleauth was removed from OpenStack in Train (nova 20.0.0); console tokens live "
                        "in the cell database and the console proxies check them: run "
                        "ocf:openstack:nova-novncproxy instead"), 5, 10),
      nova_worker("nova-network", "the Compute network service (nova-network)", Kind::kRemoved,
                  "nova-network was removed from OpenStack in Ussuri (nova 21.0.0); neutron replaces it: "
                  "run ocf:openstack:neutron-server and the neutron agents instead"),
      console_proxy("nova-novnc"),
      console_proxy("nova-novncproxy"),
  };
}

// cinder, heat and manila.
std::vector<Row> storage_and_orchestration_rows() {
  return {
      api("cinder-api", "the Block Storage API (cinder-api)", "/etc/cinder/cinder.conf", "cinder",
          "http://127.0.0.1:8776/", "/etc/cinder/cinder-api-uwsgi.ini", "keystone_get_token_url"),
      cinder_worker("cinder-schedule", "the Block Storage scheduler (cinder-scheduler)", "cinder-scheduler"),
      timed(cinder_worker("cinder-volume", "the Block Storage volume service (cinder-volume)", "cinder-volume",
                          "Without a shared backend (LVM on local disks) run it once, as a primitive; with a "
                          "shared backend and the same [DEFAULT] host or backend_host on every node it may "
                          "run as a clone (active/active needs a coordination backend)."), 5, 10),
      cinder_worker("cinder-backup", "the Block Storage backup service (cinder-backup)", "cinder-backup"),
      api("heat-api", "the Orchestration API (heat-api)", "/etc/heat/heat.conf", "heat", "http://127.0.0.1:8004/",
          "/etc/heat/heat-api-uwsgi.ini"),
      api("heat-api-cfn", "the Orchestration CloudFormation API (heat-api-cfn)", "/etc/heat/heat.conf", "heat",
          "http://127.0.0.1:8000/", "/etc/heat/heat-api-cfn-uwsgi.ini"),
      worker("heat-engine", "the Orchestration engine (heat-engine)", "heat-engine", "/etc/heat/heat.conf", "heat",
             "http://127.0.0.1:8004/v1", ServiceApi::kHeat),
      api("manila-api", "the Shared File Systems API (manila-api)", "/etc/manila/manila.conf", "manila",
          "http://127.0.0.1:8786/", "/etc/manila/manila-api-uwsgi.ini", "keystone_get_token_url"),
  };
}

// neutron and ceilometer.
std::vector<Row> network_and_telemetry_rows() {
  return {
      api("neutron-server", "the Networking server (neutron-server: API and RPC workers)",
          "/etc/neutron/neutron.conf", "neutron", "http://127.0.0.1:9696", "", "keystone_get_token_url"),
      neutron_agent("neutron-agent-dhcp", "neutron-dhcp-agent", "the Networking DHCP agent (neutron-dhcp-agent)",
                    "/etc/neutron/dhcp_agent.ini",
                    "It may run as a clone: with dhcp_agents_per_network > 1 neutron schedules each network "
                    "on several agents; with the default of 1, a failed agent's networks move only when "
                    "neutron-server reschedules them."),
      neutron_agent("neutron-agent-l3", "neutron-l3-agent", "the Networking L3 agent (neutron-l3-agent)",
                    "/etc/neutron/l3_agent.ini",
                    "With HA (VRRP) or DVR routers it may run as a clone; with legacy routers run it once (a "
                    "router lives on one agent, and moving it needs neutron-ha-tool or "
                    "allow_automatic_l3agent_failover)."),
      timed(neutron_agent("neutron-metadata-agent", "neutron-metadata-agent",
                          "the Networking metadata agent (neutron-metadata-agent)", "/etc/neutron/metadata_agent.ini",
                          kClone, "agent_config"), 5, 10),
      neutron_agent("neutron-linuxbridge-agent", "neutron-linuxbridge-agent",
                    "the Networking Linux bridge agent (neutron-linuxbridge-agent)",
                    "/etc/neutron/plugins/ml2/linuxbridge_agent.ini", kEveryNode),
      neutron_agent("neutron-openvswitch-agent", "neutron-openvswitch-agent",
                    "the Networking Open vSwitch agent (neutron-openvswitch-agent)",
                    "/etc/neutron/plugins/ml2/openvswitch_agent.ini", kEveryNode),
      worker("ceilometer-agent-central", "the Telemetry central polling agent (ceilometer-agent-central)",
             "ceilometer-polling", "/etc/ceilometer/ceilometer.conf", "ceilometer", "http://127.0.0.1:8777/",
             ServiceApi::kNone,
             "Run it once, or as a clone only with a coordination backend ([coordination] backend_url) "
             "that splits the polling work."),
  };
}

const std::vector<Row>& rows() {
  static const std::vector<Row> r = [] {
    std::vector<Row> t = nova_rows();
    for (auto* part : {storage_and_orchestration_rows, network_and_telemetry_rows})
      for (auto& row : part()) t.push_back(row);
    for (auto& row : t) {
      std::string n = row.name;
      if (n == "nova-api") row.uwsgi_config_env = "OS_NOVA_CONFIG_FILES=api-paste.ini;{config}";
      if (n == "manila-api") row.pid_default = "${HA_RSCTMP}/manila.pid";
      if (n == "heat-engine") row.nova_ports = true;  // the shell agent's zeromq switch
      if (n == "neutron-server") {
        row.binary = "neutron-server";  // Debian's API + RPC server in one process tree
        row.plugin_param = "plugin_config";
        row.plugin_default = "/etc/neutron/plugins/ml2/ml2_conf.ini";
      }
      if (n == "ceilometer-agent-central") row.fixed_args = {"--polling-namespaces", "central"};
    }
    return t;
  }();
  return r;
}

std::vector<Param> kind_params(const Row& row) {
  std::vector<Param> p;
  if (*row.plugin_param)
    p.push_back({row.plugin_param, Type::kString, row.plugin_default, "Plugin/agent configuration file",
                 "Second configuration file, passed as a further --config-file."});
  if (row.kind == Kind::kApi && *row.uwsgi_ini)
    p.push_back({"uwsgi_ini", Type::kString, row.uwsgi_ini, "uwsgi configuration",
                 "uwsgi ini file, used when binary is uwsgi: the daemon is run as Debian's init script "
                 "runs it, uwsgi --http-socket :PORT --ini FILE, with PORT taken from url."});
  if (row.kind == Kind::kListen) {
    p.push_back({"console_port", Type::kInteger, "6080", "Console port",
                 "Port the proxy listens on; the monitor requires a listening socket on it held by the "
                 "proxy's own process tree."});
    p.push_back({"web", Type::kString, "/usr/share/novnc/", "noVNC web files", "Passed as --web."});
  }
  if (row.kind == Kind::kAmqp || row.kind == Kind::kRemoved) {
    p.push_back({"amqp_server_port", Type::kInteger, "5672", "AMQP broker port",
                 "Port of the brokers of the service's transport_url ([DEFAULT] of config) that name no "
                 "port. The monitor requires an ESTABLISHED connection from the daemon's process tree "
                 "to one of those brokers (address and port), read from /proc."});
    if (row.nova_ports) {
      p.push_back({"zeromq", Type::kBoolean, "false", "No AMQP check",
                   "If true, the connection test to the AMQP broker is skipped (the shell agents' "
                   "switch for the long-removed ZeroMQ driver)."});
      p.push_back({"database_server_port", Type::kInteger, "3306", "Database port (unused)",
                   "Accepted for compatibility; not checked: the services open database connections "
                   "on demand, so an idle worker legitimately holds none."});
    }
  }
  if (std::string(row.name) == "cinder-volume")
    p.push_back({"multibackend", Type::kBoolean, "false", "Several backends (compatibility)",
                 "Accepted for compatibility: the whole process tree is always checked, so the "
                 "backend children of a multi-backend cinder-volume are covered."});
  if (std::string(row.name) == "neutron-agent-l3")
    p.push_back({"neutron_server_port", Type::kInteger, "9696", "neutron-server port (unused)",
                 "Accepted for compatibility; the shell agent advertised it but never used it."});
  return p;
}

std::string longdesc(const Row& row) {
  std::string d = "Resource agent for " + std::string(row.what) + ". ";
  switch (row.kind) {
    case Kind::kApi:
      d += "The monitor checks GET url (2xx or 300 is healthy), with a Keystone v3 token when "
           "os_username/os_password are set. ";
      if (*row.uwsgi_ini)
        d += "With binary=uwsgi (the default) it runs the service as Debian 12's init script does "
             "(uwsgi --http-socket :PORT --ini uwsgi_ini); any other binary is run with "
             "--config-file=config. ";
      break;
    case Kind::kAmqp:
      d += "The monitor requires the daemon's process tree to hold an ESTABLISHED TCP connection to "
           "a broker of the transport_url in config (no netstat: the kernel's socket tables in /proc). ";
      if (row.api != ServiceApi::kNone)
        d += "At OCF_CHECK_LEVEL=10 it also asks the service API at url whether this host's service is "
             "up (needs os_username, os_password, os_tenant_name and os_auth_url). ";
      break;
    case Kind::kListen: d += "The monitor requires the proxy's process tree to listen on console_port. "; break;
    case Kind::kRemoved:
      d += std::string("This service no longer exists: ") + row.removed +
           ". start and validate-all fail with OCF_ERR_INSTALLED; stop and probes succeed "
           "(not running), so existing configurations can be cleaned up. ";
      break;
  }
  return d + row.clone;
}

// The daemon's argv: uwsgi as Debian runs it, or binary --config-file=... .
void row_command(const Row& row, const ocf::Context& ctx, const std::string& path,
                 std::vector<std::string>& argv, std::vector<std::string>& env,
                 std::vector<std::string>& files) {
  std::string base = path.substr(path.rfind('/') + 1);
  std::string config = ctx.get("config");
  if (row.kind == Kind::kApi && *row.uwsgi_ini && base.rfind("uwsgi", 0) == 0) {
    std::string ini = ctx.get("uwsgi_ini");
    argv = {path, "--http-socket", ":" + std::to_string(parse_url(ctx.get("url")).port), "--ini", ini};
    if (std::string e = row.uwsgi_config_env; !e.empty())
      env = {e.replace(e.find("{config}"), 8, config)};
    else
      argv.insert(argv.end(), {"--pyargv", "--config-file=" + config});
    files = {ini, config};
    return;
  }
  argv = {path, "--config-file=" + config};
  files = {config};
  if (*row.plugin_param) {
    argv.push_back("--config-file=" + ctx.get(row.plugin_param));
    files.push_back(ctx.get(row.plugin_param));
  }
  if (row.kind == Kind::kListen) argv.insert(argv.end(), {"--web", ctx.get("web")});
  argv.insert(argv.end(), row.fixed_args.begin(), row.fixed_args.end());
}

ocf::Agent row_agent(const Row& row) {
  ServiceSpec s;
  s.name = row.name;
  s.shortdesc = std::string("Manages ") + row.what;
  s.longdesc = longdesc(row);
  s.binary = row.binary;
  s.config = row.config;
  s.user = row.user;
  s.url = row.url;
  s.url_desc = row.kind == Kind::kApi ? "URL checked with GET (2xx or 300 is healthy)."
                                      : "URL of the service's API, asked at OCF_CHECK_LEVEL=10 (not served by this daemon).";
  s.auth_url_param = row.auth_url_param;
  if (s.auth_url_param == "keystone_get_token_url") s.auth_url_default = "http://127.0.0.1:5000/v2.0/tokens";
  s.has_client_binary = false;
  s.extra_params = kind_params(row);
  s.command = [row](const ocf::Context& c, const std::string& p, std::vector<std::string>& a,
                    std::vector<std::string>& e, std::vector<std::string>& f) { row_command(row, c, p, a, e, f); };
  std::string listed = *row.service_binary ? row.service_binary : row.binary;
  if (row.kind == Kind::kAmqp)
    s.check = [api = row.api, listed](const ocf::Context& c, const ocf::Identity& id, long deadline) {
      return amqp_check(c, id, deadline, api, listed);
    };
  if (row.kind == Kind::kListen)
    s.check = [](const ocf::Context& c, const ocf::Identity& id, long) { return listen_check(c, id, "console_port"); };
  ocf::Agent a = make_service_agent(s);
  for (auto& p : a.params)
    if (p.name == "pid") p.default_value = row.pid_default;
  // Services on sqlite and 2 busy cores answered 6-12 s after start
  // (shared/reference/openstack-services.md): the shell agents' 10-20 s
  // were too short.
  a.actions = {{"start", 60}, {"stop", 30}, {"status", row.monitor_timeout},
               {"monitor", row.monitor_timeout, row.monitor_interval, 0}};
  if (row.kind == Kind::kAmqp && row.api != ServiceApi::kNone) a.actions.push_back({"monitor", 30, 60, 10});
  a.actions.insert(a.actions.end(), {{"validate-all", 5}, {"meta-data", 5}, {"usage", 5}});
  if (row.kind == Kind::kRemoved) {
    std::string reason = row.removed;
    auto refuse = [reason](ocf::Context&) -> int { throw ocf::Failure{ocf::kErrInstalled, reason}; };
    a.handlers["start"] = refuse;
    a.handlers["validate-all"] = refuse;
  }
  return a;
}

}  // namespace

std::vector<ocf::Agent> control_plane_agents() {
  std::vector<ocf::Agent> out;
  for (const auto& row : rows()) out.push_back(row_agent(row));
  return out;
}

std::vector<std::string> control_plane_agent_names() {
  std::vector<std::string> out;
  for (const auto& row : rows()) out.emplace_back(row.name);
  return out;
}

std::optional<ocf::Agent> control_plane_agent(const std::string& name) {
  for (const auto& row : rows())
    if (name == row.name) return row_agent(row);
  return std::nullopt;
}

}  // namespace hapkg::openstack
