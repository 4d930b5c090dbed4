#include "deb/hashes.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "util/error.h"
#include "util/tempdir.h"

namespace hapkg::deb {
namespace {

// Digests of "abc" are the published test vectors (FIPS 180, RFC 1321).
TEST(Hashes, KnownVectorsFromDataAndFile) {
  FileHashes d = hash_data("abc.txt", "abc");
  EXPECT_EQ(d.md5, "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(d.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(d.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(d.sha512.substr(0, 16), "ddaf35a193617aba");
  EXPECT_EQ(sha256_hex("abc"), d.sha256);

  TempDir t{"hapkg-hashes"};
  std::ofstream(t.path() + "/abc.txt") << "abc";
  FileHashes f = hash_file(t.path() + "/abc.txt");
  EXPECT_EQ(f.name, "abc.txt");
  EXPECT_EQ(f.size, 3u);
  EXPECT_EQ(f.sha512, d.sha512);
  EXPECT_THROW(hash_file(t.path() + "/missing"), InputError);
}

TEST(Hashes, FieldLinesAsDpkgWritesThem) {
  std::vector<FileHashes> v{hash_data("a_1.orig.tar.gz", "abc"), hash_data("a_1-1.debian.tar.xz", "")};
  EXPECT_EQ(checksums_sha256(v),
            "\n ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 3 a_1.orig.tar.gz"
            "\n e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 0 a_1-1.debian.tar.xz");
  EXPECT_EQ(files_md5({v[0]}, "admin optional"), "\n 900150983cd24fb0d6963f7d28e17f72 3 admin optional a_1.orig.tar.gz");
}

TEST(Hashes, FileLinesParsedWithCheckedSizes) {
  auto f = parse_file_lines("\n 900150983cd24fb0d6963f7d28e17f72 3 a_1.dsc\n d41d 0 admin optional a_1.orig.tar.gz\n", "x.changes");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].name, "a_1.dsc");
  EXPECT_EQ(f[0].size, 3u);
  EXPECT_EQ(f[1].section, "admin");
  EXPECT_EQ(f[1].name, "a_1.orig.tar.gz");
  EXPECT_THROW(parse_file_lines(" abc 99999999999999999999999 a\n", "x.dsc"), InputError);
  EXPECT_THROW(parse_file_lines(" abc 1 four words\n", "x.dsc"), InputError);
}

}  // namespace
}  // namespace hapkg::deb
