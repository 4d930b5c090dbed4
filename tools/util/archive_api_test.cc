// archive_api: the installed libarchive loaded and used through the table
// on a tarball made by tar; a missing library or one that is not libarchive
// named in the error (the table's types are checked against archive.h at
// compile time). The orig checks themselves: source/orig_test.cc.
#include "util/archive_api.h"

#include <gtest/gtest.h>

#include <string>

#include "util/file.h"
#include "util/process.h"
#include "util/tempdir.h"

namespace hapkg {
namespace {

TEST(ArchiveApi, ReadsATarballThroughTheLoadedLibrary) {
  const ArchiveApi& la = libarchive();
  EXPECT_EQ(la.soname, "libarchive.so.13");
  EXPECT_EQ(&libarchive(), &la) << "loaded once";
  TempDir t("hapkg-archive-api");
  write_file_atomic(t.path() + "/hello.txt", "hello\n");
  ProcessOptions o;
  o.cwd = t.path();
  ASSERT_EQ(run_process({"tar", "-czf", "t.tar.gz", "hello.txt"}, o).exit_status, 0);
  archive* a = la.read_new();
  la.read_support_filter_all(a);
  la.read_support_format_all(a);
  ASSERT_EQ(la.read_open_filename(a, (t.path() + "/t.tar.gz").c_str(), 1 << 16), ARCHIVE_OK) << la.error_string(a);
  archive_entry* e = nullptr;
  ASSERT_EQ(la.read_next_header(a, &e), ARCHIVE_OK);
  EXPECT_STREQ(la.entry_pathname(e), "hello.txt");
  EXPECT_EQ(la.entry_filetype(e), AE_IFREG);
  EXPECT_EQ(la.entry_size(e), 6);
  char buf[16];
  EXPECT_EQ(la.read_data(a, buf, sizeof buf), 6);
  EXPECT_EQ(std::string(buf, 6), "hello\n");
  EXPECT_EQ(la.read_next_header(a, &e), ARCHIVE_EOF);
  EXPECT_EQ(la.read_free(a), ARCHIVE_OK);
}

TEST(ArchiveApi, AMissingLibraryIsNamedWithTheLoadersReason) {
  ArchiveApi api{};
  std::string error;
  EXPECT_FALSE(load_archive_api({"libhapkg-none.so.13"}, api, error));
  EXPECT_EQ(error, "cannot load libarchive (libhapkg-none.so.13: cannot open shared object file: No such file or "
                   "directory)");
}

TEST(ArchiveApi, ALibraryThatIsNotLibarchiveIsRefused) {
  ArchiveApi api{};
  std::string error;
  EXPECT_FALSE(load_archive_api({"libz.so.1"}, api, error));
  EXPECT_EQ(error.rfind("libz.so.1 lacks archive_read_new, archive_read_free, ", 0), 0u) << error;
  EXPECT_NE(error.find(", archive_entry_mtime"), std::string::npos) << error;
}

}  // namespace
}  // namespace hapkg
