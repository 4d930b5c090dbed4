// ensure_chroot: mmdebstrap --variant=buildd once per input set, the tarball
// kept in the cache directory and reused. mmdebstrap writes to a temporary
// name beside it and the result is renamed in, so a killed run never leaves
// a tarball that looks complete; a lock serialises concurrent pipelines.
#include "build/chroot_cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cctype>
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

namespace {
std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : sep) + x;
  return out;
}
}  // namespace

std::string chroot_inputs(const std::string& series, const std::string& mirror, const std::string& arch,
                          const std::string& mmdebstrap_version, const std::string& variant,
                          const std::vector<std::string>& include) {
  std::string in = "format=1\nseries=" + series + "\nmirror=" + mirror + "\nvariant=" + variant + "\narch=" + arch +
                   "\nmmdebstrap=" + mmdebstrap_version + "\n";
  if (!include.empty()) in += "include=" + join(include, ",") + "\n";
  return in;
}

std::string chroot_tarball_name(const std::string& series, const std::string& inputs, const std::string& label) {
  return series + "-" + label + "-" + deb::sha256_hex(inputs).substr(0, 16) + ".tar.zst";
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

// A package name as Debian allows it (it becomes an mmdebstrap argument).
void check_package_name(const std::string& p) {
  bool ok = p.size() >= 2 && std::isalnum(static_cast<unsigned char>(p[0]));
  for (char c : p) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.');
  if (!ok) throw InputError("package '" + p + "': not a Debian package name");
}

void make_tarball(const ChrootSpec& spec, const std::string& mirror, const std::string& tarball) {
  const std::string& series = spec.series;
  // The name must end in .tar.zst: mmdebstrap picks the compression from it.
  std::string tmp = fs::path(tarball).parent_path() / (".tmp-" + std::to_string(::getpid()) + "-" +
                                                       fs::path(tarball).filename().string());
  std::string log = tarball + ".log";
  std::vector<std::string> argv{"mmdebstrap", "--variant=" + spec.variant, "--mode=root", "--quiet"};
  if (!spec.include.empty()) argv.push_back("--include=" + join(spec.include, ","));
  argv.insert(argv.end(), {series, tmp, mirror});
  auto r = run_process(argv);
  write_file_atomic(log, r.out + r.err);
  if (r.exit_status != 0) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw OperationError("mmdebstrap " + series + " failed (exit " + std::to_string(r.exit_status) +
                         "): " + first_line(r.err) + " (log: " + log + ")");
  }
  fs::rename(tmp, tarball);
}

// chroot_identity, also giving the mirror it resolved (ensure_chroot needs it).
std::string identity(const ChrootSpec& spec, std::string& mirror) {
  check_series(spec.series);
  mirror = spec.mirror.empty() ? host_apt_mirror() : spec.mirror;
  check_mirror(mirror);
  if (spec.variant != "buildd" && spec.variant != "apt" && spec.variant != "minbase")
    throw InputError("chroot variant '" + spec.variant + "': not buildd, apt or minbase");
  for (const auto& p : spec.include) check_package_name(p);
  // Asked once a process: the pipeline hashes this for every package's
  // binaries step on every plan and run (mmdebstrap --version is a perl
  // start-up, ~0.3 s on a busy 2-core machine).
  static const std::string arch = tool_output({"dpkg", "--print-architecture"});
  static const std::string mmdebstrap = tool_output({"mmdebstrap", "--version"});
  return chroot_inputs(spec.series, mirror, arch, mmdebstrap, spec.variant, spec.include);
}

}  // namespace

std::string chroot_identity(const ChrootSpec& spec) {
  std::string mirror;
  return identity(spec, mirror);
}

Chroot ensure_chroot(const ChrootSpec& spec) {
  if (spec.cache_dir.empty()) throw InputError("chroot cache directory not given");
  std::string mirror;
  std::string inputs = identity(spec, mirror);
  fs::create_directories(spec.cache_dir);
  std::string label = spec.include.empty() ? spec.variant : "node";
  std::string tarball = fs::absolute(fs::path(spec.cache_dir) / chroot_tarball_name(spec.series, inputs, label));
  std::string sum_file = tarball + ".sha256";
  CacheLock lock(tarball + ".lock");
  // The checksum file is written last: a tarball without one is unfinished.
  if (!fs::exists(sum_file) || !fs::exists(tarball)) {
    std::error_code ec;
    fs::remove(sum_file, ec);
    make_tarball(spec, mirror, tarball);
    write_file_atomic(sum_file, deb::hash_file(tarball).sha256 + "\n");
  }
  return {tarball, chroot_key(inputs, trim(read_file(sum_file)))};
}

}  // namespace hapkg::build
