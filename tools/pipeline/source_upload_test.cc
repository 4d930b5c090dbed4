// The source step on a small real 3.0 (quilt) package (source/test_tree.h:
// hello 1.0-1 with its orig tarball and one patch), against Debian's tools
// doing the same by hand: dch -v V -D SERIES for the changelog entry (its
// date set to SOURCE_DATE_EPOCH's, as `date -R` writes it, or one second
// after the previous entry when SOURCE_DATE_EPOCH is older), dpkg-source -b
// for the .dsc and debian tarball (compared byte for byte), dpkg-genchanges
// -S -sa for the .changes. make_source_upload is the step without lintian
// (build_source_upload adds it: seconds per call, tested in build_test's
// RunLintian and run by tests/pipeline/run_resume.sh).
#include "pipeline/source_upload.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <set>

#include "source/test_tree.h"
#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/strings.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;
namespace fs = std::filesystem;
using hapkg::read_file;
using hapkg::run_process;

namespace {

// After the test tree's entry (2026-12-01 12:00:00 UTC).
const char* kEpoch = "1796212800";  // 2026-12-02 12:00:00 UTC
// Before it: the pipeline's tests pin SOURCE_DATE_EPOCH earlier than the
// packaging's latest entry (tests/pipeline/default_run.sh).
const char* kOldEpoch = "1764590400";          // 2025-12-01 12:00:00 UTC
const std::string kAfterPrevious = "1796126401";  // the tree's entry + 1 s
const std::string kVersion = "1.0-1~12.1";
const std::string kItem = "Built for bookworm by the hapkg pipeline from 1.0-1.";

hapkg::ProcessResult run_in(const std::string& dir, const std::vector<std::string>& argv,
                            const std::string& epoch = kEpoch) {
  hapkg::ProcessOptions o;
  o.cwd = dir;
  o.env = std::vector<std::string>{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C.UTF-8", "TZ=UTC",
                                   "DEBFULLNAME=HA Team", "DEBEMAIL=ha@example.org",
                                   "SOURCE_DATE_EPOCH=" + epoch};
  return run_process(argv, o);
}

// What a maintainer would do by hand in `dir` (a copy of the tree, the orig
// beside it): dch, the trailer's date pinned, dpkg-source -b, dpkg-genchanges.
// `entry` is the entry's date, `env` the SOURCE_DATE_EPOCH the tools see.
std::string reference_build(const std::string& dir, const std::string& tree, const std::string& entry = kEpoch,
                            const std::string& env = kEpoch) {
  auto dch = run_in(tree, {"dch", "-b", "-v", kVersion, "-D", "bookworm", "--force-distribution", kItem});
  EXPECT_EQ(dch.exit_status, 0) << dch.err;
  std::string date = hapkg::trim(run_in(dir, {"date", "-u", "-R", "-d", "@" + entry}).out);
  std::string cl = read_file(tree + "/debian/changelog");
  auto trailer = cl.find("\n -- HA Team <ha@example.org>  ");
  EXPECT_NE(trailer, std::string::npos) << cl;
  auto at = trailer + std::string("\n -- HA Team <ha@example.org>  ").size();
  cl.replace(at, cl.find('\n', at) - at, date);
  hapkg::write_file_atomic(tree + "/debian/changelog", cl);
  auto b = run_in(dir, {"dpkg-source", "-b", fs::path(tree).filename().string()}, env);
  EXPECT_EQ(b.exit_status, 0) << b.out << b.err;
  auto g = run_in(tree, {"dpkg-genchanges", "-S", "-sa"}, env);
  EXPECT_EQ(g.exit_status, 0) << g.err;
  return g.out;
}

struct Fixture {
  hapkg::TempDir t;
  std::string tree = hapkg::source::make_test_tree(t);
  pl::SourceUploadRequest req;
  std::vector<std::string> log;
  Fixture() {
    req.patched_tree = tree;
    req.origs = {t.path() + "/hello_1.0.orig.tar.gz"};
    req.out_dir = t.path() + "/out/bookworm";
    req.series = "bookworm";
    req.version = kVersion;
    req.maintainer = "HA Team <ha@example.org>";
    req.changes = {kItem};
  }
  pl::SourceUpload build() {
    return pl::make_source_upload(req, [this](const std::string& l) { log.push_back(l); });
  }
};

TEST(SourceUpload, SameBytesAsDchDpkgSourceAndDpkgGenchanges) {
  Fixture f;
  std::string before = read_file(f.tree + "/debian/changelog");
  ::setenv("SOURCE_DATE_EPOCH", kEpoch, 1);
  pl::SourceUpload u = f.build();
  ::unsetenv("SOURCE_DATE_EPOCH");
  EXPECT_EQ(u.dsc, "hello_" + kVersion + ".dsc");
  EXPECT_EQ(u.changes, "hello_" + kVersion + "_source.changes");
  EXPECT_EQ(std::set<std::string>(u.files.begin(), u.files.end()),
            (std::set<std::string>{"hello_1.0.orig.tar.gz", "hello_" + kVersion + ".debian.tar.xz"}));
  EXPECT_EQ(read_file(f.tree + "/debian/changelog"), before);  // the patched tree is not changed
  EXPECT_FALSE(fs::exists(f.req.out_dir + "/hello-1.0"));      // nor its copy kept
  ASSERT_GE(f.log.size(), 2u);
  EXPECT_EQ(f.log[0], "debian/changelog: " + kVersion + " for bookworm");
  EXPECT_EQ(f.log[1], "built " + f.req.out_dir + "/" + u.dsc);

  std::string ref = f.t.path() + "/ref";
  fs::create_directories(ref);
  fs::copy(f.tree, ref + "/hello-1.0", fs::copy_options::recursive);
  fs::copy_file(f.req.origs[0], ref + "/hello_1.0.orig.tar.gz");
  std::string changes = reference_build(ref, ref + "/hello-1.0");
  for (const auto& name : {u.dsc, "hello_" + kVersion + ".debian.tar.xz"})
    EXPECT_EQ(read_file(f.req.out_dir + "/" + name), read_file(ref + "/" + name)) << name << " differs";
  EXPECT_EQ(read_file(f.req.out_dir + "/" + u.changes), changes);
}

// SOURCE_DATE_EPOCH older than the packaging's latest entry: the new entry
// is dated one second after it (what dch run after that entry writes, and
// what lintian's latest-changelog-entry-without-new-date asks), the rest
// as before: the same bytes as dch with that date, dpkg-source -b and
// dpkg-genchanges.
TEST(SourceUpload, EntryDatedAfterThePreviousWhenTheEpochIsOlder) {
  Fixture f;
  ::setenv("SOURCE_DATE_EPOCH", kOldEpoch, 1);
  pl::SourceUpload u = f.build();
  ::unsetenv("SOURCE_DATE_EPOCH");
  std::string ref = f.t.path() + "/ref";
  fs::create_directories(ref);
  fs::copy(f.tree, ref + "/hello-1.0", fs::copy_options::recursive);
  fs::copy_file(f.req.origs[0], ref + "/hello_1.0.orig.tar.gz");
  std::string changes = reference_build(ref, ref + "/hello-1.0", kAfterPrevious, kOldEpoch);
  EXPECT_NE(changes.find("\nDate: Tue, 01 Dec 2026 12:00:01 +0000\n"), std::string::npos) << changes;
  for (const auto& name : {u.dsc, "hello_" + kVersion + ".debian.tar.xz"})
    EXPECT_EQ(read_file(f.req.out_dir + "/" + name), read_file(ref + "/" + name)) << name << " differs";
  EXPECT_EQ(read_file(f.req.out_dir + "/" + u.changes), changes);
}

TEST(SourceUpload, EntryTimeIsThePinnedOneWhenNewer) {
  hapkg::deb::Changelog cl;
  EXPECT_EQ(pl::entry_time(cl, 5), 5);  // no entry below it
  cl.entries.resize(1);
  cl.entries[0].date = "Tue, 01 Dec 2026 12:00:00 +0000";
  EXPECT_EQ(pl::entry_time(cl, 1796126401), 1796126401);
  EXPECT_EQ(pl::entry_time(cl, 1796126400), 1796126401);  // the same second is not newer
  EXPECT_EQ(pl::entry_time(cl, 1764590400), 1796126401);
}

TEST(SourceUpload, BadSourceDateEpochIsAnInputErrorAndBuildsNothing) {
  Fixture f;
  ::setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
  try {
    f.build();
    FAIL() << "built";
  } catch (const hapkg::InputError& e) {
    EXPECT_EQ(std::string(e.what()), "SOURCE_DATE_EPOCH='yesterday' is not a number of seconds");
  }
  ::unsetenv("SOURCE_DATE_EPOCH");
  for (const auto& e : fs::directory_iterator(f.req.out_dir))
    EXPECT_NE(e.path().extension(), ".dsc") << e.path();
}

}  // namespace
