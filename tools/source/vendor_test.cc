#include "source/vendor.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::source {
namespace {

// dpkg's origins files in a private DPKG_ORIGINS_DIR (Dpkg::Vendor honours it).
TEST(Vendor, FollowsDefaultAndParents) {
  TempDir t("hapkg-vendor-test");
  write_file_atomic(t.path() + "/debian", "Vendor: Debian\n");
  write_file_atomic(t.path() + "/ubuntu", "Vendor: Ubuntu\nParent: Debian\n");
  write_file_atomic(t.path() + "/myco", "Vendor: MyCo\nParent: Ubuntu\n");
  write_file_atomic(t.path() + "/default", "Vendor: MyCo\nParent: Ubuntu\n");
  ::setenv("DPKG_ORIGINS_DIR", t.path().c_str(), 1);
  ::unsetenv("DEB_VENDOR");
  EXPECT_EQ(current_vendor(), "MyCo");
  EXPECT_EQ(vendor_module("MyCo"), "Ubuntu");  // an unknown vendor falls back to its parent's module
  EXPECT_EQ(vendor_module("Debian"), "Debian");
  ::setenv("DEB_VENDOR", "debian", 1);
  EXPECT_EQ(current_vendor(), "Debian");
  ::unsetenv("DEB_VENDOR");
  ::unsetenv("DPKG_ORIGINS_DIR");
}

}  // namespace
}  // namespace hapkg::source
