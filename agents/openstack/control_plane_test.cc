#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <algorithm>
#include <fstream>
#include <set>

#include "ocf/pidfile.h"
#include "ocf/proc.h"
#include "openstack/agents.h"

namespace hapkg::openstack {
namespace {

namespace fs = std::filesystem;

const ocf::Agent& agent(const std::string& name) {
  static const auto all = all_agents();
  for (const auto& a : all)
    if (a.name == name) return a;
  throw std::runtime_error("no agent " + name);
}

std::string param_default(const std::string& agent_name, const std::string& param) {
  std::string xml = ocf::meta_data(agent(agent_name), "/run/resource-agents");
  size_t at = xml.find("<parameter name=\"" + param + "\"");
  if (at == std::string::npos) return "<missing>";
  size_t content = xml.find("<content ", at);
  size_t def = xml.find("default=\"", content);
  size_t close = xml.find("/>", content);
  if (def == std::string::npos || def > close) return "";
  def += 9;
  return xml.substr(def, xml.find('"', def) - def);
}

// The shell agents' parameters and defaults (shared/reference/ocf-agents.md
// §2.2, read from openstack-resource-agents ocf/* @42bb0c5). Deliberate
// deviations are listed in the next test, not here.
TEST(ControlPlane, ShellAgentParametersAndDefaults) {
  struct P { const char *agent, *param, *def; };
  const P shell[] = {
      {"nova-scheduler", "binary", "nova-scheduler"}, {"nova-scheduler", "config", "/etc/nova/nova.conf"},
      {"nova-scheduler", "user", "nova"}, {"nova-scheduler", "pid", "/run/resource-agents/RESOURCE_ID.pid"},
      {"nova-scheduler", "database_server_port", "3306"}, {"nova-scheduler", "amqp_server_port", "5672"},
      {"nova-scheduler", "zeromq", "false"}, {"nova-scheduler", "additional_parameters", ""},
      {"nova-cert", "binary", "nova-cert"}, {"nova-cert", "amqp_server_port", "5672"},
      {"nova-consoleauth", "binary", "nova-consoleauth"}, {"nova-network", "binary", "nova-network"},
      {"nova-novnc", "binary", "nova-novncproxy"}, {"nova-novnc", "console_port", "6080"},
      {"nova-novnc", "web", "/usr/share/novnc/"},
      {"nova-api", "config", "/etc/nova/nova.conf"}, {"nova-api", "user", "nova"},
      {"nova-api", "keystone_get_token_url", "http://127.0.0.1:5000/v2.0/tokens"},
      {"nova-api", "os_username", ""}, {"nova-api", "os_password", ""}, {"nova-api", "os_tenant_name", ""},
      {"cinder-api", "config", "/etc/cinder/cinder.conf"}, {"cinder-api", "user", "cinder"},
      {"cinder-api", "keystone_get_token_url", "http://127.0.0.1:5000/v2.0/tokens"},
      {"cinder-schedule", "binary", "cinder-scheduler"}, {"cinder-schedule", "amqp_server_port", "5672"},
      {"cinder-volume", "binary", "cinder-volume"}, {"cinder-volume", "multibackend", "false"},
      {"ceilometer-agent-central", "config", "/etc/ceilometer/ceilometer.conf"},
      {"ceilometer-agent-central", "user", "ceilometer"}, {"ceilometer-agent-central", "amqp_server_port", "5672"},
      {"heat-engine", "binary", "heat-engine"}, {"heat-engine", "config", "/etc/heat/heat.conf"},
      {"heat-engine", "user", "heat"}, {"heat-engine", "zeromq", "false"},
      {"neutron-server", "binary", "neutron-server"}, {"neutron-server", "config", "/etc/neutron/neutron.conf"},
      {"neutron-server", "url", "http://127.0.0.1:9696"},
      {"neutron-server", "keystone_get_token_url", "http://127.0.0.1:5000/v2.0/tokens"},
      {"neutron-agent-dhcp", "binary", "neutron-dhcp-agent"},
      {"neutron-agent-dhcp", "plugin_config", "/etc/neutron/dhcp_agent.ini"},
      {"neutron-agent-dhcp", "amqp_server_port", "5672"},
      {"neutron-agent-l3", "binary", "neutron-l3-agent"}, {"neutron-agent-l3", "plugin_config", "/etc/neutron/l3_agent.ini"},
      {"neutron-agent-l3", "neutron_server_port", "9696"}, {"neutron-agent-l3", "amqp_server_port", "5672"},
      {"neutron-metadata-agent", "binary", "neutron-metadata-agent"},
      {"neutron-metadata-agent", "agent_config", "/etc/neutron/metadata_agent.ini"},
      {"manila-api", "config", "/etc/manila/manila.conf"}, {"manila-api", "user", "manila"},
      {"manila-api", "pid", "/run/resource-agents/manila.pid"},
  };
  for (const auto& p : shell) EXPECT_EQ(param_default(p.agent, p.param), p.def) << p.agent << " " << p.param;
}

// Where a shell default cannot work on Debian 12 (docs/agents.md says why).
TEST(ControlPlane, DeliberateDeviationsFromShellDefaults) {
  EXPECT_EQ(param_default("nova-api", "binary"), "uwsgi");  // Debian runs nova-api under uwsgi
  EXPECT_EQ(param_default("nova-api", "uwsgi_ini"), "/etc/nova/nova-api-uwsgi.ini");
  EXPECT_EQ(param_default("cinder-api", "url"), "http://127.0.0.1:8776/");  // the shell's /v1/ is gone
  EXPECT_EQ(param_default("neutron-server", "plugin_config"), "/etc/neutron/plugins/ml2/ml2_conf.ini");
  EXPECT_EQ(param_default("ceilometer-agent-central", "binary"), "ceilometer-polling");
}

TEST(ControlPlane, EveryAgentHasALinkAndSaysWhetherToClone) {
  const char* bin = std::getenv("HAPKG_BINARY_DIR");
  ASSERT_TRUE(bin);
  std::set<std::string> links, names;
  for (const auto& e : fs::directory_iterator(std::string(bin) + "/agents/resource.d/openstack"))
    links.insert(e.path().filename());
  for (const auto& a : all_agents()) {
    names.insert(a.name);
    if (a.name.rfind("glance", 0) == 0 || a.name == "keystone") continue;
    EXPECT_TRUE(a.longdesc.find("clone") != std::string::npos || a.longdesc.find("once") != std::string::npos)
        << a.name;
  }
  EXPECT_EQ(links, names);
  for (const char* n : {"nova-api", "nova-scheduler", "nova-cert", "nova-consoleauth", "nova-network", "nova-novnc",
                        "cinder-api", "cinder-schedule", "cinder-volume", "heat-engine", "manila-api",
                        "neutron-server", "neutron-agent-dhcp", "neutron-agent-l3", "neutron-metadata-agent",
                        "ceilometer-agent-central", "nova-conductor", "nova-novncproxy", "heat-api",
                        "heat-api-cfn", "neutron-linuxbridge-agent", "neutron-openvswitch-agent", "cinder-backup"})
    EXPECT_TRUE(names.count(n)) << n;
}

std::map<std::string, std::string> env_for(const std::string& rsc, std::map<std::string, std::string> extra = {}) {
  extra["HA_RSCTMP"] = rsc;
  extra["OCF_RESOURCE_INSTANCE"] = "unit";
  return extra;
}

TEST(ControlPlane, RemovedServicesSayWhoReplacesThem) {
  std::string rsc = fs::temp_directory_path() / ("cp-removed-" + std::to_string(::getpid()));
  for (const char* name : {"nova-cert", "nova-consoleauth", "nova-network"}) {
    const auto& a = agent(name);
    testing::internal::CaptureStderr();
    EXPECT_EQ(ocf::run(a, "validate-all", env_for(rsc)), ocf::kErrInstalled) << name;
    std::string reason = testing::internal::GetCapturedStderr();
    EXPECT_NE(reason.find("ocf-exit-reason:"), std::string::npos);
    EXPECT_NE(reason.find("removed from OpenStack in"), std::string::npos) << reason;
    EXPECT_EQ(ocf::run(a, "start", env_for(rsc)), ocf::kErrInstalled) << name;
    EXPECT_EQ(ocf::run(a, "monitor", env_for(rsc)), ocf::kNotRunning) << name;  // probe
    EXPECT_EQ(ocf::run(a, "stop", env_for(rsc)), ocf::kSuccess) << name;
  }
  fs::remove_all(rsc);
}

// The worker monitor end to end with real sockets: a python3 "worker"
// connected to a python3 "broker" named by the config's transport_url.
TEST(ControlPlane, WorkerMonitorFollowsTheBrokerConnection) {
  fs::path dir = fs::temp_directory_path() / ("cp-worker-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  auto spawn = [&](const std::string& script, const std::string& arg) {
    pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(out[1], 1);
      ::execl("/usr/bin/python3", "python3", "-c", script.c_str(), arg.c_str(), nullptr);
      ::_exit(127);
    }
    return pid;
  };
  auto line = [&] {
    std::string s;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') s += c;
    return s;
  };
  pid_t broker = spawn("import socket,time\ns=socket.socket();s.bind(('127.0.0.1',0));s.listen(1)\n"
                       "print(s.getsockname()[1],flush=True)\nc,_=s.accept()\ntime.sleep(60)", "");
  std::string port = line();
  pid_t worker = spawn("import socket,sys,time\nc=socket.socket();c.connect(('127.0.0.1',int(sys.argv[1])))\n"
                       "print('connected',flush=True)\ntime.sleep(60)", port);
  ASSERT_EQ(line(), "connected");
  std::ofstream(dir / "nova.conf") << "[DEFAULT]\ntransport_url = rabbit://nova:pw@127.0.0.1:" << port << "/\n";
  auto st = ocf::read_stat(worker);
  ASSERT_TRUE(st);
  std::ofstream(dir / "w.pid") << ocf::render_pidfile({worker, st->start_time, "/usr/bin/python3"});
  auto env = env_for(dir.string(), {{"OCF_RESKEY_binary", "/usr/bin/python3"},
                                    {"OCF_RESKEY_config", (dir / "nova.conf").string()},
                                    {"OCF_RESKEY_user", ""},
                                    {"OCF_RESKEY_pid", (dir / "w.pid").string()},
                                    {"OCF_RESKEY_CRM_meta_interval", "20000"}});
  EXPECT_EQ(ocf::run(agent("nova-conductor"), "monitor", env), ocf::kSuccess);
  // The broker goes away: the worker's socket is no longer ESTABLISHED.
  ::kill(broker, SIGKILL);
  ::waitpid(broker, nullptr, 0);
  for (int i = 0; i < 50 && ocf::run(agent("nova-conductor"), "monitor", env) == ocf::kSuccess; ++i) ::usleep(20000);
  testing::internal::CaptureStderr();
  EXPECT_EQ(ocf::run(agent("nova-conductor"), "monitor", env), ocf::kErrGeneric);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("127.0.0.1:" + port), std::string::npos);
  // zeromq=true (the shell agents' switch) skips the broker check.
  auto zmq = env;
  zmq["OCF_RESKEY_zeromq"] = "true";
  EXPECT_EQ(ocf::run(agent("nova-conductor"), "monitor", zmq), ocf::kSuccess);
  // The worker is gone: not running.
  ::kill(worker, SIGKILL);
  ::waitpid(worker, nullptr, 0);
  EXPECT_EQ(ocf::run(agent("nova-conductor"), "monitor", env), ocf::kNotRunning);
  ::close(out[0]);
  ::close(out[1]);
  fs::remove_all(dir);
}

// The console proxy's check: our process tree must hold the listening
// socket; a listener of another process on console_port does not count.
TEST(ControlPlane, ConsoleProxyMustListenItself) {
  fs::path dir = fs::temp_directory_path() / ("cp-novnc-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "nova.conf") << "[DEFAULT]\n";
  auto listener = [](int out) {
    pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(out, 1);
      ::execl("/usr/bin/python3", "python3", "-c",
              "import socket,time\ns=socket.socket();s.bind(('127.0.0.1',0));s.listen(1)\n"
              "print(s.getsockname()[1],flush=True)\ntime.sleep(60)", nullptr);
      ::_exit(127);
    }
    return pid;
  };
  // One pipe per listener: with a shared one, which port comes first is a race.
  int p[2], q[2];
  ASSERT_EQ(::pipe(p), 0);
  ASSERT_EQ(::pipe(q), 0);
  pid_t ours = listener(p[1]), other = listener(q[1]);
  std::string ports[2];
  for (int i = 0; i < 2; ++i) {
    char c;
    while (::read(i == 0 ? p[0] : q[0], &c, 1) == 1 && c != '\n') ports[i] += c;
  }
  auto st = ocf::read_stat(ours);
  ASSERT_TRUE(st);
  std::ofstream(dir / "p.pid") << ocf::render_pidfile({ours, st->start_time, "/usr/bin/python3"});
  int rc[2];
  for (int i = 0; i < 2; ++i)
    rc[i] = ocf::run(agent("nova-novncproxy"), "monitor",
                     env_for(dir.string(), {{"OCF_RESKEY_binary", "/usr/bin/python3"}, {"OCF_RESKEY_user", ""},
                                            {"OCF_RESKEY_config", (dir / "nova.conf").string()},
                                            {"OCF_RESKEY_pid", (dir / "p.pid").string()},
                                            {"OCF_RESKEY_console_port", ports[i]},
                                            {"OCF_RESKEY_CRM_meta_interval", "10000"}}));
  // One port is ours (0), the other is another process's (1).
  EXPECT_EQ(std::min(rc[0], rc[1]), ocf::kSuccess);
  EXPECT_EQ(std::max(rc[0], rc[1]), ocf::kErrGeneric);
  for (pid_t x : {ours, other}) {
    ::kill(x, SIGKILL);
    ::waitpid(x, nullptr, 0);
  }
  ::close(p[0]);
  ::close(p[1]);
  ::close(q[0]);
  ::close(q[1]);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hapkg::openstack
