// The engine with stand-in steps (the real steps have their own tests):
// skipping, reruns after a changed input, failures and --keep-going,
// Build-Depends order, and what a killed step leaves behind.
#include "pipeline/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <filesystem>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;
namespace fs = std::filesystem;

namespace {

struct Fixture {
  hapkg::TempDir dir;
  pl::Manifest m;
  std::map<std::string, std::string> input;  // package -> what the "patch" step reads
  std::set<std::string> failing;             // packages whose "build" throws
  std::vector<std::string> ran;              // "pkg step", in order
  std::mutex mu;

  Fixture() {
    m.path = dir.path() + "/m.conf";
    m.state = dir.path() + "/state";
    m.series.push_back({"bookworm"});
    for (const char* n : {"a", "b", "c"}) {
      pl::SourceEntry e;
      e.name = n;
      e.raw = std::string("Source: ") + n + "\n";
      m.sources.push_back(e);
      input[n] = "1";
    }
  }

  std::vector<pl::StepDef> steps() {
    auto step = [this](const char* name, bool per_package = true) {
      pl::StepDef s;
      s.name = name;
      s.per_package = per_package;
      s.inputs = [this, name](const pl::StepContext& c) {
        return std::string(name) == "patch" ? input[c.package] : "";
      };
      s.run = [this, name](pl::StepContext& c) {
        {
          std::lock_guard<std::mutex> l(mu);
          ran.push_back(c.package + " " + name);
        }
        if (std::string(name) == "build" && failing.count(c.package)) throw hapkg::OperationError("build broke");
        hapkg::write_file_atomic(c.out + "/result", c.package);
        c.outputs["file"] = "result";
      };
      return s;
    };
    return {step("fetch"), step("patch"), step("build"), step("verify", false)};
  }

  std::vector<pl::Outcome> run(pl::RunOptions o = {}) {
    ran.clear();
    pl::Engine e(m, steps(), o);
    e.dependencies = [](const std::string& p) {  // c needs a
      return p == "c" ? std::vector<std::string>{"a"} : std::vector<std::string>{};
    };
    return e.run(nullptr);
  }
};

std::string result_of(const std::vector<pl::Outcome>& out, const std::string& pkg, const std::string& step) {
  for (const auto& o : out)
    if (o.package == pkg && o.step == step) return o.result;
  return "(none)";
}

}  // namespace

TEST(PipelineEngine, SecondRunDoesNothingAndAChangedInputRerunsOnlyItsDependents) {
  Fixture f;
  auto first = f.run();
  EXPECT_EQ(f.ran.size(), 10u);  // 3 packages x 3 steps + verify
  EXPECT_EQ(result_of(first, "archive", "verify"), "ok");
  f.run();
  EXPECT_TRUE(f.ran.empty());
  f.input["b"] = "2";
  auto third = f.run();
  EXPECT_EQ(f.ran, (std::vector<std::string>{"b patch", "b build", "archive verify"}));
  EXPECT_EQ(result_of(third, "b", "fetch"), "skipped");
  pl::Engine e(f.m, f.steps(), {});
  for (const auto& p : e.plan()) EXPECT_FALSE(p.run) << p.package << " " << p.step << ": " << p.why;
}

TEST(PipelineEngine, PlanSaysWhyAndDoesNothing) {
  Fixture f;
  f.run();
  f.input["a"] = "2";
  pl::Engine e(f.m, f.steps(), {});
  f.ran.clear();
  std::map<std::string, std::string> why;
  for (const auto& p : e.plan()) why[p.package + " " + p.step] = p.why;
  EXPECT_TRUE(f.ran.empty());
  EXPECT_EQ(why["a fetch"], "up to date");
  EXPECT_EQ(why["a patch"], "inputs changed");
  EXPECT_EQ(why["a build"], "an earlier step reruns");
  EXPECT_EQ(why["b build"], "up to date");
  EXPECT_EQ(why["archive verify"], "inputs changed");
}

TEST(PipelineEngine, FailureStopsOnlyDependentsWithKeepGoing) {
  Fixture f;
  f.failing = {"a"};
  pl::RunOptions o;
  o.keep_going = true;
  auto out = f.run(o);
  EXPECT_EQ(result_of(out, "a", "build"), "failed");
  EXPECT_EQ(result_of(out, "b", "build"), "ok");
  EXPECT_EQ(result_of(out, "c", "build"), "blocked");  // c Build-Depends on a
  EXPECT_EQ(result_of(out, "archive", "verify"), "not run");
  for (const auto& o2 : out)
    if (o2.result == "failed") {
      EXPECT_EQ(o2.detail, "build broke");
      EXPECT_TRUE(fs::exists(o2.log)) << o2.log;
    }
  f.failing.clear();
  f.run(o);
  EXPECT_EQ(f.ran, (std::vector<std::string>{"a build", "c build", "archive verify"}));
}

TEST(PipelineEngine, ParallelRunsEveryPackageInDependencyOrder) {
  Fixture f;
  pl::RunOptions o;
  o.jobs = 3;
  f.run(o);
  auto pos = [&](const std::string& s) { return std::find(f.ran.begin(), f.ran.end(), s) - f.ran.begin(); };
  EXPECT_EQ(f.ran.size(), 10u);
  EXPECT_LT(pos("a build"), pos("c build"));
  EXPECT_EQ(pos("archive verify"), 9);
}

TEST(PipelineEngine, KilledStepLeavesNothingThatLooksComplete) {
  Fixture f;
  f.run();
  // A run killed inside b's build: a staging directory, no new record.
  pl::StateStore st(f.m.state);
  std::string staging = st.begin_output("b", "build");
  hapkg::write_file_atomic(staging + "/result", "half");
  f.input["b"] = "2";
  // ... and one killed between the two renames of a commit: no output at all.
  fs::rename(st.output_dir("a", "build"), st.output_dir("a", "build") + ".partial-old");
  f.run();
  EXPECT_EQ(f.ran, (std::vector<std::string>{"b patch", "a build", "b build", "archive verify"}));
  EXPECT_FALSE(fs::exists(staging));
  EXPECT_FALSE(fs::exists(st.output_dir("a", "build") + ".partial-old"));
  EXPECT_EQ(hapkg::read_file(st.output_dir("b", "build") + "/result"), "b");
}

TEST(PipelineEngine, UnknownStepAndSourceAreInputErrors) {
  Fixture f;
  pl::RunOptions o;
  o.from = "bake";
  EXPECT_THROW(pl::Engine(f.m, f.steps(), o), hapkg::InputError);
  o.from.clear();
  o.only = {"zz"};
  EXPECT_THROW(pl::Engine(f.m, f.steps(), o), hapkg::InputError);
}
