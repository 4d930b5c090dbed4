// ensure_chroot: mmdebstrap --variant=buildd once per input set, the tarball
// kept in the cache directory and reused. mmdebstrap writes to a temporary
// name beside it and the result is renamed in, so a killed run never leaves
// a tarball that looks complete; a lock serialises concurrent pipelines.
#include "build/chroot_cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>

#include "build/apt_sources.h"
#include "build/binary_build.h"
#include "deb/hashes.h"
#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/strings.h"

namespace hapkg::build {
namespace fs = std::filesystem;

std::string chroot_inputs(const std::string& series, const std::string& mirror, const std::string& arch,
                          const std::string& mmdebstrap_version) {
  return "format=1\nseries=" + series + "\nmirror=" + mirror + "\nvariant=buildd\narch=" + arch +
         "\nmmdebstrap=" + mmdebstrap_version + "\n";
}

std::string chroot_tarball_name(const std::string& series, const std::string& inputs) {
  return series + "-buildd-" + deb::sha256_hex(inputs).substr(0, 16) + ".tar.zst";
}

std::string chroot_key(const std::string& inputs, const std::string& tarball_sha256) {
  return deb::sha256_hex(inputs + "tarball-sha256=" + tarball_sha256 + "\n");
}

void check_series(const std::string& series) {
  bool ok = !series.empty() && series.size() < 40;
  for (char c : series) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok) throw InputError("series '" + series + "': not a release codename");
}

namespace {

std::string tool_output(const std::vector<std::string>& argv) {
  auto r = run_process(argv);
  if (r.exit_status != 0) throw OperationError(argv[0] + " failed: " + first_line(r.err));
  return trim(r.out);
}

void check_mirror(const std::string& mirror) {
  bool ok = mirror.rfind("http://", 0) == 0 || mirror.rfind("https://", 0) == 0 || mirror.rfind("file:/", 0) == 0;
  for (char c : mirror) ok = ok && c > ' ' && c != '\x7f';
  if (!ok) throw InputError("mirror '" + mirror + "': not an http(s) or file: URI");
}

// flock(2) on "<tarball>.lock" for the lifetime of the object.
class CacheLock {
 public:
  explicit CacheLock(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ < 0) throw_errno("opening " + path);
    if (::flock(fd_, LOCK_EX) != 0) throw_errno("locking " + path);
  }
  ~CacheLock() { ::close(fd_); }
  CacheLock(const CacheLock&) = delete;
  CacheLock& operator=(const CacheLock&) = delete;

 private:
  int fd_;
};

void make_tarball(const std::string& series, const std::string& mirror, const std::string& tarball) {
  // The name must end in .tar.zst: mmdebstrap picks the compression from it.
  std::string tmp = fs::path(tarball).parent_path() / (".tmp-" + std::to_string(::getpid()) + "-" +
                                                       fs::path(tarball).filename().string());
  std::string log = tarball + ".log";
  auto r = run_process({"mmdebstrap", "--variant=buildd", "--mode=root", "--quiet", series, tmp, mirror});
  write_file_atomic(log, r.out + r.err);
  if (r.exit_status != 0) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw OperationError("mmdebstrap " + series + " failed (exit " + std::to_string(r.exit_status) +
                         "): " + first_line(r.err) + " (log: " + log + ")");
  }
  fs::rename(tmp, tarball);
}

}  // namespace

Chroot ensure_chroot(const ChrootSpec& spec) {
  check_series(spec.series);
  if (spec.cache_dir.empty()) throw InputError("chroot cache directory not given");
  std::string mirror = spec.mirror.empty() ? host_apt_mirror() : spec.mirror;
  check_mirror(mirror);
  std::string inputs = chroot_inputs(spec.series, mirror, tool_output({"dpkg", "--print-architecture"}),
                                     tool_output({"mmdebstrap", "--version"}));
  fs::create_directories(spec.cache_dir);
  std::string tarball = fs::absolute(fs::path(spec.cache_dir) / chroot_tarball_name(spec.series, inputs));
  std::string sum_file = tarball + ".sha256";
  CacheLock lock(tarball + ".lock");
  // The checksum file is written last: a tarball without one is unfinished.
  if (!fs::exists(sum_file) || !fs::exists(tarball)) {
    std::error_code ec;
    fs::remove(sum_file, ec);
    make_tarball(spec.series, mirror, tarball);
    write_file_atomic(sum_file, deb::hash_file(tarball).sha256 + "\n");
  }
  return {tarball, chroot_key(inputs, trim(read_file(sum_file)))};
}

}  // namespace hapkg::build
