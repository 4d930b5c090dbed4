#include "util/process.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <string>

#include "util/tempdir.h"

#include "util/error.h"

namespace {

TEST(RunProcess, PassesArgumentsWithoutAShell) {
  // A shell would expand these; execvp hands them over verbatim.
  auto r = hapkg::run_process({"printf", "%s|", "$(id)", "a b", ";", "*"});
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(r.out, "$(id)|a b|;|*|");
}

TEST(RunProcess, FeedsStdinAndReportsExitStatus) {
  std::string big(1 << 20, 'x');  // larger than a pipe buffer in both directions
  hapkg::ProcessOptions o;
  o.input = big;
  auto r = hapkg::run_process({"cat"}, o);
  EXPECT_EQ(r.out.size(), big.size());
  EXPECT_EQ(hapkg::run_process({"sh", "-c", "exit 7"}).exit_status, 7);
}

TEST(RunProcess, OutputFdTakesStdoutAndStderrInTheOrderWritten) {
  hapkg::TempDir t("process-test");
  std::string log = t.path() + "/log";
  { std::ofstream(log) << "before\n"; }
  int fd = ::open(log.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  hapkg::ProcessOptions o;
  o.output_fd = fd;
  o.input = "stdin line\n";
  auto r = hapkg::run_process({"sh", "-c", "echo out1; echo err1 >&2; cat; exit 3"}, o);
  ::close(fd);
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_EQ(r.out, "");  // nothing captured: it is all in the file
  EXPECT_EQ(r.err, "");
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "before\nout1\nerr1\nstdin line\n");
}

TEST(RunProcess, MissingToolIsAnOperationalFailure) {
  try {
    hapkg::run_process({"hapkg-no-such-tool"});
    FAIL();
  } catch (const hapkg::Error& e) {
    EXPECT_EQ(e.code(), hapkg::Exit::kFailure);
  }
}

}  // namespace

TEST(Process, ChildGetsDefaultSigpipe) {
  // The parent ignores SIGPIPE while feeding stdin; a child must not inherit
  // that, or `yes | head -1` style pipelines inside it fail with EPIPE.
  hapkg::run_process({"true"});
  auto r = hapkg::run_process({"sh", "-c", "grep SigIgn /proc/self/status"});
  ASSERT_EQ(r.exit_status, 0);
  unsigned long long mask = std::stoull(r.out.substr(r.out.find(':') + 1), nullptr, 16);
  EXPECT_EQ(mask & (1ull << (SIGPIPE - 1)), 0u) << r.out;
}

namespace {

// A process that runs `sleep` through run_process is SIGKILLed; returns the
// sleep's pid and whether it was still alive (not a zombie) after a bounded
// wait of up to `polls` x 10 ms for it to end (the kernel signals it as the
// parent exits; the wait only covers the scheduling of the two processes).
bool grandchild_survives(bool die_with_parent, pid_t& sleeper, int polls) {
  hapkg::TempDir t("process-test");
  std::string pidfile = t.path() + "/pid";
  pid_t child = ::fork();
  if (child == 0) {
    hapkg::ProcessOptions o;
    o.die_with_parent = die_with_parent;
    hapkg::run_process({"sh", "-c", "echo $$ > \"$0.tmp\" && mv \"$0.tmp\" \"$0\" && exec sleep 300", pidfile}, o);
    ::_exit(0);
  }
  sleeper = 0;
  for (int i = 0; i < 1000 && !sleeper; ++i) {
    std::ifstream in(pidfile);
    if (!(in >> sleeper)) sleeper = 0, ::usleep(10000);
  }
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  if (!sleeper) return false;
  auto alive = [&] {
    std::ifstream stat("/proc/" + std::to_string(sleeper) + "/stat");
    std::string pid, comm, state;
    return static_cast<bool>(stat >> pid >> comm >> state) && state != "Z";
  };
  for (int i = 0; i < polls && alive(); ++i) ::usleep(10000);
  return alive();
}

TEST(RunProcess, DieWithParentEndsTheChildWhenTheParentIsKilled) {
  pid_t sleeper = 0;
  EXPECT_FALSE(grandchild_survives(true, sleeper, 1000));
  EXPECT_NE(sleeper, 0);
  // Without it the child outlives its parent: what the option is for.
  bool survived = grandchild_survives(false, sleeper, 100);
  ASSERT_NE(sleeper, 0);
  if (survived) ::kill(sleeper, SIGKILL);
  EXPECT_TRUE(survived);
}

}  // namespace
