#include "ocf/amqp.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace hapkg::ocf {
namespace {

namespace fs = std::filesystem;

std::string src(const std::string& rel) {
  const char* s = std::getenv("HAPKG_SOURCE_DIR");
  return std::string(s ? s : ".") + "/agents/testdata/" + rel;
}

std::vector<Endpoint> resolved(const std::string& url) {
  auto t = parse_transport_url(url, 5672);
  EXPECT_EQ(t.error, "") << url;
  return resolve_brokers(t.brokers, nullptr);
}

TEST(TransportUrl, SeveralHostsIPv4AndIPv6) {
  auto t = parse_transport_url("rabbit://nova:s3cr@t@10.0.0.1:5672,nova:x@[fd00::5]:5673,h3/nova?ssl=1", 5672);
  ASSERT_EQ(t.error, "");
  ASSERT_EQ(t.brokers.size(), 3u);
  EXPECT_EQ(t.brokers[0].host, "10.0.0.1");
  EXPECT_EQ(t.brokers[0].port, 5672u);
  EXPECT_EQ(t.brokers[1].host, "fd00::5");
  EXPECT_EQ(t.brokers[1].port, 5673u);
  EXPECT_EQ(broker_name(t.brokers[1]), "[fd00::5]:5673");
  EXPECT_EQ(t.brokers[2].host, "h3");
  EXPECT_EQ(t.brokers[2].port, 5672u);
  // amqp_server_port is the port of hosts that name none.
  EXPECT_EQ(parse_transport_url("rabbit://h", 35672).brokers[0].port, 35672u);
  // oslo.messaging's default: the local broker.
  auto d = parse_transport_url("rabbit://", 5672);
  ASSERT_EQ(d.brokers.size(), 1u);
  EXPECT_EQ(d.brokers[0].host, "localhost");
}

TEST(TransportUrl, BadUrlsAreErrorsWithoutThePassword) {
  for (const char* bad : {"kafka://h:9092", "rabbit://u:pw@h:0", "rabbit://u:pw@h:99999", "rabbit://u:pw@[::1",
                          "rabbit://u:pw@fd00::5:5672", "no-scheme", "rabbit://u:pw@h:56x2"}) {
    auto t = parse_transport_url(bad, 5672);
    EXPECT_NE(t.error, "") << bad;
    EXPECT_TRUE(t.brokers.empty()) << bad;
    EXPECT_EQ(t.error.find("pw"), std::string::npos) << t.error;
  }
}

TEST(TransportUrl, FromTheServiceConfig) {
  fs::path dir = fs::temp_directory_path() / ("amqp-conf-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "nova.conf") << "[DEFAULT]\ntransport_url = rabbit://n:p@127.0.0.1:5999\n";
  std::ofstream(dir / "none.conf") << "[DEFAULT]\ndebug = true\n";
  auto t = config_transport_url((dir / "nova.conf").string(), 5672);
  ASSERT_EQ(t.brokers.size(), 1u);
  EXPECT_EQ(t.brokers[0].port, 5999u);
  auto d = config_transport_url((dir / "none.conf").string(), 5672);
  ASSERT_EQ(d.brokers.size(), 1u);
  EXPECT_EQ(broker_name(d.brokers[0]), "localhost:5672");
  EXPECT_NE(config_transport_url((dir / "missing.conf").string(), 5672).error, "");
  fs::remove_all(dir);
}

TEST(Amqp, MatchesRemoteAddressAndPortOnFixtures) {
  std::ifstream in4(src("proc_net_tcp")), in6(src("proc_net_tcp6_amqp"));
  auto table = parse_proc_net_tcp(std::string(std::istreambuf_iterator<char>(in4), {}));
  auto v6 = parse_proc_net_tcp(std::string(std::istreambuf_iterator<char>(in6), {}));
  table.insert(table.end(), v6.begin(), v6.end());
  // 127.0.0.1:5672 from inode 40002 (tcp), [::1]:5672 from 60001 (tcp6).
  EXPECT_TRUE(connected_to_broker(table, {40002}, resolved("rabbit://127.0.0.1")));
  EXPECT_FALSE(connected_to_broker(table, {40002}, resolved("rabbit://10.0.0.1")));  // another host
  EXPECT_FALSE(connected_to_broker(table, {40002}, resolved("rabbit://127.0.0.1:5673")));
  EXPECT_FALSE(connected_to_broker(table, {40003}, resolved("rabbit://127.0.0.1")));  // not ours
  EXPECT_TRUE(connected_to_broker(table, {60001}, resolved("rabbit://[::1]")));
  EXPECT_FALSE(connected_to_broker(table, {60001}, resolved("rabbit://127.0.0.1")));
  // The broker side of a connection (local port 5672) and a listener do not count.
  EXPECT_FALSE(connected_to_broker(table, {60002, 60004}, resolved("rabbit://[::1]")));
  // Several hosts: any one of them will do.
  EXPECT_TRUE(connected_to_broker(table, {60003}, resolved("rabbit://10.0.0.1,[fd00::5]:5673")));
}

// A fixture /proc: pid 100 (no broker socket) with child 101 holding
// socket:[60003]; its network namespace's tables in 100/net.
TEST(Amqp, ProcessTreeOnFixtureProcRoot) {
  fs::path root = fs::temp_directory_path() / ("amqp-proc-" + std::to_string(::getpid()));
  for (const char* d : {"100/fd", "100/net", "101/fd"}) fs::create_directories(root / d);
  std::ofstream(root / "100/stat") << "100 (cinder-volume) S 1 100 100 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 500 0 0";
  std::ofstream(root / "101/stat") << "101 (cinder-volume) S 100 100 100 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 501 0 0";
  fs::copy_file(src("proc_net_tcp"), root / "100/net/tcp");
  fs::copy_file(src("proc_net_tcp6_amqp"), root / "100/net/tcp6");
  fs::create_symlink("pipe:[7]", root / "100/fd/3");
  fs::create_symlink("socket:[60003]", root / "101/fd/5");
  auto brokers = resolved("rabbit://[fd00::5]:5673");
  EXPECT_EQ(broker_connection_problem(100, brokers, root.string()), "");
  EXPECT_NE(broker_connection_problem(100, resolved("rabbit://[fd00::5]:5672"), root.string()), "");
  fs::remove(root / "101/fd/5");
  EXPECT_NE(broker_connection_problem(100, brokers, root.string()).find("2 processes"), std::string::npos);
  fs::remove_all(root);
}

// Real kernel tables: python3 processes, one connected to a loopback
// listener (it counts), the listener's own process (it holds the port, and
// the accepted socket, but no connection *to* a broker: it does not count).
struct Py {
  pid_t pid = 0;
  int out = -1;
};

Py python(const std::string& script, const std::string& arg) {
  int p[2];
  EXPECT_EQ(::pipe(p), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(p[1], 1);
    ::close(p[0]);
    ::execl("/usr/bin/python3", "python3", "-c", script.c_str(), arg.c_str(), nullptr);
    ::_exit(127);
  }
  ::close(p[1]);
  return {pid, p[0]};
}

std::string read_line(int fd) {
  std::string s;
  char c;
  while (::read(fd, &c, 1) == 1 && c != '\n') s += c;
  return s;
}

void real_connection_test(const char* family, const char* loopback) {
  const std::string server =
      "import socket,sys,time\nf=socket.AF_INET6 if sys.argv[1]==':' else socket.AF_INET\n"
      "s=socket.socket(f);s.bind((sys.argv[1].replace(':','::1') if f==socket.AF_INET6 else '127.0.0.1',0));"
      "s.listen(1)\nprint(s.getsockname()[1],flush=True)\nc,_=s.accept()\nprint('accepted',flush=True)\n"
      "time.sleep(60)";
  const std::string client =
      "import socket,sys,time\nh,p=sys.argv[1].rsplit(' ',1)\nf=socket.AF_INET6 if ':' in h else socket.AF_INET\n"
      "c=socket.socket(f);c.connect((h,int(p)))\nprint('connected',flush=True)\ntime.sleep(60)";
  Py srv = python(server, family);
  std::string port = read_line(srv.out);
  ASSERT_FALSE(port.empty());
  Py cli = python(client, std::string(loopback) + " " + port);
  ASSERT_EQ(read_line(cli.out), "connected");
  ASSERT_EQ(read_line(srv.out), "accepted");
  std::string url = std::string("rabbit://") + (std::string(loopback) == "::1" ? "[::1]" : loopback) + ":" + port;
  auto brokers = resolved(url);
  for (bool tables : {false, true}) {  // the sockets asked directly, and the kernel's tables
    EXPECT_EQ(broker_connection_problem(cli.pid, brokers, "/proc", tables), "") << url << " " << tables;
    EXPECT_NE(broker_connection_problem(srv.pid, brokers, "/proc", tables), "")
        << "the listener's tree is not connected to " << url << " " << tables;
  }
  Py idle = python("import time\nprint('up',flush=True)\ntime.sleep(60)", "");
  ASSERT_EQ(read_line(idle.out), "up");
  EXPECT_NE(broker_connection_problem(idle.pid, brokers), "") << "an unconnected process";
  // The server closes: the client's socket is in CLOSE_WAIT, which does not count.
  ::kill(srv.pid, SIGKILL);
  ::waitpid(srv.pid, nullptr, 0);
  for (int i = 0; i < 50 && broker_connection_problem(cli.pid, brokers).empty(); ++i) ::usleep(20000);
  EXPECT_NE(broker_connection_problem(cli.pid, brokers), "");
  EXPECT_NE(broker_connection_problem(cli.pid, brokers, "/proc", true), "");
  for (pid_t p : {cli.pid, srv.pid, idle.pid}) {
    ::kill(p, SIGKILL);
    ::waitpid(p, nullptr, 0);
  }
  for (int fd : {cli.out, srv.out, idle.out}) ::close(fd);
}

TEST(Amqp, RealPythonClientOnLoopbackIPv4) { real_connection_test(".", "127.0.0.1"); }
TEST(Amqp, RealPythonClientOnLoopbackIPv6) { real_connection_test(":", "::1"); }

// The test binary's child is in the tree of the test process: a worker's
// connection held by a forked child counts for the parent.
TEST(Amqp, RealConnectionHeldByAChildCounts) {
  const std::string server =
      "import socket,sys,time\ns=socket.socket();s.bind(('127.0.0.1',0));s.listen(1)\n"
      "print(s.getsockname()[1],flush=True)\nc,_=s.accept()\nprint('accepted',flush=True)\ntime.sleep(60)";
  Py srv = python(server, "");
  std::string port = read_line(srv.out);
  const std::string parent =
      "import socket,sys,os,time\nif os.fork()==0:\n c=socket.socket();c.connect(('127.0.0.1',int(sys.argv[1])))\n"
      " print('connected',flush=True)\n time.sleep(60)\nelse:\n time.sleep(60)";
  Py par = python(parent, port);
  ASSERT_EQ(read_line(par.out), "connected");
  ASSERT_EQ(read_line(srv.out), "accepted");
  EXPECT_EQ(broker_connection_problem(par.pid, resolved("rabbit://localhost:" + port)), "");
  EXPECT_EQ(broker_connection_problem(par.pid, resolved("rabbit://localhost:" + port), "/proc", true), "");
  for (pid_t p : process_tree(par.pid)) ::kill(p, SIGKILL);
  ::kill(srv.pid, SIGKILL);
  ::waitpid(par.pid, nullptr, 0);
  ::waitpid(srv.pid, nullptr, 0);
}

}  // namespace
}  // namespace hapkg::ocf
