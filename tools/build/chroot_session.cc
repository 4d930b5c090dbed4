#include "build/chroot_session.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/strings.h"

namespace hapkg::build {
namespace fs = std::filesystem;

namespace {

std::vector<std::string> build_env() {
  std::vector<std::string> env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND=noninteractive",
                                  "LC_ALL=C.UTF-8", "TZ=UTC0", "HOME=/build"};
  // The one knob a caller may pass through, as buildds do (parallel=N, nocheck).
  if (const char* opts = std::getenv("DEB_BUILD_OPTIONS")) env.push_back(std::string("DEB_BUILD_OPTIONS=") + opts);
  return env;
}

std::string joined(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

}  // namespace

ChrootSession::ChrootSession(const std::string& tarball, std::string log_path)
    : dir_("hapkg-chroot"), root_(dir_.path() + "/root"), log_path_(std::move(log_path)) {
  fs::create_directory(root_);
  if (!log_path_.empty()) {
    if (fs::path(log_path_).has_parent_path()) fs::create_directories(fs::path(log_path_).parent_path());
    write_file_atomic(log_path_, "");  // a new session starts a new log
  }
  note("unpacking " + tarball);
  auto r = run_process({"tar", "--zstd", "-xpf", tarball, "--numeric-owner", "-C", root_});
  append_log(r.out + r.err);
  if (r.exit_status != 0)
    throw OperationError("unpacking chroot " + tarball + " failed: " + first_line(r.err) + " (log: " + log_path_ + ")");
  // No daemon may start from a maintainer script during build-dep installs.
  write_file_atomic(root_ + "/usr/sbin/policy-rc.d", "#!/bin/sh\nexit 101\n", 0755);
  fs::create_directories(root_ + "/build");
}

void ChrootSession::copy_in(const std::string& host, const std::string& inside) {
  // A symlink on the way (the chroot's /var/run -> /run is absolute) would
  // be followed on the host: refuse instead of writing outside the root.
  fs::path at = root_;
  for (const auto& part : fs::path(inside).relative_path()) {
    at /= part;
    if (part == ".." || fs::is_symlink(at))
      throw InputError(inside + ": path goes through a symlink or '..' inside the chroot; use another location");
  }
  fs::path dest = host_path(inside);
  fs::create_directories(dest.parent_path());
  fs::copy(host, dest, fs::copy_options::recursive | fs::copy_options::overwrite_existing |
                           fs::copy_options::copy_symlinks);
  note("copied " + host + " to " + inside);
}

void ChrootSession::run(const std::string& step, const std::vector<std::string>& argv, const std::string& cwd) {
  // The output goes straight into the log as the tool writes it (as
  // sbuild's does): `tail -f` follows a long dpkg-buildpackage.
  int fd = log_path_.empty() ? ::open("/dev/null", O_WRONLY | O_CLOEXEC)
                             : ::open(log_path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) throw_errno("open " + (log_path_.empty() ? std::string("/dev/null") : log_path_));
  int status;
  try {
    status = run_in_chroot(step, argv, cwd, fd).exit_status;
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (status != 0)
    throw OperationError("build step '" + step + "' failed (exit " + std::to_string(status) + "): see " + log_path_);
}

ProcessResult ChrootSession::run_result(const std::string& step, const std::vector<std::string>& argv,
                                        const std::string& cwd) {
  return run_in_chroot(step, argv, cwd, -1);
}

ProcessResult ChrootSession::run_in_chroot(const std::string& step, const std::vector<std::string>& argv,
                                           const std::string& cwd, int output_fd) {
  std::vector<std::string> full = {"unshare", "--mount", "--propagation", "private", "--pid", "--fork",
                                   "--kill-child", "--mount-proc=" + root_ + "/proc", "chroot", root_,
                                   "env", "--chdir=" + cwd};
  full.insert(full.end(), argv.begin(), argv.end());
  note("[" + step + "] " + joined(argv));
  ProcessOptions o;
  o.env = build_env();
  o.output_fd = output_fd;
  // --kill-child ends the namespace when unshare ends; this ends unshare
  // when hapkg ends, so a SIGKILLed run leaves no build behind.
  o.die_with_parent = true;
  auto start = std::chrono::steady_clock::now();
  auto r = run_process(full, o);
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
  append_log(r.out + (r.err.empty() ? "" : "--- stderr ---\n" + r.err));
  note("[" + step + "] exit " + std::to_string(r.exit_status) + " after " + std::to_string(secs) + " s");
  return r;
}

void ChrootSession::note(const std::string& text) { append_log("+ " + text + "\n"); }

void ChrootSession::append_log(const std::string& text) {
  if (log_path_.empty() || text.empty()) return;
  int fd = ::open(log_path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) throw_errno("open " + log_path_);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      int e = errno;
      ::close(fd);
      errno = e;
      throw_errno("write " + log_path_);
    }
    done += static_cast<size_t>(w);
  }
  ::close(fd);
}

}  // namespace hapkg::build
