#include "build/chroot_session.h"

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
  if (!log_path_.empty() && fs::path(log_path_).has_parent_path()) fs::create_directories(fs::path(log_path_).parent_path());
  note("unpacking " + tarball);
  auto r = run_process({"tar", "--zstd", "-xpf", tarball, "--numeric-owner", "-C", root_});
  log_ += r.out + r.err;
  flush_log();
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
  auto r = run_result(step, argv, cwd);
  if (r.exit_status != 0)
    throw OperationError("build step '" + step + "' failed (exit " + std::to_string(r.exit_status) +
                         "): see " + log_path_);
}

ProcessResult ChrootSession::run_result(const std::string& step, const std::vector<std::string>& argv,
                                        const std::string& cwd) {
  std::vector<std::string> full = {"unshare", "--mount", "--propagation", "private", "--pid", "--fork",
                                   "--kill-child", "--mount-proc=" + root_ + "/proc", "chroot", root_,
                                   "env", "--chdir=" + cwd};
  full.insert(full.end(), argv.begin(), argv.end());
  note("[" + step + "] " + joined(argv));
  ProcessOptions o;
  o.env = build_env();
  // --kill-child ends the namespace when unshare ends; this ends unshare
  // when hapkg ends, so a SIGKILLed run leaves no build behind.
  o.die_with_parent = true;
  auto start = std::chrono::steady_clock::now();
  auto r = run_process(full, o);
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
  log_ += r.out;
  if (!r.err.empty()) log_ += "--- stderr ---\n" + r.err;
  note("[" + step + "] exit " + std::to_string(r.exit_status) + " after " + std::to_string(secs) + " s");
  return r;
}

void ChrootSession::note(const std::string& text) {
  log_ += "+ " + text + "\n";
  flush_log();
}

void ChrootSession::flush_log() {
  if (!log_path_.empty()) write_file_atomic(log_path_, log_);
}

}  // namespace hapkg::build
