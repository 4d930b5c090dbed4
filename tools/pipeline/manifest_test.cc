#include "pipeline/manifest.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

using hapkg::InputError;
using hapkg::pipeline::read_manifest;

namespace {

const char* kGlobal = "Pipeline: t\nState: state\n\nSeries: bookworm\nVersion-Rule: backport 12\nOld-Release: old/Packages\n\n";

// The error read_manifest gives for `text` ("" when it reads fine).
std::string error_of(const hapkg::TempDir& dir, const std::string& text) {
  hapkg::write_file_atomic(dir.path() + "/m.conf", text);
  try {
    read_manifest(dir.path() + "/m.conf");
    return "";
  } catch (const InputError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    return msg.substr(dir.path().size() + 1);
  }
}

}  // namespace

TEST(PipelineManifest, HaStackReadsBothWays) {
  auto m = read_manifest(std::string(getenv("HAPKG_SOURCE_DIR")) + "/tracker/ha-stack.conf");
  ASSERT_EQ(m.sources.size(), 2u);
  EXPECT_EQ(m.sources[0].name, "hapkg");
  EXPECT_EQ(m.sources[0].packaging.kind, hapkg::pipeline::Packaging::Kind::kRepository);
  EXPECT_EQ(m.sources[1].name, "resource-agents");
  EXPECT_EQ(m.sources[1].packaging.kind, hapkg::pipeline::Packaging::Kind::kSources);
  EXPECT_EQ(m.sources[1].patches, std::string(getenv("HAPKG_SOURCE_DIR")) + "/patches/resource-agents");
  EXPECT_EQ(m.sources[1].watch.size(), 1u);
  ASSERT_EQ(m.series.size(), 1u);
  EXPECT_EQ(m.series[0].backport, "12");
  EXPECT_EQ(m.series[0].ha_stack, (std::vector<std::string>{"pacemaker", "corosync", "resource-agents", "crmsh"}));
  EXPECT_EQ(m.sources[1].targets, (std::vector<std::string>{"bookworm"}));
}

TEST(PipelineManifest, GoodSmallManifest) {
  hapkg::TempDir d;
  std::filesystem::create_directories(d.path() + "/mirror");
  std::string text = std::string(kGlobal) + "Source: a\nPackaging: mirror trixie main\nBuild: source\n";
  EXPECT_EQ(error_of(d, text), "");
  auto m = read_manifest(d.path() + "/m.conf");
  EXPECT_EQ(m.state, d.path() + "/state");
  EXPECT_EQ(m.archive, d.path() + "/state/archive");
  EXPECT_EQ(m.sources[0].packaging.uri, d.path() + "/mirror");
  EXPECT_FALSE(m.sources[0].binaries);
  EXPECT_EQ(m.series[0].old_release, (std::vector<std::string>{d.path() + "/old/Packages"}));
}

TEST(PipelineManifest, BadManifestsNameFileAndLine) {
  hapkg::TempDir d;
  std::filesystem::create_directories(d.path() + "/mirror");
  std::string g = kGlobal;  // 7 lines
  EXPECT_EQ(error_of(d, g + "Source: a\nPackaging: repository\nColour: red\n"),
            "m.conf:10: unknown field Colour in a Source paragraph");
  EXPECT_EQ(error_of(d, g + "Packaging: repository\n"), "m.conf:8: paragraph without a Pipeline, Series or Source field");
  EXPECT_EQ(error_of(d, g + "Source: a\nWatch: ftp://x/ a-(\\d+)\\.tar\\.gz\nPackaging: repository\n"),
            "m.conf:9: bad Watch line for a: unknown protocol in 'ftp://x/' (http:// and https:// are supported)");
  EXPECT_EQ(error_of(d, g + "Source: a\nPackaging: repository\nTargets: bookworm sid\n"),
            "m.conf:10: unknown series sid (no Series paragraph names it)");
  EXPECT_EQ(error_of(d, g + "Source: a\nPackaging: nowhere trixie main\n"),
            "m.conf:9: Packaging: no mirror directory " + d.path() + "/nowhere");
  EXPECT_EQ(error_of(d, g + "Source: a\nPackaging: repository\nBuild: all\n"),
            "m.conf:10: Build must be 'binaries' or 'source', not 'all'");
  EXPECT_EQ(error_of(d, "Series: bookworm\nVersion-Rule: ppa\nOld-Release: x\n"),
            "m.conf: no Pipeline paragraph (archive, signing key, state)");
  EXPECT_EQ(error_of(d, "Pipeline: t\n\nSeries: bookworm\nVersion-Rule: sideways\nOld-Release: x\n"),
            "m.conf:4: series bookworm: Version-Rule must be 'ppa' or 'backport N'");
  EXPECT_EQ(error_of(d, g + "Source: a\nPackaging: repository\n\nSource: a\nPackaging: repository\n"),
            "m.conf:11: source a listed twice");
}

// Next-Release (the release-upgrade check) and Dsc-Keyring (a signed .dsc):
// a file they name must exist, so missing data is an error, never a pass.
TEST(PipelineManifest, NextReleaseAndDscKeyring) {
  hapkg::TempDir d;
  std::filesystem::create_directories(d.path() + "/mirror");
  hapkg::write_file_atomic(d.path() + "/next-Packages", "");
  hapkg::write_file_atomic(d.path() + "/dsc.gpg", "");
  std::string series = "Pipeline: t\n\nSeries: bookworm\nVersion-Rule: backport 12\nOld-Release: old/Packages\n";
  std::string source = "\nSource: a\nPackaging: mirror trixie main\n";
  EXPECT_EQ(error_of(d, series + "Next-Release: next-Packages\n" + source + "Dsc-Keyring: dsc.gpg\n"), "");
  auto m = read_manifest(d.path() + "/m.conf");
  EXPECT_EQ(m.series[0].next_release, (std::vector<std::string>{d.path() + "/next-Packages"}));
  EXPECT_EQ(m.sources[0].packaging.dsc_keyrings, (std::vector<std::string>{d.path() + "/dsc.gpg"}));
  EXPECT_EQ(error_of(d, series + "Next-Release: gone/Packages\n"),
            "m.conf:6: series bookworm: Next-Release index " + d.path() + "/gone/Packages is missing");
  EXPECT_EQ(error_of(d, series + source + "Dsc-Keyring: no.gpg\n"),
            "m.conf:9: Dsc-Keyring: no keyring " + d.path() + "/no.gpg");
  EXPECT_EQ(error_of(d, series + "Next-Releases: next-Packages\n"),
            "m.conf:6: unknown field Next-Releases in a Series paragraph");
}

TEST(PipelineManifest, UploadTargets) {
  using Kind = hapkg::pipeline::UploadTarget::Kind;
  hapkg::TempDir d;
  auto with = [&](const std::string& upload) {
    std::string g = kGlobal;
    hapkg::write_file_atomic(d.path() + "/m.conf", g.insert(g.find("\n\n"), "\nUpload: " + upload));
    return read_manifest(d.path() + "/m.conf").upload;
  };
  hapkg::write_file_atomic(d.path() + "/m.conf", kGlobal);
  EXPECT_EQ(read_manifest(d.path() + "/m.conf").upload.kind, Kind::kNone);  // the default
  EXPECT_EQ(with("none").kind, Kind::kNone);
  auto local = with("local incoming");
  EXPECT_EQ(local.kind, Kind::kLocal);
  EXPECT_EQ(local.dir, d.path() + "/incoming");  // relative to Base
  auto ppa = with("ppa:ha-team/openstack-ha");
  EXPECT_EQ(ppa.kind, Kind::kPpa);
  EXPECT_EQ(ppa.owner, "ha-team");
  EXPECT_EQ(ppa.ppa, "openstack-ha");
  auto dput = with("dput my-queue");
  EXPECT_EQ(dput.kind, Kind::kDput);
  EXPECT_EQ(dput.host, "my-queue");
}

TEST(PipelineManifest, BadUploadNamesLine) {
  hapkg::TempDir d;
  auto err = [&](const std::string& upload) {
    return error_of(d, "Pipeline: t\nUpload: " + upload + "\n\nSeries: bookworm\nVersion-Rule: ppa\nOld-Release: x\n");
  };
  EXPECT_EQ(err("somewhere"), "m.conf:2: Upload must be 'none', 'local DIR', 'ppa:OWNER/NAME' or 'dput TARGET'");
  EXPECT_EQ(err("local"), "m.conf:2: Upload must be 'none', 'local DIR', 'ppa:OWNER/NAME' or 'dput TARGET'");
  EXPECT_EQ(err("local /srv/100%done"), "m.conf:2: Upload: local DIR must not contain '%'");
  EXPECT_EQ(err("ppa:owner"), "m.conf:2: Upload: 'ppa:owner' is not ppa:OWNER/NAME (Launchpad names: a-z 0-9 + - .)");
  EXPECT_EQ(err("ppa:Owner/x"), "m.conf:2: Upload: 'ppa:Owner/x' is not ppa:OWNER/NAME (Launchpad names: a-z 0-9 + - .)");
  EXPECT_EQ(err("ppa:o/n%(x)s"), "m.conf:2: Upload: 'ppa:o/n%(x)s' is not ppa:OWNER/NAME (Launchpad names: a-z 0-9 + - .)");
  EXPECT_EQ(err("dput --config=/x"), "m.conf:2: Upload: dput target '--config=/x' looks like an option");
  EXPECT_EQ(err("dput a b"), "m.conf:2: Upload must be 'none', 'local DIR', 'ppa:OWNER/NAME' or 'dput TARGET'");
}
