#include "archive/pool.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::archive {
namespace {

TEST(CopyIntoPool, NewSameAndDifferentContent) {
  TempDir t("hapkg-pool-test");
  std::string src = t.path() + "/a_1.0_all.deb", dest = t.path() + "/pool/main/a/a/a_1.0_all.deb";
  write_file_atomic(src, "content one");
  EXPECT_TRUE(copy_into_pool(src, dest, deb::hash_file(src)));
  EXPECT_EQ(read_file(dest), "content one");
  EXPECT_FALSE(copy_into_pool(src, dest, deb::hash_file(src)));  // same content: a no-op
  write_file_atomic(src, "content two");
  try {
    copy_into_pool(src, dest, deb::hash_file(src));
    FAIL() << "a reused name with other content was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("with different content"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read_file(dest), "content one");
  std::filesystem::create_directories(t.path() + "/pool/main/a/a/dir.deb");
  EXPECT_THROW(copy_into_pool(src, t.path() + "/pool/main/a/a/dir.deb", deb::hash_file(src)), InputError);
}

}  // namespace
}  // namespace hapkg::archive
