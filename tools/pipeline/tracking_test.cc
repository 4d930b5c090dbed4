// The track step's decisions: check_series' states to drop / applies /
// fails, the one-line-per-patch report, a source without Watch, and a
// new-upstream merge (lay_new_upstream) on a small packaging and a real
// tar.gz orig: a patch already in the new release is dropped (Debian's: out
// of debian/patches; ours: left for the patch step to skip), one that still
// applies is kept, one that no longer applies fails the merge naming it.
// The download half (track --download's code) is tracker/upstream's test;
// the whole merge on corosync is tests/pipeline/new_upstream.sh's.
#include "pipeline/tracking.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "deb/changelog.h"
#include "pipeline/patching.h"
#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;
namespace fs = std::filesystem;
using hapkg::patch::PatchState;
using hapkg::read_file;
using hapkg::write_file_atomic;

namespace {

std::string diff(const std::string& file, const std::string& from, const std::string& to) {
  return "--- a/" + file + "\n+++ b/" + file + "\n@@ -1 +1 @@\n-" + from + "\n+" + to + "\n";
}

// Packaging of pkg 1.0 (two Debian patches), ours (two upstream patches),
// and the 2.0 orig, which has one Debian fix and one of ours already.
struct Merge {
  hapkg::TempDir tmp;
  std::string tree = tmp.path() + "/pkg-1.0", ours = tmp.path() + "/patches", out = tmp.path() + "/out";
  std::string orig = tmp.path() + "/pkg_2.0.orig.tar.gz";
  Merge(const std::string& packaged = "1.0-3") {
    fs::create_directories(tree + "/debian/patches");
    fs::create_directories(ours);
    fs::create_directories(out);
    write_file_atomic(tree + "/debian/changelog", "pkg (" + packaged +
                                                      ") unstable; urgency=medium\n\n  * Fix.\n\n -- A B "
                                                      "<a@example.org>  Mon, 01 Jan 2024 00:00:00 +0000\n");
    write_file_atomic(tree + "/debian/patches/fixed-upstream.patch", diff("a.c", "bug", "fixed"));
    write_file_atomic(tree + "/debian/patches/still-needed.patch", diff("b.c", "old", "new"));
    write_file_atomic(tree + "/debian/patches/series", "fixed-upstream.patch\n# ours next\nstill-needed.patch -p1\n");
    write_file_atomic(ours + "/ours-upstream.patch", diff("c.c", "slow", "fast"));
    write_file_atomic(ours + "/ours-needed.patch", diff("d.c", "x", "y"));
    write_file_atomic(ours + "/series", "ours-upstream.patch\nours-needed.patch\n");
    std::string up = tmp.path() + "/up/pkg-2.0";
    fs::create_directories(up + "/debian");  // upstream's own debian/ is replaced
    write_file_atomic(up + "/debian/junk", "upstream's\n");
    write_file_atomic(up + "/a.c", "fixed\n");
    write_file_atomic(up + "/b.c", "old\n");
    write_file_atomic(up + "/c.c", "fast\n");
    write_file_atomic(up + "/d.c", "x\n");
    auto r = hapkg::run_process({"tar", "-czf", orig, "-C", tmp.path() + "/up", "pkg-2.0"});
    if (r.exit_status != 0) throw std::runtime_error("tar: " + r.err);
  }
  pl::LayRequest request(const std::string& packaged = "1.0-3") const {
    return {"pkg", packaged, "2.0", tree, {{orig, ""}}, out, ours, "hapkg test <test@hapkg.invalid>"};
  }
};

}  // namespace

TEST(PatchDecision, FromCheckSeriesStates) {
  EXPECT_EQ(pl::decide(PatchState::kAlreadyUpstream), pl::PatchDecision::kDrop);
  EXPECT_EQ(pl::decide(PatchState::kClean), pl::PatchDecision::kApplies);
  EXPECT_EQ(pl::decide(PatchState::kApplied), pl::PatchDecision::kApplies);
  EXPECT_EQ(pl::decide(PatchState::kNeedsFuzz), pl::PatchDecision::kFails);  // zero fuzz
  EXPECT_EQ(pl::decide(PatchState::kFails), pl::PatchDecision::kFails);
}

TEST(PatchDecision, OneLinePerPatchNamingWhoseItIs) {
  auto v = pl::decide_patches({{"a.patch", PatchState::kAlreadyUpstream, ""},
                               {"b.patch", PatchState::kClean, ""},
                               {"c.patch", PatchState::kNeedsFuzz, "hunk #1 with fuzz 2"},
                               {"d.patch", PatchState::kFails, "b.c: hunk #1 FAILED"}},
                              {"c.patch"});
  ASSERT_EQ(v.size(), 4u);
  EXPECT_FALSE(v[0].ours);
  EXPECT_TRUE(v[2].ours);
  EXPECT_EQ(pl::render_verdicts(v),
            (std::vector<std::string>{"drop a.patch (debian/patches): already applied upstream",
                                      "keep b.patch (debian/patches): applies",
                                      "FAIL c.patch (patches/): needs fuzz: hunk #1 with fuzz 2",
                                      "FAIL d.patch (debian/patches): b.c: hunk #1 FAILED"}));
  EXPECT_EQ(pl::verdicts_json(v)[0]["decision"], "drop");
  EXPECT_EQ(pl::verdicts_json(v)[2]["origin"], "patches");
}

TEST(TrackUpstream, SourceWithoutWatchIsNotTracked) {
  pl::SourceEntry s;
  s.name = "hapkg";
  auto st = pl::track_upstream(s, "1:0.9-2", "/nonexistent");
  EXPECT_FALSE(st.tracked);
  EXPECT_EQ(st.packaged, "0.9");
  EXPECT_EQ(st.summary(), "not tracked");
  EXPECT_FALSE(st.newer());
}

TEST(LayNewUpstream, DropsWhatIsUpstreamKeepsWhatApplies) {
  Merge t;
  std::vector<std::string> log;
  auto m = pl::lay_new_upstream(t.request(), [&](const std::string& l) { log.push_back(l); });
  EXPECT_EQ(m.tree, t.out + "/pkg-2.0");
  EXPECT_EQ(m.version, "2.0-1");
  ASSERT_EQ(m.patches.size(), 4u);
  EXPECT_EQ(pl::render_verdicts(m.patches),
            (std::vector<std::string>{"drop fixed-upstream.patch (debian/patches): already applied upstream",
                                      "keep still-needed.patch (debian/patches): applies",
                                      "drop ours-upstream.patch (patches/): already applied upstream",
                                      "keep ours-needed.patch (patches/): applies"}));
  // Debian's dropped patch is out of the series (comments and options kept) and gone.
  EXPECT_EQ(read_file(m.tree + "/debian/patches/series"), "# ours next\nstill-needed.patch -p1\n");
  EXPECT_FALSE(fs::exists(m.tree + "/debian/patches/fixed-upstream.patch"));
  // The packaging's debian/ replaced upstream's; the tree is the new orig's.
  EXPECT_FALSE(fs::exists(m.tree + "/debian/junk"));
  EXPECT_EQ(read_file(m.tree + "/a.c"), "fixed\n");
  auto cl = hapkg::deb::read_changelog(m.tree + "/debian/changelog");
  ASSERT_EQ(cl.entries.size(), 2u);
  EXPECT_EQ(cl.entries[0].version, "2.0-1");
  EXPECT_EQ(cl.entries[0].distribution(), "UNRELEASED");
  EXPECT_NE(read_file(m.tree + "/debian/changelog").find("  * New upstream release.\n"), std::string::npos);
  // The patch step then applies the rest with zero fuzz, skipping our dropped one.
  auto p = pl::apply_project_patches(m.tree, t.ours, {"ours-upstream.patch"});
  EXPECT_EQ(p.applied, (std::vector<std::string>{"still-needed.patch", "ours-needed.patch"}));
  EXPECT_EQ(read_file(m.tree + "/b.c"), "new\n");
  EXPECT_EQ(read_file(m.tree + "/d.c"), "y\n");
}

TEST(LayNewUpstream, KeepsTheEpoch) {
  Merge t("1:1.0-3");
  auto m = pl::lay_new_upstream(t.request("1:1.0-3"), [](const std::string&) {});
  EXPECT_EQ(m.version, "1:2.0-1");
}

TEST(LayNewUpstream, APatchThatNoLongerAppliesFailsNamingIt) {
  Merge t;
  // Upstream rewrote d.c: ours-needed.patch's context is gone.
  write_file_atomic(t.ours + "/ours-needed.patch", diff("d.c", "gone", "y"));
  try {
    pl::lay_new_upstream(t.request(), [](const std::string&) {});
    FAIL() << "merged although a patch fails";
  } catch (const hapkg::InputError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("new upstream 2.0: patches that do not apply"), std::string::npos) << what;
    EXPECT_NE(what.find("\n  FAIL ours-needed.patch (patches/): "), std::string::npos) << what;
    EXPECT_EQ(what.find("keep "), std::string::npos) << "only the failures in the message: " << what;
  }
}

TEST(LayNewUpstream, OurPackagingChangeCanRebaseAFailingDebianPatch) {
  Merge t;
  // Debian's patch no longer applies to 2.0 ...
  write_file_atomic(t.tree + "/debian/patches/still-needed.patch", diff("b.c", "gone", "new"));
  // ... and ours (a change to debian/ only) rebases it, as trixie's
  // corosync replaced bookworm's CVE-2025-30472.patch.
  write_file_atomic(t.ours + "/rebase-still-needed.patch",
                    "--- a/debian/patches/still-needed.patch\n+++ b/debian/patches/still-needed.patch\n"
                    "@@ -1,5 +1,5 @@\n --- a/b.c\n +++ b/b.c\n @@ -1 +1 @@\n--gone\n+-old\n +new\n");
  write_file_atomic(t.ours + "/series", "rebase-still-needed.patch\nours-upstream.patch\nours-needed.patch\n");
  auto m = pl::lay_new_upstream(t.request(), [](const std::string&) {});
  EXPECT_EQ(m.packaging, (std::vector<std::string>{"rebase-still-needed.patch"}));
  EXPECT_EQ(pl::render_verdicts(m.patches)[1], "keep still-needed.patch (debian/patches): applies");
  // The patch step skips what the merge applied or dropped.
  auto p = pl::apply_project_patches(m.tree, t.ours, {"rebase-still-needed.patch", "ours-upstream.patch"});
  EXPECT_TRUE(p.packaging.empty());
  EXPECT_EQ(p.applied, (std::vector<std::string>{"still-needed.patch", "ours-needed.patch"}));
  EXPECT_EQ(read_file(m.tree + "/b.c"), "new\n");
}
