// publish and verify with real tools. publish_uploads: a signed source
// upload (source/test_tree.h's hello, built and signed by hapkg) into a
// fresh archive in a TempDir, read back by gpgv (InRelease) and by apt-get
// update + apt-cache showsrc in a sandbox apt; the same upload again is a
// no-op, other content under the same version is refused. prove_upgrade:
// an old-release node with resource-agents, an archive (real .debs made by
// dpkg-deb) whose resource-agents Recommends resource-agents-openstack, and
// the same archive without that Recommends.
#include "pipeline/publish.h"
#include "pipeline/upload.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <tuple>

#include "archive/repo.h"
#include "source/build.h"
#include "source/changes.h"
#include "source/test_tree.h"
#include "upgrade/check_fixture.h"
#include "util/error.h"
#include "util/file.h"
#include "util/gpg.h"
#include "util/process.h"
#include "util/strings.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;
namespace fs = std::filesystem;
using hapkg::read_file;
using hapkg::run_process;
using hapkg::upgrade::fixture::put;
using hapkg::upgrade::fixture::stanza;

namespace {

// hello 1.0-1, source-only, signed with `key`; returns the .changes.
std::string signed_upload(const hapkg::TempDir& t, const pl::SigningKey& key) {
  std::string tree = hapkg::source::make_test_tree(t);
  hapkg::source::build_source(tree);
  hapkg::source::ChangesOptions co;
  co.orig = hapkg::source::OrigInclusion::kAlways;
  std::string changes = hapkg::source::write_changes(tree, co);
  pl::sign_upload(changes, key);
  return changes;
}

// apt-get update and `apt-cache showsrc` over `archive` only, in a sandbox.
std::string apt_showsrc(const std::string& sandbox, const std::string& archive, const std::string& key,
                        const std::string& package) {
  for (const char* d : {"/etc/sources.list.d", "/etc/preferences.d", "/state/lists/partial", "/cache/archives/partial"})
    fs::create_directories(sandbox + d);
  hapkg::write_file_atomic(sandbox + "/etc/sources.list",
                           "deb-src [signed-by=" + key + "] file:" + archive + " bookworm main\n");
  std::vector<std::string> opts = {"-o", "Dir::Etc=" + sandbox + "/etc", "-o", "Dir::State=" + sandbox + "/state",
                                   "-o", "Dir::Cache=" + sandbox + "/cache", "-o", "Debug::NoLocking=1",
                                   "-o", "APT::Sandbox::User=root"};  // the TempDir is root's
  std::vector<std::string> update = {"apt-get", "-q", "update"};
  update.insert(update.end(), opts.begin(), opts.end());
  auto u = run_process(update);
  EXPECT_EQ(u.exit_status, 0) << u.out << u.err;
  EXPECT_EQ(u.err, "");  // no signature or hash warning
  std::vector<std::string> show = {"apt-cache", "showsrc", package};
  show.insert(show.end(), opts.begin(), opts.end());
  return run_process(show).out;
}

struct Keyed {
  hapkg::TempDir t;
  pl::SigningKey key;
  Keyed() {
    key = pl::prepare_signing_key("generate", t.path() + "/state");
    ::setenv("GNUPGHOME", key.gnupghome.c_str(), 1);  // as run_pipeline sets it
  }
  ~Keyed() {
    hapkg::gpg::stop_agent(key.gnupghome);
    ::unsetenv("GNUPGHOME");
  }
};

TEST(PublishUploads, SignedArchiveThatAptReadsBack) {
  Keyed k;
  hapkg::TempDir src;
  std::string changes = signed_upload(src, k.key);
  std::string archive = k.t.path() + "/archive";
  auto added = pl::publish_uploads(archive, "bookworm", {changes}, k.key);
  EXPECT_EQ(added, std::vector<std::string>{"hello 1.0-1 source"});
  EXPECT_EQ(read_file(archive + "/archive-key.gpg"), read_file(k.key.public_key));
  EXPECT_EQ(hapkg::gpg::check_signature(archive + "/archive-key.gpg", archive + "/dists/bookworm/InRelease"), "");
  auto suites = hapkg::archive::read_config(archive);
  ASSERT_EQ(suites.size(), 1u);
  EXPECT_EQ(suites[0].codename, "bookworm");
  EXPECT_EQ(suites[0].architectures, std::vector<std::string>{hapkg::trim(run_process({"dpkg", "--print-architecture"}).out)});

  std::string show = apt_showsrc(k.t.path() + "/apt", archive, archive + "/archive-key.gpg", "hello");
  EXPECT_NE(show.find("Package: hello\n"), std::string::npos) << show;
  EXPECT_NE(show.find("\nVersion: 1.0-1\n"), std::string::npos) << show;
  EXPECT_NE(show.find("\nBinary: zz-hello, hello\n"), std::string::npos) << show;

  // Again: nothing added, the archive still valid. A second series: its own suite.
  EXPECT_TRUE(pl::publish_uploads(archive, "bookworm", {changes}, k.key).empty());
  EXPECT_EQ(pl::publish_uploads(archive, "trixie", {changes}, k.key),
            std::vector<std::string>{"hello 1.0-1 source"});
  EXPECT_EQ(hapkg::archive::read_config(archive).size(), 2u);
  EXPECT_EQ(hapkg::gpg::check_signature(archive + "/archive-key.gpg", archive + "/dists/trixie/InRelease"), "");
}

TEST(PublishUploads, OtherContentUnderThePublishedVersionIsRefused) {
  Keyed k;
  hapkg::TempDir one, two;
  std::string archive = k.t.path() + "/archive";
  pl::publish_uploads(archive, "bookworm", {signed_upload(one, k.key)}, k.key);
  std::string release = read_file(archive + "/dists/bookworm/InRelease");
  // The same version with another debian/ tarball.
  std::string tree = hapkg::source::make_test_tree(two);
  hapkg::write_file_atomic(tree + "/debian/copyright", "Files: *\nLicense: other\n");
  hapkg::source::build_source(tree);
  hapkg::source::ChangesOptions co;
  co.orig = hapkg::source::OrigInclusion::kAlways;
  std::string other = hapkg::source::write_changes(tree, co);
  pl::sign_upload(other, k.key);
  EXPECT_THROW(pl::publish_uploads(archive, "bookworm", {other}, k.key), hapkg::InputError);
  EXPECT_EQ(read_file(archive + "/dists/bookworm/InRelease"), release);  // not re-exported
}

// An archive (unsigned: prove_upgrade reads it as a local directory) with
// resource-agents 1:4.16.0-3~12.1 and resource-agents-openstack.
std::string ppa(const hapkg::TempDir& t, const std::string& name, bool recommends) {
  std::vector<std::string> debs;
  for (const auto& [pkg, ver, extra] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"resource-agents", "1:4.16.0-3~12.1", recommends ? "Recommends: resource-agents-openstack\n" : ""},
           {"resource-agents-openstack", "1.0.0-1~12.1", "Depends: resource-agents\n"}}) {
    std::string dir = t.path() + "/" + name + "-" + pkg;
    put(dir + "/DEBIAN/control", "Package: " + pkg + "\nVersion: " + ver + "\nArchitecture: all\n" + extra +
                                     "Maintainer: T <t@example.org>\nDescription: x\n x\n");
    auto r = run_process({"dpkg-deb", "--root-owner-group", "-Zxz", "--build", dir, dir + ".deb"});
    EXPECT_EQ(r.exit_status, 0) << r.err;
    debs.push_back(dir + ".deb");
  }
  std::string archive = t.path() + "/" + name;
  hapkg::archive::SuiteConfig sc;
  sc.suite = sc.codename = "bookworm";
  sc.architectures = {"amd64"};
  hapkg::archive::init_archive(archive, sc);
  hapkg::archive::include_files(archive, "bookworm", "", debs);
  hapkg::archive::export_archive(archive, {});
  return archive;
}

pl::SeriesEntry bookworm(const hapkg::TempDir& t) {
  put(t.path() + "/old/Packages", stanza("resource-agents", "1:4.12.0-2") + stanza("pacemaker", "2.1.5-1+deb12u1"));
  pl::SeriesEntry s;
  s.name = "bookworm";
  s.old_release = {t.path() + "/old/Packages"};
  s.ha_stack = {"pacemaker", "resource-agents"};
  s.expect_installed = {"resource-agents-openstack"};
  return s;
}

TEST(ProveUpgrade, TheRecommendsBringsTheAgentsWithNoRemovals) {
  hapkg::TempDir t;
  pl::UpgradeProof p = pl::prove_upgrade(bookworm(t), ppa(t, "archive", true), t.path() + "/root");
  EXPECT_TRUE(p.ok) << p.why << "\n" << p.report.dump(2);
  EXPECT_EQ(p.why, "");
  ASSERT_EQ(p.apt_get.size(), 2u) << p.report.dump(2);
  EXPECT_EQ(p.apt_get[0].rfind("Inst resource-agents [1:4.12.0-2] (1:4.16.0-3~12.1 ", 0), 0u) << p.apt_get[0];
  EXPECT_EQ(p.apt_get[1].rfind("Inst resource-agents-openstack (1.0.0-1~12.1 ", 0), 0u) << p.apt_get[1];
  EXPECT_TRUE(fs::exists(t.path() + "/root/apt.conf"));  // kept for the log
}

TEST(ProveUpgrade, WithoutTheRecommendsItFailsNamingTheAgents) {
  hapkg::TempDir t;
  pl::UpgradeProof p = pl::prove_upgrade(bookworm(t), ppa(t, "archive", false), t.path() + "/root");
  EXPECT_FALSE(p.ok);
  EXPECT_FALSE(p.report.value("ok", true));
  EXPECT_NE(p.why.find("apt-get -s dist-upgrade does not install resource-agents-openstack"), std::string::npos)
      << p.why;
  ASSERT_EQ(p.apt_get.size(), 1u);
  EXPECT_EQ(p.apt_get[0].rfind("Inst resource-agents [1:4.12.0-2] (1:4.16.0-3~12.1 ", 0), 0u) << p.apt_get[0];
}

}  // namespace

// Upload: local DIR: the signed source upload through the real dput into an
// incoming directory, then process-incoming with the pipeline's key as the
// uploader; apt reads the result. The same publish again (a resumed run)
// adds nothing; an older version is rejected with process-incoming's line.
TEST(PublishSeries, LocalUploadThroughDputAndProcessIncoming) {
  Keyed k;
  // hello 1.0-1 for bookworm (process-incoming checks the Distribution),
  // signed; `other`: another debian/ tarball under the same version.
  auto upload = [&](const hapkg::TempDir& dir, bool other) {
    std::string tree = hapkg::source::make_test_tree(dir);
    if (other) hapkg::write_file_atomic(tree + "/debian/copyright", "Files: *\nLicense: other\n");
    std::string cl = read_file(tree + "/debian/changelog");
    EXPECT_NE(cl.find(") unstable;"), std::string::npos);
    hapkg::write_file_atomic(tree + "/debian/changelog", cl.replace(cl.find(") unstable;"), 11, ") bookworm;"));
    hapkg::source::build_source(tree);
    hapkg::source::ChangesOptions co;
    co.orig = hapkg::source::OrigInclusion::kAlways;
    std::string changes = hapkg::source::write_changes(tree, co);
    pl::sign_upload(changes, k.key);
    return changes;
  };
  hapkg::TempDir src;
  std::string changes = upload(src, false);
  pl::Manifest m;
  m.archive = k.t.path() + "/archive";
  m.upload.kind = pl::UploadTarget::Kind::kLocal;
  m.upload.dir = k.t.path() + "/incoming";
  pl::SeriesUpload u;
  u.suite = "bookworm";
  u.signed_dir = fs::path(changes).parent_path().string();
  u.source_changes = fs::path(changes).filename().string();
  for (const auto& e : fs::directory_iterator(u.signed_dir))
    if (e.is_regular_file() && e.path().extension() != ".changes") u.source_files.push_back(e.path().filename());
  u.stage = k.t.path() + "/stage";
  u.label = "hello 1.0-1 source";
  std::vector<std::string> log;
  auto logger = [&](const std::string& l) { log.push_back(l); };
  EXPECT_EQ(pl::publish_series(m, u, k.key, logger), std::vector<std::string>{"hello 1.0-1 source"});
  std::string all;
  for (const auto& l : log) all += l + "\n";
  EXPECT_NE(all.find("$ dput -c " + u.stage + "/dput.cf -- hapkg-upload " + u.stage + "/" + u.source_changes),
            std::string::npos) << all;
  EXPECT_NE(all.find("process-incoming: accepted " + u.source_changes), std::string::npos) << all;
  EXPECT_TRUE(fs::exists(u.stage + "/" + fs::path(changes).stem().string() + ".hapkg-upload.upload")) << "dput's log";
  EXPECT_TRUE(fs::is_empty(m.upload.dir));
  EXPECT_EQ(read_file(m.archive + "/archive-key.gpg"), read_file(k.key.public_key));
  std::string show = apt_showsrc(k.t.path() + "/apt", m.archive, m.archive + "/archive-key.gpg", "hello");
  EXPECT_NE(show.find("\nVersion: 1.0-1\n"), std::string::npos) << show;

  // A run killed after the accept reruns publish: process-incoming knows the upload.
  EXPECT_EQ(pl::publish_series(m, u, k.key, logger), std::vector<std::string>{"hello 1.0-1 source"});
  EXPECT_TRUE(fs::is_empty(m.upload.dir));

  // The archive's own rule, not ours: the same version is never reused.
  std::string release = read_file(m.archive + "/dists/bookworm/InRelease");
  hapkg::TempDir two;
  std::string other = upload(two, true);
  u.signed_dir = fs::path(other).parent_path().string();
  try {
    pl::publish_series(m, u, k.key, logger);
    FAIL() << "other content under a published version was accepted";
  } catch (const hapkg::Error& e) {
    // orig-differs or same-version-other-content (whether the test tree's
    // orig came out byte-identical): Launchpad's wording either way.
    std::string what = e.what();
    EXPECT_EQ(what.rfind("upload rejected: ", 0), 0u) << what;
    EXPECT_NE(what.find(" already exists in hapkg, but uploaded version has different contents."), std::string::npos)
        << what;
  }
  EXPECT_EQ(read_file(m.archive + "/dists/bookworm/InRelease"), release);
}
