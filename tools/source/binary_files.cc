#include "source/binary_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <sstream>

#include "source/debian_tar.h"
#include "util/error.h"
#include "util/file.h"

namespace hapkg::source {
namespace {

bool is_binary(const std::string& path) {
  // dpkg's is_binary: a NUL in the first 4 KiB, like diff(1).
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) throw_errno("open " + path);
  char buf[4096];
  size_t got = 0;
  while (got < sizeof buf) {
    ssize_t n = ::read(fd, buf + got, sizeof buf - got);
    if (n < 0) {
      ::close(fd);
      throw_errno("read " + path);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  return std::memchr(buf, '\0', got) != nullptr;
}

void walk(const std::string& tree, const std::string& rel, const std::vector<std::string>& excludes,
          std::vector<std::string>& out) {
  std::string dir = tree + "/" + rel;
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
  if (!d) throw_errno("opendir " + dir);
  while (dirent* e = ::readdir(d.get())) {
    if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, "..")) continue;
    std::string crel = rel + "/" + e->d_name;
    if (tar_excluded(crel, excludes)) continue;
    struct stat st;
    if (::lstat((tree + "/" + crel).c_str(), &st) != 0) throw_errno("lstat " + tree + "/" + crel);
    if (S_ISDIR(st.st_mode)) walk(tree, crel, excludes, out);
    else if (S_ISREG(st.st_mode) && is_binary(tree + "/" + crel)) out.push_back(crel);
  }
}

}  // namespace

std::vector<std::string> debian_binary_files(const std::string& tree, const std::vector<std::string>& excludes) {
  std::vector<std::string> out;
  walk(tree, "debian", excludes, out);
  std::sort(out.begin(), out.end());
  return out;
}

std::set<std::string> allowed_binaries(const std::string& tree) {
  std::string path = tree + "/debian/source/include-binaries";
  struct stat st;
  std::set<std::string> out;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return out;
  std::istringstream in(read_file(path));
  std::string l;
  while (std::getline(in, l)) {
    size_t a = l.find_first_not_of(" \t\r\f\v"), b = l.find_last_not_of(" \t\r\f\v");
    if (a == std::string::npos) continue;
    l = l.substr(a, b - a + 1);
    if (l[0] != '#') out.insert(l);
  }
  return out;
}

void add_allowed_binaries(const std::string& tree, const std::vector<std::string>& paths) {
  std::string path = tree + "/debian/source/include-binaries";
  std::filesystem::create_directories(tree + "/debian/source");
  struct stat st;
  bool exists = ::stat(path.c_str(), &st) == 0;
  std::string text = exists ? read_file(path) : "";
  for (const auto& p : paths) text += p + "\n";
  write_file_atomic(path, text, exists ? static_cast<int>(st.st_mode & 07777) : 0644);
}

}  // namespace hapkg::source
