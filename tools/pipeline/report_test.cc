// The report step on a fixture: a work-item file whose checks name the
// pipeline's archive as @ARCHIVE@, an archive holding one of the two
// sources they ask for, and a state directory with two step records.
#include "pipeline/report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;
namespace fs = std::filesystem;
using hapkg::read_file;
using hapkg::write_file_atomic;

namespace {

pl::StepRecord record(const std::string& step, const std::string& result, const std::string& detail, double seconds) {
  pl::StepRecord r;
  r.package = "hello";
  r.step = step;
  r.result = result;
  r.detail = detail;
  r.seconds = seconds;
  r.log = "/state/logs/hello/" + step + ".log";
  return r;
}

struct Fixture {
  hapkg::TempDir t;
  pl::Manifest m;
  pl::StateStore state{t.path() + "/state"};
  std::string out = t.path() + "/out";
  Fixture() {
    m.archive = t.path() + "/archive";
    fs::create_directories(m.archive + "/dists/bookworm/main/source");
    write_file_atomic(m.archive + "/dists/bookworm/main/source/Sources",
                      "Package: hello\nVersion: 1.0-1~12.1\nDirectory: pool/main/h/hello\n\n");
    m.work_items = {t.path() + "/ha-stack.txt"};
    write_file_atomic(m.work_items[0],
                      "Work items:\n"
                      "[jdoe] publish hello {archive-has hello >= 1.0-1~12.1 in @ARCHIVE@ bookworm}: TODO\n"
                      "[ann] publish corosync {archive-has corosync in @ARCHIVE@ bookworm}: INPROGRESS\n"
                      "[bob] write the docs: DONE\n");
    state.save(record("fetch", "ok", "", 1.4));
    state.save(record("source", "failed", "dpkg-source: <error> & more", 2.6));
    fs::create_directories(out);
  }
};

TEST(RunReport, ChecksAgainstThisArchiveCountDoneAndTheStepTableFollows) {
  Fixture f;
  pl::RunReport r = pl::write_run_report(f.m, f.state, f.out);
  EXPECT_EQ(r.done, 2);  // the check that holds, and the item written DONE
  EXPECT_EQ(r.total, 3);
  EXPECT_EQ(r.markdown, f.out + "/report.md");
  EXPECT_EQ(r.html, f.out + "/report.html");
  std::set<std::string> files;
  for (const auto& e : fs::directory_iterator(f.out)) files.insert(e.path().filename().string());
  EXPECT_EQ(files, (std::set<std::string>{"report.md", "report.html"}));  // no temp file left

  std::string md = read_file(r.markdown);
  std::string table = "\n# Pipeline steps\n\n| package | step | result | seconds | log |\n|---|---|---|---|---|\n"
                      "| hello | fetch | ok | 1 | /state/logs/hello/fetch.log |\n"
                      "| hello | source | failed: dpkg-source: <error> & more | 3 | /state/logs/hello/source.log |\n";
  ASSERT_GE(md.size(), table.size());
  EXPECT_EQ(md.substr(md.size() - table.size()), table) << md;
  EXPECT_NE(md.find("publish hello"), std::string::npos) << md;
  EXPECT_EQ(md.find("@ARCHIVE@"), std::string::npos) << md;  // replaced by the archive's path

  std::string html = read_file(r.html);
  auto at = html.find("<h1>Pipeline steps</h1><pre>");
  ASSERT_NE(at, std::string::npos) << html;
  EXPECT_LT(at, html.rfind("</body>"));
  EXPECT_NE(html.find("failed: dpkg-source: &lt;error&gt; &amp; more", at), std::string::npos) << html;
  EXPECT_EQ(html.find("<error>"), std::string::npos);
}

TEST(RunReport, ASuiteTheArchiveDoesNotHaveNamesTheItemAndTheArchive) {
  Fixture f;
  fs::remove_all(f.m.archive + "/dists");
  try {
    pl::write_run_report(f.m, f.state, f.out);
    FAIL() << "reported without the index the check reads";
  } catch (const hapkg::InputError& e) {
    std::string what = e.what();
    EXPECT_EQ(what.rfind(f.m.work_items[0] + ":2: check {archive-has hello >= 1.0-1~12.1 in " + f.m.archive +
                             " bookworm}: ", 0),
              0u)
        << what;
    EXPECT_NE(what.find("no Sources index under " + f.m.archive + "/dists/bookworm"), std::string::npos) << what;
  }
  EXPECT_TRUE(fs::is_empty(f.out));
}

TEST(RunReport, MalformedCheckNamesTheWorkItemLine) {
  Fixture f;
  write_file_atomic(f.m.work_items[0], "Work items:\n[jdoe] ok: DONE\n[x] broken {archive-has}: TODO\n");
  try {
    pl::write_run_report(f.m, f.state, f.out);
    FAIL() << "accepted";
  } catch (const hapkg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(f.m.work_items[0] + ":3"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(f.out + "/report.md"));  // nothing half-written
}

}  // namespace
