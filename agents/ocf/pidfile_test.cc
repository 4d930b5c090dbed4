#include "ocf/pidfile.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "ocf/daemon.h"

namespace hapkg::ocf {
namespace {

TEST(PidFile, RoundTripAndLegacy) {
  Identity id{1234, 99, "/usr/bin/uwsgi"};
  auto back = parse_pidfile(render_pidfile(id), "x");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->pid, 1234);
  EXPECT_EQ(back->start_time, 99u);
  EXPECT_EQ(back->binary, "/usr/bin/uwsgi");
  auto legacy = parse_pidfile("4321\n", "/usr/bin/glance-api");
  ASSERT_TRUE(legacy);
  EXPECT_EQ(legacy->start_time, 0u);
  EXPECT_EQ(legacy->binary, "/usr/bin/glance-api");
  EXPECT_FALSE(parse_pidfile("", "x"));
  EXPECT_FALSE(parse_pidfile("abc\n", "x"));
  EXPECT_FALSE(parse_pidfile("1\n", "x"));   // never init
  EXPECT_FALSE(parse_pidfile("-5\n", "x"));
}

TEST(PidFile, WritesAtomicallyAndNeverFollowsSymlinks) {
  char tmpl[] = "/tmp/pidfile-test-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  std::string target = dir + "/victim", link = dir + "/ks.pid";
  std::ofstream(target) << "precious\n";
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  EXPECT_FALSE(read_pidfile(link, "x"));  // a symlinked pid file is not read
  write_pidfile(link, {777, 5, "uwsgi"});  // replaces the link, not its target
  std::ifstream t(target);
  std::string first;
  t >> first;
  EXPECT_EQ(first, "precious");
  auto id = read_pidfile(link, "x");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->pid, 777);
  write_pidfile(dir + "/sub/x.pid", {778, 5, "uwsgi"});  // creates the directory
  EXPECT_TRUE(read_pidfile(dir + "/sub/x.pid", "x"));
  std::system(("rm -rf " + dir).c_str());
}

TEST(PidFile, OneLinePidFileNeedsAVerifier) {
  // Our own pid, named as we run: the name matches, but a pid file without a
  // start time proves nothing by the name alone.
  std::string self = read_exe(::getpid());
  ASSERT_FALSE(self.empty());
  char tmpl[] = "/tmp/pidfile-legacy-XXXXXX";
  std::string dir = ::mkdtemp(tmpl), path = dir + "/legacy.pid";
  std::ofstream(path) << ::getpid() << "\n";
  EXPECT_FALSE(running(path, self));
  EXPECT_FALSE(running(path, self, [](const Identity&) { return false; }));
  auto id = running(path, self, [](const Identity& i) { return i.pid == ::getpid(); });
  ASSERT_TRUE(id);
  EXPECT_EQ(id->pid, ::getpid());
  EXPECT_EQ(id->start_time, read_stat(::getpid())->start_time);  // known once verified
  write_pidfile(path, {::getpid(), read_stat(::getpid())->start_time, self});
  EXPECT_TRUE(running(path, self));  // with a start time no verifier is asked
  std::remove(path.c_str());
  ::rmdir(dir.c_str());
}

}  // namespace
}  // namespace hapkg::ocf
