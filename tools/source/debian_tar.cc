#include "source/debian_tar.h"

#include <archive.h>
#include <archive_entry.h>
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
  std::unique_ptr<archive, int (*)(archive*)> a(archive_write_new(), archive_write_free);
  std::string out;
  auto fail = [&](const char* what) {
    throw OperationError(std::string("xz compression: ") + what + ": " + archive_error_string(a.get()));
  };
  if (archive_write_set_format_raw(a.get()) != ARCHIVE_OK) fail("raw format");
  if (archive_write_add_filter_xz(a.get()) != ARCHIVE_OK) fail("xz filter");
  // threads=2 selects liblzma's multithreaded encoder, whose output is the
  // same for any thread count (xz -T0); threads=1 would select the
  // single-threaded encoder, which writes different bytes.
  if (archive_write_set_filter_option(a.get(), "xz", "compression-level", "6") != ARCHIVE_OK) fail("level");
  if (archive_write_set_filter_option(a.get(), "xz", "threads", "2") != ARCHIVE_OK) fail("threads");
  archive_write_set_bytes_in_last_block(a.get(), 1);
  auto writer = [](archive*, void* ctx, const void* buf, size_t n) -> la_ssize_t {
    static_cast<std::string*>(ctx)->append(static_cast<const char*>(buf), n);
    return static_cast<la_ssize_t>(n);
  };
  if (archive_write_open(a.get(), &out, nullptr, writer, nullptr) != ARCHIVE_OK) fail("open");
  std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(), archive_entry_free);
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_pathname(e.get(), "data");
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
  if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK) fail("header");
  for (size_t off = 0; off < data.size();) {
    la_ssize_t n = archive_write_data(a.get(), data.data() + off, std::min<size_t>(data.size() - off, 1 << 20));
    if (n <= 0) fail("write");
    off += static_cast<size_t>(n);
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) fail("close");
  return out;
}

}  // namespace hapkg::source
