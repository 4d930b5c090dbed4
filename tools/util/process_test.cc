#include "util/process.h"

#include <gtest/gtest.h>

#include <csignal>

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
