#include "ocf/daemon.h"

#include <gtest/gtest.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include "ocf/ocf.h"
#include "ocf/pidfile.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::ocf {
namespace {

// Bounded wait for a condition the kernel makes true asynchronously (an exec,
// a signal's delivery); not a timing assertion: 10 s is only the give-up.
bool eventually(const std::function<bool()>& cond) {
  for (int i = 0; i < 1000; ++i) {
    if (cond()) return true;
    ::usleep(10000);
  }
  return cond();
}

bool cmdline_is(pid_t pid, const std::vector<std::string>& want) { return read_cmdline(pid) == want; }

// The signal that ended our child `pid` (reaps it); 0 if it exited normally.
int reap_signal(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

struct Spawned {
  hapkg::TempDir dir{"daemon-test"};
  DaemonSpec spec;
  Spawned(std::vector<std::string> argv) {
    spec.path = find_binary(argv[0]);
    spec.argv = std::move(argv);
    spec.pid_file = dir.path() + "/run/d.pid";  // parent directory created by spawn
    spec.log_file = dir.path() + "/d.log";
    spec.binary_name = spec.path;
  }
};

TEST(Daemon, FindBinaryChecksPathsAndLooksUpNames) {
  hapkg::TempDir dir("daemon-test");
  EXPECT_EQ(find_binary("/bin/sh"), "/bin/sh");
  std::string sleep_path = find_binary("sleep");
  ASSERT_FALSE(sleep_path.empty());
  EXPECT_EQ(sleep_path.rfind('/'), sleep_path.size() - 6);
  EXPECT_EQ(::access(sleep_path.c_str(), X_OK), 0);
  std::string plain = dir.path() + "/not-executable";
  std::ofstream(plain) << "#!/bin/sh\n";
  ::chmod(plain.c_str(), 0644);
  if (::geteuid() != 0) {
    EXPECT_EQ(find_binary(plain), "");  // root passes access(X_OK) only with an x bit
  }
  ::chmod(plain.c_str(), 0);
  EXPECT_EQ(find_binary(plain), "");
  EXPECT_EQ(find_binary(dir.path()), "");  // a directory is not a binary
  EXPECT_EQ(find_binary(""), "");
  EXPECT_EQ(find_binary("hapkg-no-such-binary-here"), "");
  EXPECT_EQ(find_binary(dir.path() + "/missing"), "");
}

TEST(Daemon, SpawnWritesPidFileAndStopEndsItWithSigterm) {
  Spawned s({"sleep", "60"});
  Identity id = spawn(s.spec);
  ASSERT_GT(id.pid, 1);
  auto st = read_stat(id.pid);
  ASSERT_TRUE(st);
  EXPECT_EQ(id.start_time, st->start_time);
  EXPECT_EQ(st->pgrp, id.pid);  // its own session and process group
  EXPECT_EQ(::getsid(id.pid), id.pid);
  auto file = read_pidfile(s.spec.pid_file, "x");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->pid, id.pid);
  EXPECT_EQ(file->start_time, id.start_time);
  EXPECT_EQ(file->binary, s.spec.path);
  ASSERT_TRUE(eventually([&] { return cmdline_is(id.pid, {"sleep", "60"}); }));
  auto run = running(s.spec.pid_file, s.spec.path);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->pid, id.pid);
  EXPECT_TRUE(stop_daemon(id, 10000, 5000));
  EXPECT_FALSE(matches(id));
  EXPECT_EQ(reap_signal(id.pid), SIGTERM);  // no escalation was needed
  EXPECT_FALSE(running(s.spec.pid_file, s.spec.path));
}

TEST(Daemon, StopEscalatesToSigkillWhenSigtermIsIgnored) {
  // SIG_IGN survives exec: sleep itself ignores SIGTERM.
  Spawned s({"sh", "-c", "trap '' TERM; exec /bin/sleep 60"});
  Identity id = spawn(s.spec);
  id.binary = "sleep";
  ASSERT_TRUE(eventually([&] { return cmdline_is(id.pid, {"/bin/sleep", "60"}); }));
  EXPECT_TRUE(stop_daemon(id, 200, 10000));
  EXPECT_EQ(reap_signal(id.pid), SIGKILL);
}

TEST(Daemon, StopKillsLeftoverWorkersOfTheGroup) {
  // The worker ignores SIGTERM and outlives the leader: the SIGKILL to the
  // group (sent while the leader is our zombie) must take it too.
  Spawned s({"sh", "-c", "trap '' TERM; /bin/sleep 61 & trap - TERM; exec /bin/sleep 60"});
  Identity id = spawn(s.spec);
  id.binary = "sleep";
  pid_t worker = 0;
  ASSERT_TRUE(eventually([&] {
    auto tree = process_tree(id.pid);
    if (!cmdline_is(id.pid, {"/bin/sleep", "60"}) || tree.size() != 2) return false;
    worker = tree[0] == id.pid ? tree[1] : tree[0];
    return cmdline_is(worker, {"/bin/sleep", "61"});
  }));
  Identity worker_id{worker, read_stat(worker)->start_time, "sleep"};
  EXPECT_TRUE(stop_daemon(id, 10000, 5000));
  EXPECT_EQ(reap_signal(id.pid), SIGTERM);
  EXPECT_TRUE(eventually([&] { return !matches(worker_id); }));
}

TEST(Daemon, NeverSignalsAPidNotProvenOurs) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::execl("/bin/sleep", "sleep", "60", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ASSERT_TRUE(eventually([&] { return cmdline_is(pid, {"sleep", "60"}); }));
  unsigned long long start = read_stat(pid)->start_time;
  // A reused pid (other start time) and another program (other name).
  EXPECT_TRUE(stop_daemon({pid, start + 1, "sleep"}, 200, 200));
  EXPECT_TRUE(stop_daemon({pid, start, "uwsgi"}, 200, 200));
  int status = 0;
  EXPECT_EQ(::waitpid(pid, &status, WNOHANG), 0);  // untouched
  EXPECT_TRUE(is_alive(pid));
  ::kill(pid, SIGKILL);
  EXPECT_EQ(reap_signal(pid), SIGKILL);
}

TEST(Daemon, ChildGetsOnlyTheFixedEnvironmentAndItsLog) {
  ::setenv("HAPKG_DAEMON_TEST_SECRET", "s3cret", 1);
  Spawned s({"env"});
  s.spec.extra_env = {"OS_EXTRA=1"};
  const passwd* me = ::getpwuid(::geteuid());
  ASSERT_NE(me, nullptr);
  s.spec.user = me->pw_name;  // the current user: allowed without dropping privileges
  Identity id = spawn(s.spec);
  EXPECT_EQ(reap_signal(id.pid), 0);
  std::string out = read_file(s.spec.log_file);
  std::string expected = std::string("PATH=") + kDaemonPath + "\nLANG=C.UTF-8\nHOME=" + me->pw_dir +
                         "\nUSER=" + me->pw_name + "\nLOGNAME=" + me->pw_name + "\nOS_EXTRA=1\n";
  EXPECT_EQ(out, expected);
  EXPECT_EQ(out.find("s3cret"), std::string::npos);
  ::unsetenv("HAPKG_DAEMON_TEST_SECRET");
}

TEST(Daemon, SpawnReportsWhyTheChildCouldNotStart) {
  Spawned s({"sleep", "60"});
  s.spec.path = s.dir.path() + "/no-such-binary";
  try {
    spawn(s.spec);
    FAIL() << "exec of a missing binary succeeded";
  } catch (const Failure& f) {
    EXPECT_EQ(f.rc, kErrGeneric);
    EXPECT_NE(f.reason.find("exec: No such file or directory"), std::string::npos) << f.reason;
  }
  EXPECT_FALSE(read_pidfile(s.spec.pid_file, "x"));  // no pid file for a failed start

  Spawned l({"sleep", "60"});
  l.spec.log_file = l.dir.path() + "/missing-dir/d.log";
  try {
    spawn(l.spec);
    FAIL() << "a log file in a missing directory was accepted";
  } catch (const Failure& f) {
    EXPECT_EQ(f.rc, kErrPerm);
    EXPECT_NE(f.reason.find("open log file"), std::string::npos) << f.reason;
  }

  Spawned u({"sleep", "60"});
  u.spec.user = "hapkg-no-such-user";
  try {
    spawn(u.spec);
    FAIL() << "a missing user was accepted";
  } catch (const Failure& f) {
    EXPECT_EQ(f.rc, kErrInstalled);
  }
}

TEST(Daemon, LogFileSymlinkIsNotFollowed) {
  Spawned s({"env"});
  std::string victim = s.dir.path() + "/victim";
  std::ofstream(victim) << "precious\n";
  ASSERT_EQ(::symlink(victim.c_str(), s.spec.log_file.c_str()), 0);
  EXPECT_THROW(spawn(s.spec), Failure);
  EXPECT_EQ(read_file(victim), "precious\n");
}

TEST(Daemon, UnwritablePidFileKillsTheChild) {
  Spawned s({"sleep", "60"});
  std::string blocker = s.dir.path() + "/file";
  std::ofstream(blocker) << "x";
  s.spec.pid_file = blocker + "/d.pid";  // parent is a regular file
  EXPECT_THROW(spawn(s.spec), Failure);
  int status = 0;
  EXPECT_EQ(::waitpid(-1, &status, WNOHANG), -1);  // the child was killed and reaped
  EXPECT_EQ(errno, ECHILD);
}

TEST(Daemon, WaitHealthyReturnsFailsOnExitAndOnDeadline) {
  Spawned s({"sleep", "60"});
  Identity id = spawn(s.spec);
  int calls = 0;
  wait_healthy(id, [&] { return ++calls < 3 ? std::string("not yet") : std::string(); },
               monotonic_ms() + 60000, 1);
  EXPECT_EQ(calls, 3);
  try {
    wait_healthy(id, [] { return std::string("port closed"); }, monotonic_ms(), 1);
    FAIL() << "an expired deadline passed";
  } catch (const Failure& f) {
    EXPECT_EQ(f.rc, kErrGeneric);
    EXPECT_NE(f.reason.find("did not become healthy in time: port closed"), std::string::npos) << f.reason;
  }
  EXPECT_TRUE(stop_daemon(id, 10000, 5000));
  reap_signal(id.pid);

  Spawned e({"sh", "-c", "exit 3"});
  Identity dead = spawn(e.spec);
  try {
    wait_healthy(dead, [] { return std::string("not yet"); }, monotonic_ms() + 60000, 1);
    FAIL() << "a child that exited was waited for";
  } catch (const Failure& f) {
    EXPECT_NE(f.reason.find("exited with status 3 during start"), std::string::npos) << f.reason;
  }
}

}  // namespace
}  // namespace hapkg::ocf
