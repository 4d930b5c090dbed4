// A throw-away root unpacked from a chroot tarball, and commands run in it.
//
// Why a plain chroot and not sbuild --chroot-mode=unshare: sbuild in unshare
// mode refuses to run as root until /etc/subuid and /etc/subgid carry a
// range for root, i.e. it needs the host's account files changed by every
// machine's setup; what it does underneath for a buildd-style build is what
// this class does (unpack the tarball, apt-get build-dep, dpkg-buildpackage
// -b, collect the .changes' files), and the .deb is byte-identical
// (/work/shared/reference/build-chroots.md). Each command runs under
// `unshare --mount --pid --fork --mount-proc`: /proc exists for the build
// but the mount lives in a private namespace, so nothing is ever left
// mounted on the host and the tree can simply be deleted; --kill-child ends
// the build if its unshare is killed. Commands get a fixed environment and
// an argv (no shell). Known difference from a buildd: the build runs as
// root in the chroot, not as an unprivileged user.
#pragma once

#include <string>
#include <vector>

#include "util/process.h"
#include "util/tempdir.h"

namespace hapkg::build {

class ChrootSession {
 public:
  // Unpacks `tarball` into a fresh directory under $TMPDIR; `log_path`
  // collects every command's argv and output: run()'s as the command writes
  // it, run_result()'s (captured for the caller) when it ends.
  ChrootSession(const std::string& tarball, std::string log_path);

  const std::string& root() const { return root_; }
  // Host path of `inside` (an absolute path in the chroot).
  std::string host_path(const std::string& inside) const { return root_ + inside; }
  // Copies a host file or directory to the same absolute path inside.
  void copy_in(const std::string& host_path, const std::string& inside);
  // Runs argv in the chroot with `cwd` (inside) as working directory.
  // OperationError naming `step` and the log on a non-zero exit.
  void run(const std::string& step, const std::vector<std::string>& argv, const std::string& cwd = "/");
  // The same, but the caller judges the result (a real upgrade's dpkg
  // errors are read from its output); the output is logged either way.
  ProcessResult run_result(const std::string& step, const std::vector<std::string>& argv,
                           const std::string& cwd = "/");
  void note(const std::string& text);

 private:
  // output_fd >= 0: the command's output goes there and is not captured.
  ProcessResult run_in_chroot(const std::string& step, const std::vector<std::string>& argv,
                              const std::string& cwd, int output_fd);
  void append_log(const std::string& text);
  TempDir dir_;
  std::string root_;
  std::string log_path_;
};

}  // namespace hapkg::build
