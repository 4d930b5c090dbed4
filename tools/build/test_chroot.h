// Unit-test fixture: a tiny chroot tarball made in a TempDir from the host's
// own dash, env, true, false and mkdir (with the C library ldd names), plus
// stand-in scripts at given paths. ChrootSession and build_binaries then run
// their real code (tar --zstd, unshare, chroot, env, the log, the staging
// of outputs) in well under a second. It is NOT a buildd chroot: apt-get,
// dpkg-source and dpkg-buildpackage are stand-ins here; the real build in a
// mmdebstrap chroot is tests/build/chroot_build.sh (minutes per package).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include "util/file.h"
#include "util/process.h"
#include "util/tempdir.h"

namespace hapkg::build {

// Copies `binary` and every library ldd lists for it into `root` at the
// same paths (the root has the host's merged-/usr symlinks).
inline void copy_with_libraries(const std::string& binary, const std::string& root) {
  namespace fs = std::filesystem;
  std::vector<std::string> files{binary};
  ProcessResult r = run_process({"ldd", binary});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::istringstream in(r.out);
  for (std::string word; in >> word;)
    if (word[0] == '/') files.push_back(word);  // "libc.so.6 => /lib/..." and "/lib64/ld-linux..."
  for (const auto& f : files) {
    fs::create_directories(fs::path(root + f).parent_path());
    fs::copy_file(fs::canonical(f), root + f, fs::copy_options::overwrite_existing);
    fs::permissions(root + f, fs::status(f).permissions());
  }
}

// Writes <t>/chroot.tar.zst and returns its path. `scripts`: absolute path
// inside -> /bin/sh script text (made executable).
inline std::string make_test_chroot(const TempDir& t, const std::map<std::string, std::string>& scripts = {}) {
  namespace fs = std::filesystem;
  std::string root = t.path() + "/chroot-src";
  for (const char* d : {"/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib64", "/proc", "/etc/apt/sources.list.d"})
    fs::create_directories(root + d);
  for (const char* l : {"bin", "sbin", "lib", "lib64"}) fs::create_symlink(std::string("usr/") + l, root + "/" + l);
  for (const char* b : {"/usr/bin/env", "/usr/bin/dash", "/usr/bin/true", "/usr/bin/false", "/usr/bin/mkdir"})
    copy_with_libraries(b, root);
  fs::create_symlink("dash", root + "/usr/bin/sh");
  for (const auto& [path, text] : scripts) write_file_atomic(root + path, "#!/bin/sh\n" + text, 0755);
  std::string tarball = t.path() + "/chroot.tar.zst";
  ProcessResult r = run_process({"tar", "--zstd", "-cf", tarball, "--numeric-owner", "-C", root, "."});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  fs::remove_all(root);
  return tarball;
}

}  // namespace hapkg::build
