#include "file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "error.h"

namespace hapkg {

namespace {
std::string without_trailing_slashes(const std::string& path) {
  std::string d = path;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  return d;
}
}  // namespace

std::string parent_dir(const std::string& path) {
  std::string d = without_trailing_slashes(path);
  size_t slash = d.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : d.substr(0, slash);
}

std::string base_name(const std::string& path) {
  std::string d = without_trailing_slashes(path);
  size_t slash = d.rfind('/');
  return slash == std::string::npos ? d : d.substr(slash + 1);
}

std::string read_file(const std::string& path, bool missing_is_input_error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if ((errno == ENOENT || errno == ENOTDIR) && missing_is_input_error)
      throw InputError(path + ": no such file");
    throw_errno(path);
  }
  std::string data;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int saved = errno;
      ::close(fd);
      errno = saved;
      throw_errno(path);
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

AtomicFile::AtomicFile(std::string path, int mode) : path_(std::move(path)) {
  // mkostemp opens with O_EXCL, which never follows a symlink at the final
  // component; the name is random, so nobody can plant one in advance.
  std::string tmpl = path_ + ".hapkg-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  fd_ = ::mkostemp(buf.data(), O_CLOEXEC);
  if (fd_ < 0) throw_errno("cannot create " + path_);
  temp_.assign(buf.data());
  if (::fchmod(fd_, static_cast<mode_t>(mode)) != 0) {
    int saved = errno;
    ::close(fd_);
    ::unlink(temp_.c_str());
    errno = saved;
    throw_errno("cannot create " + path_);
  }
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_.c_str());
}

void AtomicFile::write(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot write " + path_);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

void AtomicFile::commit() {
  if (::fsync(fd_) != 0) throw_errno("cannot write " + path_);
  if (::close(fd_) != 0) {
    fd_ = -1;
    throw_errno("cannot write " + path_);
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), path_.c_str()) != 0) throw_errno("cannot rename to " + path_);
  committed_ = true;
}

void write_file_atomic(const std::string& path, std::string_view data, int mode) {
  AtomicFile out(path, mode);
  out.write(data);
  out.commit();
}

}  // namespace hapkg
