// The patch step on a small source tree: a debian/-only patch goes straight
// into the packaging, an upstream patch is appended to debian/patches and
// pushed after Debian's own; a patch needing fuzz is refused by name.
#include "pipeline/patching.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;
namespace fs = std::filesystem;
using hapkg::read_file;
using hapkg::write_file_atomic;

namespace {

struct Trees {
  hapkg::TempDir tmp;
  std::string tree = tmp.path() + "/src", ours = tmp.path() + "/patches";
  Trees() {
    fs::create_directories(tree + "/debian/patches");
    fs::create_directories(ours);
    fs::create_directories(tree + "/lib");
    write_file_atomic(tree + "/lib/cib.c", "int a;\nint b;\nint c;\n");
    write_file_atomic(tree + "/debian/control", "Source: pacemaker\nMaintainer: Debian HA <x@example.org>\n");
    // Debian's own quilt patch.
    write_file_atomic(tree + "/debian/patches/debian-a.patch",
                      "--- a/lib/cib.c\n+++ b/lib/cib.c\n@@ -1,3 +1,3 @@\n-int a;\n+int A;\n int b;\n int c;\n");
    write_file_atomic(tree + "/debian/patches/series", "debian-a.patch\n");
    // Ours: the PPA delta in debian/control, and an upstream fix.
    write_file_atomic(ours + "/control-maintainer.patch",
                      "--- a/debian/control\n+++ b/debian/control\n@@ -1,2 +1,2 @@\n Source: pacemaker\n"
                      "-Maintainer: Debian HA <x@example.org>\n+Maintainer: hapkg <ppa@example.org>\n");
    write_file_atomic(ours + "/upstream-c.patch",
                      "--- a/lib/cib.c\n+++ b/lib/cib.c\n@@ -1,3 +1,3 @@\n int A;\n int b;\n-int c;\n+int C;\n");
    write_file_atomic(ours + "/series", "control-maintainer.patch\nupstream-c.patch\n");
  }
};

TEST(ApplyProjectPatches, PackagingDirectlyUpstreamThroughQuilt) {
  Trees t;
  auto p = pl::apply_project_patches(t.tree, t.ours);
  EXPECT_EQ(p.packaging, (std::vector<std::string>{"control-maintainer.patch"}));
  EXPECT_EQ(p.imported, (std::vector<std::string>{"upstream-c.patch"}));
  EXPECT_EQ(p.applied, (std::vector<std::string>{"debian-a.patch", "upstream-c.patch"}));
  EXPECT_NE(read_file(t.tree + "/debian/control").find("Maintainer: hapkg"), std::string::npos);
  EXPECT_EQ(read_file(t.tree + "/lib/cib.c"), "int A;\nint b;\nint C;\n");
  EXPECT_EQ(read_file(t.tree + "/debian/patches/series"), "debian-a.patch\nupstream-c.patch\n");
  // The debian/ change is not a quilt patch: dpkg-source would refuse one.
  EXPECT_FALSE(fs::exists(t.tree + "/debian/patches/control-maintainer.patch"));
}

TEST(ApplyProjectPatches, NoProjectPatchesStillAppliesDebians) {
  Trees t;
  auto p = pl::apply_project_patches(t.tree, "");
  EXPECT_TRUE(p.packaging.empty());
  EXPECT_TRUE(p.imported.empty());
  EXPECT_EQ(p.applied, (std::vector<std::string>{"debian-a.patch"}));
  EXPECT_EQ(read_file(t.tree + "/lib/cib.c"), "int A;\nint b;\nint c;\n");
}

TEST(ApplyProjectPatches, PatchNeedingFuzzIsRefusedByName) {
  Trees t;
  // Context that no longer matches (line 2 differs): GNU patch would need fuzz.
  write_file_atomic(t.ours + "/upstream-c.patch",
                    "--- a/lib/cib.c\n+++ b/lib/cib.c\n@@ -1,3 +1,3 @@\n int A;\n int bee;\n-int c;\n+int C;\n");
  try {
    pl::apply_project_patches(t.tree, t.ours);
    FAIL() << "applied with fuzz";
  } catch (const hapkg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("upstream-c.patch"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read_file(t.tree + "/lib/cib.c"), "int a;\nint b;\nint c;\n");  // quilt push rolled back
}

TEST(PatchesInputs, ChangesWhenAnyListedPatchChanges) {
  Trees t;
  EXPECT_EQ(pl::patches_inputs(""), "");
  std::string before = pl::patches_inputs(t.ours);
  EXPECT_NE(before.find("upstream-c.patch"), std::string::npos);
  write_file_atomic(t.ours + "/unlisted.patch", "not in the series\n");
  EXPECT_EQ(pl::patches_inputs(t.ours), before);  // only the series and what it names count
  write_file_atomic(t.ours + "/upstream-c.patch", read_file(t.ours + "/upstream-c.patch") + "\n");
  EXPECT_NE(pl::patches_inputs(t.ours), before);
}

TEST(PatchesInputs, MissingSeriesIsAnError) {
  hapkg::TempDir tmp;
  EXPECT_ANY_THROW(pl::patches_inputs(tmp.path()));
}

}  // namespace
