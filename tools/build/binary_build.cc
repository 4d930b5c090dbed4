// build_binaries: a buildd-style build of one .dsc in a fresh copy of the
// chroot tarball (see chroot_session.h for why a plain chroot), outputs
// moved into out_dir only after every step succeeded.
#include "build/binary_build.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "build/apt_sources.h"
#include "build/chroot_cache.h"
#include "build/chroot_session.h"
#include "build/listed_files.h"
#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::build {
namespace fs = std::filesystem;

namespace {

void check_request(const BinaryBuildRequest& req) {
  check_series(req.series);
  if (!fs::is_regular_file(req.dsc)) throw InputError(req.dsc, 0, "no such .dsc");
  if (!fs::is_regular_file(req.chroot.tarball))
    throw InputError(req.chroot.tarball, 0, "no such chroot tarball (ensure_chroot makes it)");
  if (req.out_dir.empty() || req.log_path.empty()) throw InputError("build: out_dir and log_path are required");
}

// The extra archives and their keys, at the same absolute paths inside.
void add_extra_sources(ChrootSession& chroot, const BinaryBuildRequest& req) {
  std::set<std::string> keys;
  for (const auto& k : req.extra_keys) {
    if (k.empty() || k[0] != '/' || !fs::is_regular_file(k)) throw InputError(k, 0, "extra key: no such absolute file");
    chroot.copy_in(k, k);
    keys.insert(k);
  }
  std::string list;
  for (const auto& line : req.extra_sources) {
    auto s = parse_extra_source(line);
    if (!s.signed_by.empty() && !keys.count(s.signed_by))
      throw InputError("extra source '" + s.line + "': signed-by " + s.signed_by + " is not among the extra keys");
    if (!s.file_dir.empty()) {
      if (!fs::is_directory(s.file_dir)) throw InputError(s.file_dir, 0, "extra source: no such archive directory");
      chroot.copy_in(s.file_dir, s.file_dir);
    }
    list += s.line + "\n";
  }
  if (!list.empty()) write_file_atomic(chroot.host_path("/etc/apt/sources.list.d/hapkg-extra.list"), list);
}

// Moves `names` from the chroot's /build into out_dir: all into a staging
// directory first, then renamed one by one, so out_dir never holds a
// partial set from a failed build.
std::vector<std::string> publish(ChrootSession& chroot, const std::vector<std::string>& names,
                                 const std::string& out_dir) {
  fs::create_directories(out_dir);
  std::string out = fs::absolute(out_dir);
  TempDir staging_holder;  // removed if anything below throws
  std::string staging = out + "/.staging-" + fs::path(staging_holder.path()).filename().string();
  fs::create_directory(staging);
  try {
    for (const auto& n : names) fs::copy_file(chroot.host_path("/build/" + n), staging + "/" + n);
    std::vector<std::string> paths;
    for (const auto& n : names) {
      fs::rename(staging + "/" + n, out + "/" + n);
      paths.push_back(out + "/" + n);
    }
    fs::remove(staging);
    return paths;
  } catch (...) {
    std::error_code ec;
    fs::remove_all(staging, ec);
    throw;
  }
}

}  // namespace

BinaryBuildResult build_binaries(const BinaryBuildRequest& req) {
  check_request(req);
  std::string dsc = fs::absolute(req.dsc);
  std::string dsc_name = fs::path(dsc).filename();
  auto sources = listed_files(dsc);
  ChrootSession chroot(req.chroot.tarball, req.log_path);
  chroot.note("series " + req.series + ", chroot key " + req.chroot.key);
  add_extra_sources(chroot, req);
  chroot.copy_in(dsc, "/build/" + dsc_name);
  for (const auto& f : sources) chroot.copy_in(fs::path(dsc).parent_path() / f, "/build/" + f);

  // What sbuild does for a binary build, with buildd apt settings.
  chroot.run("apt-get update", {"apt-get", "update"});
  chroot.run("build-dep", {"apt-get", "-y", "-o", "APT::Install-Recommends=false", "build-dep", "/build/" + dsc_name});
  chroot.run("unpack", {"dpkg-source", "--no-check", "-x", "/build/" + dsc_name, "/build/src"});
  chroot.run("dpkg-buildpackage", {"dpkg-buildpackage", "-b", "-us", "-uc"}, "/build/src");

  // dpkg-buildpackage names the .changes <src>_<ver without epoch>_<arch>.changes.
  std::string changes_name;
  for (const auto& e : fs::directory_iterator(chroot.host_path("/build")))
    if (e.path().extension() == ".changes") changes_name = e.path().filename();
  if (changes_name.empty()) throw OperationError("dpkg-buildpackage left no .changes: see " + req.log_path);
  if (req.source_and_binary_in_changes)  // the original .dsc and tarballs, never rebuilt ones
    chroot.run("genchanges", {"dpkg-genchanges", "--build=full", "-sa", "-O/build/" + changes_name}, "/build/src");

  auto names = listed_files(chroot.host_path("/build/" + changes_name));
  names.push_back(changes_name);
  auto paths = publish(chroot, names, req.out_dir);
  chroot.note("published " + std::to_string(paths.size()) + " files to " + req.out_dir);

  BinaryBuildResult result;
  result.log_path = req.log_path;
  for (const auto& p : paths) {
    if (fs::path(p).extension() == ".deb") result.debs.push_back(p);
    if (fs::path(p).extension() == ".buildinfo") result.buildinfo = p;
    if (fs::path(p).extension() == ".changes") result.changes = p;
  }
  std::sort(result.debs.begin(), result.debs.end());
  return result;
}

}  // namespace hapkg::build
