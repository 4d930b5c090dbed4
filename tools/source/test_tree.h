// Unit-test fixture: a small real 3.0 (quilt) source tree (hello-1.0 with
// its orig tarball, made by tar, and one patch) in a TempDir.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "util/file.h"
#include "util/process.h"
#include "util/tempdir.h"

namespace hapkg::source {

inline std::string make_test_tree(const TempDir& t) {
  std::string up = t.path() + "/hello-1.0";
  std::filesystem::create_directories(up);
  write_file_atomic(up + "/README", "hello\n");
  ProcessOptions o;
  o.cwd = t.path();
  EXPECT_EQ(run_process({"tar", "-czf", "hello_1.0.orig.tar.gz", "hello-1.0"}, o).exit_status, 0);
  std::filesystem::create_directories(up + "/debian/source");
  std::filesystem::create_directories(up + "/debian/patches");
  write_file_atomic(up + "/debian/source/format", "3.0 (quilt)\n");
  write_file_atomic(up + "/debian/changelog",
                    "hello (1.0-1) unstable; urgency=medium\n\n  * Initial. Closes: #123\n\n"
                    " -- Jane Doe <jane@example.org>  Tue, 01 Dec 2026 12:00:00 +0000\n");
  write_file_atomic(up + "/debian/control",
                    "Source: hello\nSection: misc\nPriority: optional\nMaintainer: Jane Doe <jane@example.org>\n"
                    "Uploaders:\n A <a@x>,\n B <b@x>\n\n"
                    "Package: zz-hello\nArchitecture: all\nDescription: z\n z\n\n"
                    "Package: hello\nArchitecture: any\nDescription: h\n h\n");
  write_file_atomic(up + "/debian/patches/fix.patch", "--- a/README\n+++ b/README\n@@ -1 +1 @@\n-hello\n+hello, world\n");
  write_file_atomic(up + "/debian/patches/series", "fix.patch\n");
  return up;
}

}  // namespace hapkg::source
