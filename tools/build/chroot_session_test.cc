// ChrootSession on a tiny chroot tarball (test_chroot.h: the host's dash,
// env, true, false): unpacking, the policy-rc.d guard, copy_in's refusal of
// symlinks and "..", commands run through unshare + chroot with the fixed
// environment, the log, and that nothing stays mounted or on disk after the
// session. The real buildd chroot is tests/build/chroot_build.sh's.
#include "build/chroot_session.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <optional>

#include "build/test_chroot.h"
#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::build {
namespace {
namespace fs = std::filesystem;

bool mounted_below(const std::string& dir) {
  return read_file("/proc/self/mountinfo").find(" " + dir + "/") != std::string::npos;
}

TEST(ChrootSession, UnpacksGuardsAndRunsCommandsInside) {
  TempDir t;
  std::string tarball = make_test_chroot(t, {{"/usr/bin/show-env", "echo \"HOME=$HOME PATH=$PATH TZ=$TZ "
                                                                    "OPTS=$DEB_BUILD_OPTIONS pid=$$ cwd=$(pwd)\"\n"}});
  std::string log = t.path() + "/logs/build.log";
  ::setenv("DEB_BUILD_OPTIONS", "nocheck parallel=2", 1);
  std::string root;
  {
    ChrootSession s(tarball, log);
    root = s.root();
    EXPECT_EQ(s.host_path("/build"), root + "/build");
    EXPECT_TRUE(fs::is_directory(root + "/build"));
    // No maintainer script may start a daemon: policy-rc.d says 101.
    EXPECT_EQ(read_file(root + "/usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 101\n");
    EXPECT_NE(fs::status(root + "/usr/sbin/policy-rc.d").permissions() & fs::perms::owner_exec, fs::perms::none);

    s.run("env", {"show-env"}, "/build");
    std::string text = read_file(log);
    // The fixed build environment, the one passed-through knob, a fresh PID
    // namespace (the command is PID 1 under unshare's fork), the chdir.
    EXPECT_NE(text.find("HOME=/build PATH=/usr/sbin:/usr/bin:/sbin:/bin TZ=UTC0 OPTS=nocheck parallel=2 pid=1 "
                        "cwd=/build\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("+ [env] show-env\n"), std::string::npos) << text;
    EXPECT_NE(text.find("+ [env] exit 0 after "), std::string::npos) << text;
    EXPECT_FALSE(mounted_below(root));  // /proc was mounted in the command's namespace only

    try {
      s.run("broken", {"false"});
      FAIL() << "a failing command passed";
    } catch (const OperationError& e) {
      EXPECT_EQ(std::string(e.what()), "build step 'broken' failed (exit 1): see " + log);
    }
    EXPECT_NE(read_file(log).find("+ [broken] exit 1 after "), std::string::npos);
  }
  ::unsetenv("DEB_BUILD_OPTIONS");
  EXPECT_FALSE(fs::exists(root));  // the whole tree goes with the session
  EXPECT_TRUE(fs::exists(log));    // the log stays
  EXPECT_EQ(read_file(log).rfind("+ unpacking " + tarball + "\n", 0), 0u);
}

TEST(ChrootSession, CopyInRefusesSymlinksAndDotDot) {
  TempDir t;
  ChrootSession s(make_test_chroot(t), t.path() + "/log");
  write_file_atomic(t.path() + "/key.gpg", "key");
  s.copy_in(t.path() + "/key.gpg", "/srv/keys/key.gpg");
  EXPECT_EQ(read_file(s.host_path("/srv/keys/key.gpg")), "key");
  fs::create_directories(t.path() + "/archive/dists");
  write_file_atomic(t.path() + "/archive/dists/Release", "r");
  s.copy_in(t.path() + "/archive", "/srv/archive");
  EXPECT_EQ(read_file(s.host_path("/srv/archive/dists/Release")), "r");

  // /lib -> usr/lib in the tree; an absolute one would point at the host.
  fs::create_symlink("/tmp", s.host_path("/var-run"));
  EXPECT_THROW(s.copy_in(t.path() + "/key.gpg", "/var-run/key.gpg"), InputError);
  EXPECT_THROW(s.copy_in(t.path() + "/key.gpg", "/lib/key.gpg"), InputError);
  EXPECT_THROW(s.copy_in(t.path() + "/key.gpg", "/srv/../../key.gpg"), InputError);
  EXPECT_FALSE(fs::exists("/tmp/key.gpg"));
  EXPECT_NE(read_file(t.path() + "/log").find("+ copied " + t.path() + "/key.gpg to /srv/keys/key.gpg\n"),
            std::string::npos);
}

TEST(ChrootSession, BadTarballIsAnOperationErrorAndLeavesNoTree) {
  TempDir t;
  write_file_atomic(t.path() + "/bad.tar.zst", "not a tarball");
  // The session's tree goes under $TMPDIR: a private one to look into.
  std::string tmp = t.path() + "/tmp";
  fs::create_directory(tmp);
  const char* old = std::getenv("TMPDIR");
  std::string saved = old ? old : "";
  ::setenv("TMPDIR", tmp.c_str(), 1);
  try {
    ChrootSession s(t.path() + "/bad.tar.zst", t.path() + "/log");
    FAIL() << "unpacked";
  } catch (const OperationError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("unpacking chroot " + t.path() + "/bad.tar.zst failed: ", 0), 0u)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("(log: " + t.path() + "/log)"), std::string::npos) << e.what();
  }
  old ? ::setenv("TMPDIR", saved.c_str(), 1) : ::unsetenv("TMPDIR");
  EXPECT_TRUE(fs::is_empty(tmp));
}

}  // namespace
}  // namespace hapkg::build
