#include "build/listed_files.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::build {
namespace {

std::string write(const TempDir& d, const std::string& text) {
  write_file_atomic(d.path() + "/x.dsc", text);
  return d.path() + "/x.dsc";
}

TEST(ListedFiles, RealDebianDsc) {
  // A real .dsc from Debian's archive (copied unchanged into ../shared/sources).
  const std::string dsc = HAPKG_SHARED_SOURCES "/trixie/pacemaker_3.0.0-2.dsc";
  auto names = listed_files(dsc);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "pacemaker_3.0.0.orig.tar.gz");
  EXPECT_EQ(names[1], "pacemaker_3.0.0-2.debian.tar.xz");
}

TEST(ListedFiles, RefusesPathsAndMissingField) {
  TempDir d;
  EXPECT_THROW(listed_files(write(d, "Source: a\nChecksums-Sha256:\n 00 1 ../evil\n")), InputError);
  EXPECT_THROW(listed_files(write(d, "Source: a\nChecksums-Sha256:\n 00 1 a/b\n")), InputError);
  EXPECT_THROW(listed_files(write(d, "Source: a\nChecksums-Sha256:\n 00 1\n")), InputError);
  EXPECT_THROW(listed_files(write(d, "Source: a\nFiles:\n 00 1 a\n")), InputError);
  EXPECT_EQ(listed_files(write(d, "Source: a\nChecksums-Sha256:\n 00 1 a_1.tar.xz\n")).size(), 1u);
}

}  // namespace
}  // namespace hapkg::build
