#include "ocf/proc.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace hapkg::ocf {
namespace {

std::string src(const std::string& rel) {
  const char* s = std::getenv("HAPKG_SOURCE_DIR");
  return std::string(s ? s : ".") + "/agents/testdata/" + rel;
}

std::string slurp(const std::string& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(Proc, ParseStatWithHostileComm) {
  auto st = parse_stat("4242 (evil) S 1 (x) R 77 4242 4242 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 987654 0 0");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->pid, 4242);
  EXPECT_EQ(st->state, 'R');
  EXPECT_EQ(st->ppid, 77);
  EXPECT_EQ(st->pgrp, 4242);
  EXPECT_EQ(st->start_time, 987654u);
  EXPECT_FALSE(parse_stat("12 (x) S 1"));
  EXPECT_FALSE(parse_stat("garbage"));
}

TEST(Proc, ParsesTcpFixtures) {
  auto v4 = parse_proc_net_tcp(slurp(src("proc_net_tcp")));
  ASSERT_EQ(v4.size(), 4u);
  EXPECT_EQ(v4[0].local_port, 5000u);
  EXPECT_EQ(v4[0].state, 0x0A);
  EXPECT_EQ(v4[1].remote_port, 5672u);
  EXPECT_EQ(v4[1].inode, 40002u);
  auto v6 = parse_proc_net_tcp(slurp(src("proc_net_tcp6")));
  ASSERT_EQ(v6.size(), 2u);
  EXPECT_EQ(v6[0].local_port, 9300u);
  EXPECT_EQ(v6[1].remote_port, 3306u);

  auto all = v4;
  all.insert(all.end(), v6.begin(), v6.end());
  EXPECT_TRUE(has_established(all, {40002}, 5672));
  EXPECT_FALSE(has_established(all, {40002}, 15672));  // exact port, no substring match
  EXPECT_FALSE(has_established(all, {40003}, 5672));   // another process's connection
  EXPECT_FALSE(has_established(all, {0}, 5672));       // TIME_WAIT entry, inode 0
  EXPECT_TRUE(has_established(all, {50002}, 3306));
  EXPECT_EQ(listeners(all, 5000), (std::set<unsigned long>{40001}));
  EXPECT_EQ(listeners(all, 9300), (std::set<unsigned long>{50001}));
  EXPECT_TRUE(listeners(all, 5672).empty());
}

void write(const std::string& p, const std::string& text) { std::ofstream(p) << text; }

TEST(Proc, IdentityOnFixtureProcRoot) {
  char tmpl[] = "/tmp/proc-test-XXXXXX";
  std::string root = ::mkdtemp(tmpl);
  ::mkdir((root + "/300").c_str(), 0755);
  write(root + "/300/stat", "300 (uwsgi) S 1 300 300 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5555 0 0");
  write(root + "/300/cmdline", std::string("/usr/bin/uwsgi\0--ini\0/etc/k.ini\0", 30));
  EXPECT_TRUE(matches({300, 5555, "/usr/bin/uwsgi"}, root));
  EXPECT_TRUE(matches({300, 0, "uwsgi"}, root));          // legacy pid file: name only
  EXPECT_FALSE(matches({300, 5556, "/usr/bin/uwsgi"}, root));  // pid reused
  EXPECT_FALSE(matches({300, 5555, "glance-api"}, root));      // another program
  EXPECT_FALSE(matches({301, 5555, "uwsgi"}, root));           // gone
  ::mkdir((root + "/400").c_str(), 0755);
  write(root + "/400/stat", "400 (python3) S 1 400 400 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 7777 0 0");
  write(root + "/400/cmdline", std::string("/usr/bin/python3\0/usr/bin/glance-api\0", 38));
  EXPECT_TRUE(matches({400, 7777, "/usr/bin/glance-api"}, root));  // interpreted daemon
  write(root + "/400/stat", "400 (python3) Z 1 400 400 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 7777 0 0");
  EXPECT_FALSE(matches({400, 7777, "/usr/bin/glance-api"}, root));  // a zombie is gone
  // setproctitle: one string holding the whole command line (neutron-server).
  ::mkdir((root + "/500").c_str(), 0755);
  write(root + "/500/stat", "500 (/usr/bin/python) S 1 500 500 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 8888 0 0");
  write(root + "/500/cmdline", std::string("/usr/bin/python3 /usr/bin/neutron-server --config-file=/x.conf\0", 63));
  EXPECT_TRUE(matches({500, 8888, "/usr/bin/neutron-server"}, root));
  EXPECT_FALSE(matches({500, 8888, "/usr/bin/nova-api"}, root));
  // cotyledon's master title (ceilometer-polling): "NAME: master process [argv]".
  ::mkdir((root + "/600").c_str(), 0755);
  write(root + "/600/stat", "600 (ceilometer-poll) S 1 600 600 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9999 0 0");
  write(root + "/600/cmdline",
        std::string("ceilometer-polling: master process [/usr/bin/ceilometer-polling --config-file=/c]\0", 82));
  EXPECT_TRUE(matches({600, 9999, "/usr/bin/ceilometer-polling"}, root));
  EXPECT_FALSE(matches({600, 9999, "/usr/bin/ceilometer-agent-notification"}, root));
  std::system(("rm -rf " + root).c_str());
}

TEST(Proc, RealChildIdentityTreeAndZombie) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sleep", "sleep", "30", nullptr);
    ::_exit(127);
  }
  ::usleep(100000);
  auto st = read_stat(pid);
  ASSERT_TRUE(st);
  EXPECT_TRUE(matches({pid, st->start_time, "/bin/sleep"}));
  EXPECT_FALSE(matches({pid, st->start_time + 1, "/bin/sleep"}));
  auto self = process_tree(::getpid());
  EXPECT_NE(std::find(self.begin(), self.end(), pid), self.end());
  ::kill(pid, SIGKILL);
  for (int i = 0; i < 50 && is_alive(pid); ++i) ::usleep(20000);
  EXPECT_FALSE(is_alive(pid));  // a zombie (not reaped yet) counts as gone
  EXPECT_TRUE(read_stat(pid));  // ... although /proc still has it
  ::waitpid(pid, nullptr, 0);
}

TEST(Proc, RealLoopbackConnectionIsFoundByInode) {
  int srv = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(srv, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(srv, 1), 0);
  socklen_t len = sizeof a;
  ::getsockname(srv, reinterpret_cast<sockaddr*>(&a), &len);
  unsigned port = ntohs(a.sin_port);
  int cli = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(::connect(cli, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  auto table = read_tcp_table();
  auto mine = socket_inodes({::getpid()});
  EXPECT_TRUE(has_established(table, mine, port));
  EXPECT_FALSE(has_established(table, mine, port == 65535 ? 1 : port + 1));
  auto listening = listeners(table, port);
  ASSERT_EQ(listening.size(), 1u);
  EXPECT_TRUE(mine.count(*listening.begin()));
  ::close(cli);
  ::close(srv);
}

}  // namespace
}  // namespace hapkg::ocf
