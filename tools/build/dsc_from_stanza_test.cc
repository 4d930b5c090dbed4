#include "build/dsc_from_stanza.h"

#include <gtest/gtest.h>

#include "build/listed_files.h"
#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::build {
namespace {

const char* kSources = HAPKG_SHARED_SOURCES "/trixie/Sources";

deb::Paragraph stanza(const std::string& package) {
  for (const auto& p : deb::read_deb822(kSources, deb::Deb822Kind::kSources).paragraphs)
    if (p.get("Package") == package) return p;
  throw std::runtime_error("no stanza for " + package);
}

TEST(DscFromStanza, MatchesTheRealDscDebianServed) {
  // pacemaker's real .dsc is served: the one rebuilt from its stanza carries
  // the same source fields and the same tarball checksums.
  TempDir d;
  write_file_atomic(d.path() + "/p.dsc", dsc_from_sources_stanza(stanza("pacemaker"), kSources));
  auto made = deb::read_deb822(d.path() + "/p.dsc", deb::Deb822Kind::kDsc).paragraphs.at(0);
  auto real = deb::read_deb822(HAPKG_SHARED_SOURCES "/trixie/pacemaker_3.0.0-2.dsc", deb::Deb822Kind::kDsc)
                  .paragraphs.at(0);
  for (const char* f : {"Source", "Binary", "Version", "Format", "Maintainer", "Build-Depends", "Architecture",
                        "Checksums-Sha256", "Files", "Package-List"})
    EXPECT_EQ(made.get(f), real.get(f)) << f;
  EXPECT_EQ(made.find("Package-List")->raw, real.find("Package-List")->raw);
  EXPECT_EQ(made.find("Checksums-Sha256")->raw, real.find("Checksums-Sha256")->raw);
  EXPECT_FALSE(made.has("Directory"));
  EXPECT_FALSE(made.has("Package"));
  EXPECT_EQ(listed_files(d.path() + "/p.dsc"), listed_files(HAPKG_SHARED_SOURCES "/trixie/pacemaker_3.0.0-2.dsc"));
}

TEST(DscFromStanza, MissingFieldIsAnInputError) {
  deb::Paragraph p;
  p.set("Package", "x");
  EXPECT_THROW(dsc_from_sources_stanza(p, "Sources"), InputError);
}

}  // namespace
}  // namespace hapkg::build
