#include "source/orig.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/tempdir.h"

namespace hapkg::source {
namespace {

// A release tarball rel-2.0.tar.gz with top directory rel-2.0/.
std::string make_release(const TempDir& t, const std::string& touch_date) {
  std::filesystem::create_directories(t.path() + "/rel-2.0/sub");
  write_file_atomic(t.path() + "/rel-2.0/sub/f", "data\n");
  ::symlink("sub/f", (t.path() + "/rel-2.0/link").c_str());
  ProcessOptions o;
  o.cwd = t.path();
  EXPECT_EQ(run_process({"touch", "-h", "-d", touch_date, "rel-2.0", "rel-2.0/sub", "rel-2.0/sub/f", "rel-2.0/link"}, o)
                .exit_status,
            0);
  EXPECT_EQ(run_process({"tar", "-czf", "rel-2.0.tar.gz", "rel-2.0"}, o).exit_status, 0);
  return t.path() + "/rel-2.0.tar.gz";
}

TEST(Orig, MissingTarballIsNamedMissing) {
  try {
    validate_orig("/nonexistent/x.orig.tar.gz");
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/x.orig.tar.gz: no such file");
  }
}

TEST(Orig, ReadsEntriesWithTheirTopDirectory) {
  TempDir t("hapkg-orig-test");
  std::string tarball = make_release(t, "2020-01-01 00:00:00Z");
  std::vector<std::string> names = validate_orig(tarball);
  EXPECT_EQ(common_top_dir(names), "rel-2.0");
  EXPECT_EQ(common_top_dir({"a/x", "b/y"}), "");
}

TEST(Orig, RepackIsDeterministic) {
  // The same release content extracted at different times repacks to the
  // same bytes: every mtime becomes the newest one of the release.
  TempDir a("hapkg-orig-test"), b("hapkg-orig-test");
  OrigRequest ra{"rel", "2.0", a.path(), "gz"}, rb{"rel", "2.0", b.path(), "gz"};
  std::string oa = orig_from_tarball(ra, make_release(a, "2021-05-05 10:00:00Z"), true);
  std::string ob = orig_from_tarball(rb, make_release(b, "2021-05-05 10:00:00Z"), true);
  EXPECT_EQ(oa, a.path() + "/rel_2.0.orig.tar.gz");
  EXPECT_EQ(read_file(oa), read_file(ob));
  std::vector<std::string> names = validate_orig(oa);
  EXPECT_EQ(common_top_dir(names), "rel-2.0");
  ProcessResult r = run_process({"tar", "-tvzf", oa});
  EXPECT_NE(r.out.find("2021-05-05 10:00"), std::string::npos) << r.out;
}

TEST(Orig, ReuseRefusesADifferentExistingFile) {
  TempDir t("hapkg-orig-test");
  std::string tarball = make_release(t, "2020-01-01 00:00:00Z");
  OrigRequest r{"rel", "2.0", t.path(), "gz"};
  EXPECT_EQ(orig_reuse(r, tarball), t.path() + "/rel_2.0.orig.tar.gz");
  EXPECT_EQ(read_file(t.path() + "/rel_2.0.orig.tar.gz"), read_file(tarball));
  write_file_atomic(t.path() + "/rel_2.0.orig.tar.gz", "other");
  EXPECT_THROW(orig_reuse(r, tarball), InputError);
}

}  // namespace
}  // namespace hapkg::source
