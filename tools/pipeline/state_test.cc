// StateStore on a real temp tree: records round-trip through their JSON
// files, a corrupt record reads as absent (the step reruns), and a staged
// output only replaces the finished one on commit.
#include "pipeline/state.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "util/file.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;
namespace fs = std::filesystem;

namespace {

pl::StepRecord record(const std::string& package, const std::string& step) {
  pl::StepRecord r;
  r.package = package;
  r.step = step;
  r.inputs = "sha256:" + package + step;
  r.result = "ok";
  r.detail = "";
  r.log = "/x/" + step + ".log";
  r.finished = "2026-12-01T22:00:00Z";
  r.seconds = 1.5;
  r.outputs = {{"dsc", package + "_1.0-1.dsc"}};
  return r;
}

TEST(StateStore, MakesItsFoldersAndUsesAnAbsoluteDir) {
  hapkg::TempDir tmp;
  auto cwd = fs::current_path();
  fs::current_path(tmp.path());
  pl::StateStore s("./state");
  fs::current_path(cwd);  // later tests in this process must not run in a removed directory
  EXPECT_TRUE(fs::path(s.dir()).is_absolute());
  EXPECT_EQ(fs::path(s.dir()).filename(), "state");
  for (const char* d : {"records", "work", "logs"}) EXPECT_TRUE(fs::is_directory(s.dir() + "/" + d)) << d;
}

TEST(StateStore, RecordRoundTripsThroughItsFile) {
  hapkg::TempDir tmp;
  pl::StateStore s(tmp.path() + "/state");
  EXPECT_FALSE(s.load("pacemaker", "fetch").has_value());
  auto r = record("pacemaker", "fetch");
  r.result = "failed";
  r.detail = "pacemaker_2.1.5.dsc: Checksums-Sha256 mismatch";
  s.save(r);
  ASSERT_TRUE(fs::exists(s.dir() + "/records/pacemaker/fetch.json"));
  auto back = s.load("pacemaker", "fetch");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(pl::to_json(*back), pl::to_json(r));
  EXPECT_EQ(back->detail, r.detail);
  EXPECT_DOUBLE_EQ(back->seconds, 1.5);
  EXPECT_EQ(back->outputs["dsc"], "pacemaker_1.0-1.dsc");
}

TEST(StateStore, CorruptOrNonObjectRecordIsAbsent) {
  hapkg::TempDir tmp;
  pl::StateStore s(tmp.path());
  s.save(record("corosync", "patch"));
  hapkg::write_file_atomic(s.dir() + "/records/corosync/patch.json", "{\"package\": \"coro");  // killed mid-write
  EXPECT_FALSE(s.load("corosync", "patch").has_value());
  hapkg::write_file_atomic(s.dir() + "/records/corosync/patch.json", "[1, 2]\n");
  EXPECT_FALSE(s.load("corosync", "patch").has_value());
}

TEST(StateStore, MissingFieldsTakeDefaults) {
  auto r = pl::record_from_json(nlohmann::json{{"package", "crmsh"}, {"step", "build"}});
  EXPECT_EQ(r.package, "crmsh");
  EXPECT_EQ(r.result, "");
  EXPECT_EQ(r.seconds, 0);
  EXPECT_TRUE(r.outputs.is_object());
  EXPECT_TRUE(r.outputs.empty());
}

TEST(StateStore, AllIsSortedByPackageThenStepAndSkipsOtherFiles) {
  hapkg::TempDir tmp;
  pl::StateStore s(tmp.path());
  s.save(record("pacemaker", "version"));
  s.save(record("corosync", "patch"));
  s.save(record("pacemaker", "fetch"));
  s.save(record("corosync", "fetch"));
  hapkg::write_file_atomic(s.dir() + "/records/corosync/notes.txt", "not a record\n");
  hapkg::write_file_atomic(s.dir() + "/records/corosync/broken.json", "{");
  std::vector<std::string> got;
  for (const auto& r : s.all()) got.push_back(r.package + " " + r.step);
  EXPECT_EQ(got, (std::vector<std::string>{"corosync fetch", "corosync patch", "pacemaker fetch",
                                           "pacemaker version"}));
}

TEST(StateStore, BeginOutputRemovesLeftoversOfKilledRunsOnlyForThatStep) {
  hapkg::TempDir tmp;
  pl::StateStore s(tmp.path());
  std::string work = s.dir() + "/work/pacemaker";
  fs::create_directories(work + "/fetch.partial-99999/sub");
  fs::create_directories(work + "/patch.partial-99998");
  std::string staging = s.begin_output("pacemaker", "fetch");
  EXPECT_TRUE(fs::is_directory(staging));
  EXPECT_TRUE(fs::is_empty(staging));
  EXPECT_FALSE(fs::exists(work + "/fetch.partial-99999"));
  EXPECT_TRUE(fs::exists(work + "/patch.partial-99998"));  // another step's staging is not ours
  EXPECT_TRUE(fs::is_directory(s.dir() + "/logs/pacemaker"));
  EXPECT_EQ(fs::path(s.log_path("pacemaker", "fetch")).parent_path(), fs::path(s.dir() + "/logs/pacemaker"));
}

TEST(StateStore, CommitReplacesTheFinishedOutputWhole) {
  hapkg::TempDir tmp;
  pl::StateStore s(tmp.path());
  std::string out = s.output_dir("corosync", "fetch");
  EXPECT_FALSE(fs::exists(out));

  std::string first = s.begin_output("corosync", "fetch");
  hapkg::write_file_atomic(first + "/old.dsc", "old\n");
  // Before the commit, the finished output does not exist: nothing looks complete.
  EXPECT_FALSE(fs::exists(out));
  s.commit_output("corosync", "fetch", first);
  EXPECT_EQ(hapkg::read_file(out + "/old.dsc"), "old\n");
  EXPECT_FALSE(fs::exists(first));

  std::string second = s.begin_output("corosync", "fetch");
  hapkg::write_file_atomic(second + "/new.dsc", "new\n");
  EXPECT_EQ(hapkg::read_file(out + "/old.dsc"), "old\n");  // the previous output stays until the commit
  s.commit_output("corosync", "fetch", second);
  EXPECT_EQ(hapkg::read_file(out + "/new.dsc"), "new\n");
  EXPECT_FALSE(fs::exists(out + "/old.dsc"));
  EXPECT_FALSE(fs::exists(out + ".partial-old"));
}

}  // namespace
