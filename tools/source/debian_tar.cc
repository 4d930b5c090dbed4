#include "source/debian_tar.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

#include "util/error.h"
#include "util/file.h"
#include "util/process.h"

namespace hapkg::source {
namespace {

constexpr size_t kBlock = 512;
constexpr size_t kRecord = 10240;

// One GNU tar header. The header itself is written here rather than through
// libarchive: GNU tar's ././@LongLink header (mode 0644, no owner names, a
// name longer than 100 bytes) has no libarchive equivalent, and
// dpkg-source's bytes come from GNU tar.
struct Header {
  char b[kBlock] = {};
  void str(size_t off, size_t len, const std::string& s) { std::memcpy(b + off, s.data(), std::min(len, s.size())); }
  void octal(size_t off, size_t len, unsigned long long v) {
    char tmp[32];
    std::snprintf(tmp, sizeof tmp, "%0*llo", static_cast<int>(len - 1), v);
    if (std::strlen(tmp) > len - 1) throw InputError("value too large for a tar header: " + std::to_string(v));
    std::memcpy(b + off, tmp, len - 1);  // and the NUL already there
  }
  void finish() {
    std::memset(b + 148, ' ', 8);
    std::memcpy(b + 257, "ustar  ", 8);  // GNU magic "ustar  \0"
    unsigned sum = 0;
    for (unsigned char c : b) sum += c;
    char tmp[16];
    std::snprintf(tmp, sizeof tmp, "%06o", sum);
    std::memcpy(b + 148, tmp, 6);
    b[154] = '\0';
    b[155] = ' ';
  }
};

void append_padded(std::string& out, const char* data, size_t n) {
  out.append(data, n);
  if (n % kBlock) out.append(kBlock - n % kBlock, '\0');
}

void long_link(std::string& out, char type, const std::string& name) {
  Header h;
  h.str(0, 100, "././@LongLink");
  h.octal(100, 8, 0644);
  h.octal(108, 8, 0);
  h.octal(116, 8, 0);
  h.octal(124, 12, name.size() + 1);
  h.octal(136, 12, 0);
  h.b[156] = type;
  h.finish();
  out.append(h.b, kBlock);
  append_padded(out, name.c_str(), name.size() + 1);
}

struct Walker {
  const TarOptions& opt;
  std::string& out;

  void entry(const std::string& rel) {
    std::string path = opt.base + "/" + rel;
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) throw_errno("lstat " + path);
    std::string name = rel;
    char type;
    std::string link;
    if (S_ISDIR(st.st_mode)) {
      type = '5';
      name += '/';
    } else if (S_ISREG(st.st_mode)) {
      type = '0';
    } else if (S_ISLNK(st.st_mode)) {
      type = '2';
      std::string buf(4096, '\0');
      ssize_t n = ::readlink(path.c_str(), buf.data(), buf.size());
      if (n < 0) throw_errno("readlink " + path);
      link.assign(buf.data(), n);
    } else {
      throw InputError(path + ": not a regular file, directory or symlink; cannot go into a source package");
    }
    if (link.size() > 100) long_link(out, 'K', link);
    if (name.size() > 100) long_link(out, 'L', name);
    Header h;
    h.str(0, 100, name);
    h.octal(100, 8, st.st_mode & 07777);
    h.octal(108, 8, 0);
    h.octal(116, 8, 0);
    h.octal(124, 12, type == '0' ? static_cast<unsigned long long>(st.st_size) : 0);
    std::int64_t mtime = st.st_mtime;
    if (mtime > opt.clamp_mtime) mtime = opt.clamp_mtime;
    if (mtime < 0) mtime = 0;
    h.octal(136, 12, static_cast<unsigned long long>(mtime));
    h.b[156] = type;
    h.str(157, 100, link);
    h.finish();
    out.append(h.b, kBlock);
    if (type == '0') {
      std::string data = read_file(path, false);
      if (data.size() != static_cast<size_t>(st.st_size)) throw OperationError(path + ": changed while being read");
      append_padded(out, data.data(), data.size());
    } else if (type == '5') {
      for (const auto& child : list(path)) {
        std::string crel = rel + "/" + child;
        if (!tar_excluded(crel, opt.excludes)) entry(crel);
      }
    }
  }

  static std::vector<std::string> list(const std::string& dir) {
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
    if (!d) throw_errno("opendir " + dir);
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d.get())) {
      if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, "..")) continue;
      names.emplace_back(e->d_name);
    }
    std::sort(names.begin(), names.end());
    return names;
  }
};

}  // namespace

const std::vector<std::string>& default_tar_excludes() {
  static const std::vector<std::string> patterns = {
      "*.a", "*.la", "*.o", "*.so", ".*.sw?", "*/*~", ",,*", ".[#~]*", ".arch-ids", ".arch-inventory", ".be",
      ".bzr", ".bzr.backup", ".bzr.tags", ".bzrignore", ".cvsignore", ".deps", ".git", ".gitattributes",
      ".gitignore", ".gitmodules", ".gitreview", ".hg", ".hgignore", ".hgsigs", ".hgtags", ".mailmap",
      ".mtn-ignore", ".shelf", ".svn", "CVS", "DEADJOE", "RCS", "_MTN", "_darcs", "{arch}"};
  return patterns;
}

bool tar_excluded(const std::string& relpath, const std::vector<std::string>& patterns) {
  for (const auto& p : patterns) {
    // Unanchored: the pattern may match the whole name or any part after a '/'.
    for (size_t pos = 0; pos != std::string::npos;) {
      if (::fnmatch(p.c_str(), relpath.c_str() + pos, 0) == 0) return true;
      pos = relpath.find('/', pos);
      if (pos != std::string::npos) ++pos;
    }
  }
  return false;
}

std::string make_tar(const TarOptions& options) {
  std::string out;
  Walker w{options, out};
  for (const auto& root : options.roots)
    if (!tar_excluded(root, options.excludes)) w.entry(root);
  out.append(2 * kBlock, '\0');
  if (out.size() % kRecord) out.append(kRecord - out.size() % kRecord, '\0');
  return out;
}

std::string xz_compress(const std::string& data) {
  // Dpkg/Compression.pm's command, in its own process as dpkg runs it: the
  // multithreaded encoder (-T0; any thread count but 1 gives the same bytes)
  // zeroes a 16 MiB match-finder hash table, which in process would raise
  // our peak RSS above dpkg-source's.
  ProcessOptions o;
  o.input = data;
  ProcessResult r = run_process({"xz", "-6", "--quiet", "--no-warn", "--no-adjust", "-T0", "-c"}, o);
  if (r.exit_status != 0) throw OperationError("xz compression failed: " + r.err);
  return std::move(r.out);
}

}  // namespace hapkg::source
