// The pipeline's library front (pipeline.h) with the real steps on a
// manifest without sources: --state moves the state and the archive (not a
// named Archive), the key is made by run and never by plan, verify and
// report run once for the archive and are skipped the second time, and a
// second run on the same state directory is refused while one holds it.
// A full run over real packages is tests/pipeline/run_resume.sh's.
#include "pipeline/pipeline.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "util/error.h"
#include "util/file.h"
#include "util/gpg.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;
namespace fs = std::filesystem;

namespace {

struct Fixture {
  hapkg::TempDir t;
  pl::Manifest m;
  pl::RunOptions o;
  std::string state = t.path() + "/state";
  Fixture() {
    m.path = t.path() + "/ha-stack.conf";
    m.state = t.path() + "/manifest-state";
    m.archive = m.state + "/archive";
    m.signing_key = "generate";
    o.state_dir = state;
  }
  ~Fixture() {
    if (const char* home = std::getenv("GNUPGHOME")) hapkg::gpg::stop_agent(home);
    ::unsetenv("GNUPGHOME");
  }
};

std::map<std::string, std::string> results(const std::vector<pl::Outcome>& out) {
  std::map<std::string, std::string> r;
  for (const auto& x : out) r[x.package + " " + x.step] = x.result;
  return r;
}

TEST(RunPipeline, StateOptionMovesStateAndArchiveThenASecondRunSkips) {
  Fixture f;
  pl::RunSummary s = pl::run_pipeline(f.m, f.o, nullptr);
  EXPECT_TRUE(s.ok);
  EXPECT_EQ(s.state, f.state);
  EXPECT_EQ(s.archive, f.state + "/archive");  // no Archive field: it follows --state
  EXPECT_EQ(s.logs, f.state + "/logs");
  EXPECT_EQ(s.report, f.state + "/work/archive/report/report.html");
  EXPECT_TRUE(fs::exists(s.report)) << s.report;
  EXPECT_EQ(results(s.outcomes), (std::map<std::string, std::string>{{"archive verify", "ok"}, {"archive report", "ok"}}));
  EXPECT_EQ(std::string(std::getenv("GNUPGHOME")), f.state + "/gnupg");  // every gpg of the run uses it
  EXPECT_FALSE(fs::exists(f.m.state));                                    // the manifest's state is not touched

  auto status = pl::pipeline_status(f.m, f.o);
  ASSERT_EQ(status.size(), 2u);
  EXPECT_EQ(status[0].step, "report");
  EXPECT_EQ(status[1].step, "verify");

  pl::RunSummary again = pl::run_pipeline(f.m, f.o, nullptr);
  EXPECT_TRUE(again.ok);
  EXPECT_EQ(results(again.outcomes),
            (std::map<std::string, std::string>{{"archive verify", "skipped"}, {"archive report", "skipped"}}));
}

TEST(RunPipeline, NamedArchiveStaysWhereTheManifestSays) {
  Fixture f;
  f.m.archive = f.t.path() + "/ppa";
  f.m.archive_given = true;
  EXPECT_EQ(pl::run_pipeline(f.m, f.o, nullptr).archive, f.t.path() + "/ppa");
}

TEST(PlanPipeline, SaysWhatWouldRunAndMakesNoKey) {
  Fixture f;
  auto plan = pl::plan_pipeline(f.m, f.o);
  ASSERT_EQ(plan.size(), 2u);
  for (const auto& p : plan) {
    EXPECT_EQ(p.package, "archive");
    EXPECT_TRUE(p.run) << p.step;
    EXPECT_EQ(p.why, "no record") << p.step;
  }
  EXPECT_FALSE(fs::exists(f.state + "/gnupg"));
  EXPECT_TRUE(pl::pipeline_status(f.m, f.o).empty());
}

TEST(RunPipeline, ASecondRunOnTheSameStateIsRefused) {
  Fixture f;
  fs::create_directories(f.state);
  int fd = ::open((f.state + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);  // as a running `hapkg pipeline run` holds it
  try {
    pl::run_pipeline(f.m, f.o, nullptr);
    ADD_FAILURE() << "ran beside another run";
  } catch (const hapkg::OperationError& e) {
    EXPECT_EQ(std::string(e.what()), f.state + ": another pipeline run is using this state directory");
  }
  ::close(fd);
  EXPECT_FALSE(fs::exists(f.state + "/gnupg"));  // refused before anything was made
  EXPECT_TRUE(pl::run_pipeline(f.m, f.o, nullptr).ok);  // free again
}

}  // namespace
