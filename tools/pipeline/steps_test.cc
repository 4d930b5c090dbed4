// The wiring of the real steps (steps.h): their order, which run once for
// the archive, what each one hashes as its inputs (so that a changed input
// reruns it, and only then), and the Build-Depends order read from the
// patched trees. The steps' work has its own tests (fetch_test,
// patching_test, source_upload_test, publish_test, report_test, ...).
#include "pipeline/steps.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>

#include "util/file.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;
namespace fs = std::filesystem;
using hapkg::write_file_atomic;

namespace {

struct Fixture {
  hapkg::TempDir t;
  pl::Manifest m;
  pl::StateStore state{t.path() + "/state"};
  pl::RunOptions options;
  Fixture() {
    m.path = t.path() + "/ha-stack.conf";
    m.archive = t.path() + "/archive";
    for (const char* n : {"a", "b", "c"}) {
      pl::SourceEntry e;
      e.name = n;
      m.sources.push_back(e);
    }
  }
  pl::StepContext context(const std::string& package, const std::string& step) const {
    return pl::StepContext{m, m.find(package), state, options, package, step, "", ""};
  }
  std::map<std::string, pl::StepDef> steps(const pl::SigningKey& key = {}) const {
    std::map<std::string, pl::StepDef> by_name;
    for (auto& s : pl::pipeline_steps(key)) by_name[s.name] = s;
    return by_name;
  }
  std::string inputs(const std::string& step, const pl::SigningKey& key = {}, const std::string& package = "a") {
    return steps(key).at(step).inputs(context(package, step));
  }
  // A finished patch step of `package` whose tree has this debian/control.
  void patched(const std::string& package, const std::string& control, const std::string& result = "ok") {
    std::string tree = state.output_dir(package, "patch") + "/" + package + "-1.0";
    fs::create_directories(tree + "/debian");
    write_file_atomic(tree + "/debian/control", control);
    pl::StepRecord r;
    r.package = package;
    r.step = "patch";
    r.result = result;
    r.outputs = {{"tree", package + "-1.0"}};
    state.save(r);
  }
};

TEST(PipelineSteps, OrderAndWhichRunOnceForTheArchive) {
  EXPECT_EQ(pl::step_names(), (std::vector<std::string>{"fetch", "track", "patch", "version", "source", "binaries", "sign",
                                                        "publish", "verify", "report"}));
  for (const auto& s : pl::pipeline_steps({}))
    EXPECT_EQ(s.per_package, s.name != "verify" && s.name != "report") << s.name;
  Fixture f;
  pl::SourceEntry e;
  EXPECT_TRUE(f.steps().at("binaries").applies(e));
  e.binaries = false;  // Build: source
  EXPECT_FALSE(f.steps().at("binaries").applies(e));
  EXPECT_FALSE(f.steps().at("source").applies);  // every other step applies to every source
}

TEST(PipelineSteps, SourceHashesTheChangelogTrailer) {
  Fixture f;
  ::unsetenv("DEBFULLNAME");
  ::unsetenv("DEBEMAIL");
  EXPECT_EQ(f.inputs("source"), "hapkg pipeline <pipeline@hapkg.invalid>");
  ::setenv("DEBFULLNAME", "Jane Doe", 1);
  ::setenv("DEBEMAIL", "jane@example.org", 1);
  EXPECT_EQ(f.inputs("source"), "Jane Doe <jane@example.org>");
  f.m.maintainer = "HA Team <ha@example.org>";  // the manifest's Maintainer wins
  EXPECT_EQ(f.inputs("source"), "HA Team <ha@example.org>");
  ::unsetenv("DEBFULLNAME");
  ::unsetenv("DEBEMAIL");
}

TEST(PipelineSteps, SignAndPublishHashTheKeyAndTheArchive) {
  Fixture f;
  pl::SigningKey one{"", "AAAA", ""}, two{"", "BBBB", ""};
  EXPECT_EQ(f.inputs("sign", one), "AAAA");
  EXPECT_NE(f.inputs("sign", one), f.inputs("sign", two));
  std::string publish = f.inputs("publish", one);
  EXPECT_EQ(publish, f.m.archive + std::string(1, '\0') + "AAAA");
  EXPECT_NE(f.inputs("publish", two), publish);
  f.m.archive = f.t.path() + "/other-archive";
  EXPECT_NE(f.inputs("publish", one), publish);
  EXPECT_FALSE(f.steps().at("version").inputs);  // only its predecessors' hashes
  EXPECT_FALSE(f.steps().at("verify").inputs);
}

TEST(PipelineSteps, ReportHashesTheWorkItemFiles) {
  Fixture f;
  f.m.work_items = {f.t.path() + "/one.txt", f.t.path() + "/two.txt"};
  write_file_atomic(f.m.work_items[0], "Work items:\n[a] x: TODO\n");
  write_file_atomic(f.m.work_items[1], "Work items:\n[b] y: DONE\n");
  std::string before = f.inputs("report", {}, pl::kArchivePackage);
  EXPECT_NE(before.find("[a] x: TODO"), std::string::npos);
  EXPECT_EQ(f.inputs("report", {}, pl::kArchivePackage), before);
  write_file_atomic(f.m.work_items[1], "Work items:\n[b] y: TODO\n");
  EXPECT_NE(f.inputs("report", {}, pl::kArchivePackage), before);
}

TEST(PipelineSteps, FetchAndPatchHashTheirSourcesOwnFiles) {
  Fixture f;
  std::string dir = f.t.path() + "/sources";
  fs::create_directories(dir + "/patches");
  write_file_atomic(dir + "/Sources", "Package: a\nVersion: 1.0-1\n");
  write_file_atomic(dir + "/patches/series", "fix.patch\n");
  write_file_atomic(dir + "/patches/fix.patch", "--- a/x\n+++ b/x\n");
  pl::SourceEntry& a = f.m.sources[0];
  a.packaging.kind = pl::Packaging::Kind::kSources;
  a.packaging.uri = dir;
  a.patches = dir + "/patches";
  EXPECT_EQ(f.inputs("fetch"), "Package: a\nVersion: 1.0-1\n");
  std::string patch = f.inputs("patch");
  write_file_atomic(dir + "/Sources", "Package: a\nVersion: 1.0-2\n");
  EXPECT_EQ(f.inputs("fetch"), "Package: a\nVersion: 1.0-2\n");
  EXPECT_EQ(f.inputs("patch"), patch);  // the patch step does not read Sources
  write_file_atomic(dir + "/patches/fix.patch", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n");
  EXPECT_NE(f.inputs("patch"), patch);
}

TEST(PipelineSteps, BuildDependenciesAmongTheManifestsPackages) {
  Fixture f;
  f.patched("a",
            "Source: a\nBuild-Depends: debhelper-compat (= 13), libb-dev (>= 1.0) [amd64] | libother-dev,\n"
            " c-tools:native\nBuild-Depends-Indep: a-doc\n\nPackage: a-doc\nArchitecture: all\n");
  f.patched("b", "Source: b\nBuild-Depends: debhelper-compat (= 13), b-bin\n\nPackage: libb-dev\n\nPackage: b-bin\n");
  f.patched("c", "Source: c\nBuild-Depends-Arch: a-doc\n\nPackage: c-tools\n");
  auto deps = pl::build_dependencies(f.m, f.state);
  EXPECT_EQ(deps("a"), (std::vector<std::string>{"b", "c"}));  // alternatives, arch lists, :native
  EXPECT_TRUE(deps("b").empty());                                 // its own binaries do not count
  EXPECT_EQ(deps("c"), std::vector<std::string>{"a"});
  // Read when asked, not when made; a failed patch step's tree is not read.
  f.patched("b", "Source: b\nBuild-Depends: c-tools\n\nPackage: libb-dev\n", "failed");
  EXPECT_EQ(deps("a"), std::vector<std::string>{"c"});
  EXPECT_TRUE(deps("b").empty());
  EXPECT_TRUE(deps("zz").empty());
}

}  // namespace

TEST(PipelineSteps, TrackHashesNewUpstreamAndWithItOurPatches) {
  Fixture f;
  std::string plain = f.inputs("track");
  f.options.new_upstream = true;
  std::string merging = f.inputs("track");
  EXPECT_NE(merging, plain);  // --new-upstream reruns track
  std::string dir = f.t.path() + "/patches";
  fs::create_directories(dir);
  write_file_atomic(dir + "/series", "one.patch\n");
  write_file_atomic(dir + "/one.patch", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n");
  f.m.sources[0].patches = dir;
  EXPECT_NE(f.inputs("track"), merging);  // the merge checks our patches
  f.options.new_upstream = false;
  EXPECT_EQ(f.inputs("track"), plain);  // without a merge they are the patch step's business
}
