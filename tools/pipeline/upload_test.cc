// The upload mode's configuration and argv (what dput is given), the
// uploaders keyring, and dput's own refusal of an unsigned upload (the real
// dput). The accepted path through dput and process-incoming is
// publish_test's (PublishSeries) and tests/pipeline/upload_local.sh's.
#include "pipeline/upload.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;
using Kind = pl::UploadTarget::Kind;

namespace {
pl::UploadTarget target(Kind k) {
  pl::UploadTarget t;
  t.kind = k;
  t.dir = "/srv/incoming";
  t.owner = "ha-team";
  t.ppa = "openstack-ha";
  t.host = "my-queue";
  return t;
}
}  // namespace

TEST(UploadConfig, LocalQueue) {
  EXPECT_EQ(pl::dput_config(target(Kind::kLocal)),
            "[hapkg-upload]\nmethod = local\nincoming = /srv/incoming\nallow_unsigned_uploads = 0\n"
            "run_lintian = 0\nrun_dinstall = 0\ncheck_version = 0\n");
  EXPECT_EQ(pl::dput_argv(target(Kind::kLocal), "/st/dput.cf", "/st/x_1_source.changes"),
            (std::vector<std::string>{"dput", "-c", "/st/dput.cf", "--", "hapkg-upload", "/st/x_1_source.changes"}));
}

TEST(UploadConfig, LaunchpadPpa) {
  // Launchpad's documented stanza; never run here (no network).
  EXPECT_EQ(pl::dput_config(target(Kind::kPpa)),
            "[hapkg-upload]\nfqdn = ppa.launchpad.net\nmethod = ftp\nincoming = ~ha-team/ubuntu/openstack-ha/\n"
            "login = anonymous\nallow_unsigned_uploads = 0\n");
  EXPECT_EQ(pl::dput_argv(target(Kind::kPpa), "/st/dput.cf", "/st/x.changes"),
            (std::vector<std::string>{"dput", "-c", "/st/dput.cf", "--", "hapkg-upload", "/st/x.changes"}));
}

TEST(UploadConfig, UsersOwnDputTarget) {
  EXPECT_EQ(pl::dput_config(target(Kind::kDput)), "");  // dput reads /etc/dput.cf and ~/.dput.cf
  EXPECT_EQ(pl::dput_argv(target(Kind::kDput), "/unused", "/st/x.changes"),
            (std::vector<std::string>{"dput", "--", "my-queue", "/st/x.changes"}));
  EXPECT_THROW(pl::dput_argv(target(Kind::kNone), "", "/st/x.changes"), hapkg::InputError);
}

TEST(UploadConfig, PlanSaysWhereTheUploadGoes) {
  EXPECT_EQ(pl::describe_upload(target(Kind::kNone)), "");
  EXPECT_EQ(pl::describe_upload(target(Kind::kLocal)), "upload: dput (local) into /srv/incoming, then process-incoming");
  EXPECT_EQ(pl::describe_upload(target(Kind::kPpa)),
            "upload: dput to ppa:ha-team/openstack-ha (source only: Launchpad builds the binaries)");
  EXPECT_EQ(pl::describe_upload(target(Kind::kDput)), "upload: dput to my-queue (your dput.cf)");
}

TEST(UploadConfig, UploaderKeyAppendedOnce) {
  hapkg::TempDir t;
  std::filesystem::create_directories(t.path() + "/archive/conf");
  hapkg::write_file_atomic(t.path() + "/ours.gpg", "OURKEY");
  hapkg::write_file_atomic(t.path() + "/archive/conf/uploaders.gpg", "OTHER");
  pl::SigningKey k;
  k.public_key = t.path() + "/ours.gpg";
  pl::add_uploader(t.path() + "/archive", k);
  pl::add_uploader(t.path() + "/archive", k);
  EXPECT_EQ(hapkg::read_file(t.path() + "/archive/conf/uploaders.gpg"), "OTHEROURKEY");
}

TEST(UploadDput, UnsignedUploadRefusedByDput) {
  hapkg::TempDir t;
  // dput's gpg must not touch the user's keyring.
  std::filesystem::create_directories(t.path() + "/gnupg");
  std::filesystem::permissions(t.path() + "/gnupg", std::filesystem::perms::owner_all);
  ::setenv("GNUPGHOME", (t.path() + "/gnupg").c_str(), 1);
  pl::UploadTarget local = target(Kind::kLocal);
  local.dir = t.path() + "/incoming";
  std::filesystem::create_directories(local.dir);
  hapkg::write_file_atomic(t.path() + "/dput.cf", pl::dput_config(local));
  hapkg::write_file_atomic(t.path() + "/x_1_source.changes",
                           "Format: 1.8\nSource: x\nVersion: 1\nDistribution: bookworm\nArchitecture: source\n"
                           "Files:\n d41d8cd98f00b204e9800998ecf8427e 0 misc optional x_1.dsc\n");
  std::vector<std::string> log;
  try {
    pl::run_dput(local, t.path() + "/dput.cf", t.path() + "/x_1_source.changes",
                 [&](const std::string& l) { log.push_back(l); });
    FAIL() << "dput accepted an unsigned upload";
  } catch (const hapkg::Error& e) {
    EXPECT_EQ(e.code(), hapkg::Exit::kProblem) << e.what();
    EXPECT_NE(std::string(e.what()).find("dput x_1_source.changes failed"), std::string::npos) << e.what();
  }
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log[0].rfind("$ dput -c ", 0), 0u) << log[0];
  EXPECT_TRUE(std::filesystem::is_empty(local.dir));  // nothing uploaded
  ::unsetenv("GNUPGHOME");
}
