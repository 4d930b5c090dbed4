#include "upgrade/mirror.h"

#include <gtest/gtest.h>

#include "util/error.h"
#include "util/tempdir.h"

namespace hapkg::upgrade {
namespace {

deb::Paragraph release(const std::string& text) {
  return deb::parse_deb822(text, "Release", deb::Deb822Kind::kRelease).paragraphs.at(0);
}

TEST(Mirror, ReleaseSha256Lines) {
  auto files = release_sha256(release("Suite: x\nSHA256:\n 0a1b 1234 main/binary-amd64/Packages.xz\n"
                                      " ffee 0 main/binary-amd64/Packages\n"));
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files["main/binary-amd64/Packages.xz"].size, 1234u);
  EXPECT_EQ(files["main/binary-amd64/Packages.xz"].sha256, "0a1b");
  EXPECT_EQ(files["main/binary-amd64/Packages"].size, 0u);
}

TEST(Mirror, ArchitecturesTheReleaseDoesNotHave) {
  auto r = release("Suite: x\nArchitectures: amd64 arm64\n");
  EXPECT_NO_THROW(require_architectures("http://m/dists/x/Release", r, {"amd64", "arm64"}));
  try {
    require_architectures("http://m/dists/x/Release", r, {"amd64", "i386"});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "http://m/dists/x/Release: has no architecture 'i386' (Architectures: amd64 arm64; --arch)");
  }
  EXPECT_NO_THROW(require_architectures("R", release("Suite: x\n"), {"i386"}));  // no field: nothing to check
}

TEST(Mirror, AnUnsignedReleaseIsRefused) {
  TempDir t("hapkg-mirror-test");
  try {
    verify_release("http://m/dists/x/InRelease", "Suite: x\n", "", "/usr/share/keyrings/debian-archive-keyring.gpg",
                   t.path() + "/gpgv");
    FAIL();
  } catch (const InputError& e) {
    std::string m = e.what();
    EXPECT_EQ(m.rfind("http://m/dists/x/InRelease: signature check failed: ", 0), 0u) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace hapkg::upgrade
