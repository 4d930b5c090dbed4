#include "openstack/service.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "ocf/daemon.h"
#include "ocf/pidfile.h"
#include "util/tempdir.h"

namespace hapkg::openstack {
namespace {

using Env = std::map<std::string, std::string>;

// A made-up service run as `sleep --config-file X`: no real OpenStack daemon.
ServiceSpec test_spec() {
  ServiceSpec s;
  s.name = "testsvc";
  s.shortdesc = "test";
  s.longdesc = "test service";
  s.binary = "sleep";
  s.config = "/etc/testsvc/testsvc.conf";
  s.user = "";
  s.url = "http://127.0.0.1:1/";
  s.command = config_file_command;
  return s;
}

struct Fixture {
  hapkg::TempDir dir{"service-test"};
  std::string config = dir.path() + "/svc.conf";
  Env env;
  Fixture() {
    std::ofstream(config) << "[DEFAULT]\n";
    env = {{"OCF_RESOURCE_INSTANCE", "p_svc"}, {"HA_RSCTMP", dir.path()},
           {"OCF_RESKEY_config", config}, {"OCF_RESKEY_CRM_meta_timeout", "20000"}};
  }
};

// Our "testsvc" daemon running, as start leaves it (pid file with start time).
ocf::Identity spawn_our_daemon(const Fixture& f) {
  ocf::DaemonSpec d;
  d.path = ocf::find_binary("sleep");
  d.argv = {d.path, "60"};
  d.pid_file = f.dir.path() + "/p_svc.pid";
  d.binary_name = d.path;
  return ocf::spawn(d);
}

// The rc of `action`, and its exit reason when it throws.
std::pair<int, std::string> call(const ocf::Agent& a, const std::string& action, const Env& env) {
  ocf::Context ctx(a, action, env);
  try {
    return {a.handlers.at(action)(ctx), ""};
  } catch (const ocf::Failure& f) {
    return {f.rc, f.reason};
  }
}

std::vector<std::string> param_names(const ocf::Agent& a) {
  std::vector<std::string> n;
  for (const auto& p : a.params) n.push_back(p.name);
  return n;
}

TEST(Service, ParseUrlRejectsWhatCannotBeConnectedTo) {
  auto u = parse_url("http://keystone.example:5000/v3?x#y");
  EXPECT_EQ(u.host, "keystone.example");
  EXPECT_EQ(u.port, 5000u);
  EXPECT_EQ(parse_url("http://h?q").host, "h");
  EXPECT_EQ(parse_url("http://h?q").port, 80u);
  EXPECT_EQ(parse_url("https://[::1]/").host, "[::1]");
  EXPECT_EQ(parse_url("https://[::1]/").port, 443u);
  for (const char* bad : {"http://h:/", "http://h:12a/", "http://h:-1/", "http://:80/", "http:///x", "HTTP://h/",
                          "h:80", "", "http://h: 80/", "http://h:+80/"})
    EXPECT_EQ(parse_url(bad).port, 0u) << bad;
}

TEST(Service, UwsgiIniSocketDetectionIsLimitedToTheUwsgiSection) {
  EXPECT_TRUE(uwsgi_ini_binds_socket("[uwsgi]\nhttp-socket=:5000\n"));
  EXPECT_TRUE(uwsgi_ini_binds_socket("[uwsgi]\n\thttps-socket \t= :443,c,k\n"));
  EXPECT_TRUE(uwsgi_ini_binds_socket("[other]\nx=1\n[uwsgi]\nshared-socket = :80\n"));
  EXPECT_FALSE(uwsgi_ini_binds_socket("[uwsgi]\nhttp-socket-modifier1 = 5\n"));  // a different option
  EXPECT_FALSE(uwsgi_ini_binds_socket("[uwsgi]\nhttp-socket\n"));               // no value, no option
  EXPECT_FALSE(uwsgi_ini_binds_socket("http-socket = :5000\n"));                // outside any section
  EXPECT_FALSE(uwsgi_ini_binds_socket(""));
}

TEST(Service, UwsgiArgvReadsTheIniFile) {
  hapkg::TempDir dir("service-test");
  std::string plain = dir.path() + "/plain.ini", bound = dir.path() + "/bound.ini";
  std::ofstream(plain) << "[uwsgi]\nmaster = true\nprocesses = 2\n";
  std::ofstream(bound) << "[uwsgi]\nsocket = /run/svc.sock\n";
  EXPECT_EQ(uwsgi_argv("/usr/bin/uwsgi", plain, 9292),
            (std::vector<std::string>{"/usr/bin/uwsgi", "--http-socket", ":9292", "--ini", plain}));
  EXPECT_EQ(uwsgi_argv("/usr/bin/uwsgi", bound, 9292), (std::vector<std::string>{"/usr/bin/uwsgi", "--ini", bound}));
  // A missing ini binds nothing itself (uwsgi reports the missing file).
  std::string missing = dir.path() + "/missing.ini";
  EXPECT_EQ(uwsgi_argv("/usr/bin/uwsgi", missing, 1).size(), 5u);
}

TEST(Service, ConfigFileCommandNamesTheConfigToCheck) {
  Fixture f;
  auto agent = make_service_agent(test_spec());
  ocf::Context ctx(agent, "start", f.env);
  std::vector<std::string> argv{"stale"}, env, files;
  config_file_command(ctx, "/usr/bin/sleep", argv, env, files);
  EXPECT_EQ(argv, (std::vector<std::string>{"/usr/bin/sleep", "--config-file", f.config}));
  EXPECT_TRUE(env.empty());
  EXPECT_EQ(files, std::vector<std::string>{f.config});
}

TEST(Service, AgentDeclaresTheShellAgentsParametersInOrder) {
  ServiceSpec s = test_spec();
  s.extra_params = {{"extra", ocf::Type::kString, "", "x", "x"}};
  auto a = make_service_agent(s);
  EXPECT_EQ(param_names(a), (std::vector<std::string>{"binary", "config", "user", "pid", "url", "os_username",
                                                       "os_password", "os_tenant_name", "os_user_domain_name",
                                                       "os_project_domain_name", "os_auth_url", "client_binary",
                                                       "log_file", "extra", "additional_parameters"}));
  s.auth_url_param = "keystone_get_token_url";
  s.has_client_binary = false;
  s.extra_params.clear();
  auto names = param_names(make_service_agent(s));
  EXPECT_EQ(names[5], "keystone_get_token_url");
  EXPECT_EQ(std::count(names.begin(), names.end(), "os_auth_url"), 0);
  EXPECT_EQ(std::count(names.begin(), names.end(), "client_binary"), 0);
  s.start_timeout = 90;
  auto b = make_service_agent(s);
  EXPECT_EQ(b.actions[0].name, "start");
  EXPECT_EQ(b.actions[0].timeout, 90);
  for (const char* h : {"start", "stop", "monitor", "validate-all"}) EXPECT_TRUE(b.handlers.count(h)) << h;
}

TEST(Service, ValidateAllRefusesBadParametersWithTheShellAgentsCodes) {
  Fixture f;
  auto a = make_service_agent(test_spec());
  EXPECT_EQ(call(a, "validate-all", f.env).first, ocf::kSuccess) << call(a, "validate-all", f.env).second;
  auto with = [&](const std::string& k, const std::string& v) {
    Env e = f.env;
    e["OCF_RESKEY_" + k] = v;
    return call(a, "validate-all", e);
  };
  EXPECT_EQ(with("url", "ftp://127.0.0.1/").first, ocf::kErrConfigured);
  EXPECT_EQ(with("os_auth_url", "127.0.0.1:5000").first, ocf::kErrConfigured);
  EXPECT_EQ(with("os_username", "admin").first, ocf::kErrConfigured);  // no password
  auto shell = with("additional_parameters", "--debug $(touch /tmp/pwned)");
  EXPECT_EQ(shell.first, ocf::kErrConfigured);
  EXPECT_NE(shell.second.find("additional_parameters"), std::string::npos) << shell.second;
  EXPECT_EQ(with("pid", "relative.pid").first, ocf::kErrConfigured);
  EXPECT_EQ(with("binary", "hapkg-no-such-binary").first, ocf::kErrInstalled);
  EXPECT_EQ(with("config", f.dir.path() + "/missing.conf").first, ocf::kErrInstalled);
  EXPECT_EQ(with("config", f.dir.path()).first, ocf::kErrInstalled);  // a directory is no config file
  EXPECT_EQ(with("user", "hapkg-no-such-user").first, ocf::kErrInstalled);
  Env cred = f.env;
  cred["OCF_RESKEY_os_username"] = "admin";
  cred["OCF_RESKEY_os_password"] = "pw";
  EXPECT_EQ(call(a, "validate-all", cred).first, ocf::kErrConfigured);  // no Keystone URL to ask
  cred["OCF_RESKEY_os_auth_url"] = "http://127.0.0.1:5000/v3";
  EXPECT_EQ(call(a, "validate-all", cred).first, ocf::kSuccess);
}

TEST(Service, MonitorProbeWithoutPidFileIsNotRunning) {
  Fixture f;
  auto a = make_service_agent(test_spec());
  EXPECT_EQ(call(a, "monitor", f.env).first, ocf::kNotRunning);
  EXPECT_EQ(call(a, "stop", f.env).first, ocf::kSuccess);  // stopping a stopped resource succeeds
}

TEST(Service, StopLeavesAForeignPidAloneAndDropsThePidFile) {
  Fixture f;
  auto a = make_service_agent(test_spec());
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::execl("/bin/sleep", "sleep", "60", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // A legacy (pid only) file naming a sleep that is not run with our config
  // and serves no port: the name alone proves nothing.
  std::string pidfile = f.dir.path() + "/p_svc.pid";
  std::ofstream(pidfile) << pid << "\n";
  EXPECT_EQ(call(a, "monitor", f.env).first, ocf::kNotRunning);
  EXPECT_EQ(call(a, "stop", f.env).first, ocf::kSuccess);
  EXPECT_NE(::access(pidfile.c_str(), F_OK), 0);
  int status = 0;
  EXPECT_EQ(::waitpid(pid, &status, WNOHANG), 0);  // still running, never signalled
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
}

TEST(Service, StopEndsOurDaemonAndRemovesItsFiles) {
  Fixture f;
  auto a = make_service_agent(test_spec());
  ocf::Identity id = spawn_our_daemon(f);
  std::string token = f.dir.path() + "/p_svc.token";
  std::ofstream(token) << "cached\n";
  EXPECT_EQ(call(a, "stop", f.env).first, ocf::kSuccess);
  int status = 0;
  ASSERT_EQ(::waitpid(id.pid, &status, 0), id.pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  EXPECT_NE(::access((f.dir.path() + "/p_svc.pid").c_str(), F_OK), 0);
  EXPECT_NE(::access(token.c_str(), F_OK), 0);
}

TEST(Service, StartRefusesAPortAnotherProcessListensOn) {
  Fixture f;
  auto a = make_service_agent(test_spec());
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len), 0);
  std::string port = std::to_string(ntohs(sa.sin_port));
  Env e = f.env;
  e["OCF_RESKEY_url"] = "http://127.0.0.1:" + port + "/";
  auto r = call(a, "start", e);
  ::close(fd);
  EXPECT_EQ(r.first, ocf::kErrGeneric);
  EXPECT_EQ(r.second, "port " + port + " is already in use by another process");
  EXPECT_NE(::access((f.dir.path() + "/p_svc.pid").c_str(), F_OK), 0);  // nothing was started
}

TEST(Service, RecurringMonitorOfOurDaemonFailsWhenTheUrlDoesNotAnswer) {
  Fixture f;
  auto a = make_service_agent(test_spec());
  ocf::Identity id = spawn_our_daemon(f);
  Env e = f.env;
  e["OCF_RESKEY_CRM_meta_interval"] = "10000";  // not a probe: full validation, then health
  e["OCF_RESKEY_url"] = "http://127.0.0.1:1/";   // port 1: connection refused on loopback
  auto r = call(a, "monitor", e);
  EXPECT_EQ(r.first, ocf::kErrGeneric);
  EXPECT_EQ(r.second.rfind("testsvc (pid " + std::to_string(id.pid) + ") is running but unhealthy: GET http://127.0.0.1:1/ failed", 0), 0u)
      << r.second;
  EXPECT_EQ(call(a, "stop", e).first, ocf::kSuccess);
  int status = 0;
  EXPECT_EQ(::waitpid(id.pid, &status, 0), id.pid);
}

}  // namespace
}  // namespace hapkg::openstack
