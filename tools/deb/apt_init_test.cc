// read_apt_file and take_apt_errors on real Debian files: the bookworm
// Sources index compressed by the real compressors, and a clearsigned .dsc
// from Debian's archive.
#include "deb/apt_init.h"

#include <apt-pkg/error.h>
#include <gtest/gtest.h>

#include <string>

#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/tempdir.h"

namespace hapkg::deb {
namespace {

const std::string kSources = HAPKG_SHARED_SOURCES "/bookworm/Sources";
const std::string kDsc = HAPKG_SHARED_SOURCES "/bookworm/pacemaker_2.1.5-1+deb12u1.dsc";

TEST(TakeAptErrors, JoinsAndClearsApt_sQueue) {
  take_apt_errors();
  EXPECT_EQ(take_apt_errors(), "");
  _error->Error("first problem");
  _error->Warning("a warning");
  EXPECT_EQ(take_apt_errors(), "first problem; a warning");
  EXPECT_TRUE(_error->empty());
  EXPECT_EQ(take_apt_errors(), "");
}

TEST(ReadAptFile, PlainFileIsReadWhole) {
  std::string plain = read_file(kSources);
  EXPECT_EQ(read_apt_file(kSources), plain);
  // Larger than one 64 KiB read: the index 30 times over.
  TempDir t("hapkg-apt-init-test");
  std::string big;
  for (int i = 0; i < 30; ++i) big += plain;
  ASSERT_GT(big.size(), 3u << 16);
  write_file_atomic(t.path() + "/Sources", big);
  EXPECT_EQ(read_apt_file(t.path() + "/Sources"), big);
}

TEST(ReadAptFile, DecompressesByExtension) {
  std::string plain = read_file(kSources);
  TempDir t("hapkg-apt-init-test");
  struct Tool {
    std::string ext, program;
  };
  for (const Tool& tool : {Tool{".gz", "gzip"}, Tool{".xz", "xz"}, Tool{".bz2", "bzip2"}, Tool{".zst", "zstd"},
                           Tool{".lz4", "lz4"}}) {
    ProcessResult r = run_process({tool.program, "-c", kSources});
    ASSERT_EQ(r.exit_status, 0) << tool.program << ": " << r.err;
    ASSERT_NE(r.out, plain);
    std::string path = t.path() + "/Sources" + tool.ext;
    write_file_atomic(path, r.out);
    EXPECT_EQ(read_apt_file(path), plain) << tool.ext;
  }
}

TEST(ReadAptFile, ClearsignedEnvelopeIsStripped) {
  std::string signed_text = read_file(kDsc);
  ASSERT_EQ(signed_text.rfind("-----BEGIN PGP SIGNED MESSAGE-----\n", 0), 0u);
  std::string body = read_apt_file(kDsc, true);
  EXPECT_EQ(body.rfind("Format: 3.0 (quilt)\nSource: pacemaker\n", 0), 0u) << body.substr(0, 200);
  EXPECT_EQ(body.find("PGP"), std::string::npos);
  EXPECT_NE(body.find("Checksums-Sha256:"), std::string::npos);
  // Without `clearsigned` the envelope stays.
  EXPECT_EQ(read_apt_file(kDsc), signed_text);
}

TEST(ReadAptFile, MissingFileIsAnInputErrorNamingIt) {
  TempDir t("hapkg-apt-init-test");
  std::string path = t.path() + "/Packages.xz";
  try {
    read_apt_file(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ": cannot read", 0), 0u) << e.what();
  }
  EXPECT_TRUE(_error->empty()) << "apt's queue is left empty";
}

TEST(ReadAptFile, CorruptCompressedFileIsAnInputError) {
  TempDir t("hapkg-apt-init-test");
  ProcessResult r = run_process({"gzip", "-c", kSources});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::string path = t.path() + "/Sources.gz";
  std::string cut = r.out.substr(0, r.out.size() / 2);
  cut[cut.size() / 2] ^= 0x55;
  write_file_atomic(path, cut);
  try {
    std::string text = read_apt_file(path);
    FAIL() << "read " << text.size() << " bytes";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ": cannot read", 0), 0u) << e.what();
  }
  EXPECT_TRUE(_error->empty());
}

}  // namespace
}  // namespace hapkg::deb
