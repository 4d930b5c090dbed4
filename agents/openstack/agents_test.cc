#include "openstack/agents.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "openstack/service.h"
#include "util/process.h"

namespace hapkg::openstack {
namespace {

TEST(Agents, MetaDataValidAgainstRaApiDtd) {
  for (const auto& agent : all_agents()) {
    std::string xml = ocf::meta_data(agent, "/run/resource-agents");
    // The oracle: xmllint with Debian resource-agents' DTD, as ocf-tester runs it.
    ProcessOptions o;
    o.cwd = "/usr/share/resource-agents";
    o.input = xml;
    auto r = run_process({"xmllint", "--noout", "--valid", "-"}, o);
    EXPECT_EQ(r.exit_status, 0) << agent.name << ": " << r.err;
  }
}

// The dispatcher builds one agent by name: it must be the same agent as the
// full table's entry of that name (same meta-data), for every name.
TEST(Agents, FindAgentBuildsTheSameAgentAsTheFullTable) {
  auto all = all_agents();
  auto names = agent_names();
  ASSERT_EQ(names.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(names[i], all[i].name);
    auto one = find_agent(names[i]);
    ASSERT_TRUE(one) << names[i];
    EXPECT_EQ(one->name, names[i]);
    EXPECT_EQ(ocf::meta_data(*one, "/run/resource-agents"), ocf::meta_data(all[i], "/run/resource-agents"))
        << names[i];
    EXPECT_EQ(one->handlers.size(), all[i].handlers.size()) << names[i];
  }
  EXPECT_FALSE(find_agent("nova"));
  EXPECT_FALSE(find_agent(""));
  EXPECT_FALSE(find_agent("ocf-openstack"));
}

TEST(Agents, KeepShellAgentInterface) {
  for (const auto& agent : {keystone_agent(), glance_api_agent(), glance_registry_agent()}) {
    std::string xml = ocf::meta_data(agent, "/run/resource-agents");
    for (const char* p : {"binary", "config", "user", "pid", "os_username", "os_password",
                          "os_tenant_name", "additional_parameters"})
      EXPECT_NE(xml.find(std::string("<parameter name=\"") + p + "\""), std::string::npos) << agent.name << " " << p;
    // keystone and glance-api need more than the shell agents' 20 s (issue 14).
    bool slow = agent.name == "keystone" || agent.name == "glance-api";
    EXPECT_NE(xml.find(slow ? "<action name=\"start\" timeout=\"90s\"" : "<action name=\"start\" timeout=\"20s\""),
              std::string::npos) << agent.name;
    EXPECT_NE(xml.find(slow ? "<action name=\"stop\" timeout=\"30s\"" : "<action name=\"stop\" timeout=\"20s\""),
              std::string::npos) << agent.name;
    for (const char* a : {"<action name=\"status\" timeout=\"20s\"",
                          "<action name=\"monitor\" timeout=\"30s\" interval=\"20s\"",
                          "<action name=\"validate-all\" timeout=\"5s\""})
      EXPECT_NE(xml.find(a), std::string::npos) << agent.name << " " << a;
  }
  std::string reg = ocf::meta_data(glance_registry_agent(), "/run/resource-agents");
  EXPECT_NE(reg.find("keystone_get_token_url"), std::string::npos);
  EXPECT_NE(reg.find("default=\"http://127.0.0.1:9191/images\""), std::string::npos);
}

TEST(Agents, UwsgiSocketFromTheCommandLineAsDebianDoes) {
  // Debian's own ini (package keystone) leaves the socket to the init script.
  std::ifstream debian("/etc/keystone/keystone-uwsgi.ini");
  ASSERT_TRUE(debian) << "package keystone is not installed";
  std::stringstream text;
  text << debian.rdbuf();
  EXPECT_FALSE(uwsgi_ini_binds_socket(text.str()));
  EXPECT_EQ(uwsgi_argv("/usr/bin/uwsgi", "/etc/keystone/keystone-uwsgi.ini", 5000),
            (std::vector<std::string>{"/usr/bin/uwsgi", "--http-socket", ":5000", "--ini",
                                      "/etc/keystone/keystone-uwsgi.ini"}));
  EXPECT_TRUE(uwsgi_ini_binds_socket("[uwsgi]\nmaster = true\nhttp-socket = 127.0.0.1:5000\n"));
  EXPECT_TRUE(uwsgi_ini_binds_socket("[uwsgi]\n  socket=/run/ks.sock\n"));
  EXPECT_FALSE(uwsgi_ini_binds_socket("[uwsgi]\n#http-socket = :5000\n;socket = x\n"));
  EXPECT_FALSE(uwsgi_ini_binds_socket("[other]\nhttp-socket = :5000\n[uwsgi]\nmaster = true\n"));
}

TEST(Agents, UrlPortsAnyFrom1To65535) {
  EXPECT_EQ(parse_url("http://127.0.0.1:80/").port, 80u);
  EXPECT_EQ(parse_url("http://127.0.0.1:35357/v3").port, 35357u);
  EXPECT_EQ(parse_url("https://ks/v3").port, 443u);
  EXPECT_EQ(parse_url("http://[::1]:9292/versions").host, "[::1]");
  EXPECT_EQ(parse_url("http://[::1]:9292/versions").port, 9292u);
  EXPECT_EQ(parse_url("http://h:0/").port, 0u);
  EXPECT_EQ(parse_url("http://h:65536/").port, 0u);
  EXPECT_EQ(parse_url("ftp://h/").port, 0u);
  EXPECT_EQ(parse_url("http://u:p@h:1/").port, 0u);
}

TEST(Agents, ValidateCodes) {
  auto ks = keystone_agent();
  // Invalid parameters: 6, whatever the host has.
  EXPECT_EQ(ocf::run(ks, "validate-all", {{"OCF_RESKEY_url", "http://127.0.0.1:99999/"}}), ocf::kErrConfigured);
  EXPECT_EQ(ocf::run(ks, "validate-all", {{"OCF_RESKEY_additional_parameters", "; reboot"}}), ocf::kErrConfigured);
  EXPECT_EQ(ocf::run(ks, "validate-all", {{"OCF_RESKEY_os_username", "admin"}}), ocf::kErrConfigured);
  // Missing on this host: 5.
  EXPECT_EQ(ocf::run(ks, "validate-all", {{"OCF_RESKEY_binary", "/nonexistent/uwsgi"}}), ocf::kErrInstalled);
  EXPECT_EQ(ocf::run(ks, "validate-all", {{"OCF_RESKEY_binary", "/bin/true"}, {"OCF_RESKEY_config", "/nonexistent.conf"}}),
            ocf::kErrInstalled);
  // Probe on a host without the software: not running; stop: success.
  EXPECT_EQ(ocf::run(ks, "monitor", {{"OCF_RESKEY_binary", "/nonexistent/uwsgi"}, {"HA_RSCTMP", "/tmp"},
                                     {"OCF_RESOURCE_INSTANCE", "unit-none"}}), ocf::kNotRunning);
  EXPECT_EQ(ocf::run(ks, "stop", {{"OCF_RESKEY_binary", "/nonexistent/uwsgi"}, {"HA_RSCTMP", "/tmp"},
                                  {"OCF_RESOURCE_INSTANCE", "unit-none"}}), ocf::kSuccess);
  EXPECT_EQ(ocf::run(ks, "monitor", {{"OCF_RESKEY_binary", "/nonexistent/uwsgi"},
                                     {"OCF_RESKEY_CRM_meta_interval", "20000"}}), ocf::kErrInstalled);
  EXPECT_EQ(ocf::run(ks, "reload", {}), ocf::kErrUnimplemented);
}

}  // namespace
}  // namespace hapkg::openstack
