#include "build/apt_sources.h"

#include <gtest/gtest.h>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::build {
namespace {

TEST(MirrorFromSources, SkipsSecurityAndTakesTheArchive) {
  TempDir d;
  // The shape of this machine's /etc/apt/sources.list.d/debian.sources, security first.
  write_file_atomic(d.path() + "/debian.sources",
                    "Types: deb\n# http://snapshot.debian.org/archive/debian-security/20250520T000000Z\n"
                    "URIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n"
                    "Components: main\n\nTypes: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\n\n"
                    "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n"
                    "Components: main\n");
  EXPECT_EQ(mirror_from_sources_files({d.path() + "/debian.sources"}), "http://mirror.example/debian");
}

TEST(MirrorFromSources, NoArchiveStanzaIsAnError) {
  TempDir d;
  write_file_atomic(d.path() + "/x.sources", "Types: deb\nURIs: http://s/debian-security\nSuites: bookworm-security\n");
  EXPECT_THROW(mirror_from_sources_files({d.path() + "/x.sources"}), InputError);
  EXPECT_THROW(mirror_from_sources_files({}), InputError);
}

TEST(MirrorFromSources, HostConfigNamesAMirror) {
  // The real file on this machine: whatever it says, it is a URI.
  EXPECT_NE(host_apt_mirror().find("://"), std::string::npos);
}

TEST(ExtraSource, FileArchiveWithKey) {
  auto s = parse_extra_source("deb [signed-by=/srv/k/key.asc arch=amd64] file:/srv/archive bookworm main");
  EXPECT_EQ(s.file_dir, "/srv/archive");
  EXPECT_EQ(s.signed_by, "/srv/k/key.asc");
  auto t = parse_extra_source("deb file:///srv/a ./");
  EXPECT_EQ(t.file_dir, "/srv/a");
  EXPECT_EQ(t.signed_by, "");
  EXPECT_EQ(parse_extra_source("deb http://deb.debian.org/debian bookworm main").file_dir, "");
}

TEST(ExtraSource, RefusesWhatCouldLeaveTheChroot) {
  EXPECT_THROW(parse_extra_source("deb file:../a bookworm main"), InputError);
  EXPECT_THROW(parse_extra_source("deb file:/srv/../etc bookworm main"), InputError);
  EXPECT_THROW(parse_extra_source("deb [signed-by=../k] file:/a b c"), InputError);
  EXPECT_THROW(parse_extra_source("deb-src file:/a b"), InputError);
  EXPECT_THROW(parse_extra_source("deb [signed-by=/k file:/a b"), InputError);
  EXPECT_THROW(parse_extra_source("deb file:/a"), InputError);
  EXPECT_THROW(parse_extra_source("deb ftp://x/a b"), InputError);
}

}  // namespace
}  // namespace hapkg::build
