#include "openstack/checks.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "ocf/daemon.h"

namespace hapkg::openstack {
namespace {

namespace fs = std::filesystem;

// OCF_CHECK_LEVEL=10 against a STAND-IN (agents/testdata/service-api-stand-in.py)
// serving Keystone v3 tokens and the services' lists in their real shapes:
// which entry is this host's, how each API says "up", heat's project URL.
class DeepCheck : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("deep-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "state") << "up\n";
    std::ofstream(dir_ / "svc.conf") << "[DEFAULT]\nhost = node7\n";
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(p[1], 1);
      std::string script = std::string(std::getenv("HAPKG_SOURCE_DIR")) + "/agents/testdata/service-api-stand-in.py";
      ::execl("/usr/bin/python3", "python3", script.c_str(), "node7", (dir_ / "state").c_str(), nullptr);
      ::_exit(127);
    }
    ::close(p[1]);
    char c;
    while (::read(p[0], &c, 1) == 1 && c != '\n') port_ += c;
    ::close(p[0]);
    ASSERT_FALSE(port_.empty());
  }
  void TearDown() override {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    fs::remove_all(dir_);
  }
  std::string check(ServiceApi api, const std::string& path, const std::string& binary,
                    const std::string& password = "pw") {
    std::string base = "http://127.0.0.1:" + port_;
    agent_.params = {{"os_user_domain_name", ocf::Type::kString, "Default"},
                     {"os_project_domain_name", ocf::Type::kString, "Default"}};
    ocf::Context ctx(agent_, "monitor",
                     {{"OCF_RESKEY_os_username", "admin"}, {"OCF_RESKEY_os_password", password},
                      {"OCF_RESKEY_os_tenant_name", "admin"}, {"OCF_RESKEY_os_auth_url", base + "/v3"},
                      {"OCF_RESKEY_url", base + path}, {"OCF_RESKEY_config", (dir_ / "svc.conf").string()},
                      {"HA_RSCTMP", dir_.string()}, {"OCF_RESOURCE_INSTANCE", "deep"}});
    return service_up(ctx, ocf_deadline(), api, binary);
  }
  static long ocf_deadline() { return ocf::monotonic_ms() + 10000; }
  void set_state(const char* s) { std::ofstream(dir_ / "state") << s << "\n"; }
  fs::path dir_;
  pid_t pid_ = 0;
  std::string port_;
  ocf::Agent agent_;
};


TEST_F(DeepCheck, UpAndDownAsEachApiSaysIt) {
  EXPECT_EQ(service_host((dir_ / "svc.conf").string()), "node7");
  EXPECT_EQ(check(ServiceApi::kNova, "/nova", "nova-conductor"), "");
  EXPECT_EQ(check(ServiceApi::kCinder, "/cinder", "cinder-volume"), "");  // host@backend
  EXPECT_EQ(check(ServiceApi::kNeutron, "/neutron", "neutron-dhcp-agent"), "");
  EXPECT_EQ(check(ServiceApi::kHeat, "/heat", "heat-engine"), "");  // project id from the token
  set_state("down");
  for (auto [api, path, bin] : {std::tuple{ServiceApi::kNova, "/nova", "nova-conductor"},
                                {ServiceApi::kCinder, "/cinder", "cinder-volume"},
                                {ServiceApi::kNeutron, "/neutron", "neutron-dhcp-agent"},
                                {ServiceApi::kHeat, "/heat", "heat-engine"}})
    EXPECT_NE(check(api, path, bin).find("as down"), std::string::npos) << path;
  EXPECT_NE(check(ServiceApi::kCinder, "/cinder", "cinder-backup").find("lists no cinder-backup"), std::string::npos);
}

TEST_F(DeepCheck, MissingCredentialsOrBadPasswordAreFailures) {
  fs::remove(dir_ / "deep.token");
  EXPECT_NE(check(ServiceApi::kNova, "/nova", "nova-conductor", "wrong").find("HTTP 401"), std::string::npos);
  ocf::Context bare(agent_, "monitor", {{"OCF_RESKEY_url", "http://127.0.0.1:" + port_ + "/nova"}});
  EXPECT_NE(service_up(bare, ocf_deadline(), ServiceApi::kNova, "nova-conductor").find("needs os_username"),
            std::string::npos);
}

}  // namespace
}  // namespace hapkg::openstack
