// The fetch step's local path ("Packaging: sources DIR") with Debian's real
// crmsh 4.4.1-1+deb12u1 from HAPKG_SHARED_SOURCES: every file verified
// against the Sources stanza and the .dsc, then unpacked; one flipped byte
// in the orig tarball is refused by name and nothing is unpacked.
#include "pipeline/fetch.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <algorithm>
#include <filesystem>

#include "util/error.h"
#include "deb/hashes.h"
#include "util/file.h"
#include "util/gpg.h"
#include "util/tempdir.h"

namespace pl = hapkg::pipeline;
namespace fs = std::filesystem;

namespace {

const std::string kBookworm = std::string(HAPKG_SHARED_SOURCES) + "/bookworm";
const char* kFiles[] = {"Sources", "crmsh_4.4.1-1+deb12u1.dsc", "crmsh_4.4.1.orig.tar.gz",
                        "crmsh_4.4.1-1+deb12u1.debian.tar.xz"};

pl::SourceEntry crmsh_from(const std::string& dir) {
  pl::SourceEntry s;
  s.name = "crmsh";
  s.packaging.kind = pl::Packaging::Kind::kSources;
  s.packaging.uri = dir;
  return s;
}

std::string copy_of_real_sources(const hapkg::TempDir& tmp) {
  std::string dir = tmp.path() + "/sources";
  fs::create_directories(dir);
  for (const char* f : kFiles) {
    fs::copy_file(kBookworm + "/" + f, dir + "/" + f);  // throws (the test fails) when the real data is missing
    fs::permissions(dir + "/" + f, fs::perms::owner_read | fs::perms::owner_write);
  }
  return dir;
}

TEST(FetchSources, RealCrmshIsVerifiedAndUnpacked) {
  hapkg::TempDir tmp;
  std::string dir = copy_of_real_sources(tmp);
  std::vector<std::string> log;
  auto f = pl::fetch_packaging(crmsh_from(dir), "", tmp.path() + "/dest", tmp.path() + "/cache",
                               [&](const std::string& l) { log.push_back(l); });
  EXPECT_EQ(f.version, "4.4.1-1+deb12u1");
  EXPECT_EQ(f.dsc, "crmsh_4.4.1-1+deb12u1.dsc");
  EXPECT_EQ(f.files.size(), 3u);
  EXPECT_EQ(f.tree, tmp.path() + "/dest/crmsh-4.4.1");
  EXPECT_EQ(hapkg::read_file(f.tree + "/debian/changelog").rfind("crmsh (4.4.1-1+deb12u1)", 0), 0u);
  EXPECT_EQ(pl::fetch_inputs(crmsh_from(dir), ""), hapkg::read_file(dir + "/Sources"));
}

TEST(FetchSources, TamperedTarballIsRefusedAndNothingUnpacked) {
  hapkg::TempDir tmp;
  std::string dir = copy_of_real_sources(tmp);
  std::string orig = dir + "/crmsh_4.4.1.orig.tar.gz";
  std::string bytes = hapkg::read_file(orig);
  bytes[bytes.size() / 2] ^= 0x01;
  hapkg::write_file_atomic(orig, bytes);
  try {
    pl::fetch_packaging(crmsh_from(dir), "", tmp.path() + "/dest", tmp.path() + "/cache", [](const std::string&) {});
    FAIL() << "tampered file accepted";
  } catch (const hapkg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("crmsh_4.4.1.orig.tar.gz"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(tmp.path() + "/dest/crmsh-4.4.1"));
}

TEST(FetchSources, MissingSourcesFileNamesIt) {
  hapkg::TempDir tmp;
  try {
    pl::fetch_packaging(crmsh_from(tmp.path()), "", tmp.path() + "/dest", tmp.path() + "/cache",
                        [](const std::string&) {});
    FAIL() << "no error";
  } catch (const hapkg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(tmp.path() + "/Sources"), std::string::npos) << e.what();
  }
  EXPECT_EQ(pl::fetch_inputs(crmsh_from(tmp.path()), ""), "");
}

// A signed .dsc, as dscverify checks it: crmsh's real .dsc re-signed by a
// test key (the keyring given as Dsc-Keyring would be), its Sources stanza
// updated to the re-signed file, so only the OpenPGP signature decides.
struct SignedDsc {
  hapkg::TempDir tmp, home{"hapkg-dsc-key"};
  std::string dir, keyring, fpr;
  const std::string dsc_name = "crmsh_4.4.1-1+deb12u1.dsc";
  SignedDsc() {
    dir = copy_of_real_sources(tmp);
    hapkg::gpg::generate_key(home.path(), "dsc test key <dsc@hapkg.invalid>");
    fpr = hapkg::gpg::secret_fingerprint(home.path());
    keyring = tmp.path() + "/dsc-key.gpg";
    hapkg::write_file_atomic(keyring, hapkg::gpg::export_public_key(home.path(), fpr));
  }
  ~SignedDsc() {
    hapkg::gpg::stop_agent(home.path());
    ::unsetenv("GNUPGHOME");
  }
  // The real .dsc's signed text (its own signature dropped), possibly altered
  // after signing, written with the Sources stanza naming its checksum.
  void write(bool tamper) {
    std::string real = hapkg::read_file(kBookworm + "/" + dsc_name);
    std::size_t body = real.find("\n\n") + 2;
    std::string text = real.substr(body, real.find("\n-----BEGIN PGP SIGNATURE-----") + 1 - body);
    ::setenv("GNUPGHOME", home.path().c_str(), 1);
    std::string signed_text = hapkg::gpg::clearsign_text(text, fpr);
    if (tamper) signed_text.replace(signed_text.find("Maintainer: "), 12, "Maintainer: X");
    hapkg::write_file_atomic(dir + "/" + dsc_name, signed_text);
    auto h = hapkg::deb::hash_file(dir + "/" + dsc_name);
    std::string sources = hapkg::read_file(dir + "/Sources");
    std::string old = "c9d82f5ca77f24482445e654538922849356e1a44bc67ab6b93f214bfaa24c6d 2369 " + dsc_name;
    ASSERT_NE(sources.find(old), std::string::npos);
    sources.replace(sources.find(old), old.size(), h.sha256 + " " + std::to_string(h.size) + " " + dsc_name);
    hapkg::write_file_atomic(dir + "/Sources", sources);
  }
  pl::SourceEntry entry() const {
    pl::SourceEntry s = crmsh_from(dir);
    s.packaging.dsc_keyrings = {keyring};
    return s;
  }
};

TEST(FetchDscSignature, GoodSignatureIsVerifiedAndLogged) {
  SignedDsc d;
  d.write(false);
  std::vector<std::string> log;
  auto f = pl::fetch_packaging(d.entry(), "", d.tmp.path() + "/dest", d.tmp.path() + "/cache",
                               [&](const std::string& l) { log.push_back(l); });
  EXPECT_EQ(f.dsc, d.dsc_name);
  EXPECT_TRUE(fs::exists(f.tree + "/debian/changelog"));
  EXPECT_NE(std::find(log.begin(), log.end(), d.dsc_name + ": OpenPGP signature good (" + d.keyring + ")"), log.end());
}

TEST(FetchDscSignature, TamperedOrForeignSignatureStopsFetchWithNothingUnpacked) {
  for (bool tamper : {true, false}) {
    SignedDsc d;
    d.write(tamper);
    pl::SourceEntry s = d.entry();
    if (!tamper) {  // Debian's real signature, checked against a keyring without the uploader's key
      fs::copy_file(kBookworm + "/" + d.dsc_name, d.dir + "/" + d.dsc_name, fs::copy_options::overwrite_existing);
      hapkg::write_file_atomic(d.dir + "/Sources", hapkg::read_file(kBookworm + "/Sources"));
    }
    try {
      pl::fetch_packaging(s, "", d.tmp.path() + "/dest", d.tmp.path() + "/cache", [](const std::string&) {});
      ADD_FAILURE() << "accepted (tamper=" << tamper << ")";
    } catch (const hapkg::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(d.dsc_name + ": bad OpenPGP signature of the .dsc: "), std::string::npos)
          << e.what();
    }
    EXPECT_FALSE(fs::exists(d.tmp.path() + "/dest/crmsh-4.4.1"));
  }
}

TEST(FetchDscSignature, UnsignedDscIsAcceptedAndTheLogSaysWhy) {
  SignedDsc d;
  std::string real = hapkg::read_file(kBookworm + "/" + d.dsc_name);
  std::size_t body = real.find("\n\n") + 2;
  hapkg::write_file_atomic(d.dir + "/" + d.dsc_name,
                           real.substr(body, real.find("\n-----BEGIN PGP SIGNATURE-----") + 1 - body));
  auto h = hapkg::deb::hash_file(d.dir + "/" + d.dsc_name);
  std::string sources = hapkg::read_file(d.dir + "/Sources");
  std::string old = "c9d82f5ca77f24482445e654538922849356e1a44bc67ab6b93f214bfaa24c6d 2369 " + d.dsc_name;
  sources.replace(sources.find(old), old.size(), h.sha256 + " " + std::to_string(h.size) + " " + d.dsc_name);
  hapkg::write_file_atomic(d.dir + "/Sources", sources);
  std::vector<std::string> log;
  auto f = pl::fetch_packaging(d.entry(), "", d.tmp.path() + "/dest", d.tmp.path() + "/cache",
                               [&](const std::string& l) { log.push_back(l); });
  EXPECT_TRUE(fs::exists(f.tree + "/debian/changelog"));
  EXPECT_NE(std::find(log.begin(), log.end(),
                      d.dsc_name + ": unsigned .dsc, accepted: its checksums are in the Sources file carried here"),
            log.end());
}

}  // namespace
