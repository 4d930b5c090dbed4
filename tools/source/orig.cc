#include "source/orig.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>

#include "source/debian_tar.h"
#include "patch/series.h"
#include "util/archive_api.h"
#include "util/error.h"
#include "util/file.h"
#include "util/log.h"
#include "util/process.h"
#include "util/tempdir.h"

namespace hapkg::source {
namespace {

bool exists(const std::string& p) {
  struct stat st;
  return ::lstat(p.c_str(), &st) == 0;
}

// Normalises "a/./b/" -> "a/b"; false when the path is absolute or a ".."
// component would leave the top.
bool normalise(const std::string& in, std::string& out) {
  if (!in.empty() && in[0] == '/') return false;
  std::vector<std::string> parts;
  std::istringstream s(in);
  std::string p;
  while (std::getline(s, p, '/')) {
    if (p.empty() || p == ".") continue;
    if (p == "..") {
      if (parts.empty()) return false;
      parts.pop_back();
      continue;
    }
    parts.push_back(p);
  }
  out.clear();
  for (const auto& x : parts) out += (out.empty() ? "" : "/") + x;
  return true;
}

std::string extension_of(const std::string& name) {
  for (const char* ext : {".tar.gz", ".tar.xz", ".tar.bz2", ".tar.lzma", ".tgz"})
    if (name.size() > std::string(ext).size() && name.compare(name.size() - std::string(ext).size(), std::string::npos, ext) == 0)
      return std::string(ext) == ".tgz" ? "gz" : std::string(ext).substr(5);
  return "";
}

std::string compress(const std::string& tar, const std::string& how) {
  if (how == "xz") return xz_compress(tar);
  ProcessOptions o;
  o.input = tar;
  ProcessResult r = run_process({"gzip", "-n", "-9", "-c"}, o);
  if (r.exit_status != 0) throw OperationError("gzip: " + r.err);
  return r.out;
}

// Sets the mtime of `root` and everything below it (symlinks themselves,
// not their targets), as `find -exec touch -h -d @T` would.
void set_mtimes(const std::string& root, std::int64_t t) {
  const struct timespec times[2] = {{static_cast<time_t>(t), 0}, {static_cast<time_t>(t), 0}};
  auto touch = [&](const std::string& path) {
    if (::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) throw_errno("setting the mtime of " + path);
  };
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) touch(entry.path().string());
  touch(root);
}

// A tarball argument that is not there is the user's mistake, not a
// corrupt file.
void require_file(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) throw InputError(path + ": no such file");
    throw_errno("stat " + path);
  }
  if (!S_ISREG(st.st_mode)) throw InputError(path + ": not a regular file");
}

}  // namespace

void read_orig(const std::string& tarball,
               const std::function<void(const OrigEntry&, const std::function<std::string()>&)>& on_entry) {
  require_file(tarball);
  const ArchiveApi& la = libarchive();
  std::unique_ptr<archive, int (*)(archive*)> a(la.read_new(), la.read_free);
  la.read_support_filter_all(a.get());
  la.read_support_format_tar(a.get());
  la.read_support_format_gnutar(a.get());
  auto corrupt = [&](const std::string& what) {
    throw InputError(tarball + ": corrupt or truncated tarball: " + what);
  };
  if (la.read_open_filename(a.get(), tarball.c_str(), 1 << 16) != ARCHIVE_OK)
    corrupt(la.error_string(a.get()) ? la.error_string(a.get()) : "cannot open");
  archive_entry* e;
  size_t count = 0;
  while (true) {
    int rc = la.read_next_header(a.get(), &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) corrupt(la.error_string(a.get()));
    ++count;
    OrigEntry oe;
    const char* raw = la.entry_pathname(e);
    std::string name = raw ? raw : "";
    if (name.empty() || name[0] == '/' || patch::has_dotdot(name))
      throw InputError(tarball + ": unsafe entry name '" + name + "' (absolute or with ..)");
    normalise(name, oe.path);
    oe.mode = la.entry_perm(e);
    switch (la.entry_filetype(e)) {
      case AE_IFREG: oe.type = '0'; break;
      case AE_IFDIR: oe.type = '5'; break;
      case AE_IFLNK: oe.type = '2'; break;
      default: throw InputError(tarball + ": entry '" + name + "' is a device, fifo or socket");
    }
    if (const char* hl = la.entry_hardlink(e)) {
      oe.type = '1';
      oe.link = hl;
      if (oe.link.empty() || oe.link[0] == '/' || patch::has_dotdot(oe.link))
        throw InputError(tarball + ": hard link '" + name + "' points outside the archive: " + oe.link);
    }
    if (oe.type == '2') {
      oe.link = la.entry_symlink(e) ? la.entry_symlink(e) : "";
      std::string dir = oe.path.find('/') == std::string::npos ? "" : oe.path.substr(0, oe.path.rfind('/'));
      std::string resolved;
      if (oe.link.empty() || oe.link[0] == '/' || !normalise(dir + "/" + oe.link, resolved))
        throw InputError(tarball + ": symlink '" + name + "' points outside the archive: " + oe.link);
    }
    bool consumed = false;
    auto data = [&]() -> std::string {
      consumed = true;
      std::string out;
      la_int64_t size = la.entry_size(e);
      if (size > 0) out.reserve(static_cast<size_t>(size));
      char buf[1 << 16];
      la_ssize_t n;
      while ((n = la.read_data(a.get(), buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
      if (n < 0) corrupt(la.error_string(a.get()));
      return out;
    };
    on_entry(oe, data);
    if (!consumed && la.read_data_skip(a.get()) != ARCHIVE_OK) corrupt(la.error_string(a.get()));
  }
  if (count == 0) corrupt("no entries");
}

std::vector<std::string> validate_orig(const std::string& tarball) {
  std::vector<std::string> names;
  read_orig(tarball, [&](const OrigEntry& e, const std::function<std::string()>& data) {
    names.push_back(e.path);
    if (e.type == '0') data();  // reads through, so truncation shows
  });
  return names;
}

std::string common_top_dir(const std::vector<std::string>& names) {
  std::string top;
  for (const auto& n : names) {
    if (n.empty()) continue;
    size_t slash = n.find('/');
    std::string first = n.substr(0, slash);
    if (top.empty()) top = first;
    else if (top != first) return "";
  }
  return top;
}

std::string orig_from_tarball(const OrigRequest& req, const std::string& tarball, bool repack) {
  std::string base = req.outdir + "/" + req.source + "_" + req.upstream_version + ".orig.tar.";
  require_file(tarball);
  if (!repack) {
    std::string ext = extension_of(tarball);
    if (ext.empty()) throw InputError(tarball + ": not a .tar.gz/.tar.xz/.tar.bz2/.tar.lzma file; use --repack");
    validate_orig(tarball);
    std::string out = base + ext;
    std::string data = read_file(tarball);
    if (exists(out) && read_file(out) != data)
      throw InputError(out + ": exists with different content; an orig tarball never changes once made");
    write_file_atomic(out, data);
    return out;
  }
  // Repack: extract into a scratch tree, then write it like dpkg's tar.
  std::vector<std::string> names = validate_orig(tarball);
  std::string top = common_top_dir(names);
  TempDir scratch_dir("hapkg-orig");
  const std::string& scratch = scratch_dir.path();
  std::string prefix = req.source + "-" + req.upstream_version;
  std::int64_t newest = 0;
  {
    std::string root = scratch + "/" + prefix;
    std::filesystem::create_directory(root);
    read_orig(tarball, [&](const OrigEntry& e, const std::function<std::string()>& data) {
      std::string rel = e.path;
      if (!top.empty() && names.size() > 1) rel = rel == top ? "" : rel.substr(top.size() + 1);
      if (rel.empty()) return;
      std::string dst = root + "/" + rel;
      std::filesystem::create_directories(dst.substr(0, dst.rfind('/')));
      if (e.type == '5') ::mkdir(dst.c_str(), e.mode ? e.mode : 0755);
      else if (e.type == '2') {
        if (::symlink(e.link.c_str(), dst.c_str()) != 0) throw_errno("symlink " + dst);
      } else if (e.type == '0') {
        write_file_atomic(dst, data(), static_cast<int>(e.mode));
      } else {
        std::string target = e.link;
        if (!top.empty() && target.rfind(top + "/", 0) == 0) target = target.substr(top.size() + 1);
        if (::link((root + "/" + target).c_str(), dst.c_str()) != 0) throw_errno("link " + dst);
      }
    });
    // Deterministic: every mtime becomes the newest file mtime in the release.
    const ArchiveApi& la = libarchive();
    std::unique_ptr<archive, int (*)(archive*)> a(la.read_new(), la.read_free);
    la.read_support_filter_all(a.get());
    la.read_support_format_all(a.get());
    la.read_open_filename(a.get(), tarball.c_str(), 1 << 16);
    archive_entry* e;
    while (la.read_next_header(a.get(), &e) == ARCHIVE_OK) newest = std::max<std::int64_t>(newest, la.entry_mtime(e));
    set_mtimes(root, newest);
    TarOptions to;
    to.base = scratch;
    to.roots = {prefix};
    to.clamp_mtime = newest;
    std::string out = base + req.compression;
    write_file_atomic(out, compress(make_tar(to), req.compression));
    return out;
  }
}

std::string orig_from_git(const OrigRequest& req, const std::string& repo, const std::string& tag) {
  if (tag.empty() || tag[0] == '-') throw InputError("invalid git tag '" + tag + "'");
  std::string prefix = req.source + "-" + req.upstream_version + "/";
  ProcessOptions o;
  o.cwd = repo;
  ProcessResult r = run_process({"git", "archive", "--format=tar", "--prefix=" + prefix, "--end-of-options",
                                 tag + "^{commit}"}, o);
  if (r.exit_status != 0) throw InputError(repo + ": git archive " + tag + ": " + r.err);
  std::string out = req.outdir + "/" + req.source + "_" + req.upstream_version + ".orig.tar." + req.compression;
  std::string data = compress(r.out, req.compression);
  if (exists(out) && read_file(out) != data)
    throw InputError(out + ": exists with different content; an orig tarball never changes once made");
  write_file_atomic(out, data);
  return out;
}

std::string orig_reuse(const OrigRequest& req, const std::string& file) {
  require_file(file);
  std::string ext = extension_of(file);
  if (ext.empty()) throw InputError(file + ": not an orig tarball (.tar.gz/.tar.xz/.tar.bz2/.tar.lzma)");
  validate_orig(file);
  std::string out = req.outdir + "/" + req.source + "_" + req.upstream_version + ".orig.tar." + ext;
  std::string data = read_file(file);
  if (exists(out) && read_file(out) != data)
    throw InputError(out + ": exists with different content than the published " + file);
  write_file_atomic(out, data);
  return out;
}

}  // namespace hapkg::source
