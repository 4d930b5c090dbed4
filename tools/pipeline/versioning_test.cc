// The version step: the chosen version against the old release, the new
// release and what the archive holds; and reading source versions from a
// Packages index with libapt-pkg.
#include "pipeline/versioning.h"

#include <gtest/gtest.h>

#include "deb/version.h"
#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;

namespace {

pl::SeriesEntry backport(const std::string& name, const std::string& n) {
  pl::SeriesEntry s;
  s.name = name;
  s.backport = n;
  return s;
}

// The real pair in HAPKG_SHARED_SOURCES: bookworm's resource-agents is the
// old release, trixie's packaging the new one.
TEST(ChooseVersion, BackportStaysBetweenOldAndNewRelease) {
  auto c = pl::choose_version("resource-agents", "1:4.16.0-3+deb13u2", backport("bookworm", "12"),
                              {"1:4.12.0-2"}, {});
  EXPECT_EQ(c.version, "1:4.16.0-3+deb13u2~12.1");
  EXPECT_GT(hapkg::deb::compare_versions(c.version, "1:4.12.0-2"), 0);
  EXPECT_LT(hapkg::deb::compare_versions(c.version, "1:4.16.0-3+deb13u2"), 0);
  EXPECT_EQ(c.checked_against, (std::vector<std::string>{"old release 1:4.12.0-2",
                                                         "new release 1:4.16.0-3+deb13u2 (stays above)"}));
}

TEST(ChooseVersion, ArchiveVersionsAreNeverReused) {
  auto c = pl::choose_version("pacemaker", "3.0.0-2", backport("bookworm", "12"), {"2.1.5-1+deb12u1"},
                              {"3.0.0-2~12.1", "3.0.0-2~12.2"});
  EXPECT_EQ(c.version, "3.0.0-2~12.3");
  EXPECT_NE(std::find(c.checked_against.begin(), c.checked_against.end(), "archive 3.0.0-2~12.2"),
            c.checked_against.end());
}

TEST(ChooseVersion, RefusesAVersionNotAboveTheOldRelease) {
  // The "old release" already carries a newer version than the backport would.
  try {
    pl::choose_version("corosync", "3.1.9-2+deb13u1", backport("bookworm", "12"), {"3.1.9-3"}, {});
    FAIL() << "no InputError";
  } catch (const hapkg::InputError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("corosync for bookworm"), std::string::npos) << what;
    EXPECT_NE(what.find("3.1.9-3"), std::string::npos) << what;
  }
}

TEST(ChooseVersion, PpaUploadIsAboveTheCurrentVersion) {
  pl::SeriesEntry s;
  s.name = "noble";
  s.ppa = true;
  auto c = pl::choose_version("crmsh", "4.4.1-1", s, {"4.4.1-1"}, {});
  EXPECT_GT(hapkg::deb::compare_versions(c.version, "4.4.1-1"), 0);
  EXPECT_NE(c.version.find("~ppa1"), std::string::npos) << c.version;
}

TEST(ChooseVersion, InvalidCurrentVersionIsInputError) {
  EXPECT_THROW(pl::choose_version("x", "not a version!", backport("bookworm", "12"), {}, {}), hapkg::InputError);
}

TEST(SourceVersionsInPackages, ReadsSourceFieldBinNmuAndPackageName) {
  hapkg::TempDir tmp;
  std::string idx = tmp.path() + "/Packages";
  hapkg::write_file_atomic(idx,
                           "Package: pacemaker\nSource: pacemaker\nVersion: 2.1.5-1+deb12u1\nArchitecture: amd64\n\n"
                           "Package: libcrmcommon34\nSource: pacemaker\nVersion: 2.1.5-1+deb12u1\n\n"
                           "Package: libcib27\nSource: pacemaker (2.1.5-1)\nVersion: 2.1.5-1+b1\n\n\n"
                           "Package: crmsh\nVersion: 4.4.1-1+deb12u1\n\n"
                           "Package: corosync\nVersion: 3.1.7-1+deb12u2\nDescription: cluster\n engine\n");  // no final blank line
  EXPECT_EQ(pl::source_versions_in_packages({idx}, "pacemaker"),
            (std::vector<std::string>{"2.1.5-1+deb12u1", "2.1.5-1"}));
  EXPECT_EQ(pl::source_versions_in_packages({idx}, "crmsh"), (std::vector<std::string>{"4.4.1-1+deb12u1"}));
  EXPECT_EQ(pl::source_versions_in_packages({idx}, "corosync"), (std::vector<std::string>{"3.1.7-1+deb12u2"}));
  EXPECT_TRUE(pl::source_versions_in_packages({idx}, "libcib27").empty());  // a binary, not a source
}

TEST(SourceVersionsInPackages, MergesSeveralIndicesWithoutDuplicates) {
  hapkg::TempDir tmp;
  hapkg::write_file_atomic(tmp.path() + "/a", "Package: crmsh\nVersion: 4.4.1-1\n");
  hapkg::write_file_atomic(tmp.path() + "/b", "Package: crmsh\nVersion: 4.4.1-1\n\nPackage: crmsh\nVersion: 5.0.0~rc1-1\n");
  EXPECT_EQ(pl::source_versions_in_packages({tmp.path() + "/a", tmp.path() + "/b"}, "crmsh"),
            (std::vector<std::string>{"4.4.1-1", "5.0.0~rc1-1"}));
}

TEST(ArchiveSourceVersions, NoArchiveYetMeansNoVersions) {
  hapkg::TempDir tmp;
  EXPECT_TRUE(pl::archive_source_versions(tmp.path() + "/archive", "bookworm", "pacemaker").empty());
}

}  // namespace
